package sandbox

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
	"strings"
)

// Document content: inline base64, bestandsdelen streamed to disk and merged, downloads.

// contentOf reads how a create or update brings content: inline base64 in inhoud, or an
// announced bestandsomvang to be sent in bestandsdelen.
func (s *Server) contentOf(v *validation, d doc) (content []byte, size int64, chunked bool) {
	if raw, ok := d["inhoud"].(string); ok && raw != "" {
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			v.add("inhoud", "invalid", "inhoud is geen geldige base64.")
			return nil, 0, false
		}
		return b, int64(len(b)), false
	}
	if n, present := d["bestandsomvang"]; present && n != nil {
		size, err := strconv.ParseInt(fmt.Sprint(n), 10, 64)
		if err != nil || size < 0 {
			v.add("bestandsomvang", "invalid", "bestandsomvang moet een niet-negatief geheel getal zijn.")
			return nil, 0, false
		}
		return nil, size, size > 0
	}
	return nil, 0, false
}

// setContent stores inline content, or prepares bestandsdelen and locks the document.
func (s *Server) setContent(ctx context.Context, id string, d doc, content []byte, size int64, chunked bool) error {
	if !chunked {
		if content == nil && d["bestandsomvang"] == nil {
			d["bestandsomvang"] = nil
			return nil
		}
		if err := os.WriteFile(s.contentPath(id), content, 0o600); err != nil {
			return err
		}
		d["bestandsomvang"] = size
		return nil
	}
	d["bestandsomvang"] = size
	d["locked"] = true
	d["__lock"] = strings.ReplaceAll(newUUID(), "-", "")
	for i, omvang := range s.cfg.parts(size) {
		part := newUUID()
		if err := s.db.insert(ctx, "deel", part, id, "", doc{
			"url": documentenRoot + "bestandsdelen/" + part, "volgnummer": i + 1, "omvang": omvang, "voltooid": false,
		}); err != nil {
			return err
		}
	}
	return nil
}

func (c Config) parts(size int64) []int64 {
	var out []int64
	for size > 0 {
		n := min(size, c.PartSize)
		out = append(out, n)
		size -= n
	}
	return out
}

func (s *Server) contentPath(id string) string { return filepath.Join(s.files, id) }
func (s *Server) partPath(id string) string    { return filepath.Join(s.files, id+".part") }

func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	d, ok := s.found(w, r, "eio")
	if !ok {
		return
	}
	f, err := os.Open(s.contentPath(id))
	if errors.Is(err, os.ErrNotExist) {
		writeProblem(w, r, http.StatusNotFound, "not_found", "Geen inhoud.", "Dit informatieobject heeft (nog) geen inhoud.", nil)
		return
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size(), 10))
	w.Header().Set("API-version", apiVersion(r))
	if name := str(d, "bestandsnaam"); name != "" {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, f)
	}
}

// mergeParts concatenates the uploaded parts into the document's content, streaming.
func (s *Server) mergeParts(ctx context.Context, id string, parts []doc) error {
	tmp := s.contentPath(id) + ".merging"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	for _, p := range parts {
		in, err := os.Open(s.partPath(lastSegment(str(p, "url"))))
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
		pid := lastSegment(str(p, "url"))
		_ = os.Remove(s.partPath(pid))
		if _, err := s.db.db.ExecContext(ctx, `DELETE FROM resources WHERE uuid = ?`, pid); err != nil {
			return err
		}
	}
	return nil
}

// putPart receives one bestandsdeel: multipart/form-data with the lock and the bytes, streamed
// to a file first and checked under the write lock afterwards, so that a large part does not
// hold up other writers.
func (s *Server) putPart(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("uuid")
	part, err := s.db.get(ctx, "deel", id)
	if err != nil {
		writeNotFound(w, r)
		return
	}
	omvang := int64(num(part, "omvang"))
	r.Body = http.MaxBytesReader(w, r.Body, omvang+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		v := &validation{}
		v.add("nonFieldErrors", "parse_error", "Verwacht multipart/form-data: "+err.Error())
		writeInvalid(w, r, v)
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
			v := &validation{}
			v.add("nonFieldErrors", "parse_error", "Ongeldige multipart body: "+err.Error())
			writeInvalid(w, r, v)
			return
		}
		switch p.FormName() {
		case "lock":
			b, _ := io.ReadAll(io.LimitReader(p, 200))
			lock = string(bytes.TrimSpace(b))
		case "inhoud":
			f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
			if err != nil {
				writeError(w, r, err)
				return
			}
			got, err = io.Copy(f, p)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				v := &validation{}
				v.add("inhoud", "invalid", "Het bestandsdeel kon niet gelezen worden: "+err.Error())
				writeInvalid(w, r, v)
				return
			}
		}
		p.Close()
	}

	s.writes.Lock()
	defer s.writes.Unlock()
	eio, err := s.eioOfPart(ctx, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	v := &validation{}
	checkLock(v, eio, doc{"lock": lock})
	switch {
	case got < 0:
		v.add("inhoud", "required", "Dit veld is vereist.")
	case got != omvang:
		v.add("inhoud", "file-size", fmt.Sprintf("Het bestandsdeel is %d bytes, verwacht %d.", got, omvang))
	}
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	if err := os.Rename(tmp, s.partPath(id)); err != nil {
		writeError(w, r, err)
		return
	}
	part["voltooid"] = true
	if err := s.db.update(ctx, id, part); err != nil {
		writeError(w, r, err)
		return
	}
	part["lock"] = lock
	render(w, r, http.StatusOK, part)
}

func (s *Server) eioOfPart(ctx context.Context, partID string) (doc, error) {
	var ref string
	if err := s.db.db.QueryRowContext(ctx, `SELECT ref FROM resources WHERE uuid = ?`, partID).Scan(&ref); err != nil {
		return nil, err
	}
	return s.db.get(ctx, "eio", ref)
}
