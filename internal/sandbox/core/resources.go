package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/rsin"
)

// maxJSONBody bounds a JSON request. Content travels base64-encoded in JSON only for small
// documents; large ones go through bestandsdelen, which stream to disk.
const maxJSONBody = 64 << 20

// ReadJSON decodes a JSON object body, answering 400 itself when it cannot; this sandbox's URLs
// in it become paths.
func ReadJSON(w http.ResponseWriter, r *http.Request) (Doc, bool) {
	var d Doc
	dec := json.NewDecoder(io.LimitReader(r.Body, maxJSONBody))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil || d == nil {
		reason := "De request body is geen geldig JSON-object."
		if err != nil {
			reason += " " + err.Error()
		}
		v := &Validation{}
		v.Add("nonFieldErrors", "parse_error", reason)
		WriteInvalid(w, r, v)
		return nil, false
	}
	origin := Base(r)
	for k, x := range d {
		if strings.HasPrefix(k, "__") {
			delete(d, k) // the sandbox's own fields (a lock's id) are never a client's to set
			continue
		}
		d[k] = localize(x, origin)
	}
	return d, true
}

// localize turns URLs of this sandbox in a request into stored paths, recursively.
func localize(v any, origin string) any {
	switch t := v.(type) {
	case string:
		return Local(t, origin)
	case map[string]any:
		for k, x := range t {
			t[k] = localize(x, origin)
		}
	case []any:
		for i, x := range t {
			t[i] = localize(x, origin)
		}
	}
	return v
}

// Page is the part of a list of total items that ?page=N asks for (the first by default), with
// the links to its neighbours (nil at the ends).
type Page struct {
	From, To       int
	Next, Previous any
}

// PageOf reads ?page=N for a list of total items, size a page; false when N is not a page of it.
func PageOf(r *http.Request, total, size int) (Page, bool) {
	no := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || (n-1)*size >= max(total, 1) {
			return Page{}, false
		}
		no = n
	}
	link := func(n int) any {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return Base(r) + r.URL.Path + "?" + q.Encode()
	}
	pg := Page{From: (no - 1) * size}
	pg.To = min(pg.From+size, total)
	if pg.To < total {
		pg.Next = link(no + 1)
	}
	if no > 1 {
		pg.Previous = link(no - 1)
	}
	return pg, true
}

// Render writes one resource (a Doc or a typed resource) with absolute URLs, without the
// sandbox's own fields.
func Render(w http.ResponseWriter, r *http.Request, status int, v any) {
	WriteJSON(w, r, status, absolute(Public(DocOf(v)), Base(r)))
}

// RenderPage writes a paginated list the way Open Zaak does: count, next, previous, results.
func (s *Server) RenderPage(w http.ResponseWriter, r *http.Request, items []Doc) {
	RenderPageOf(s, w, r, items)
}

// RenderList writes an unpaginated list (a plain JSON array).
func RenderList(w http.ResponseWriter, r *http.Request, items []Doc) {
	RenderListOf(w, r, items)
}

// field accessors on decoded documents.

// checks used by the create handlers; each adds an invalid param and reports success.

func (v *Validation) Required(d Doc, fields ...string) {
	for _, f := range fields {
		x, ok := d[f]
		if !ok || x == nil {
			v.Add(f, "required", "Dit veld is vereist.")
			continue
		}
		if s, isStr := x.(string); isStr && strings.TrimSpace(s) == "" {
			v.Add(f, "blank", "Dit veld mag niet leeg zijn.")
		}
	}
}

func (v *Validation) Rsin(d Doc, field string) {
	if s := Str(d, field); s != "" && !rsin.Valid(s) {
		v.Add(field, "invalid", "Onjuist RSIN nummer: het voldoet niet aan de elfproef.")
	}
}

func (v *Validation) Date(d Doc, field string) {
	if s := Str(d, field); s != "" {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			v.Add(field, "invalid", "Datum heeft het verkeerde formaat. Gebruik het formaat JJJJ-MM-DD.")
		}
	}
}

// DateTime reads a date-time as Open Zaak does: with a time zone, or without one as Dutch time.
func DateTime(raw string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02T15:04:05.999999999", raw, objection.Amsterdam)
	}
	return t, err
}

