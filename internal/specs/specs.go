// Package specs validates HTTP traffic against the official VNG OpenAPI specifications of the
// ZGW APIs (kin-openapi). Tests put it in front of the sandbox so that every request the
// connector sends, and every answer the sandbox gives, is checked against the standard — every
// answer with every field of its schema, as Open Zaak renders them.
package specs

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// apis maps the path prefix of each API (Open Zaak's layout) to its spec file name pattern.
var apis = []struct{ prefix, glob string }{
	{"/catalogi/api/v1", "catalogi-*.yaml"},
	{"/zaken/api/v1", "zaken-*.yaml"},
	{"/documenten/api/v1", "documenten-*.yaml"},
	{"/besluiten/api/v1", "besluiten-*.yaml"},
	{"/notificaties/api/v1", "notificaties-*.yaml"},
	{"/autorisaties/api/v1", "autorisaties-*.yaml"},
}

// ErrNoSpecs means the specification files were not found.
var ErrNoSpecs = errors.New("specs: the ZGW specifications were not found (set ZGW_SPECS_DIR)")

// Dir finds the directory of the specs: $ZGW_SPECS_DIR, or shared/zgw-specs in the working
// directory or one of its parents (the repository sits beside shared/).
func Dir() (string, error) {
	if d := os.Getenv("ZGW_SPECS_DIR"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		cand := filepath.Join(dir, "shared", "zgw-specs")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return cand, nil
		}
		if filepath.Dir(dir) == dir {
			return "", ErrNoSpecs
		}
	}
}

// Validator checks requests and responses against the specs and collects every violation.
type Validator struct {
	routers []routers.Router
	// prefixes are where the APIs are served; traffic elsewhere (a public web page) is no API's
	// and passes unchecked.
	prefixes []string

	mu         sync.Mutex
	violations []string
	checked    int
	// expecting counts the requests, while ExpectInvalidRequests runs, that violated the
	// specs on purpose; -1 when not expecting any.
	expecting int
}

