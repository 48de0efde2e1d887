package sandbox

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

// readJSON decodes a JSON object body, answering 400 itself when it cannot.
func readJSON(w http.ResponseWriter, r *http.Request) (doc, bool) {
	var d doc
	dec := json.NewDecoder(io.LimitReader(r.Body, maxJSONBody))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil || d == nil {
		reason := "De request body is geen geldig JSON-object."
		if err != nil {
			reason += " " + err.Error()
		}
		v := &validation{}
		v.add("nonFieldErrors", "parse_error", reason)
		writeInvalid(w, r, v)
		return nil, false
	}
	origin := base(r)
	for k, x := range d {
		d[k] = localize(x, origin)
	}
	return d, true
}

// localize turns URLs of this sandbox in a request into stored paths, recursively.
func localize(v any, origin string) any {
	switch t := v.(type) {
	case string:
		return local(t, origin)
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

// render writes one resource with absolute URLs.
func render(w http.ResponseWriter, r *http.Request, status int, d doc) {
	writeJSON(w, r, status, absolute(d, base(r)))
}

// renderPage writes a paginated list the way Open Zaak does: count, next, previous, results.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, items []doc) {
	pageNo := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || (n-1)*s.cfg.PageSize >= max(len(items), 1) {
			writeProblem(w, r, http.StatusNotFound, "not_found", "Ongeldige pagina.", "Ongeldige pagina.", nil)
			return
		}
		pageNo = n
	}
	from := (pageNo - 1) * s.cfg.PageSize
	to := min(from+s.cfg.PageSize, len(items))
	link := func(n int) any {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return base(r) + r.URL.Path + "?" + q.Encode()
	}
	var next, prev any
	if to < len(items) {
		next = link(pageNo + 1)
	}
	if pageNo > 1 {
		prev = link(pageNo - 1)
	}
	results := make([]any, 0, to-from)
	for _, d := range items[from:to] {
		results = append(results, absolute(d, base(r)))
	}
	writeJSON(w, r, http.StatusOK, map[string]any{"count": len(items), "next": next, "previous": prev, "results": results})
}

// renderList writes an unpaginated list (a plain JSON array).
func renderList(w http.ResponseWriter, r *http.Request, items []doc) {
	out := make([]any, 0, len(items))
	for _, d := range items {
		out = append(out, absolute(d, base(r)))
	}
	writeJSON(w, r, http.StatusOK, out)
}

// field accessors on decoded documents.

// checks used by the create handlers; each adds an invalid param and reports success.

func (v *validation) required(d doc, fields ...string) {
	for _, f := range fields {
		x, ok := d[f]
		if !ok || x == nil {
			v.add(f, "required", "Dit veld is vereist.")
			continue
		}
		if s, isStr := x.(string); isStr && strings.TrimSpace(s) == "" {
			v.add(f, "blank", "Dit veld mag niet leeg zijn.")
		}
	}
}

func (v *validation) rsin(d doc, field string) {
	if s := str(d, field); s != "" && !rsin.Valid(s) {
		v.add(field, "invalid", "Onjuist RSIN nummer: het voldoet niet aan de elfproef.")
	}
}

func (v *validation) date(d doc, field string) {
	if s := str(d, field); s != "" {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			v.add(field, "invalid", "Datum heeft het verkeerde formaat. Gebruik het formaat JJJJ-MM-DD.")
		}
	}
}

// dateTime reads a date-time as Open Zaak does: with a time zone, or without one as Dutch time.
func dateTime(raw string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02T15:04:05.999999999", raw, objection.Amsterdam)
	}
	return t, err
}

// dateTimes refuses fields that hold no date-time dateTime can read, and writes the others with
// their zone (a date-time answered without one would break the spec).
func (v *validation) dateTimes(d doc, fields ...string) {
	for _, f := range fields {
		if raw := str(d, f); raw != "" {
			t, err := dateTime(raw)
			if err != nil {
				v.add(f, "invalid", "Datetime heeft een ongeldig formaat.")
				continue
			}
			d[f] = t.UTC().Format(time.RFC3339Nano)
		}
	}
}