// DateTimes refuses fields that hold no date-time dateTime can read, and writes the others with
// their zone (a date-time answered without one would break the spec).
func (v *Validation) DateTimes(d Doc, fields ...string) {
	for _, f := range fields {
		if raw := Str(d, f); raw != "" {
			t, err := DateTime(raw)
			if err != nil {
				v.Add(f, "invalid", "Datetime heeft een ongeldig formaat.")
				continue
			}
			d[f] = t.UTC().Format(time.RFC3339Nano)
		}
	}
}

func (v *Validation) MaxLen(d Doc, field string, n int) {
	if len([]rune(Str(d, field))) > n {
		v.Add(field, "max_length", fmt.Sprintf("Zorg ervoor dat dit veld niet meer dan %d tekens bevat.", n))
	}
}

func (v *Validation) OneOf(d Doc, field string, allowed ...string) {
	if s, ok := d[field].(string); ok && !slices.Contains(allowed, s) {
		v.Add(field, "invalid_choice", fmt.Sprintf("%q is een ongeldige keuze.", s))
	}
}

var Vertrouwelijkheden = []string{"openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk", "confidentieel", "geheim", "zeer_geheim"}

// Resource resolves a reference field to a stored resource of the given kind, adding an invalid
// param when the reference does not point at one. A URL outside this sandbox is refused too:
// the sandbox does not fetch from other systems.
func (s *Server) Resource(r *http.Request, v *Validation, d Doc, field, kind, collection string) Doc {
	ref := Str(d, field)
	if ref == "" {
		return nil
	}
	if u, err := url.Parse(ref); err != nil || !IsLocalPath(ref) {
		// Another system's URL: as Open Zaak, tell one that answers (but is no resource of the
		// kind here) from one that does not.
		if err == nil && s.answers(r.Context(), u) {
			v.Add(field, "invalid-resource", "De URL wijst niet naar een "+kind+" van dit systeem.")
		} else {
			v.Add(field, "bad-url", "De URL is ongeldig of wijst niet naar een resource van dit systeem.")
		}
		return nil
	}
	id, ok := UuidFrom(ref, collection)
	if !ok {
		code := "bad-url"
		if _, err := s.DB.GetAny(r.Context(), LastSegment(ref)); err == nil {
			code = "invalid-resource" // a resource here, of another kind
		}
		v.Add(field, code, "De URL wijst niet naar een "+kind+".")
		return nil
	}
	res, err := s.DB.Get(r.Context(), kind, id)
	if errors.Is(err, ErrNotFound) {
		v.Add(field, "bad-url", "De URL wijst niet naar een bestaande "+kind+".")
		return nil
	}
	if err != nil {
		v.Add(field, "bad-url", err.Error())
		return nil
	}
	return res
}

// GetHandler serves GET {collection}{uuid} for a kind.
func (s *Server) GetHandler(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if d, ok := s.FoundReadable(w, r, kind); ok {
			Render(w, r, http.StatusOK, s.Decorate(r, kind, d))
		}
	}
}

// Decorate fills in fields computed at read time.
func (s *Server) Decorate(r *http.Request, kind string, d Doc) Doc {
	switch kind {
	case "abonnement":
		return WithoutAuth(d)
	case "status":
		z, err := s.DB.Get(r.Context(), "zaak", LastSegment(Str(d, "zaak")))
		d["indicatieLaatstGezetteStatus"] = err == nil && Str(z, "status") == Str(d, "url")
	}
	return d
}

