package meta

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Authenticity is the outcome of the DKIM check, kept with every e-mail as the evidence of what
// was checked: which key signed it, which header fields it covers and the values read from them.
type Authenticity struct {
	Authentic      bool               `json:"authentic"`
	Domain         string             `json:"domain,omitempty"`   // d= of the signature that passed
	Selector       string             `json:"selector,omitempty"` // s= of that signature
	KeyFingerprint string             `json:"keyFingerprint,omitempty"`
	Platform       objection.Platform `json:"platform,omitempty"`
	Reason         string             `json:"reason"`
	// SignedHeaders is the signature's h= list as written.
	SignedHeaders []string `json:"signedHeaders,omitempty"`
	// SignedValues are the signed header instances the connector read, and nothing else.
	SignedValues []SignedValue `json:"signedValues,omitempty"`
	// SignedAt is the signature's own time (t=), when it has one.
	SignedAt *time.Time `json:"signedAt,omitempty"`
	// Unsigned names the header fields present but not covered: never used to decide.
	Unsigned []string `json:"unsigned,omitempty"`
	// Signature identifies what the signature that passed vouches for: SHA-256 of its domain,
	// the signed header instances and its body hash (bh=). The same signed content is the same
	// mail, whatever unsigned headers were changed or added — also when it was signed again.
	Signature string `json:"signature,omitempty"`
}

// SignedValue is one signed header field and the value read from it (RFC 2047 decoded).
type SignedValue struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// KeyLookup returns the TXT records of a DKIM key name (<selector>._domainkey.<domain>).
type KeyLookup func(name string) ([]string, error)

// DNSKeys looks keys up in DNS.
func DNSKeys(name string) ([]string, error) { return net.LookupTXT(name) }

// FileKeys reads META_DKIM_KEYS_FILE: lines "<selector>._domainkey.<domain> <TXT record>".
func FileKeys(path string) (KeyLookup, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readKeys(f, path)
}

// readKeys reads key lines (see FileKeys) from r; source says where they come from, in errors.
func readKeys(r io.Reader, source string) (KeyLookup, error) {
	keys := map[string][]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, record, ok := strings.Cut(line, " ")
		if !ok || !strings.Contains(name, "._domainkey.") {
			return nil, fmt.Errorf("%s:%d: want \"<selector>._domainkey.<domain> <TXT record>\"", source, n)
		}
		name = strings.ToLower(strings.TrimSuffix(name, "."))
		keys[name] = append(keys[name], strings.TrimSpace(record))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return func(name string) ([]string, error) {
		if recs, ok := keys[strings.ToLower(strings.TrimSuffix(name, "."))]; ok {
			return recs, nil
		}
		return nil, fmt.Errorf("no key %s in %s", name, source)
	}, nil
}

// Senders maps Meta's sending domains to their platform (facebookmail.com → facebook).
type Senders map[string]objection.Platform

// DefaultSenders are the domains seen in Meta's objection mails (notes/meta.md).
func DefaultSenders() Senders {
	return Senders{"facebookmail.com": objection.Facebook, "mail.instagram.com": objection.Instagram}
}

// platform returns the platform of a domain that is, or lies under, a Meta sending domain.
func (s Senders) platform(domain string) (objection.Platform, bool) {
	domain = strings.ToLower(domain)
	for d, p := range s {
		if domain == d || strings.HasSuffix(domain, "."+d) {
			return p, true
		}
	}
	return "", false
}

// requiredSigned are the header fields a Meta signature must cover for the connector to trust
// what it reads from them: who sent it, to whom, what it says, when, and how to read the body.
// Meta signs all of them (h=Date:To:Subject:From:MIME-Version:Content-Type).
var requiredSigned = []string{"from", "to", "subject", "date", "content-type"}

// maxSignatures bounds the DKIM verifications (each may cost a key lookup) per message.
const maxSignatures = 5

