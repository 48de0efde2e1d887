package meta

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"time"

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
	// Subject and Body, when set, replace the built-in text of Kind (tests of Meta's wordings).
	Subject, Body string
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
	if sm.Subject != "" {
		subject = sm.Subject
	}
	if sm.Body != "" {
		body = sm.Body
	}
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

	return s.sign(domain, msg.Bytes(), signing{at: sm.Date, fields: metaSigned})
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
// To, Subject, From, MIME-Version and Content-Type), at the moment its Date says (t=), or now
// when it has none.
func (s *SampleSigner) Sign(domain string, msg []byte) ([]byte, error) {
	at := time.Now()
	if d, err := mail.ParseDate(headerValue(msg, "date")); err == nil {
		at = d
	}
	return s.sign(domain, msg, signing{at: at, fields: metaSigned})
}

// metaSigned are the header fields Meta's signature covers, in its order.
var metaSigned = []string{"Date", "To", "Subject", "From", "MIME-Version", "Content-Type"}

// signing says how sign signs: when (t=), over which fields (h=), and whether with l=.
type signing struct {
	at         time.Time
	fields     []string
	bodyLength bool
}

// sign writes a DKIM-Signature (RFC 6376, rsa-sha256, c=relaxed/simple) above msg. It is written
// here rather than by go-msgauth, which always signs at the wall clock's time (t=) and never
// with l=: the demo and the tests need mails signed when their Date says, and a partial-body
// signature to refuse. go-msgauth verifies every one of them.
func (s *SampleSigner) sign(domain string, msg []byte, o signing) ([]byte, error) {
	start := bodyStart(msg)
	if start < 0 {
		return nil, errors.New("the message has no blank line after its header")
	}
	body := msg[start:]
	body = body[bytes.IndexByte(body, '\n')+1:]
	canonical := bytes.TrimRight(body, "\r\n") // simple: no empty lines at the end, one CRLF
	canonical = append(bytes.Clone(canonical), "\r\n"...)
	bh := sha256.Sum256(canonical)
	length := ""
	if o.bodyLength {
		length = fmt.Sprintf(" l=%d;", len(canonical))
	}
	value := fmt.Sprintf(" v=1; a=rsa-sha256; c=relaxed/simple; d=%s; s=%s; t=%d;%s h=%s; bh=%s; b=",
		domain, s.Selector, o.at.Unix(), length, strings.Join(o.fields, ":"), base64.StdEncoding.EncodeToString(bh[:]))
	// relaxed header canonicalization: each listed field's next instance from the bottom, name
	// lower-cased, value unfolded with its white space collapsed; then the signature field itself.
	fields := readFields(msg)
	var data strings.Builder
	used := make([]bool, len(fields))
	for _, name := range o.fields {
		name = strings.ToLower(name)
		for i := len(fields) - 1; i >= 0; i-- {
			if fields[i].name == name && !used[i] {
				used[i] = true
				data.WriteString(name + ":" + fields[i].value() + "\r\n")
				break
			}
		}
	}
	data.WriteString("dkim-signature:" + strings.Join(strings.Fields(value), " "))
	digest := sha256.Sum256([]byte(data.String()))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, digest[:])
	if err != nil {
		return nil, err
	}
	return append([]byte("DKIM-Signature:"+value+base64.StdEncoding.EncodeToString(sig)+"\r\n"), msg...), nil
}

// headerValue is the value of the first field name (lower-case) in msg's header, "" when none.
func headerValue(msg []byte, name string) string {
	for _, f := range readFields(msg) {
		if f.name == name {
			return f.value()
		}
	}
	return ""
}
