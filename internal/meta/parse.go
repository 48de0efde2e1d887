// Package meta knows Meta's side of the objection: the objection form per platform, and the
// confirmation e-mails — parsed within strict limits, checked for authenticity (DKIM of a Meta
// sending domain), classified and matched to the accounts of a decision.
package meta

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode charsets other than UTF-8 and ASCII
)

// Limits bound what the parser accepts from outside.
type Limits struct {
	MaxSize      int64 // bytes of the whole message
	MaxHeaders   int   // header fields per entity
	MaxHeaderLen int   // bytes of one (unfolded) header field
	MaxDepth     int   // nesting of multiparts and embedded messages
	MaxParts     int   // entities in the whole message
	MaxText      int   // bytes of text kept for classification
}

// DefaultLimits are generous for real confirmation e-mails and tight for abuse.
func DefaultLimits() Limits {
	return Limits{MaxSize: 25 << 20, MaxHeaders: 500, MaxHeaderLen: 16 << 10, MaxDepth: 8, MaxParts: 200, MaxText: 256 << 10}
}

// ErrTooLarge is returned for a message over MaxSize.
var ErrTooLarge = errors.New("the message is larger than allowed")

// MalformedError explains why a message cannot be read.
type MalformedError struct{ Reason string }

func (e *MalformedError) Error() string { return "malformed e-mail: " + e.Reason }

func malformed(format string, args ...any) error {
	return &MalformedError{Reason: fmt.Sprintf(format, args...)}
}

// Message is what the connector reads from a confirmation e-mail.
type Message struct {
	// Raw is the message that is verified and stored: the original itself, or for a forward,
	// the original it carries as message/rfc822.
	Raw []byte
	// Forward is the forwarding message when Raw came out of one; nil otherwise.
	Forward []byte

	From       string   // address
	Recipients []string // the To addresses, lower-case
	Subject    string
	Date       time.Time
	MessageID  string
	Text       string // the readable text (plain, or HTML with tags removed), bounded
}

// Parse reads a message within limits. When the message forwards an original as a
// message/rfc822 attachment, the original is what Parse returns, with the forward kept beside it.
func Parse(raw []byte, lim Limits) (*Message, error) {
	if int64(len(raw)) > lim.MaxSize {
		return nil, ErrTooLarge
	}
	if err := checkHeaders(raw, lim); err != nil {
		return nil, err
	}
	// A forward (of a forward …) is unwrapped down to the innermost original, which is the
	// only part that can carry Meta's signature.
	current := raw
	for depth := 0; ; depth++ {
		w := &walker{lim: lim}
		m, err := w.read(bytes.NewReader(current), depth)
		if err != nil {
			if depth > 0 {
				return nil, fmt.Errorf("the forwarded original: %w", err)
			}
			return nil, err
		}
		if w.original == nil || depth >= lim.MaxDepth {
			m.Raw = current
			if depth > 0 {
				m.Forward = raw
			}
			return m, nil
		}
		current = w.original
	}
}

// checkHeaders bounds the top-level header before any parser sees it.
func checkHeaders(raw []byte, lim Limits) error {
	end := bodyStart(raw)
	if end < 0 {
		return malformed("no blank line ends the header")
	}
	count, field := 0, 0
	for _, line := range bytes.Split(raw[:end], []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			field += len(line)
		} else {
			if !bytes.Contains(line, []byte(":")) {
				return malformed("header line without a colon")
			}
			count++
			field = len(line)
		}
		if field > lim.MaxHeaderLen {
			return malformed("a header field is longer than %d bytes", lim.MaxHeaderLen)
		}
	}
	if count > lim.MaxHeaders {
		return malformed("%d header fields, at most %d allowed", count, lim.MaxHeaders)
	}
	if count == 0 {
		return malformed("no header fields")
	}
	return nil
}

// bodyStart is where the blank line that ends the header starts, or -1 when there is none. A
// line ends with LF or CRLF, as the MIME and DKIM readers see it; the last field keeps its line end.
func bodyStart(raw []byte) int {
	for start := 0; start < len(raw); {
		end := bytes.IndexByte(raw[start:], '\n')
		if end < 0 {
			return -1
		}
		if line := raw[start : start+end]; len(line) == 0 || (len(line) == 1 && line[0] == '\r') {
			return start
		}
		start += end + 1
	}
	return -1
}

