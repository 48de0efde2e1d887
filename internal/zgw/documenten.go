package zgw

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// DocumentenService is the Documenten API.
type DocumentenService struct {
	c    *Client
	base string
	// refusesSearch: this Documenten API has no POST /enkelvoudiginformatieobjecten/_zoek (it
	// answered 404 or 405); it is not asked again.
	refusesSearch atomic.Bool
}

func (s *DocumentenService) svc() *service { return &service{c: s.c, base: s.base} }

// Create creates an informatieobject in one request; set Inhoud (base64) for its content. Meant
// for small documents; use Upload for anything that should not sit in memory. Not idempotent:
// after an uncertain failure, look it up by identificatie first.
func (s *DocumentenService) Create(ctx context.Context, io InformatieObject) (*InformatieObject, error) {
	var out InformatieObject
	return &out, s.svc().post(ctx, s.base+"/enkelvoudiginformatieobjecten", io, &out)
}

// Get reads an informatieobject by URL.
func (s *DocumentenService) Get(ctx context.Context, u string) (*InformatieObject, error) {
	var out InformatieObject
	return &out, s.svc().get(ctx, u, &out)
}

// GetAll reads informatieobjecten by URL: those of this Documenten API with one search
// (_zoek, uuid__in) per page of 100, the rest — documents of another Documenten API, documents
// the search did not return, every document when this API cannot search — one by one, four at a
// time, so that each gets its own answer. docs[i] and errs[i] are those of urls[i].
func (s *DocumentenService) GetAll(ctx context.Context, urls []string) (docs []*InformatieObject, errs []error) {
	docs, errs = make([]*InformatieObject, len(urls)), make([]error, len(urls))
	found := s.search(ctx, urls)
	var reads errgroup.Group
	reads.SetLimit(4)
	for i, u := range urls {
		if d, ok := found[trimSlash(u)]; ok {
			docs[i] = &d
			continue
		}
		reads.Go(func() error {
			docs[i], errs[i] = s.Get(ctx, u)
			return nil
		})
	}
	_ = reads.Wait()
	return docs, errs
}

// search finds the documents of this API among urls with _zoek, by URL. What it cannot find, for
// whatever reason (the search failed too), the caller reads one by one.
func (s *DocumentenService) search(ctx context.Context, urls []string) map[string]InformatieObject {
	prefix := s.base + "/enkelvoudiginformatieobjecten/"
	var uuids []string
	for _, u := range urls {
		if id, ok := strings.CutPrefix(trimSlash(u), prefix); ok && id != "" && !strings.Contains(id, "/") {
			uuids = append(uuids, id)
		}
	}
	if len(uuids) < 2 || s.refusesSearch.Load() {
		return nil // one document: a GET is as cheap
	}
	// The VNG specification (1.5.0) names the field uuid_In (its camel-casing of uuid__in) and
	// requires it; Open Zaak documents uuid__in. Both are sent, with the same value: a server
	// reads the one it knows (their camel-case parsers turn uuid_In into uuid__in).
	body := map[string][]string{"uuid__in": uuids, "uuid_In": uuids}
	found := make(map[string]InformatieObject, len(uuids))
	for d, err := range search[InformatieObject](ctx, s.svc(), prefix+"_zoek", body) {
		if status := StatusOf(err); status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			s.refusesSearch.Store(true)
		}
		if err != nil {
			return nil
		}
		found[trimSlash(d.URL)] = d
	}
	return found
}

// FindByIdentificatie lists the informatieobjecten with an identificatie (unique per
// bronorganisatie, so zero or one).
func (s *DocumentenService) FindByIdentificatie(ctx context.Context, bronorganisatie, identificatie string) ([]InformatieObject, error) {
	q := url.Values{"bronorganisatie": {bronorganisatie}, "identificatie": {identificatie}}
	return collect(list[InformatieObject](ctx, s.svc(), s.svc().url("/enkelvoudiginformatieobjecten", q)))
}

