package documenten

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// Document content: inline base64, bestandsdelen streamed to disk and merged, downloads.

// contentOf reads how a create or update brings content: inline base64 in inhoud, or an
// announced bestandsomvang to be sent in bestandsdelen.
func (s *API) contentOf(v *core.Validation, d core.Doc) (content []byte, size int64, chunked bool) {
	if raw, ok := d["inhoud"].(string); ok && raw != "" {
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			v.Add("inhoud", "invalid", "inhoud is geen geldige base64.")
			return nil, 0, false
		}
		return b, int64(len(b)), false
	}
	if n, present := d["bestandsomvang"]; present && n != nil {
		size, err := strconv.ParseInt(fmt.Sprint(n), 10, 64)
		if err != nil || size < 0 {
			v.Add("bestandsomvang", "invalid", "bestandsomvang moet een niet-negatief geheel getal zijn.")
			return nil, 0, false
		}
		return nil, size, size > 0
	}
	return nil, 0, false
}

// setContent stores inline content, or prepares bestandsdelen and locks the document.
func (s *API) setContent(ctx context.Context, id string, e *EnkelvoudigInformatieObject, content []byte, size int64, chunked bool) error {
	if !chunked {
		if content == nil && e.Bestandsomvang == nil {
			return nil
		}
		if err := os.WriteFile(s.contentPath(id), content, 0o600); err != nil {
			return err
		}
		e.Bestandsomvang = &size
		return nil
	}
	e.Bestandsomvang = &size
	e.Locked, e.LockID = true, newLockID()
	for i, omvang := range s.parts(size) {
		part := core.NewUUID()
		if err := s.DB.Insert(ctx, "deel", part, id, "", BestandsDeel{
			URL: core.DocumentenRoot + "bestandsdelen/" + part, Volgnummer: i + 1, Omvang: omvang,
		}); err != nil {
			return err
		}
	}
	return nil
}

func (s *API) parts(size int64) []int64 {
	var out []int64
	for size > 0 {
		n := min(size, s.Cfg.PartSize)
		out = append(out, n)
		size -= n
	}
	return out
}

func (s *API) contentPath(id string) string { return filepath.Join(s.Files, id) }
func (s *API) partPath(id string) string    { return filepath.Join(s.Files, id+".part") }

func (s *API) download(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	e, ok := core.FoundAs[EnkelvoudigInformatieObject](s.Server, w, r, "eio")
	if !ok {
		return
	}
	f, err := os.Open(s.contentPath(id))
	if errors.Is(err, os.ErrNotExist) {
		core.WriteProblem(w, r, http.StatusNotFound, "not_found", "Geen inhoud.", "Dit informatieobject heeft (nog) geen inhoud.", nil)
		return
	}
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size(), 10))
	w.Header().Set("API-version", core.ApiVersion(r))
	if name := e.Bestandsnaam; name != "" {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, f)
	}
}

// mergeParts concatenates the uploaded parts into the document's content, streaming.
func (s *API) mergeParts(ctx context.Context, id string, parts []BestandsDeel) error {
	tmp := s.contentPath(id) + ".merging"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	for _, p := range parts {
		in, err := os.Open(s.partPath(core.LastSegment(p.URL)))
		if err != nil {
			out.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if err != nil {
			out.Close()
			return err
		}
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.contentPath(id)); err != nil {
		return err
	}
	for _, p := range parts {
		pid := core.LastSegment(p.URL)
		_ = os.Remove(s.partPath(pid))
		if err := s.DB.Remove(ctx, pid); err != nil {
			return err
		}
	}
	return nil
}

// putPart receives one bestandsdeel: multipart/form-data with the lock and the bytes, streamed
// to a file first and checked under the write lock afterwards, so that a large part does not
// hold up other writers.
func (s *API) putPart(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("uuid")
	part, err := core.GetAs[BestandsDeel](ctx, s.DB, "deel", id)
	if err != nil {
		core.WriteNotFound(w, r)
		return
	}
	omvang := part.Omvang
	r.Body = http.MaxBytesReader(w, r.Body, omvang+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		v := &core.Validation{}
		v.Add("nonFieldErrors", "parse_error", "Verwacht multipart/form-data: "+err.Error())
		core.WriteInvalid(w, r, v)
		return
	}
	tmp := s.partPath(id) + ".upload"
	defer os.Remove(tmp)
	var lock string
	var got int64 = -1
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			v := &core.Validation{}
			v.Add("nonFieldErrors", "parse_error", "Ongeldige multipart body: "+err.Error())
			core.WriteInvalid(w, r, v)
			return
		}
		switch p.FormName() {
		case "lock":
			b, _ := io.ReadAll(io.LimitReader(p, 200))
			lock = string(bytes.TrimSpace(b))
		case "inhoud":
			f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
			if err != nil {
				core.WriteError(w, r, err)
				return
			}
			got, err = io.Copy(f, p)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				v := &core.Validation{}
				v.Add("inhoud", "invalid", "Het bestandsdeel kon niet gelezen worden: "+err.Error())
				core.WriteInvalid(w, r, v)
				return
			}
		}
		p.Close()
	}

	s.Writes.Lock()
	defer s.Writes.Unlock()
	eio, err := s.eioOfPart(ctx, id)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	v := &core.Validation{}
	checkLock(v, eio, lock)
	switch {
	case got < 0:
		v.Add("inhoud", "required", "Dit veld is vereist.")
	case got != omvang:
		v.Add("inhoud", "file-size", fmt.Sprintf("Het bestandsdeel is %d bytes, verwacht %d.", got, omvang))
	}
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	if err := os.Rename(tmp, s.partPath(id)); err != nil {
		core.WriteError(w, r, err)
		return
	}
	part.Voltooid = true
	if err := s.DB.Update(ctx, id, part); err != nil {
		core.WriteError(w, r, err)
		return
	}
	part.Lock = lock
	core.Render(w, r, http.StatusOK, part)
}

func (s *API) eioOfPart(ctx context.Context, partID string) (EnkelvoudigInformatieObject, error) {
	ref, err := s.DB.Ref(ctx, partID)
	if err != nil {
		return EnkelvoudigInformatieObject{}, err
	}
	return core.GetAs[EnkelvoudigInformatieObject](ctx, s.DB, "eio", ref)
}
