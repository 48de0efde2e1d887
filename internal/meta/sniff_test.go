package meta

import (
	"os"
	"path/filepath"
	"testing"
)

func TestNotAMail(t *testing.T) {
	mails, err := filepath.Glob(filepath.Join("testdata", "mails", "*.eml"))
	if err != nil || len(mails) == 0 {
		t.Fatalf("no sample mails: %v", err)
	}
	for _, m := range mails {
		raw, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if kind := NotAMail(raw); kind != "" {
			t.Errorf("%s, an e-mail, is taken for %s", m, kind)
		}
	}
	for _, tc := range []struct {
		name string
		raw  string
		want string
	}{
		{"an Outlook .msg", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00", FileOutlookMsg},
		{"a PDF", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", FilePDF},
		{"a .docx", "PK\x03\x04\x14\x00\x06\x00", FileArchive},
		{"a screenshot", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", FileImage},
		{"a mail saved as a web page", "<!DOCTYPE html><html><body>Meta</body></html>", FileHTML},
		{"binary", "\x00\x01\x02\x03 not text", FileBinary},
		{"headers and a body", "From: Meta <noreply@facebookmail.com>\r\nSubject: x\r\n\r\nbody", ""},
		{"text that is no mail (left to the reading, and quarantined there)", "Dag,\nhierbij de bevestiging.\n", ""},
	} {
		if got := NotAMail([]byte(tc.raw)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
