package meta

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
)

// Checker reads and judges confirmation e-mails.
type Checker struct {
	Limits  Limits
	Senders Senders
	Phrases Phrases
	Keys    KeyLookup
	// ClockSkew is how much later than its arrival a mail's signed Date may be: clocks differ.
	ClockSkew time.Duration
}

// Verdict is what the connector concluded about one e-mail, kept with it for the record:
// whether it is really from Meta (and by which key, over which fields), what it says and which
// accounts it covers. For an authentic mail every value here was read from the signed header
// instances and the signed body.
type Verdict struct {
	Authenticity
	Kind       Kind      `json:"kind"`
	Cues       []Cue     `json:"cues,omitempty"`      // the phrases of Meta's template that say the kind
	Doubt      string    `json:"doubt,omitempty"`     // why what it says is ambiguous
	DateDoubt  string    `json:"dateDoubt,omitempty"` // why its signed dates do not fit the objection
	MessageID  string    `json:"messageId,omitempty"` // never signed by Meta: shown, never used
	Subject    string    `json:"subject"`
	From       string    `json:"from"`
	Recipients []string  `json:"recipients,omitempty"` // the signed To
	ReceivedAt time.Time `json:"receivedAt"`           // the signed Date
	// TransferEncoding is the signed Content-Transfer-Encoding the body was decoded by; "" when
	// the body was read as it stands.
	TransferEncoding string `json:"transferEncoding,omitempty"`
	Forwarded        bool   `json:"forwarded"`
	Match            Match  `json:"match"`
	SHA256           string `json:"sha256"` // of the stored original
}

// SignedTo is the signed recipients as one line for a reason, "(none)" when the mail had none.
func (v Verdict) SignedTo() string {
	if len(v.Recipients) == 0 {
		return "(none)"
	}
	return strings.Join(v.Recipients, ", ")
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
	encoding := ""
	if auth.Authentic {
		view, enc, err := c.signedReading(msg.Raw, fields, signed)
		if err != nil {
			auth = Authenticity{Reason: err.Error()}
		} else {
			view.Raw, view.Forward, view.MessageID = msg.Raw, msg.Forward, msg.MessageID
			reading, encoding = view, enc
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
	r := Classify(reading, c.Phrases)
	v := Verdict{
		Authenticity:     auth,
		Kind:             r.Kind,
		Cues:             r.Cues,
		Doubt:            r.Doubt,
		MessageID:        reading.MessageID,
		Subject:          reading.Subject,
		From:             reading.From,
		Recipients:       reading.Recipients,
		ReceivedAt:       reading.Date,
		Forwarded:        msg.Forward != nil,
		SHA256:           hex.EncodeToString(sum[:]),
		TransferEncoding: encoding,
	}
	return reading, v, nil
}

// signedReading reads the message as its signature vouches for it: the signed header instances
// and the body, decoded only by a Content-Transfer-Encoding that is signed (a MIME part's own
// header is part of the signed body). Meta does not sign the top-level one, so an unsigned one
// is used only when it reads the body the same as no encoding does; otherwise the mail is refused
// as ambiguous, since anyone could have put it there. It returns the signed encoding used.
func (c *Checker) signedReading(raw []byte, fields []field, signed []bool) (*Message, string, error) {
	plain, err := (&walker{lim: c.Limits}).read(signedView(raw, fields, signed, false), 0)
	if err != nil {
		return nil, "", fmt.Errorf("the signed part of the message cannot be read: %w", err)
	}
	cte, isSigned, present := transferEncoding(fields, signed)
	switch {
	case !present || isEncodingIdentity(cte):
		return plain, "", nil
	case isSigned: // the signed view holds it: plain was decoded by it
		return plain, cte, nil
	}
	decoded, err := (&walker{lim: c.Limits}).read(signedView(raw, fields, signed, true), 0)
	if err != nil || decoded.Text != plain.Text {
		return nil, "", fmt.Errorf("refused as ambiguous: the Content-Transfer-Encoding %q is not signed, and it changes how the signed body reads; "+
			"anyone could have added it, so the body is not read either way", cte)
	}
	return plain, "", nil
}

// transferEncoding is the top-level Content-Transfer-Encoding (lower-case), whether the signature
// covers it, and whether there is one. A repeated one is refused before this is asked.
func transferEncoding(fields []field, signed []bool) (value string, isSigned, present bool) {
	for i, f := range fields {
		if f.name == "content-transfer-encoding" {
			value, isSigned, present = strings.ToLower(strings.TrimSpace(f.value())), signed[i], true
		}
	}
	return value, isSigned, present
}

// isEncodingIdentity: 7bit, 8bit and binary say how the body was sent, not how to decode it.
func isEncodingIdentity(cte string) bool {
	return cte == "7bit" || cte == "8bit" || cte == "binary"
}

// signedView rebuilds the message from the signed header instances and the body: what the
// signature vouches for, and nothing a forger could have added — but for an unsigned
// Content-Transfer-Encoding when withEncoding asks for it (signedReading decides over it). The
// body is read where it stands, not copied: a mail may be tens of megabytes.
func signedView(raw []byte, fields []field, signed []bool, withEncoding bool) io.Reader {
	var b bytes.Buffer
	for i, f := range fields {
		if (signed != nil && signed[i]) || (withEncoding && f.name == "content-transfer-encoding") {
			b.Write(f.raw)
		}
	}
	return io.MultiReader(&b, bytes.NewReader(raw[bodyStart(raw):]))
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
		case "From", "To", "Subject":
			fmt.Fprintf(&b, " %s: %s.", sv.Field, sv.Value)
		}
	}
	if !v.ReceivedAt.IsZero() {
		fmt.Fprintf(&b, " Ondertekende datum: %s", moment(v.ReceivedAt))
		if v.SignedAt != nil {
			fmt.Fprintf(&b, " (handtekening gezet %s)", moment(*v.SignedAt))
		}
		b.WriteString(".")
	}
	if len(v.Unsigned) > 0 {
		fmt.Fprintf(&b, " Niet ondertekend en niet gebruikt: %s.", strings.Join(v.Unsigned, ", "))
	}
	return b.String()
}
