package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/specs"
	"sigs.k8s.io/yaml"
)

// The replay test: Open Forms recorded its ZGW registration against a real Open Zaak (Zaken
// 1.5.1, Catalogi 1.3.1; ../shared/oz-recordings, VCR cassettes). Each cassette is replayed
// against a fresh sandbox — its catalogue seeded from the recorded Catalogi answers, each
// recorded request sent in order with the recording's host and the URLs of what it created
// rewritten to the sandbox's — and every answer is compared with Open Zaak's: status, keys, value
// types and values (values that differ by nature — the moment, a generated identificatie — by
// their form only). What differs is held to testdata/oz-replay-known-differences.txt: a new
// difference fails the test, and so does a listed one that no longer occurs (remove it).

// cassette is a VCR.py recording.
type cassette struct {
	Interactions []struct {
		Request struct {
			Method  string              `json:"method"`
			URI     string              `json:"uri"`
			Body    any                 `json:"body"`
			Headers map[string][]string `json:"headers"`
		} `json:"request"`
		Response struct {
			Status struct {
				Code int `json:"code"`
			} `json:"status"`
			Body struct {
				String string `json:"string"`
			} `json:"body"`
		} `json:"response"`
	} `json:"interactions"`
}

// recordedHost is where Open Zaak answered in the recordings; other hosts (Haal Centraal BRP, the
// Objects API) are no part of a zaaksysteem and are not replayed.
const recordedHost = "http://localhost:8003"

const knownDifferencesFile = "testdata/oz-replay-known-differences.txt"

func TestReplayOpenZaakRecordings(t *testing.T) {
	dir, err := specs.Dir()
	if err != nil {
		citest.Missing(t, err.Error())
	}
	root := filepath.Join(filepath.Dir(dir), "oz-recordings", "open-forms")
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		citest.Missing(t, "no recordings in "+root)
	}
	sort.Strings(files)
	var found []string
	replayed, skipped := 0, map[string]int{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, root+"/"), ".yaml")
		diffs, n, skips := replayCassette(t, f)
		replayed += n
		for why, k := range skips {
			skipped[why] += k
		}
		for _, d := range diffs {
			found = append(found, name+" "+d)
		}
	}
	t.Logf("%d cassettes, %d interactions replayed, not replayable: %v", len(files), replayed, skipped)
	known := map[string]bool{}
	if raw, err := os.ReadFile(knownDifferencesFile); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				known[line] = true
			}
		}
	}
	seen := map[string]bool{}
	for _, d := range found {
		seen[d] = true
		if !known[d] {
			t.Errorf("differs from Open Zaak: %s", d)
		}
	}
	for d := range known {
		if !seen[d] {
			t.Errorf("no longer differs (remove it from %s): %s", knownDifferencesFile, d)
		}
	}
	if os.Getenv("REPLAY_WRITE_KNOWN") != "" {
		sort.Strings(found)
		os.WriteFile(knownDifferencesFile, []byte("# What the sandbox still answers otherwise than Open Zaak in the replayed recordings (TestReplayOpenZaakRecordings).\n"+strings.Join(slices.Compact(found), "\n")+"\n"), 0o644)
	}
}

