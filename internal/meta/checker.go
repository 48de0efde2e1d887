package meta

import (
	"crypto/sha256"
	"encoding/hex"
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
// whether it is really from Meta (and by which key), what it says and which accounts it covers.
type Verdict struct {
	Authenticity
	Kind       Kind      `json:"kind"`
	MessageID  string    `json:"messageId,omitempty"`
	Subject    string    `json:"subject"`
	From       string    `json:"from"`
	ReceivedAt time.Time `json:"receivedAt"`
	Forwarded  bool      `json:"forwarded"`
	Match      Match     `json:"match"`
	SHA256     string    `json:"sha256"` // of the stored original
}

// Check parses a message and judges its authenticity and kind. Matching to accounts needs the
// decision and is done by the caller (MatchAccounts). A malformed or oversized message is an
// error (*MalformedError, ErrTooLarge); an inauthentic one is a Verdict with Authentic false.
func (c *Checker) Check(raw []byte) (*Message, Verdict, error) {
	msg, err := Parse(raw, c.Limits)
	if err != nil {
		return nil, Verdict{}, err
	}
	sum := sha256.Sum256(msg.Raw)
	v := Verdict{
		Authenticity: Authenticate(msg, c.Senders, c.Keys),
		Kind:         Classify(msg, c.Phrases),
		MessageID:    msg.MessageID,
		Subject:      msg.Subject,
		From:         msg.From,
		ReceivedAt:   msg.Date,
		Forwarded:    msg.Forward != nil,
		SHA256:       hex.EncodeToString(sum[:]),
	}
	return msg, v, nil
}

// Key identifies an e-mail for duplicate detection: the Message-ID of an authentic mail, else
// the hash of its bytes. Message-ID is not covered by Meta's signature, so a refused mail never
// claims one: a forgery carrying a genuine mail's Message-ID must not make the genuine mail look
// like its duplicate.
func (v Verdict) Key() string {
	if v.Authentic && v.MessageID != "" {
		return "mid:" + v.MessageID
	}
	return "sha256:" + v.SHA256
}
