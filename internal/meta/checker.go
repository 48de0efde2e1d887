package meta

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Checker reads and judges confirmation e-mails.
type Checker struct {
	Limits  Limits
	Senders Senders
	Phrases Phrases
	Keys    KeyLookup
}

// Verdict is what the connector concluded about one e-mail, kept with it for the record:
// whether it is really from Meta (and by which key, over which fields), what it says and which
// accounts it covers. For an authentic mail every value here was read from the signed header
// instances and the signed body.
type Verdict struct {
	Authenticity
	Kind       Kind      `json:"kind"`
	MessageID  string    `json:"messageId,omitempty"` // never signed by Meta: shown, never used
	Subject    string    `json:"subject"`
	From       string    `json:"from"`
	Recipients []string  `json:"recipients,omitempty"` // the signed To
	ReceivedAt time.Time `json:"receivedAt"`
	Forwarded  bool      `json:"forwarded"`
	Match      Match     `json:"match"`
	SHA256     string    `json:"sha256"` // of the stored original
}

// Check parses a message and judges its authenticity and kind. Matching to accounts needs the
// decision and is done by the caller (MatchAccounts). A malformed or oversized message is an
// error (*MalformedError, ErrTooLarge); an inauthentic or ambiguous one is a Verdict with
// Authentic false and the reason.
//
// The Message returned for an authentic mail is the signed reading: its From, To, Subject, Date
// and text come only from the header instances the signature covers and the body it covers, so
// that whatever a forger adds above them is never read. Raw and Forward are the bytes received.
func (c *Checker) Check(raw []byte) (*Message, Verdict, error) {
	msg, err := Parse(raw, c.Limits)
	if err != nil {
		return nil, Verdict{}, err
	}
	fields := readFields(msg.Raw)
	auth, signed := authenticate(msg.Raw, fields, c.Senders, c.Keys)
	reading := msg
	if auth.Authentic {
		view, err := (&walker{lim: c.Limits}).read(signedView(msg.Raw, fields, signed), 0)
		if err != nil {
			auth = Authenticity{Reason: "the signed part of the message cannot be read: " + err.Error()}
		} else {
			view.Raw, view.Forward, view.MessageID = msg.Raw, msg.Forward, msg.MessageID
			reading = view
		}
	}
	if reps := repeated(fields); len(reps) > 0 {
		if auth.Authentic {
			auth.Authentic, auth.Reason = false, "refused as ambiguous: "+describeRepeats(fields, signed, reps)
		} else {
			auth.Reason += "; also ambiguous: " + describeRepeats(fields, signed, reps)
		}
	}
	sum := sha256.Sum256(msg.Raw)
	v := Verdict{
		Authenticity: auth,
		Kind:         Classify(reading, c.Phrases),
		MessageID:    reading.MessageID,
		Subject:      reading.Subject,
		From:         reading.From,
		Recipients:   reading.Recipients,
		ReceivedAt:   reading.Date,
		Forwarded:    msg.Forward != nil,
		SHA256:       hex.EncodeToString(sum[:]),
	}
	return reading, v, nil
}

// signedView rebuilds the message from the signed header instances and the body: what the
// signature vouches for, and nothing a forger could have added. Content-Transfer-Encoding is
// kept when it stands once: Meta does not sign it, and it only says how to decode the signed body.
func signedView(raw []byte, fields []field, signed []bool) []byte {
	var b bytes.Buffer
	for i, f := range fields {
		if (signed != nil && signed[i]) || f.name == "content-transfer-encoding" {
			b.Write(f.raw)
		}
	}
	b.Write(raw[bodyStart(raw):])
	return b.Bytes()
}

// Key identifies an e-mail for duplicate detection: the signature of an authentic mail (the same
// signature is the same signed headers and body, whatever unsigned headers were changed), else
// the hash of its bytes. A refused mail never claims a signature: a tampered copy must not make
// the genuine mail look like its duplicate.
func (v Verdict) Key() string {
	if v.Authentic && v.Signature != "" {
		return "dkim:" + v.Signature
	}
	return "sha256:" + v.SHA256
}

// Summary says in one paragraph (Dutch, for the document's beschrijving in the zaaksysteem) what
// was checked and read: the signature, its key, the signed fields and the values used. It keeps
// the evidence with the document where the connector's own records do not reach.
func (v Verdict) Summary() string {
	if !v.Authentic {
		return fmt.Sprintf("Echtheid niet vastgesteld: %s.", v.Reason)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Echt: geldige DKIM-handtekening van %s (selector %s, sleutel %s), ondertekende velden %s.",
		v.Domain, v.Selector, v.KeyFingerprint, strings.Join(v.SignedHeaders, ":"))
	for _, sv := range v.SignedValues {
		switch sv.Field {
		case "From", "To", "Subject", "Date":
			fmt.Fprintf(&b, " %s: %s.", sv.Field, sv.Value)
		}
	}
	if len(v.Unsigned) > 0 {
		fmt.Fprintf(&b, " Niet ondertekend en niet gebruikt: %s.", strings.Join(v.Unsigned, ", "))
	}
	return b.String()
}