// AuditTrail reads the audit trail of an informatieobject.
func (s *DocumentenService) AuditTrail(ctx context.Context, u string) ([]AuditTrail, error) {
	return listUnpaged[AuditTrail](ctx, s.svc(), trimSlash(u)+"/audittrail")
}

// Lock checks an informatieobject out for an update and returns the lock.
func (s *DocumentenService) Lock(ctx context.Context, u string) (string, error) {
	var out struct {
		Lock string `json:"lock"`
	}
	if err := s.svc().post(ctx, trimSlash(u)+"/lock", nil, &out); err != nil {
		return "", err
	}
	return out.Lock, nil
}

// Unlock releases a lock.
func (s *DocumentenService) Unlock(ctx context.Context, u, lock string) error {
	return s.svc().post(ctx, trimSlash(u)+"/unlock", map[string]string{"lock": lock}, nil)
}

// Update changes fields of an informatieobject the way the standard wants it: lock, PATCH with
// the lock, unlock. The unlock is attempted even when the PATCH fails, so that a refused update
// does not leave the document locked (a locked document blocks closing the zaak).
func (s *DocumentenService) Update(ctx context.Context, u string, fields map[string]any) (*InformatieObject, error) {
	lock, err := s.Lock(ctx, u)
	if err != nil {
		return nil, err
	}
	body := make(map[string]any, len(fields)+1)
	for k, v := range fields {
		body[k] = v
	}
	body["lock"] = lock
	var out InformatieObject
	patchErr := s.svc().send(ctx, http.MethodPatch, u, body, &out)
	unlockCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := s.Unlock(unlockCtx, u, lock); err != nil {
		return nil, errors.Join(patchErr, err)
	}
	if patchErr != nil {
		return nil, patchErr
	}
	out.Locked = false
	return &out, nil
}

// Upload creates an informatieobject and streams size bytes of content into it through
// bestandsdelen: the create announces bestandsomvang, each part is PUT as multipart/form-data
// read straight from content, and the unlock completes the document. Memory use does not depend
// on size. meta.Inhoud must be nil.
//
// A failure after the create leaves a locked document behind: its URL is in the returned
// *UploadError, so that the caller can find it again rather than create a second one.
func (s *DocumentenService) Upload(ctx context.Context, meta InformatieObject, size int64, content io.Reader) (*InformatieObject, error) {
	if meta.Inhoud != nil {
		return nil, errors.New("zgw: Upload streams the content: leave Inhoud empty")
	}
	meta.Bestandsomvang = &size
	created, err := s.Create(ctx, meta)
	if err != nil {
		return nil, err
	}
	if err := s.uploadParts(ctx, created, content); err != nil {
		return nil, &UploadError{URL: created.URL, Lock: created.Lock, Err: err}
	}
	if err := s.Unlock(ctx, created.URL, created.Lock); err != nil {
		return nil, &UploadError{URL: created.URL, Lock: created.Lock, Err: err}
	}
	created.Locked, created.Lock, created.BestandsDelen = false, "", nil
	return created, nil
}

// UploadError reports a chunked upload that failed after its informatieobject was created.
type UploadError struct {
	URL  string
	Lock string
	Err  error
}

func (e *UploadError) Error() string { return fmt.Sprintf("zgw: uploading to %s: %v", e.URL, e.Err) }
func (e *UploadError) Unwrap() error { return e.Err }

// ResumeUpload sends the content of a document whose Upload failed after the create: the parts
// not yet complete are uploaded (content is read from the start; completed parts are skipped
// over), then the document is unlocked.
func (s *DocumentenService) ResumeUpload(ctx context.Context, u, lock string, content io.Reader) (*InformatieObject, error) {
	doc, err := s.Get(ctx, u)
	if err != nil {
		return nil, err
	}
	doc.Lock = lock
	if err := s.uploadParts(ctx, doc, content); err != nil {
		return nil, err
	}
	if err := s.Unlock(ctx, u, lock); err != nil {
		return nil, err
	}
	return s.Get(ctx, u)
}