func (v *validation) maxLen(d doc, field string, n int) {
	if len([]rune(str(d, field))) > n {
		v.add(field, "max_length", fmt.Sprintf("Zorg ervoor dat dit veld niet meer dan %d tekens bevat.", n))
	}
}

func (v *validation) oneOf(d doc, field string, allowed ...string) {
	if s, ok := d[field].(string); ok && !slices.Contains(allowed, s) {
		v.add(field, "invalid_choice", fmt.Sprintf("%q is een ongeldige keuze.", s))
	}
}

var vertrouwelijkheden = []string{"openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk", "confidentieel", "geheim", "zeer_geheim"}

// resource resolves a reference field to a stored resource of the given kind, adding an invalid
// param when the reference does not point at one. A URL outside this sandbox is refused too:
// the sandbox does not fetch from other systems.
func (s *Server) resource(r *http.Request, v *validation, d doc, field, kind, collection string) doc {
	ref := str(d, field)
	if ref == "" {
		return nil
	}
	if u, err := url.Parse(ref); err != nil || !isLocalPath(ref) {
		// Another system's URL: as Open Zaak, tell one that answers (but is no resource of the
		// kind here) from one that does not.
		if err == nil && s.answers(r.Context(), u) {
			v.add(field, "invalid-resource", "De URL wijst niet naar een "+kind+" van dit systeem.")
		} else {
			v.add(field, "bad-url", "De URL is ongeldig of wijst niet naar een resource van dit systeem.")
		}
		return nil
	}
	id, ok := uuidFrom(ref, collection)
	if !ok {
		code := "bad-url"
		if _, err := s.db.getAny(r.Context(), lastSegment(ref)); err == nil {
			code = "invalid-resource" // a resource here, of another kind
		}
		v.add(field, code, "De URL wijst niet naar een "+kind+".")
		return nil
	}
	res, err := s.db.get(r.Context(), kind, id)
	if errors.Is(err, errNotFound) {
		v.add(field, "bad-url", "De URL wijst niet naar een bestaande "+kind+".")
		return nil
	}
	if err != nil {
		v.add(field, "bad-url", err.Error())
		return nil
	}
	return res
}

// getHandler serves GET {collection}{uuid} for a kind.
func (s *Server) getHandler(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if d, ok := s.foundReadable(w, r, kind); ok {
			render(w, r, http.StatusOK, s.decorate(r, kind, d))
		}
	}
}

// decorate fills in fields computed at read time.
func (s *Server) decorate(r *http.Request, kind string, d doc) doc {
	switch kind {
	case "abonnement":
		return withoutAuth(d)
	case "status":
		z, err := s.db.get(r.Context(), "zaak", lastSegment(str(d, "zaak")))
		d["indicatieLaatstGezetteStatus"] = err == nil && str(z, "status") == str(d, "url")
	}
	return d
}

