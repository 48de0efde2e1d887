// Package documents builds the informatieobjecten the connector stores: objection letters from
// templates, the e-mail as-is, their checksums and deterministic identificaties.
package documents

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

//go:embed templates
var templates embed.FS

// Letters renders objection letters.
type Letters struct {
	Municipality string
	tmpl         *template.Template
}

// NewLetters uses the template in path, or the embedded Dutch letter when path is empty.
func NewLetters(municipality, path string) (*Letters, error) {
	text, err := templates.ReadFile("templates/bezwaar.nl.txt.tmpl")
	if err != nil {
		return nil, err
	}
	if path != "" {
		if text, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("letter template: %w", err)
		}
	}
	tmpl, err := template.New("letter").Option("missingkey=error").Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("letter template: %w", err)
	}
	return &Letters{Municipality: municipality, tmpl: tmpl}, nil
}

// LetterData is what a template can use.
type LetterData struct {
	Municipality, Date, Reference, Title, DecidedOn, Deadline string
	PlatformName, AccountName, AccountURL                     string
}

// Render writes the letter for one account. A decision's own objectionText replaces the
// template: the municipality's legal department may have worded it.
func (l *Letters) Render(d objection.Decision, a objection.Account, today time.Time) ([]byte, error) {
	if strings.TrimSpace(d.ObjectionText) != "" {
		return []byte(strings.TrimSpace(d.ObjectionText) + "\n"), nil
	}
	var buf bytes.Buffer
	err := l.tmpl.Execute(&buf, LetterData{
		Municipality: l.Municipality, Date: dutchDate(today.Format(time.DateOnly)), Reference: d.Reference, Title: d.Title,
		DecidedOn: dutchDate(d.DecidedOn), Deadline: dutchDate(d.Deadline),
		PlatformName: platformName(a.Platform), AccountName: a.Name, AccountURL: a.URL,
	})
	return buf.Bytes(), err
}

func platformName(p objection.Platform) string {
	if p == objection.Instagram {
		return "Instagram"
	}
	return "Facebook"
}

var months = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// dutchDate writes 2025-05-13 as "13 mei 2025".
func dutchDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// Integriteit is the sha_256 checksum of content as the Documenten API records it.
func Integriteit(content []byte, day string) *zgw.Integriteit {
	sum := sha256.Sum256(content)
	return &zgw.Integriteit{Algoritme: "sha_256", Waarde: hex.EncodeToString(sum[:]), Datum: day}
}

// Identificatie makes the deterministic identificatie of a document of a decision (at most 40
// characters, unique per bronorganisatie): looking it up finds a document created by an
// attempt whose answer was lost. kind is e.g. "L1" (letter of account 1) or "C" + a hash.
func Identificatie(reference, kind string) string {
	sum := sha256.Sum256([]byte(reference))
	return "MBZ-" + strings.ToLower(base32.StdEncoding.EncodeToString(sum[:])[:16]) + "-" + kind
}

var unsafeName = regexp.MustCompile(`[^a-z0-9]+`)

// FileName makes a safe file name from free text.
func FileName(parts ...string) string {
	s := unsafeName.ReplaceAllString(strings.ToLower(strings.Join(parts, "-")), "-")
	s = strings.Trim(s, "-")
	if len(s) > 80 {
		s = strings.Trim(s[:80], "-")
	}
	if s == "" {
		s = "document"
	}
	return s
}

// ShortHash is a short hex hash for identificaties.
func ShortHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:12]
}