// replayCassette replays one recording against a fresh sandbox and returns its differences
// ("#<interaction> <METHOD> <path>: <what>"), how many interactions it replayed and why others
// were not.
func replayCassette(t *testing.T, file string) ([]string, int, map[string]int) {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c cassette
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	// The recording of an Open Zaak configured to accept unpublished zaaktypen replays against a
	// sandbox with that switch.
	env := sandboxtest.StartUnvalidated(t, func(c *sandbox.Config) { c.AcceptConceptZaaktypen = strings.Contains(file, "unpublished_case_types") })
	r := &replayer{t: t, base: env.URL, urls: map[string]string{}}
	seedFromRecording(t, env, &c)
	auth := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	var diffs []string
	skipped := map[string]int{}
	n := 0
	for i, it := range c.Interactions {
		if !strings.HasPrefix(it.Request.URI, recordedHost+"/") {
			u, _ := url.Parse(it.Request.URI)
			skipped["not Open Zaak ("+u.Host+": Haal Centraal BRP or the Objects API)"]++
			continue
		}
		if body := bodyString(it.Request.Body); strings.Contains(body, "localhost:8001/") || strings.Contains(body, "host.docker.internal:8001/") {
			skipped["names an object in the Objects API, which is not replayed (Open Zaak checked it there)"]++
			continue
		}
		n++
		body := bodyString(it.Request.Body)
		req, _ := http.NewRequest(it.Request.Method, r.rewrite(it.Request.URI), strings.NewReader(r.rewrite(body)))
		req.Header.Set("Authorization", "Bearer "+auth)
		for _, h := range []string{"Content-Type", "Accept-Crs", "Content-Crs"} {
			if v := it.Request.Headers[h]; len(v) > 0 {
				req.Header.Set(h, v[0])
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if os.Getenv("REPLAY_DEBUG") != "" && strings.Contains(file, os.Getenv("REPLAY_DEBUG")) {
			t.Logf("#%d %s %s\n  sent %s\n  got %d %s\n  OZ %s", i, req.Method, req.URL, r.rewrite(body), resp.StatusCode, got, it.Response.Body.String)
		}
		u, _ := url.Parse(it.Request.URI)
		where := fmt.Sprintf("#%d %s %s", i, it.Request.Method, pathShape(u.Path))
		if resp.StatusCode != it.Response.Status.Code {
			diffs = append(diffs, fmt.Sprintf("%s: status %d, Open Zaak %d", where, resp.StatusCode, it.Response.Status.Code))
			continue
		}
		var want, have any
		if json.Unmarshal([]byte(it.Response.Body.String), &want) != nil || json.Unmarshal(got, &have) != nil {
			continue
		}
		if strings.HasSuffix(u.Path, "/download") {
			continue // the bytes the replay uploaded, its URLs rewritten: nothing of Open Zaak's making
		}
		if it.Request.Method == http.MethodPost && resp.StatusCode == http.StatusCreated {
			r.learn(want, have)
		}
		// The order of a seeded catalogue's lists is the order Open Zaak's was made in, which the
		// recording does not hold: they are compared as sets.
		r.unordered = strings.Contains(u.Path, "/catalogi/api/v1/")
		for _, d := range r.compare("", want, have) {
			diffs = append(diffs, where+": "+stable(d, env.URL))
		}
	}
	return slices.Compact(diffs), n, skipped
}

// stable writes a difference the same way in every run: without the sandbox's address and with
// its uuids as {uuid} (the ones the sandbox makes differ each time).
func stable(d, base string) string {
	return uuidPattern.ReplaceAllString(strings.ReplaceAll(d, base, ""), "{uuid}")
}

func bodyString(b any) string {
	switch v := b.(type) {
	case string:
		return v
	case nil:
		return ""
	}
	out, _ := json.Marshal(b)
	return string(out)
}

// pathShape is a path with its uuids as {uuid}: the same operation in every cassette.
var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func pathShape(p string) string { return uuidPattern.ReplaceAllString(p, "{uuid}") }

// replayer rewrites a recording's URLs to the sandbox's and compares answers.
type replayer struct {
	t    *testing.T
	base string
	urls map[string]string // recorded URL of a created resource → the sandbox's
	// unordered: lists are compared as sets (the seeded catalogue's).
	unordered bool
}

// rewrite puts the sandbox's URLs in place of the recording's, also where a query string carries
// them escaped.
func (r *replayer) rewrite(s string) string {
	for old, now := range r.urls {
		s = strings.ReplaceAll(strings.ReplaceAll(s, old, now), url.QueryEscape(old), url.QueryEscape(now))
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, recordedHost, r.base), url.QueryEscape(recordedHost), url.QueryEscape(r.base))
}

// learn maps the URLs (and uuids) of what a POST created, recorded and here.
func (r *replayer) learn(want, have any) {
	w, _ := want.(map[string]any)
	h, _ := have.(map[string]any)
	if wu, ok := w["url"].(string); ok {
		if hu, ok := h["url"].(string); ok {
			r.urls[wu] = hu
			r.urls[strings.TrimPrefix(wu, recordedHost)] = strings.TrimPrefix(hu, r.base)
			if wid, hid := path.Base(wu), path.Base(hu); wid != hid {
				r.urls[wid] = hid
			}
		}
	}
}

var (
	dateValue     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dateTimeValue = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)
)

// volatile are fields whose value is the zaaksysteem's own making each time (generated numbers,
// the moment of registration): compared by form only.
var volatile = map[string]bool{"identificatie": true, "uuid": true, "instance": true}