func lastSegment(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// now is the sandbox's clock, in UTC.
func (s *Server) now() time.Time { return s.cfg.Now().UTC() }

func timestamp(t time.Time) string { return t.Format("2006-01-02T15:04:05.000000Z") }

// uniqueIdent refuses an identificatie already used within the organisation (orgField).
func (s *Server) uniqueIdent(ctx context.Context, v *validation, d doc, kind, orgField string) {
	if id := str(d, "identificatie"); id != "" && !v.failed() && s.identTaken(ctx, kind, orgField, str(d, orgField), id) {
		v.add("identificatie", "identificatie-niet-uniek", "Deze identificatie bestaat al binnen de organisatie.")
	}
}

// assignIdent gives a resource without identificatie the next one of its series, as Open Zaak
// does (ZAAK-2025-0000000001).
func (s *Server) assignIdent(ctx context.Context, d doc, series, prefix string) error {
	if str(d, "identificatie") != "" {
		return nil
	}
	n, err := s.db.next(ctx, series)
	if err != nil {
		return err
	}
	d["identificatie"] = fmt.Sprintf("%s-%d-%010d", prefix, s.now().Year(), n)
	return nil
}

// foundReadable is found for a resource the client may read; it answers 403 itself otherwise.
func (s *Server) foundReadable(w http.ResponseWriter, r *http.Request, kind string) (doc, bool) {
	d, ok := s.found(w, r, kind)
	if ok && !s.readable(r, kind, d) {
		forbidden(w, r, "De applicatie mag dit type of deze vertrouwelijkheid niet lezen.")
		return nil, false
	}
	return d, ok
}

// found reads the resource of the request's {uuid}, answering 404 (or 500) itself.
func (s *Server) found(w http.ResponseWriter, r *http.Request, kind string) (doc, bool) {
	d, err := s.db.get(r.Context(), kind, r.PathValue("uuid"))
	if errors.Is(err, errNotFound) {
		writeNotFound(w, r)
		return nil, false
	}
	if err != nil {
		writeError(w, r, err)
		return nil, false
	}
	return d, true
}

// deleteFound serves the DELETE of a resource that takes nothing along: 404 when it is not there.
func (s *Server) deleteFound(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.found(w, r, kind); !ok {
			return
		}
		if err := s.db.remove(r.Context(), r.PathValue("uuid")); err != nil {
			writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// foundWithBody reads the resource of the request's {uuid} and the request's JSON body, answering
// 404 or 400 itself: the start of every update.
func (s *Server) foundWithBody(w http.ResponseWriter, r *http.Request, kind string) (old, in doc, ok bool) {
	if old, ok = s.found(w, r, kind); !ok {
		return nil, nil, false
	}
	in, ok = readJSON(w, r)
	return old, in, ok
}

// answers reports whether a URL of another system answers a GET with 2xx.
func (s *Server) answers(ctx context.Context, u *url.URL) bool {
	_, ok := s.fetch(ctx, u)
	return ok
}

// fetch reads a URL of another system (a referentielijst, a mock) within a few seconds: the
// sandbox only ever asks, reads at most 64 KiB of the answer and follows no redirect. ok: a 2xx.
func (s *Server) fetch(ctx context.Context, u *url.URL) (body []byte, ok bool) {
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, false
	}
	resp, err := s.fetcher.Do(req)
	if err != nil {
		return nil, false
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return body, resp.StatusCode >= 200 && resp.StatusCode < 300
}

// detach takes a deleted part out of its zaak: a list field loses its URL, a single field
// (resultaat) is emptied.
func (s *Server) detach(ctx context.Context, zaakURL, field, url string) error {
	z, err := s.db.get(ctx, "zaak", lastSegment(zaakURL))
	if err != nil {
		return nil // the zaak is gone itself
	}
	if list, ok := z[field].([]any); ok {
		z[field] = slices.DeleteFunc(slices.Clone(list), func(u any) bool { return u == url })
	} else if str(z, field) == url {
		z[field] = nil
	}
	return s.db.update(ctx, str(z, "uuid"), z)
}

// identTaken reports whether an identificatie is in use within an organisation.
func (s *Server) identTaken(ctx context.Context, kind, orgField, org, ident string) bool {
	same, err := s.db.query(ctx, kind, "", ident)
	if err != nil {
		return true
	}
	for _, d := range same {
		if str(d, orgField) == org {
			return true
		}
	}
	return false
}

func (s *Server) listBy(kind, refParam string, paginated bool, otherParam string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		origin := base(r)
		all, err := s.db.query(r.Context(), kind, local(q.Get(refParam), origin), "")
		if err != nil {
			writeError(w, r, err)
			return
		}
		var out []doc
		for _, d := range all {
			if o := q.Get(otherParam); o != "" && str(d, otherParam) != local(o, origin) {
				continue
			}
			if !s.readable(r, kind, d) {
				continue
			}
			out = append(out, s.decorate(r, kind, d))
		}
		if newestFirst[kind] {
			slices.Reverse(out)
		}
		if paginated {
			s.renderPage(w, r, out)
		} else {
			renderList(w, r, out)
		}
	}
}

// listBy serves a list endpoint filtered on its main reference (column ref) and optionally a
// second field.
// newestFirst are the kinds Open Zaak lists newest first (its viewsets order them by -pk).
var newestFirst = map[string]bool{"status": true, "rol": true, "zaakobject": true, "resultaat": true, "zio": true}
