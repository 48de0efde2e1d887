// Package webform reads multipart/form-data requests within bounds, for the API and the web
// console alike: text fields and files, each limited, unknown fields refused.
package webform

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Form is a multipart/form-data request read within bounds: its text fields and at most one
// file per name, each no larger than allowed.
type Form struct {
	Fields map[string]string
	Files  map[string]*objection.Upload
}

// maxField bounds a text field of a form; maxParts the parts of one form (or as many as it has
// fields, when it has more: a browser sends every field, also the empty ones).
const (
	maxField = 64 << 10
	maxParts = 20
)

// Read reads a multipart form whose files may be up to maxFile bytes each (and the whole
// body a little more). Unknown fields are refused, so that a typo is not silently ignored.
func Read(w http.ResponseWriter, r *http.Request, maxFile int64, fields, files []string) (*Form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFile*int64(max(len(files), 1))+int64(len(fields)+1)*maxField)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, objection.Errorf(objection.CodeInvalid, "the multipart form cannot be read: %v", err)
	}
	f := &Form{Fields: map[string]string{}, Files: map[string]*objection.Upload{}}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, formError(err, maxFile)
		}
		if limit := max(maxParts, len(fields)+len(files)); parts >= limit {
			return nil, objection.Errorf(objection.CodeInvalid, "the form has more than %d parts", limit)
		}
		name := p.FormName()
		switch {
		case slices.Contains(files, name) && p.FileName() != "":
			if f.Files[name] != nil {
				return nil, InvalidParam(name, "duplicate", "one file only")
			}
			data, err := io.ReadAll(io.LimitReader(p, maxFile+1))
			if err != nil {
				return nil, formError(err, maxFile)
			}
			if int64(len(data)) > maxFile {
				return nil, objection.Errorf(objection.CodeTooLarge, "the file %s is larger than %d bytes", name, maxFile)
			}
			f.Files[name] = &objection.Upload{Name: p.FileName(), Data: data}
		case slices.Contains(fields, name) || slices.Contains(files, name): // a file input left empty sends no file name
			v, err := io.ReadAll(io.LimitReader(p, maxField+1))
			if err != nil {
				return nil, formError(err, maxFile)
			}
			if len(v) > maxField {
				return nil, InvalidParam(name, "max_length", fmt.Sprintf("at most %d bytes", maxField))
			}
			if slices.Contains(fields, name) {
				f.Fields[name] = string(v)
			}
		default:
			return nil, InvalidParam(name, "unknown_field", "this field is not expected here")
		}
	}
}

func formError(err error, maxFile int64) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return objection.Errorf(objection.CodeTooLarge, "the upload is larger than allowed (files up to %d bytes)", maxFile)
	}
	return objection.Errorf(objection.CodeInvalid, "the multipart form cannot be read: %v", err)
}

// InvalidParam is the error of one bad field.
func InvalidParam(name, code, reason string) error {
	return &objection.Error{Code: objection.CodeInvalid, Message: name + ": " + reason, Params: []objection.Param{{Name: name, Code: code, Reason: reason}}}
}

// IsMultipart reports whether the request is a multipart form.
func IsMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// SafeName keeps an identifier (a zaak identificatie, a record id) safe for a download's file
// name: letters, digits, '-', '_' and '.'; anything else becomes '_'.
func SafeName(ident string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, ident)
}