// compare lists how have differs from want at path p.
func (r *replayer) compare(p string, want, have any) []string {
	kind := func(v any) string {
		switch v.(type) {
		case nil:
			return "null"
		case string:
			return "string"
		case float64:
			return "number"
		case bool:
			return "boolean"
		case []any:
			return "array"
		}
		return "object"
	}
	if kind(want) != kind(have) {
		return []string{fmt.Sprintf("%s is %s %s, Open Zaak %s %s", pathOr(p), kind(have), short(have), kind(want), short(want))}
	}
	switch w := want.(type) {
	case map[string]any:
		h := have.(map[string]any)
		var out []string
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			hv, ok := h[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s missing (Open Zaak: %s)", p+"/"+k, short(w[k])))
				continue
			}
			if volatile[k] {
				continue
			}
			out = append(out, r.compare(p+"/"+k, w[k], hv)...)
		}
		var extra []string
		for k := range h {
			if _, ok := w[k]; !ok {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		for _, k := range extra {
			out = append(out, fmt.Sprintf("%s answered, Open Zaak has no such field", p+"/"+k))
		}
		return out
	case []any:
		h := have.([]any)
		if len(w) != len(h) {
			return []string{fmt.Sprintf("%s has %d items, Open Zaak %d", pathOr(p), len(h), len(w))}
		}
		if r.unordered {
			w, h = r.sortedLike(w), r.sortedLike(h)
		}
		var out []string
		for i := range w {
			out = append(out, r.compare(fmt.Sprintf("%s/%d", p, i), w[i], h[i])...)
		}
		return out
	case string:
		hs := have.(string)
		switch {
		case r.rewrite(w) == hs:
		case dateTimeValue.MatchString(w) && dateTimeValue.MatchString(hs), dateValue.MatchString(w) && dateValue.MatchString(hs):
			// the moment of the replay, not of the recording
		default:
			return []string{fmt.Sprintf("%s is %s, Open Zaak %s", pathOr(p), short(hs), short(r.rewrite(w)))}
		}
	default:
		if fmt.Sprint(want) != fmt.Sprint(have) {
			return []string{fmt.Sprintf("%s is %v, Open Zaak %v", pathOr(p), have, want)}
		}
	}
	return nil
}

// sortedLike orders a list by its items' URLs (or the items themselves), with the recording's
// URLs written as the sandbox's, so that two lists of the same items compare equal.
func (r *replayer) sortedLike(list []any) []any {
	key := func(x any) string {
		if m, ok := x.(map[string]any); ok {
			if u, ok := m["url"].(string); ok {
				return r.rewrite(u)
			}
		}
		b, _ := json.Marshal(x)
		return r.rewrite(string(b))
	}
	out := slices.Clone(list)
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

func pathOr(p string) string {
	if p == "" {
		return "the answer"
	}
	return p
}

// short renders a value for a difference, without the replay's own host.
func short(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

// seedFromRecording stores the catalogue the recording's Catalogi answers show, with their own
// uuids: catalogussen, zaaktypen, informatieobjecttypen, statustypen, roltypen, eigenschappen and
// resultaattypen, and a zaaktype-informatieobjecttype for each informatieobjecttype a zaaktype
// names.
func seedFromRecording(t *testing.T, env *sandboxtest.Env, c *cassette) {
	ctx := context.Background()
	kinds := map[string]string{"catalogussen": "catalogus", "zaaktypen": "zaaktype", "informatieobjecttypen": "informatieobjecttype",
		"statustypen": "statustype", "roltypen": "roltype", "eigenschappen": "eigenschap", "resultaattypen": "resultaattype"}
	seen := map[string]bool{}
	var ziots []map[string]any
	order := []string{"catalogus", "informatieobjecttype", "zaaktype", "statustype", "roltype", "eigenschap", "resultaattype"}
	byKind := map[string][]map[string]any{}
	for _, it := range c.Interactions {
		if it.Request.Method != http.MethodGet || !strings.HasPrefix(it.Request.URI, recordedHost+"/catalogi/api/v1/") || it.Response.Status.Code != 200 {
			continue
		}
		var body map[string]any
		if json.Unmarshal([]byte(it.Response.Body.String), &body) != nil {
			continue
		}
		items := []any{body}
		if results, ok := body["results"].([]any); ok {
			items = results
		}
		for _, x := range items {
			d, ok := x.(map[string]any)
			u, _ := d["url"].(string)
			if !ok || seen[u] {
				continue
			}
			collection := strings.Split(strings.TrimPrefix(u, recordedHost+"/catalogi/api/v1/"), "/")[0]
			kind, ok := kinds[collection]
			if !ok {
				continue
			}
			seen[u] = true
			var local map[string]any
			json.Unmarshal(bytes.ReplaceAll(mustJSON(d), []byte(recordedHost), nil), &local)
			byKind[kind] = append(byKind[kind], local)
			if kind == "zaaktype" {
				for i, iot := range anyStrings(local["informatieobjecttypen"]) {
					ziots = append(ziots, map[string]any{"url": "/catalogi/api/v1/zaaktype-informatieobjecttypen/" + fmt.Sprintf("%08d-0000-4000-8000-%012d", len(ziots), i),
						"zaaktype": local["url"], "informatieobjecttype": iot, "volgnummer": float64(i + 1), "richting": "inkomend", "statustype": nil})
				}
			}
		}
	}
	// An informatieobjecttype names its zaaktypen too: the links the recorded zaaktypen did not show.
	linked := map[string]bool{}
	for _, z := range ziots {
		linked[fmt.Sprint(z["zaaktype"], z["informatieobjecttype"])] = true
	}
	for _, iot := range byKind["informatieobjecttype"] {
		for _, zt := range anyStrings(iot["zaaktypen"]) {
			if !linked[fmt.Sprint(zt, iot["url"])] {
				linked[fmt.Sprint(zt, iot["url"])] = true
				ziots = append(ziots, map[string]any{"url": "/catalogi/api/v1/zaaktype-informatieobjecttypen/" + fmt.Sprintf("%08d-0000-4000-8000-%012d", len(ziots), 0),
					"zaaktype": zt, "informatieobjecttype": iot["url"], "volgnummer": float64(len(ziots) + 1), "richting": "inkomend", "statustype": nil})
			}
		}
	}
	byKind["ziot"] = ziots
	// The types a recorded zaaktype or catalogus names but the recording never read: stored as
	// stubs of their owner, so that the lists derived from them (a zaaktype's statustypen, a
	// catalogus's zaaktypen) come out as Open Zaak answered them.
	children := map[string]string{"statustypen": "statustype", "resultaattypen": "resultaattype", "roltypen": "roltype", "eigenschappen": "eigenschap"}
	for _, zt := range byKind["zaaktype"] {
		for field, kind := range children {
			for _, u := range anyStrings(zt[field]) {
				if !seen[recordedHost+u] {
					seen[recordedHost+u] = true
					byKind[kind] = append(byKind[kind], map[string]any{"url": u, "zaaktype": zt["url"], "omschrijving": "(not recorded)"})
				}
			}
		}
	}
	for _, cat := range byKind["catalogus"] {
		for field, kind := range map[string]string{"zaaktypen": "zaaktype", "informatieobjecttypen": "informatieobjecttype"} {
			for _, u := range anyStrings(cat[field]) {
				if !seen[recordedHost+u] {
					seen[recordedHost+u] = true
					byKind[kind] = append(byKind[kind], map[string]any{"url": u, "catalogus": cat["url"], "omschrijving": "(not recorded)", "concept": true})
				}
			}
		}
	}
	// Stored in the order their owners list them, which is the order the sandbox lists them in.
	position := map[string]int{}
	for _, owner := range append(byKind["catalogus"], byKind["zaaktype"]...) {
		for _, field := range []string{"zaaktypen", "informatieobjecttypen", "statustypen", "resultaattypen", "roltypen", "eigenschappen"} {
			for i, u := range anyStrings(owner[field]) {
				position[u] = i
			}
		}
	}
	for _, kind := range order {
		sort.SliceStable(byKind[kind], func(i, j int) bool {
			return position[fmt.Sprint(byKind[kind][i]["url"])] < position[fmt.Sprint(byKind[kind][j]["url"])]
		})
	}
	for _, kind := range append(order, "ziot") {
		for _, d := range byKind[kind] {
			if err := env.Sandbox.ImportCatalogueType(ctx, kind, d); err != nil {
				t.Fatalf("seeding %s %v: %v", kind, d["url"], err)
			}
		}
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func anyStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
