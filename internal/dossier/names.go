package dossier

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SafeName turns a file name from outside (bestandsnaam, titel) into one that is safe in a zip
// and on any file system: no directories, no "..", no reserved characters, no control or
// invisible formatting characters (a right-to-left override makes "evil\u202Efdp.exe" look like
// a PDF), at most 100 characters, the extension kept.
func SafeName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base("/" + name)
	if name == "/" {
		name = ""
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.Is(unicode.Cf, r) || (unicode.IsControl(r) && !unicode.IsSpace(r)):
			// dropped: format characters (bidi overrides, zero-width) and controls show nothing
		case r == utf8.RuneError, strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Trim(strings.Join(strings.Fields(b.String()), " "), " .")
	for strings.Contains(s, "..") {
		s = strings.ReplaceAll(s, "..", ".")
	}
	if s == "" || s == "." {
		s = "document"
	}
	if r := []rune(s); len(r) > 100 {
		ext := path.Ext(s)
		if len([]rune(ext)) > 10 {
			ext = ""
		}
		s = string(r[:100-len([]rune(ext))]) + ext
	}
	return s
}

// documentPath is the path of the n-th document in the zip (from 1): documenten/NN-<safe name>.
// The number keeps names unique.
func documentPath(n int, name string) string {
	return fmt.Sprintf("documenten/%02d-%s", n, SafeName(name))
}
