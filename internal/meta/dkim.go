package meta

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Authenticity is the outcome of the DKIM check.
type Authenticity struct {
	Authentic      bool               `json:"authentic"`
	Domain         string             `json:"domain,omitempty"`   // d= of the signature that passed
	Selector       string             `json:"selector,omitempty"` // s= of that signature
	KeyFingerprint string             `json:"keyFingerprint,omitempty"`
	Platform       objection.Platform `json:"platform,omitempty"`
	Reason         string             `json:"reason"`
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
	keys := map[string][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, record, ok := strings.Cut(line, " ")
		if !ok || !strings.Contains(name, "._domainkey.") {
			return nil, fmt.Errorf("%s:%d: want \"<selector>._domainkey.<domain> <TXT record>\"", path, n)
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
		return nil, fmt.Errorf("no key %s in %s", name, path)
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
// what it reads from them.
var requiredSigned = []string{"from", "to", "subject"}

// Authenticate checks that msg carries a valid DKIM signature of a Meta sending domain which
// covers From, To, Subject and the whole body, and that the From domain aligns with it.
func Authenticate(msg *Message, senders Senders, lookup KeyLookup) Authenticity {
	fromPlatform, fromIsMeta := senders.platform(msg.FromDomain)
	if !fromIsMeta {
		return Authenticity{Reason: fmt.Sprintf("the sender domain %s is not a Meta sending domain", msg.FromDomain)}
	}
	var mu sync.Mutex
	seen := map[string]string{} // key name → record used
	opts := &dkim.VerifyOptions{MaxVerifications: 5, LookupTXT: func(name string) ([]string, error) {
		recs, err := lookup(name)
		if err == nil && len(recs) > 0 {
			mu.Lock()
			seen[strings.ToLower(name)] = strings.Join(recs, "")
			mu.Unlock()
		}
		return recs, err
	}}
	verifications, err := dkim.VerifyWithOptions(bytes.NewReader(msg.Raw), opts)
	if err != nil && !errors.Is(err, dkim.ErrTooManySignatures) {
		return Authenticity{Reason: "the DKIM signatures could not be read: " + err.Error()}
	}
	if len(verifications) == 0 {
		return Authenticity{Reason: "the message has no DKIM signature"}
	}
	selectors := selectorsOf(msg.Raw)
	reason := ""
	for _, v := range verifications {
		switch {
		case v.Err != nil:
			reason = fmt.Sprintf("the DKIM signature of %s does not verify: %v", v.Domain, v.Err)
		case !aligned(msg.FromDomain, v.Domain):
			reason = fmt.Sprintf("signed by %s, which does not align with the sender domain %s", v.Domain, msg.FromDomain)
		case !coversAll(v.HeaderKeys):
			reason = fmt.Sprintf("the signature of %s does not cover %s", v.Domain, strings.Join(requiredSigned, ", "))
		default:
			platform, ok := senders.platform(v.Domain)
			if !ok || platform != fromPlatform {
				reason = fmt.Sprintf("signed by %s, which is not a Meta sending domain", v.Domain)
				continue
			}
			a := Authenticity{Authentic: true, Domain: v.Domain, Platform: platform,
				Reason: fmt.Sprintf("valid DKIM signature of %s", v.Domain)}
			if sel, ok := selectors[strings.ToLower(v.Domain)]; ok {
				a.Selector = sel
				if rec, ok := seen[sel+"._domainkey."+strings.ToLower(v.Domain)]; ok {
					sum := sha256.Sum256([]byte(rec))
					a.KeyFingerprint = "sha256:" + hex.EncodeToString(sum[:])
				}
			}
			return a
		}
	}
	return Authenticity{Reason: reason}
}

// aligned is DMARC's relaxed alignment: the From domain is the signing domain or under it.
func aligned(fromDomain, signingDomain string) bool {
	f, s := strings.ToLower(fromDomain), strings.ToLower(signingDomain)
	return f == s || strings.HasSuffix(f, "."+s)
}

func coversAll(keys []string) bool {
	lower := make([]string, len(keys))
	for i, k := range keys {
		lower[i] = strings.ToLower(k)
	}
	for _, want := range requiredSigned {
		if !slices.Contains(lower, want) {
			return false
		}
	}
	return true
}

// selectorsOf reads the s= tag of each DKIM-Signature by d=, to record which key was used.
func selectorsOf(raw []byte) map[string]string {
	out := map[string]string{}
	end := headerEnd(raw)
	if end < 0 {
		return out
	}
	unfolded := strings.NewReplacer("\r\n\t", " ", "\r\n ", " ", "\n\t", " ", "\n ", " ").Replace(string(raw[:end]))
	for _, line := range strings.Split(unfolded, "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "DKIM-Signature") {
			continue
		}
		tags := map[string]string{}
		for _, kv := range strings.Split(value, ";") {
			k, v, _ := strings.Cut(kv, "=")
			tags[strings.TrimSpace(k)] = strings.Join(strings.Fields(v), "")
		}
		out[strings.ToLower(tags["d"])] = strings.ToLower(tags["s"])
	}
	return out
}