// walker reads one message and its parts, counting entities and depth.
type walker struct {
	lim      Limits
	parts    int
	text     strings.Builder
	html     strings.Builder
	original []byte
}

func (w *walker) read(raw io.Reader, depth int) (*Message, error) {
	e, err := message.Read(raw)
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, malformed("%v", err)
	}
	m := &Message{}
	h := mail.Header(e.Header.Header.Map())
	from, err := mail.ParseAddress(decodeHeader(e.Header.Get("From")))
	if err != nil {
		return nil, malformed("no readable From address")
	}
	m.From = strings.ToLower(from.Address)
	// Only To: Meta writes to the account's address there and signs it. Cc, Delivered-To and
	// X-Original-To are never signed, so they never name a recipient here.
	if list, err := mail.ParseAddressList(decodeHeader(e.Header.Get("To"))); err == nil {
		for _, a := range list {
			m.Recipients = append(m.Recipients, strings.ToLower(a.Address))
		}
	}
	m.Subject = decodeHeader(e.Header.Get("Subject"))
	if d, err := h.Date(); err == nil {
		m.Date = d
	}
	m.MessageID = strings.Trim(strings.TrimSpace(e.Header.Get("Message-Id")), "<>")
	if err := w.walk(e, depth); err != nil {
		return nil, err
	}
	m.Text = w.text.String()
	if strings.TrimSpace(m.Text) == "" {
		m.Text = stripTags(w.html.String())
	}
	return m, nil
}

func (w *walker) walk(e *message.Entity, depth int) error {
	w.parts++
	if w.parts > w.lim.MaxParts {
		return malformed("more than %d MIME parts", w.lim.MaxParts)
	}
	if depth > w.lim.MaxDepth {
		return malformed("MIME nesting deeper than %d", w.lim.MaxDepth)
	}
	if mr := e.MultipartReader(); mr != nil {
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
				return malformed("broken multipart: %v", err)
			}
			if p == nil {
				return malformed("broken multipart")
			}
			if err := w.walk(p, depth+1); err != nil {
				return err
			}
		}
	}
	// Only what is used is kept: the forwarded original whole, of text parts what classification
	// reads (MaxText); the rest of every part is read through and dropped, so a large attachment
	// is never held a second time next to the raw message.
	ct, _, _ := e.Header.ContentType()
	body := io.LimitReader(e.Body, w.lim.MaxSize+1)
	var err error
	switch {
	case ct == "message/rfc822" && w.original == nil:
		var original []byte
		if original, err = io.ReadAll(body); err == nil {
			if err := checkHeaders(original, w.lim); err != nil {
				return err
			}
			w.original = original
		}
	case ct == "text/plain" || ct == "":
		err = w.append(&w.text, body)
	case ct == "text/html":
		err = w.append(&w.html, body)
	}
	if err == nil {
		_, err = io.Copy(io.Discard, body)
	}
	if err != nil {
		return malformed("unreadable body: %v", err)
	}
	return nil
}

// append adds the start of a text part to b, up to MaxText in all.
func (w *walker) append(b *strings.Builder, body io.Reader) error {
	room := w.lim.MaxText - b.Len()
	if room <= 0 {
		return nil
	}
	text, err := io.ReadAll(io.LimitReader(body, int64(room)))
	b.Write(text)
	b.WriteString("\n")
	return err
}

var dec = mime.WordDecoder{CharsetReader: message.CharsetReader}

func decodeHeader(v string) string {
	if s, err := dec.DecodeHeader(v); err == nil {
		return s
	}
	return v
}

var tags = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)

// stripTags turns HTML into text for classification only; it is never rendered.
func stripTags(html string) string {
	s := tags.ReplaceAllString(html, " ")
	for _, r := range [][2]string{{"&nbsp;", " "}, {"&amp;", "&"}, {"&#39;", "'"}, {"&rsquo;", "'"}, {"&quot;", `"`}, {"&lt;", "<"}, {"&gt;", ">"}} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return s
}