// Load reads the specs of the ZGW APIs from dir, and GPP-publicatiebank's from the woo-specs
// directory beside it (or $WOO_SPECS_DIR): the sandbox serves both.
func Load(dir string) (*Validator, error) {
	v := &Validator{expecting: -1}
	err := eachSpec(dir, func(glob, prefix, file string, doc *openapi3.T) error {
		if err := v.add(doc, prefix); err != nil {
			return fmt.Errorf("specs: %s: %w", file, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	wooDir := cmp.Or(os.Getenv("WOO_SPECS_DIR"), filepath.Join(filepath.Dir(dir), "woo-specs"))
	file, doc, err := loadOne(wooDir, "gpp-publicatiebank-*.yaml")
	if err != nil {
		return nil, err
	}
	if err := v.add(doc, PublicatiebankPrefix); err != nil {
		return nil, fmt.Errorf("specs: %s: %w", file, err)
	}
	return v, nil
}

// PublicatiebankPrefix is where the sandbox serves GPP-publicatiebank's API; its spec's paths
// (/api/v2/…) follow it.
const PublicatiebankPrefix = "/publicatiebank"

// eachSpec loads the spec file of each ZGW API from dir (exactly one per API) and hands it to fn.
func eachSpec(dir string, fn func(glob, prefix, file string, doc *openapi3.T) error) error {
	for _, api := range apis {
		file, doc, err := loadOne(dir, api.glob)
		if err != nil {
			return err
		}
		if err := fn(api.glob, api.prefix, file, doc); err != nil {
			return err
		}
	}
	return nil
}

// loadOne loads the one spec file in dir that matches glob.
func loadOne(dir, glob string) (string, *openapi3.T, error) {
	matches, err := filepath.Glob(filepath.Join(dir, glob))
	if err != nil || len(matches) != 1 {
		return "", nil, fmt.Errorf("specs: want exactly one %s in %s, found %v", glob, dir, matches)
	}
	doc, err := openapi3.NewLoader().LoadFromFile(matches[0])
	if err != nil {
		return "", nil, fmt.Errorf("specs: loading %s: %w", matches[0], err)
	}
	return matches[0], doc, nil
}

// FromData builds a validator for one API whose spec is data (e.g. an embedded file), served
// under prefix.
func FromData(data []byte, prefix string) (*Validator, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("specs: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("specs: the spec itself is invalid: %w", err)
	}
	v := &Validator{expecting: -1}
	return v, v.add(doc, prefix)
}

func (v *Validator) add(doc *openapi3.T, prefix string) error {
	// Relative server URLs match any host: servers run on random ports in tests.
	doc.Servers = openapi3.Servers{{URL: prefix}}
	v.prefixes = append(v.prefixes, prefix+"/")
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return err
	}
	v.routers = append(v.routers, router)
	return nil
}

// Middleware validates every request before next sees it and every response after, recording
// violations (the traffic itself is passed through unchanged). Responses are buffered, so keep
// very large transfers out of validated tests.
func (v *Validator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		input := v.checkRequest(r)
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if input != nil {
			if err := validateResponse(r.Context(), input, rec); err != nil {
				v.record(r, fmt.Sprintf("response %d", rec.Code), err)
			}
			if missing := leftOut(input, rec); len(missing) > 0 {
				v.record(r, fmt.Sprintf("response %d", rec.Code), fmt.Errorf("leaves out %s, which the spec's schema has (Open Zaak renders every field, null or empty when unset)", strings.Join(missing, ", ")))
			}
		}
		for k, vals := range rec.Header() {
			w.Header()[k] = vals
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// checkRequest validates a request and records a violation, unless violations are expected.
func (v *Validator) checkRequest(r *http.Request) *openapi3filter.RequestValidationInput {
	if !slices.ContainsFunc(v.prefixes, func(p string) bool { return strings.HasPrefix(r.URL.Path, p) }) {
		return nil
	}
	input, err := v.validateRequest(r)
	if err == nil {
		return input
	}
	v.mu.Lock()
	expected := v.expecting >= 0
	if expected {
		v.expecting++
	}
	v.mu.Unlock()
	if !expected {
		v.record(r, "request", err)
	}
	return input
}

func (v *Validator) validateRequest(r *http.Request) (*openapi3filter.RequestValidationInput, error) {
	for _, router := range v.routers {
		route, params, err := router.FindRoute(r)
		if err != nil {
			continue
		}
		v.mu.Lock()
		v.checked++
		v.mu.Unlock()
		input := &openapi3filter.RequestValidationInput{
			Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{
				AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
				MultiError:         true,
			},
		}
		return input, withoutArtefacts(r, openapi3filter.ValidateRequest(r.Context(), input))
	}
	return nil, fmt.Errorf("no operation in the specs matches %s %s", r.Method, r.URL.Path)
}

func validateResponse(ctx context.Context, input *openapi3filter.RequestValidationInput, rec *httptest.ResponseRecorder) error {
	if knownResponseGap(input.Request, rec.Code) {
		return nil
	}
	return withoutOpenZaakNulls(input.Request, withoutFieldsOpenZaakLeavesOut(input.Request, withoutListTypos(openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}))))
}

// openZaakNulls are, per API, fields its spec types as non-nullable that Open Zaak, the reference
// implementation, answers null while unset (its own spec marks them nullable). For Catalogi
// 1.3.1: those its recorded answers (../shared/oz-recordings) show null — the geldigheid and
// object dates, a statustype's doorlooptijd, a zaaktype's verlengingstermijn, an eigenschap's
// statustype, a catalogus' begindatumVersie — and the other optional durations and choices of
// the same models (servicenorm, termijnen, a resultaattype's archive fields).
var openZaakNulls = map[string]map[string]bool{
	"/zaken/api/v1/": {"gezetdoor": true, "zaakobjecttype": true},
	"/catalogi/api/v1/": {"beginGeldigheid": true, "eindeGeldigheid": true, "beginObject": true, "eindeObject": true,
		"doorlooptijd": true, "verlengingstermijn": true, "servicenorm": true, "statustype": true, "begindatumVersie": true,
		"publicatietermijn": true, "reactietermijn": true, "procestermijn": true, "indicatieSpecifiek": true,
		"archiefactietermijn": true, "archiefnominatie": true, "brondatumArchiefprocedure": true, "toelichting": true},
}

// withoutOpenZaakNulls drops the errors of an answer that only say one of openZaakNulls is
// null; every other error stays.
func withoutOpenZaakNulls(r *http.Request, err error) error {
	for prefix, fields := range openZaakNulls {
		if err == nil || !strings.HasPrefix(r.URL.Path, prefix) {
			continue
		}
		err = dropSchemaErrors(err, func(se *openapi3.SchemaError) bool {
			p := se.JSONPointer()
			return se.Value == nil && len(p) > 0 && fields[p[len(p)-1]]
		})
	}
	for prefix, fields := range openZaakBlanks {
		if err == nil || !strings.HasPrefix(r.URL.Path, prefix) {
			continue
		}
		err = dropSchemaErrors(err, func(se *openapi3.SchemaError) bool {
			p := se.JSONPointer()
			blankRule := se.SchemaField == "enum" || se.SchemaField == "minLength" || se.SchemaField == "pattern"
			return blankRule && se.Value == "" && len(p) > 0 && fields[p[len(p)-1]]
		})
	}
	return err
}

// openZaakBlanks are, per API, fields Open Zaak answers "" while unset (a blank field of its
// model) where the spec allows no "" (an enum without it, a minimum length, a pattern): a
// besluit's vervalreden and its weergave, a zaakobject's objectTypeOverige when it is no
// "overige".
var openZaakBlanks = map[string]map[string]bool{
	"/besluiten/api/v1/": {"vervalreden": true, "vervalredenWeergave": true},
	"/zaken/api/v1/":     {"objectTypeOverige": true},
}

// withoutFieldsOpenZaakLeavesOut drops the "required" errors of an answer for a field the
// reference implementation does not answer (notAnsweredByOpenZaak); every other error stays.
func withoutFieldsOpenZaakLeavesOut(r *http.Request, err error) error {
	if err == nil {
		return nil
	}
	return dropSchemaErrors(err, func(se *openapi3.SchemaError) bool {
		field, ok := strings.CutPrefix(se.Reason, `property "`)
		field, _, found := strings.Cut(field, `" is missing`)
		return se.SchemaField == "required" && ok && found && notAnsweredByOpenZaak(r.URL.Path, field)
	})
}

// dropSchemaErrors removes from err the schema errors drop says to, looking inside multi-errors
// and response errors; nil when none is left.
func dropSchemaErrors(err error, drop func(*openapi3.SchemaError) bool) error {
	var se *openapi3.SchemaError
	var re *openapi3filter.ResponseError
	var me openapi3.MultiError
	switch {
	case errors.As(err, &me):
		var kept openapi3.MultiError
		for _, e := range me {
			if e = dropSchemaErrors(e, drop); e != nil {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			return nil
		}
		return kept
	case errors.As(err, &re) && re.Err != nil:
		inner := dropSchemaErrors(re.Err, drop)
		if inner == nil {
			return nil
		}
		return &openapi3filter.ResponseError{Input: re.Input, Reason: re.Reason, Err: inner}
	case errors.As(err, &se) && drop(se):
		return nil
	}
	return err
}

func (v *Validator) record(r *http.Request, what string, err error) {
	msg := strings.ReplaceAll(err.Error(), "\n", " | ")
	if len(msg) > 1200 {
		msg = msg[:1200] + "…"
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.violations = append(v.violations, fmt.Sprintf("%s %s: %s: %s", r.Method, r.URL.Path, what, msg))
}

// ExpectInvalidRequests runs fn, which sends requests that break the specs on purpose (to
// show that the server refuses them), and returns how many did. Their responses are still
// validated.
func (v *Validator) ExpectInvalidRequests(fn func()) int {
	v.mu.Lock()
	v.expecting = 0
	v.mu.Unlock()
	fn()
	v.mu.Lock()
	defer v.mu.Unlock()
	n := v.expecting
	v.expecting = -1
	return n
}

// Violations returns what was found so far.
func (v *Validator) Violations() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.violations...)
}

// Checked is the number of requests that matched an operation of the specs.
func (v *Validator) Checked() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.checked
}

// withoutArtefacts drops the one known error of the specs themselves: they declare a
// Content-Type header parameter whose enum lists bare media types, while a multipart body must
// carry a boundary parameter (RFC 7578), so every correct multipart request would fail it. Only
// the media type is compared for that header; every other error stays.
func withoutArtefacts(r *http.Request, err error) error {
	var me openapi3.MultiError
	if !errors.As(err, &me) {
		return err
	}
	var kept openapi3.MultiError
	for _, e := range me {
		var re *openapi3filter.RequestError
		if errors.As(e, &re) && re.Parameter != nil && re.Parameter.In == "header" &&
			strings.EqualFold(re.Parameter.Name, "Content-Type") && mediaTypeAllowed(re.Parameter, r.Header.Get("Content-Type")) {
			continue
		}
		kept = append(kept, e)
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

// knownResponseGap reports the answers the Catalogi 1.3.1 spec leaves out although Open Zaak,
// the reference implementation, gives them: a DELETE of a type answers 204 (the spec lists 200
// for zaaktypen, besluittypen and informatieobjecttypen) and refuses a published type with 400
// (listed for no Catalogi DELETE); a created informatieobjecttype answers 201 (the spec: 200).
func knownResponseGap(r *http.Request, status int) bool {
	catalogi := strings.HasPrefix(r.URL.Path, "/catalogi/api/v1/")
	return catalogi && r.Method == http.MethodDelete && (status == http.StatusNoContent || status == http.StatusBadRequest) ||
		catalogi && r.Method == http.MethodPost && status == http.StatusCreated && strings.HasSuffix(r.URL.Path, "/informatieobjecttypen")
}

// listTypos are the Catalogi 1.3.1 spec's two list fields typed as a single string (a zaaktype's
// informatieobjecttypen, an informatieobjecttype's zaaktypen): Open Zaak answers lists of URLs
// there, as in the other relation fields.
var listTypos = map[string]bool{"informatieobjecttypen": true, "zaaktypen": true}

// withoutListTypos drops the schema errors of the listTypos from a response's errors; every
// other error stays.
func withoutListTypos(err error) error {
	var me openapi3.MultiError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &me):
	default:
		me = openapi3.MultiError{err}
	}
	var kept openapi3.MultiError
	for _, e := range me {
		var re *openapi3filter.ResponseError
		if errors.As(e, &re) {
			if re.Err = withoutListTypos(re.Err); re.Err == nil {
				continue
			}
			kept = append(kept, re)
			continue
		}
		var se *openapi3.SchemaError
		if errors.As(e, &se) && se.SchemaField == "type" && len(se.JSONPointer()) == 1 && listTypos[se.JSONPointer()[0]] {
			if _, isList := se.Value.([]any); isList {
				continue
			}
		}
		kept = append(kept, e)
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

func mediaTypeAllowed(p *openapi3.Parameter, header string) bool {
	mt, _, err := mime.ParseMediaType(header)
	if err != nil || p.Schema == nil || p.Schema.Value == nil {
		return false
	}
	for _, allowed := range p.Schema.Value.Enum {
		if s, ok := allowed.(string); ok && s == mt {
			return true
		}
	}
	return false
}

// Transport validates, on the client side, every request sent through next and its answer: for
// testing a server whose handler cannot be wrapped. Answers are buffered.
func (v *Validator) Transport(next http.RoundTripper) http.RoundTripper {
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
			r.Body.Close()
		}
		check := r.Clone(r.Context())
		check.Body = io.NopCloser(bytes.NewReader(body))
		input := v.checkRequest(check)
		r.Body = io.NopCloser(bytes.NewReader(body))
		resp, err := next.RoundTrip(r)
		if err != nil || input == nil {
			return resp, err
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		rec := httptest.NewRecorder()
		for k, vals := range resp.Header {
			rec.Header()[k] = vals
		}
		rec.WriteHeader(resp.StatusCode)
		rec.Body.Write(answer)
		if err := validateResponse(r.Context(), input, rec); err != nil {
			v.record(r, fmt.Sprintf("response %d", resp.StatusCode), err)
		}
		resp.Body = io.NopCloser(bytes.NewReader(answer))
		return resp, nil
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// components name the ZGW APIs as the Autorisaties API does, by their spec file's pattern.
var components = map[string]string{"catalogi-*.yaml": "ztc", "zaken-*.yaml": "zrc", "documenten-*.yaml": "drc",
	"besluiten-*.yaml": "brc", "notificaties-*.yaml": "nrc", "autorisaties-*.yaml": "ac"}

// OperationScopes is one operation of a ZGW API and the scopes its security block lists: any
// one of them allows it.
type OperationScopes struct {
	Component, Method, Path string
	Scopes                  []string
}

// SecurityScopes reads, from the spec files in dir, the scopes of every operation that has a
// security block. A requirement such as "(zaken.bijwerken | zaken.geforceerd-bijwerken)" lists
// alternatives.
func SecurityScopes(dir string) ([]OperationScopes, error) {
	var out []OperationScopes
	err := eachSpec(dir, func(glob, _, _ string, doc *openapi3.T) error {
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				if op.Security == nil {
					continue
				}
				o := OperationScopes{Component: components[glob], Method: method, Path: path}
				for _, req := range *op.Security {
					for _, claims := range req {
						for _, c := range claims {
							for _, alt := range strings.Split(strings.Trim(c, "()"), "|") {
								o.Scopes = append(o.Scopes, strings.TrimSpace(alt))
							}
						}
					}
				}
				out = append(out, o)
			}
		}
		return nil
	})
	return out, err
}
