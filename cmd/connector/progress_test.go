package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
)

// On a terminal the export draws bars (documents, or bytes through the connector); elsewhere it
// prints a plain line per document and no bar.
func TestExportProgress(t *testing.T) {
	docs := []dossier.Progress{{Document: 1, Documents: 2, Name: "documenten/1-brief.txt", Bytes: 10, Done: true},
		{Document: 2, Documents: 2, Name: "documenten/2-mail.eml", Bytes: 20, Done: true}}

	var term bytes.Buffer
	bar := &progressBar{w: &term, tty: true}
	for _, pr := range docs {
		bar.document(pr)
	}
	bar.finish()
	if out := term.String(); !strings.Contains(out, "2/2") || !strings.Contains(out, "100%") {
		t.Errorf("the documents' bar on a terminal: %q", out)
	}

	term.Reset()
	bar = &progressBar{w: &term, tty: true}
	bar.bytesDone(1 << 20)
	bar.finish()
	if out := term.String(); !strings.Contains(out, "dossier ophalen") || !strings.Contains(out, "MB") {
		t.Errorf("the bytes' bar on a terminal: %q", out)
	}

	var log bytes.Buffer
	bar = &progressBar{w: &log}
	for _, pr := range docs {
		bar.document(pr)
	}
	bar.bytesDone(1 << 20)
	bar.finish()
	if want := "opgehaald: documenten/1-brief.txt (1 van 2, 10 bytes)\nopgehaald: documenten/2-mail.eml (2 van 2, 20 bytes)\n"; log.String() != want {
		t.Errorf("off a terminal: %q, want %q", log.String(), want)
	}
}