func (s *DocumentenService) uploadParts(ctx context.Context, doc *InformatieObject, content io.Reader) error {
	parts := slices.Clone(doc.BestandsDelen)
	slices.SortFunc(parts, func(a, b BestandsDeel) int { return a.Volgnummer - b.Volgnummer })
	for _, p := range parts {
		if p.Voltooid {
			if _, err := io.CopyN(io.Discard, content, p.Omvang); err != nil {
				return fmt.Errorf("skipping part %d: %w", p.Volgnummer, err)
			}
			continue
		}
		// Servers disagree on whether a part carries the document's lock or its own: the
		// spec gives each part a lock field, so prefer it when the server filled it in.
		lock := p.Lock
		if lock == "" {
			lock = doc.Lock
		}
		if err := s.putPart(ctx, p, lock, io.LimitReader(content, p.Omvang)); err != nil {
			return fmt.Errorf("part %d of %d: %w", p.Volgnummer, len(parts), err)
		}
	}
	return nil
}

// putPart sends one part as multipart/form-data with an exact Content-Length: the multipart
// envelope is small and known in advance, so the body streams from content without chunked
// encoding, which not every gateway in front of a zaaksysteem accepts.
func (s *DocumentenService) putPart(ctx context.Context, p BestandsDeel, lock string, content io.Reader) error {
	const boundary = "zgw-bestandsdeel-boundary-7d1f3c"
	head := "--" + boundary + "\r\n" +
		"Content-Disposition: form-data; name=\"lock\"\r\n\r\n" + lock + "\r\n" +
		"--" + boundary + "\r\n" +
		fmt.Sprintf("Content-Disposition: form-data; name=\"inhoud\"; filename=\"part-%d\"\r\n", p.Volgnummer) +
		"Content-Type: application/octet-stream\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	body := io.MultiReader(strings.NewReader(head), &exactReader{r: content, n: p.Omvang}, strings.NewReader(tail))

	req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.URL, body)
	if err != nil {
		return err
	}
	req.ContentLength = int64(len(head)) + p.Omvang + int64(len(tail))
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.Header.Set("Accept", "application/json")
	resp, err := s.c.stream(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return checkRaw(req, resp)
}

// exactReader yields exactly n bytes from r, failing when r ends early so that a short source
// never produces a silently truncated part.
type exactReader struct {
	r io.Reader
	n int64
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.n {
		p = p[:e.n]
	}
	n, err := e.r.Read(p)
	e.n -= int64(n)
	if err == io.EOF && e.n > 0 {
		return n, io.ErrUnexpectedEOF
	}
	if e.n == 0 && err == io.EOF {
		err = nil
	}
	return n, err
}

// Download streams the content of an informatieobject (its latest version). The caller closes
// the reader.
func (s *DocumentenService) Download(ctx context.Context, u string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, trimSlash(u)+"/download", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/octet-stream")
	resp, err := s.c.stream(req)
	if err != nil {
		return nil, err
	}
	if err := checkRaw(req, resp); err != nil {
		resp.Body.Close()
		return nil, err
	}
	return resp.Body, nil
}

// PatchLocked sends a PATCH with a lock the caller already holds (Update takes and releases
// one itself).
func (s *DocumentenService) PatchLocked(ctx context.Context, u, lock string, fields map[string]any) error {
	body := make(map[string]any, len(fields)+1)
	for k, v := range fields {
		body[k] = v
	}
	body["lock"] = lock
	return s.svc().send(ctx, http.MethodPatch, u, body, nil)
}

// IsDocument reports whether raw is the URL of an informatieobject of this Documenten API.
func (s *DocumentenService) IsDocument(raw string) bool {
	return isResource(s.base, "enkelvoudiginformatieobjecten", raw)
}