func LastSegment(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// Now is the sandbox's clock, in UTC.
func (s *Server) Now() time.Time { return s.Cfg.Now().UTC() }

func Timestamp(t time.Time) string { return t.Format("2006-01-02T15:04:05.000000Z") }

// UniqueIdent refuses an identificatie already used within the organisation (orgField).
func (s *Server) UniqueIdent(ctx context.Context, v *Validation, d Doc, kind, orgField string) {
	if id := Str(d, "identificatie"); id != "" && !v.Failed() && s.IdentTaken(ctx, kind, orgField, Str(d, orgField), id) {
		v.Add("identificatie", "identificatie-niet-uniek", "Deze identificatie bestaat al binnen de organisatie.")
	}
}

// NextIdent is the next identificatie of a series, as Open Zaak numbers them
// (ZAAK-2025-0000000001).
func (s *Server) NextIdent(ctx context.Context, series, prefix string) (string, error) {
	n, err := s.DB.Next(ctx, series)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%d-%010d", prefix, s.Now().Year(), n), nil
}

// FoundReadable is found for a resource the client may read; it answers 403 itself otherwise.
func (s *Server) FoundReadable(w http.ResponseWriter, r *http.Request, kind string) (Doc, bool) {
	d, ok := s.Found(w, r, kind)
	if ok && !s.Readable(r, kind, d) {
		Forbidden(w, r, "De applicatie mag dit type of deze vertrouwelijkheid niet lezen.")
		return nil, false
	}
	return d, ok
}

// Found reads the resource of the request's {uuid} as its kind's typed resource, answering 404
// (or 500) itself.
func (s *Server) Found(w http.ResponseWriter, r *http.Request, kind string) (Doc, bool) {
	d, ok := FoundAs[Doc](s, w, r, kind)
	if !ok {
		return nil, false
	}
	d, err := s.shaped(kind, d)
	if err != nil {
		WriteError(w, r, err)
		return nil, false
	}
	return d, true
}

// DeleteFound serves the DELETE of a resource that takes nothing along: 404 when it is not there.
func (s *Server) DeleteFound(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.Found(w, r, kind); !ok {
			return
		}
		if err := s.DB.Remove(r.Context(), r.PathValue("uuid")); err != nil {
			WriteError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// FoundWithBody reads the resource of the request's {uuid} and the request's JSON body, answering
// 404 or 400 itself: the start of every update.
func (s *Server) FoundWithBody(w http.ResponseWriter, r *http.Request, kind string) (old, in Doc, ok bool) {
	if old, ok = s.Found(w, r, kind); !ok {
		return nil, nil, false
	}
	in, ok = ReadJSON(w, r)
	return old, in, ok
}

// answers reports whether a URL of another system answers a GET with 2xx.
func (s *Server) answers(ctx context.Context, u *url.URL) bool {
	_, ok := s.Fetch(ctx, u)
	return ok
}

// Fetch reads a URL of another system (a referentielijst, a mock) within a few seconds: the
// sandbox only ever asks, reads at most 64 KiB of the answer and follows no redirect. ok: a 2xx.
func (s *Server) Fetch(ctx context.Context, u *url.URL) (body []byte, ok bool) {
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, false
	}
	resp, err := s.Fetcher.Do(req)
	if err != nil {
		return nil, false
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return body, resp.StatusCode >= 200 && resp.StatusCode < 300
}

// IdentTaken reports whether an identificatie is in use within an organisation.
func (s *Server) IdentTaken(ctx context.Context, kind, orgField, org, ident string) bool {
	same, err := s.DB.Query(ctx, kind, "", ident)
	if err != nil {
		return true
	}
	for _, d := range same {
		if Str(d, orgField) == org {
			return true
		}
	}
	return false
}

func (s *Server) ListBy(kind, refParam string, paginated bool, otherParam string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		origin := Base(r)
		all, err := s.DB.Query(r.Context(), kind, Local(q.Get(refParam), origin), "")
		if err != nil {
			WriteError(w, r, err)
			return
		}
		var out []Doc
		for _, d := range all {
			if d, err = s.shaped(kind, d); err != nil {
				WriteError(w, r, err)
				return
			}
			if o := q.Get(otherParam); o != "" && Str(d, otherParam) != Local(o, origin) {
				continue
			}
			if !s.Readable(r, kind, d) {
				continue
			}
			out = append(out, s.Decorate(r, kind, d))
		}
		if newestFirst[kind] {
			slices.Reverse(out)
		}
		if paginated {
			s.RenderPage(w, r, out)
		} else {
			RenderList(w, r, out)
		}
	}
}

// listBy serves a list endpoint filtered on its main reference (column ref) and optionally a
// second field.
// newestFirst are the kinds Open Zaak lists newest first (its viewsets order them by -pk).
var newestFirst = map[string]bool{"status": true, "rol": true, "zaakobject": true, "resultaat": true, "zio": true}
