package meta

import (
	"bytes"
	"fmt"
	"strings"
)

// field is one header field as it stands in a message: its name as written, and the raw lines
// (folding and line ends kept) so that a view of chosen fields can be rebuilt byte for byte.
type field struct {
	name string // lower-case, trimmed: how DKIM and the MIME parser both compare names
	raw  []byte
}

// value is the field's unfolded value, not yet decoded.
func (f field) value() string {
	_, v, _ := strings.Cut(string(f.raw), ":")
	return strings.Join(strings.Fields(v), " ")
}

// readFields splits the top-level header of a message into its fields, top to bottom. checkHeaders
// has bounded their number and length.
func readFields(raw []byte) []field {
	end := bodyStart(raw)
	if end < 0 {
		return nil
	}
	var out []field
	for _, line := range bytes.SplitAfter(raw[:end], []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].raw = append(out[len(out)-1].raw, line...)
			continue
		}
		name, _, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		out = append(out, field{name: strings.ToLower(strings.TrimSpace(string(name))), raw: bytes.Clone(line)})
	}
	return out
}

// singletons are the fields RFC 5322 (§3.6) and RFC 2045 allow at most once. A second instance is
// how a forger puts his own Subject or To above the signed one, so a repeat is refused.
var singletons = []string{"from", "sender", "reply-to", "to", "cc", "bcc", "subject", "date", "message-id",
	"in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding"}

// repeated names the singleton fields that appear more than once, with their count.
func repeated(fields []field) map[string]int {
	count := map[string]int{}
	for _, f := range fields {
		count[f.name]++
	}
	out := map[string]int{}
	for _, name := range singletons {
		if count[name] > 1 {
			out[name] = count[name]
		}
	}
	return out
}

// signedInstances marks which fields a signature with header list h covers. RFC 6376 §5.4.2: each
// listing of a name in h= signs the next instance of that field counted from the bottom; a listing
// with no instance left signs the field's absence (over-signing).
func signedInstances(fields []field, h []string) []bool {
	signed := make([]bool, len(fields))
	for _, name := range h {
		name = strings.ToLower(strings.TrimSpace(name))
		for i := len(fields) - 1; i >= 0; i-- {
			if fields[i].name == name && !signed[i] {
				signed[i] = true
				break
			}
		}
	}
	return signed
}

// bottomSigned returns the value of the signed instance of name that a reader is to use: the
// bottom-most, which is the one the first listing in h= covers.
func bottomSigned(fields []field, signed []bool, name string) (string, bool) {
	for i := len(fields) - 1; i >= 0 && i < len(signed); i-- {
		if fields[i].name == name && signed[i] {
			return fields[i].value(), true
		}
	}
	return "", false
}

// canonicalName writes a field name as mail usually does (Message-Id → Message-ID aside).
func canonicalName(name string) string {
	parts := strings.Split(name, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	s := strings.Join(parts, "-")
	return strings.NewReplacer("Message-Id", "Message-ID", "Mime-Version", "MIME-Version").Replace(s)
}

// describeRepeats says which singleton fields repeat and what the signed instance says, for the
// refusal's reason.
func describeRepeats(fields []field, signed []bool, reps map[string]int) string {
	var parts []string
	for _, name := range singletons {
		n, ok := reps[name]
		if !ok {
			continue
		}
		s := fmt.Sprintf("%s appears %d times (RFC 5322 allows one)", canonicalName(name), n)
		if v, ok := bottomSigned(fields, signed, name); ok {
			s += fmt.Sprintf("; only the bottom-most instance is signed, and it says %q — the others were ignored", decodeHeader(v))
		} else {
			s += "; none of them is signed"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ". ")
}
