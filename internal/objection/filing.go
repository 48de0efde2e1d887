package objection

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Upload is a file sent with a request, read within its bound.
type Upload struct {
	Name string // as the sender called it; never used as a path
	Data []byte
}

// evidenceTypes are the kinds of evidence accepted, by the content sniffed (never the name or
// the sender's word): screenshots, PDFs, and e-mails a person checked.
var evidenceTypes = map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf", "message/rfc822": ".eml"}

// EvidenceType is the media type and file extension of evidence, by its content.
func EvidenceType(data []byte) (mediaType, ext string, ok bool) {
	mt := http.DetectContentType(data)
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	if mt == "text/plain" && looksLikeMail(data) {
		mt = "message/rfc822"
	}
	ext, ok = evidenceTypes[mt]
	return mt, ext, ok
}

func looksLikeMail(data []byte) bool {
	head := strings.ToLower(string(data[:min(len(data), 4096)]))
	return strings.Contains(head, "from:") && (strings.Contains(head, "\nsubject:") || strings.HasPrefix(head, "subject:"))
}

// DocumentType is the media type of a decision's document, by its content.
func DocumentType(data []byte) string {
	mt := http.DetectContentType(data)
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	return mt
}

// FilingRequest is what a person records after filing an objection in Meta's form.
type FilingRequest struct {
	At       time.Time // zero: now
	Channel  string
	Note     string
	Evidence *Upload // optional: Meta's receipt, a screenshot or PDF
}

// Validate checks a filing against the case; now is the time of the request.
func (f *FilingRequest) Validate(c *Case, now time.Time, maxEvidence int64) error {
	var v Invalid
	if f.At.IsZero() {
		f.At = now
	}
	decided, _ := time.ParseInLocation(time.DateOnly, c.Decision.DecidedOn, Amsterdam)
	switch {
	case f.At.After(now.Add(5 * time.Minute)):
		v.Add("filedAt", "in_future", "a filing cannot lie in the future")
	case f.At.Before(decided):
		v.Add("filedAt", "before_decision", "a filing cannot lie before the decision ("+c.Decision.DecidedOn+")")
	}
	if !slices.Contains(Channels, f.Channel) {
		v.Add("channel", "invalid_choice", "one of "+strings.Join(Channels, ", "))
	}
	note(&v, "note", f.Note, false)
	evidence(&v, "evidence", f.Evidence, maxEvidence, false)
	return v.Err()
}

// EvidenceRequest is a registrar's confirmation of an account by other evidence than Meta's mail.
type EvidenceRequest struct {
	Reason   string
	Evidence *Upload
}

// Validate checks an evidence confirmation.
func (r *EvidenceRequest) Validate(maxEvidence int64) error {
	var v Invalid
	note(&v, "reason", r.Reason, true)
	evidence(&v, "evidence", r.Evidence, maxEvidence, true)
	return v.Err()
}

// ValidReason checks a person's reason (why a case closes as not confirmed): required, at most
// 1000 characters, no hidden characters — as every free text recorded with a document.
func ValidReason(reason string) error {
	var v Invalid
	note(&v, "reason", reason, true)
	return v.Err()
}

// note checks a free text of at most 1000 characters without hidden characters.
func note(v *Invalid, name, text string, required bool) {
	switch {
	case strings.TrimSpace(text) == "" && required:
		v.Add(name, "required", "say why: it is recorded with the document and in the case's history")
	case utf8.RuneCountInString(text) > 1000:
		v.Add(name, "max_length", "at most 1000 characters")
	default:
		if i := strings.IndexFunc(text, func(r rune) bool { return r != '\n' && r != '\r' && r != '\t' && hidden(r) }); i >= 0 {
			v.Add(name, "invalid_characters", fmt.Sprintf("holds %U, a control or text-direction character", []rune(text[i:])[0]))
		}
	}
}

func evidence(v *Invalid, name string, u *Upload, max int64, required bool) {
	switch {
	case u == nil && required:
		v.Add(name, "required", "a screenshot, PDF or e-mail is required")
	case u == nil:
	case len(u.Data) == 0:
		v.Add(name, "empty", "the file is empty")
	case int64(len(u.Data)) > max:
		v.Add(name, "too_large", fmt.Sprintf("at most %d bytes", max))
	default:
		if _, _, ok := EvidenceType(u.Data); !ok {
			v.Add(name, "invalid_type", "a PNG or JPEG image, a PDF or an e-mail (.eml) is required")
		}
	}
}
