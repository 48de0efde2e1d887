package webform

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

func TestReadKeepsWithinBounds(t *testing.T) {
	type part struct{ name, file, value string }
	body := func(parts ...part) (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for _, p := range parts {
			if p.file != "" {
				fw, _ := mw.CreateFormFile(p.name, p.file)
				fw.Write([]byte(p.value))
			} else {
				mw.WriteField(p.name, p.value)
			}
		}
		mw.Close()
		return &b, mw.FormDataContentType()
	}
	many := func(n int) []part {
		var ps []part
		for i := range n {
			ps = append(ps, part{name: fmt.Sprintf("f%d", i)})
		}
		return ps
	}
	fields := []string{"note"}
	for i := range 30 {
		fields = append(fields, fmt.Sprintf("f%d", i))
	}
	for _, tc := range []struct {
		name  string
		parts []part
		code  objection.Code // "" : read
	}{
		{"fields and a file", []part{{name: "note", value: "x"}, {name: "doc", file: "a.pdf", value: "%PDF"}}, ""},
		{"an empty file input", []part{{name: "doc", file: "", value: ""}}, ""},
		{"as many parts as the form has fields", many(30), ""},
		{"more parts than the form has fields", append(many(30), many(3)...), objection.CodeInvalid},
		{"an unknown field", []part{{name: "other", value: "x"}}, objection.CodeInvalid},
		{"two files under one name", []part{{name: "doc", file: "a", value: "1"}, {name: "doc", file: "b", value: "2"}}, objection.CodeInvalid},
		{"a file too large", []part{{name: "doc", file: "a", value: strings.Repeat("x", 1025)}}, objection.CodeTooLarge},
		{"a field too long", []part{{name: "note", value: strings.Repeat("x", maxField+1)}}, objection.CodeInvalid},
	} {
		b, ct := body(tc.parts...)
		r := httptest.NewRequest("POST", "/", b)
		r.Header.Set("Content-Type", ct)
		f, err := Read(httptest.NewRecorder(), r, 1024, fields, []string{"doc"})
		if got := objection.CodeOf(err); got != tc.code {
			t.Errorf("%s: code %q (%v), want %q", tc.name, got, err, tc.code)
		}
		if tc.code == "" && tc.name == "fields and a file" && (f.Fields["note"] != "x" || f.Files["doc"] == nil || string(f.Files["doc"].Data) != "%PDF") {
			t.Errorf("%s: read %+v", tc.name, f)
		}
	}
	if IsMultipart(&http.Request{Header: http.Header{"Content-Type": {"application/json"}}}) {
		t.Error("JSON taken for a form")
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{"ZAAK-2025-0000000001": "ZAAK-2025-0000000001", "../../etc/passwd": ".._.._etc_passwd", "a b\"c\r\n": "a_b_c__", "zaak.é": "zaak._"} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}
