package meta

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// SampleSigner signs sample confirmation mails the way Meta signs real ones, with its own key:
// for `connector demo` and the tests, which publish its key through META_DKIM_KEYS_FILE.
type SampleSigner struct {
	Selector string
	key      *rsa.PrivateKey
}

// NewSampleSigner makes a signer with a fresh 2048-bit RSA key.
func NewSampleSigner(selector string) (*SampleSigner, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	return &SampleSigner{Selector: selector, key: key}, nil
}

// KeyLines are the META_DKIM_KEYS_FILE lines publishing the signer's key for Meta's domains.
func (s *SampleSigner) KeyLines(senders Senders) string {
	der, _ := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	var b strings.Builder
	for domain := range senders {
		fmt.Fprintf(&b, "%s._domainkey.%s v=DKIM1; k=rsa; p=%s\n", s.Selector, domain, base64.StdEncoding.EncodeToString(der))
	}
	return b.String()
}

// Keys looks up the signer's key for senders' domains, as META_DKIM_KEYS_FILE would publish it.
func (s *SampleSigner) Keys(senders Senders) KeyLookup {
	keys, err := readKeys(strings.NewReader(s.KeyLines(senders)), "the sample signer")
	if err != nil {
		panic(err) // KeyLines writes nothing else
	}
	return keys
}

// Sample describes a confirmation mail to make.
type Sample struct {
	Platform objection.Platform
	To       string
	Account  string
	Dutch    bool
	Kind     Kind // KindHonoured or KindReceived
	Date     time.Time
	// Domain overrides the signing and sending domain (tests of look-alikes).
	Domain string
}

// Make writes the mail and signs it like Meta: relaxed/simple over Date, To, Subject, From,
// MIME-Version and Content-Type.
func (s *SampleSigner) Make(sm Sample) ([]byte, error) {
	domain := sm.Domain
	if domain == "" {
		domain = map[objection.Platform]string{objection.Facebook: "facebookmail.com", objection.Instagram: "mail.instagram.com"}[sm.Platform]
	}
	brand := map[objection.Platform]string{objection.Facebook: "Facebook", objection.Instagram: "Instagram"}[sm.Platform]
	subject, body := sampleText(sm, brand)
	if sm.Date.IsZero() {
		sm.Date = time.Now()
	}
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "Date: %s\r\n", sm.Date.UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&msg, "To: %s\r\n", sm.To)
	fmt.Fprintf(&msg, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&msg, "From: %s <noreply@%s>\r\n", brand, domain)
	fmt.Fprintf(&msg, "Message-ID: <%d.%s@%s>\r\n", sm.Date.UnixNano(), strings.ReplaceAll(sm.Account, " ", "."), domain)
	msg.WriteString("MIME-Version: 1.0\r\n")
	msg.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	msg.WriteString("Content-Transfer-Encoding: 8bit\r\n\r\n")
	msg.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	// Two mails made in the same second must differ in what is signed, as two of Meta's do.
	fmt.Fprintf(&msg, "\r\nRef: %d\r\n", sm.Date.UnixNano())

	return s.Sign(domain, msg.Bytes())
}

func sampleText(sm Sample, brand string) (subject, body string) {
	switch {
	case sm.Dutch && sm.Kind == KindReceived:
		return "We hebben je bezwaar ontvangen", fmt.Sprintf("Hallo %s,\n\nWe hebben je bezwaar ontvangen en beoordelen het.\n\nHet %s-team\n", sm.Account, brand)
	case sm.Dutch:
		return "We zullen je bezwaar honoreren", fmt.Sprintf("Hallo %s,\n\nBedankt voor je bezwaar tegen het gebruik van je informatie voor AI bij Meta. "+
			"We zullen je bezwaar honoreren. Dit geldt ook voor de andere accounts in hetzelfde Accountcentrum.\n\nHet %s-team\n", sm.Account, brand)
	case sm.Kind == KindReceived:
		return "We've received your objection", fmt.Sprintf("Hi %s,\n\nWe have received your objection and are reviewing it.\n\nThe %s team\n", sm.Account, brand)
	}
	return "We'll honour your objection", fmt.Sprintf("Hi %s,\n\nThanks for your objection to the use of your information for AI at Meta. "+
		"We will honour your objection. It also applies to the other accounts in the same Accounts Centre.\n\nThe %s team\n", sm.Account, brand)
}

// Sign signs a complete message as domain would, the way Meta does (relaxed/simple over Date,
// To, Subject, From, MIME-Version and Content-Type).
func (s *SampleSigner) Sign(domain string, msg []byte) ([]byte, error) {
	var out bytes.Buffer
	err := dkim.Sign(&out, bytes.NewReader(msg), &dkim.SignOptions{Domain: domain, Selector: s.Selector, Signer: s.key, Hash: crypto.SHA256,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationSimple,
		HeaderKeys: []string{"Date", "To", "Subject", "From", "MIME-Version", "Content-Type"}})
	return out.Bytes(), err
}
