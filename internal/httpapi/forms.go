package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// form is a multipart/form-data request read within bounds: its text fields and at most one
// file per name, each no larger than allowed.
type form struct {
	fields map[string]string
	files  map[string]*objection.Upload
}

// maxField bounds a text field of a form; maxParts the parts of one form.
const (
	maxField = 64 << 10
	maxParts = 20
)

// readForm reads a multipart form whose files may be up to maxFile bytes each (and the whole
// body a little more). Unknown fields are refused, so that a typo is not silently ignored.
func readForm(w http.ResponseWriter, r *http.Request, maxFile int64, fields, files []string) (*form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFile*int64(max(len(files), 1))+int64(len(fields)+1)*maxField)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, objection.Errorf(objection.CodeInvalid, "the multipart form cannot be read: %v", err)
	}
	f := &form{fields: map[string]string{}, files: map[string]*objection.Upload{}}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, formError(err, maxFile)
		}
		if parts >= maxParts {
			return nil, objection.Errorf(objection.CodeInvalid, "the form has more than %d parts", maxParts)
		}
		name := p.FormName()
		switch {
		case slices.Contains(files, name) && p.FileName() != "":
			if f.files[name] != nil {
				return nil, invalidParam(name, "duplicate", "one file only")
			}
			data, err := io.ReadAll(io.LimitReader(p, maxFile+1))
			if err != nil {
				return nil, formError(err, maxFile)
			}
			if int64(len(data)) > maxFile {
				return nil, objection.Errorf(objection.CodeTooLarge, "the file %s is larger than %d bytes", name, maxFile)
			}
			f.files[name] = &objection.Upload{Name: p.FileName(), Data: data}
		case slices.Contains(fields, name) || slices.Contains(files, name): // a file input left empty sends no file name
			v, err := io.ReadAll(io.LimitReader(p, maxField+1))
			if err != nil {
				return nil, formError(err, maxFile)
			}
			if len(v) > maxField {
				return nil, invalidParam(name, "max_length", fmt.Sprintf("at most %d bytes", maxField))
			}
			if slices.Contains(fields, name) {
				f.fields[name] = string(v)
			}
		default:
			return nil, invalidParam(name, "unknown_field", "this field is not expected here")
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

func invalidParam(name, code, reason string) error {
	return &objection.Error{Code: objection.CodeInvalid, Message: name + ": " + reason, Params: []objection.Param{{Name: name, Code: code, Reason: reason}}}
}

// isMultipart reports whether the request is a multipart form.
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}
