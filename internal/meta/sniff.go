package meta

import (
	"bytes"
	"net/http"
	"strings"
)

// Kinds of file that are plainly no e-mail as received (NotAMail).
const (
	FileOutlookMsg = "outlook-msg" // Outlook's .msg: a compound file that keeps no signed original
	FilePDF        = "pdf"
	FileArchive    = "zip" // also an office document (.docx, .xlsx)
	FileImage      = "image"
	FileHTML       = "html" // a mail saved as a web page
	FileBinary     = "binary"
)

// oleMagic begins every OLE2 compound file, Outlook's .msg among them.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// NotAMail names what raw is when it is plainly no e-mail as received (RFC 5322, a .eml): an
// Outlook .msg, a PDF, an archive or office document, an image, a web page or other binary
// content; "" when it may be one. Such a file is refused at once, saying what was expected,
// rather than kept for review: it holds nothing Meta signed.
func NotAMail(raw []byte) string {
	head := raw[:min(len(raw), 1024)]
	if bytes.HasPrefix(head, oleMagic) {
		return FileOutlookMsg
	}
	switch kind := http.DetectContentType(head); {
	case kind == "application/pdf":
		return FilePDF
	case kind == "application/zip", kind == "application/x-gzip", kind == "application/x-rar-compressed":
		return FileArchive
	case strings.HasPrefix(kind, "image/"):
		return FileImage
	case strings.HasPrefix(kind, "text/html"), strings.HasPrefix(kind, "text/xml"):
		return FileHTML
	case !strings.HasPrefix(kind, "text/"):
		return FileBinary
	}
	return ""
}