// authenticate checks that the message carries a valid DKIM signature of a Meta sending domain
// which covers the required fields and the whole body, and whose signed From aligns with it. It
// returns which header instances that signature covers (RFC 6376 §5.4.2): only those count.
func authenticate(raw []byte, fields []field, senders Senders, lookup KeyLookup) (Authenticity, []bool) {
	var mu sync.Mutex
	seen := map[string]string{} // key name → record used
	opts := &dkim.VerifyOptions{MaxVerifications: maxSignatures, LookupTXT: func(name string) ([]string, error) {
		recs, err := lookup(name)
		if err == nil && len(recs) > 0 {
			mu.Lock()
			seen[strings.ToLower(name)] = strings.Join(recs, "")
			mu.Unlock()
		}
		return recs, err
	}}
	// A plain reader, without WriterTo: the verifier then hashes the body in small writes instead
	// of one write of the whole message, which its canonicalizers would copy twice.
	verifications, err := dkim.VerifyWithOptions(struct{ io.Reader }{bytes.NewReader(raw)}, opts)
	if err != nil && !errors.Is(err, dkim.ErrTooManySignatures) {
		return Authenticity{Reason: "the DKIM signatures could not be read: " + err.Error()}, nil
	}
	if len(verifications) == 0 {
		return Authenticity{Reason: "the message has no DKIM signature"}, nil
	}
	// The library verifies the DKIM-Signature fields in the order they stand: read their tags
	// (selector, b=) in the same order.
	var tags []map[string]string
	for _, f := range fields {
		if f.name == "dkim-signature" {
			tags = append(tags, tagList(f.value()))
		}
	}
	reason := ""
	for i, v := range verifications {
		signed := signedInstances(fields, v.HeaderKeys)
		from, _ := bottomSigned(fields, signed, "from")
		fromDomain := addressDomain(from)
		fromPlatform, fromIsMeta := senders.platform(fromDomain)
		switch {
		case v.Err != nil && strings.Contains(v.Err.Error(), "body length"):
			reason = fmt.Sprintf("the signature of %s covers only part of the body (l=); such signatures are refused", v.Domain)
		case v.Err != nil:
			reason = fmt.Sprintf("the DKIM signature of %s does not verify: %v", v.Domain, v.Err)
		case !coversAll(v.HeaderKeys):
			reason = fmt.Sprintf("the signature of %s does not cover %s", v.Domain, strings.Join(requiredSigned, ", "))
		case !fromIsMeta:
			reason = fmt.Sprintf("the signed sender domain %s is not a Meta sending domain", fromDomain)
		case !aligned(fromDomain, v.Domain):
			reason = fmt.Sprintf("signed by %s, which does not align with the sender domain %s", v.Domain, fromDomain)
		default:
			platform, ok := senders.platform(v.Domain)
			if !ok || platform != fromPlatform {
				reason = fmt.Sprintf("signed by %s, which is not a Meta sending domain", v.Domain)
				continue
			}
			a := Authenticity{Authentic: true, Domain: v.Domain, Platform: platform,
				Reason: fmt.Sprintf("valid DKIM signature of %s", v.Domain), SignedHeaders: v.HeaderKeys}
			if i < len(tags) {
				a.Selector = strings.ToLower(tags[i]["s"])
				if rec, ok := seen[a.Selector+"._domainkey."+strings.ToLower(v.Domain)]; ok {
					sum := sha256.Sum256([]byte(rec))
					a.KeyFingerprint = "sha256:" + hex.EncodeToString(sum[:])
				}
				a.Signature = signedContentID(v.Domain, tags[i]["bh"], fields, signed)
				if t, err := strconv.ParseInt(tags[i]["t"], 10, 64); err == nil {
					at := time.Unix(t, 0).UTC()
					a.SignedAt = &at
				}
			}
			a.describe(fields, signed)
			return a, signed
		}
	}
	if reason == "" {
		reason = "no DKIM signature of a Meta sending domain"
	}
	return Authenticity{Reason: reason}, nil
}

// describe records the signed values read and the unsigned fields ignored.
func (a *Authenticity) describe(fields []field, signed []bool) {
	for i, f := range fields {
		switch {
		case f.name == "dkim-signature":
		case signed[i]:
			a.SignedValues = append(a.SignedValues, SignedValue{Field: canonicalName(f.name), Value: decodeHeader(f.value())})
		case !slices.Contains(a.Unsigned, canonicalName(f.name)):
			a.Unsigned = append(a.Unsigned, canonicalName(f.name))
		}
	}
}

func addressDomain(header string) string {
	addr, err := mail.ParseAddress(decodeHeader(header))
	if err != nil {
		return ""
	}
	return strings.ToLower(addr.Address[strings.LastIndex(addr.Address, "@")+1:])
}

// aligned is DMARC's relaxed alignment: the From domain is the signing domain or under it.
func aligned(fromDomain, signingDomain string) bool {
	f, s := strings.ToLower(fromDomain), strings.ToLower(signingDomain)
	return f != "" && (f == s || strings.HasSuffix(f, "."+s))
}

func coversAll(keys []string) bool {
	lower := make([]string, len(keys))
	for i, k := range keys {
		lower[i] = strings.ToLower(strings.TrimSpace(k))
	}
	for _, want := range requiredSigned {
		if !slices.Contains(lower, want) {
			return false
		}
	}
	return true
}

// signedContentID names what a signature covers: its domain, the signed header instances (name
// and value, in order) and the body hash.
func signedContentID(domain, bh string, fields []field, signed []bool) string {
	h := sha256.New()
	fmt.Fprintf(h, "d=%s\x00bh=%s\x00", strings.ToLower(domain), bh)
	for i, f := range fields {
		if signed[i] {
			fmt.Fprintf(h, "%s:%s\x00", f.name, f.value())
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// SignatureKey is the duplicate key (Verdict.Key) of a mail that was found authentic before,
// by the first signature of domain it carries; "" when it has none. It re-verifies nothing:
// it serves to re-key mails stored under an older key (a migration).
func SignatureKey(raw []byte, domain string) string {
	fields := readFields(raw)
	for _, f := range fields {
		if f.name != "dkim-signature" {
			continue
		}
		if tags := tagList(f.value()); strings.EqualFold(tags["d"], domain) && tags["bh"] != "" {
			signed := signedInstances(fields, strings.Split(tags["h"], ":"))
			return Verdict{Authenticity: Authenticity{Authentic: true, Signature: signedContentID(domain, tags["bh"], fields, signed)}}.Key()
		}
	}
	return ""
}

// tagList reads a DKIM-Signature's tags (RFC 6376 §3.2), white space removed from values.
func tagList(value string) map[string]string {
	tags := map[string]string{}
	for _, kv := range strings.Split(value, ";") {
		k, v, _ := strings.Cut(kv, "=")
		tags[strings.TrimSpace(k)] = strings.Join(strings.Fields(v), "")
	}
	return tags
}
