package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// An application error is answered as problem+json with its code and fields; any other error is
// internal: logged, and answered without its text (which may hold what a client must not see).
func TestWriteError(t *testing.T) {
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		typ        string
		detail     string
		params     int
		logs, hide string
	}{
		{"invalid, with its fields", &objection.Error{Code: objection.CodeInvalid, Message: "the decision is not valid",
			Params: []objection.Param{{Name: "reference", Code: "required", Reason: "required"}, {Name: "title", Code: "required", Reason: "required"}}},
			400, "https://meta-bezwaar-connector/problems/invalid", "the decision is not valid", 2, "", ""},
		{"internal", errors.New("dial tcp 10.0.0.5:5432: password=geheim refused"), 500, "about:blank",
			"an internal error occurred; it has been logged", 0, "password=geheim", "geheim"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/api/v1/decisions", nil)
			r = r.WithContext(contextWithLogger(r, log))
			w := httptest.NewRecorder()
			writeError(w, r, tc.err)
			var p problem
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			if w.Code != tc.status || w.Header().Get("Content-Type") != "application/problem+json" || p.Status != tc.status ||
				p.Type != tc.typ || p.Title != http.StatusText(tc.status) || p.Detail != tc.detail || p.Instance != "/api/v1/decisions" || len(p.InvalidParams) != tc.params {
				t.Errorf("answered %d %s: %+v", w.Code, w.Header().Get("Content-Type"), p)
			}
			if tc.hide != "" && strings.Contains(w.Body.String(), tc.hide) {
				t.Errorf("the answer shows %q: %s", tc.hide, w.Body)
			}
			if tc.logs != "" && !strings.Contains(logged.String(), tc.logs) {
				t.Errorf("the log lacks the internal error: %s", logged.String())
			}
		})
	}
}

func TestPageOf(t *testing.T) {
	for _, tc := range []struct {
		query        string
		number, size int
		bad          string
	}{
		{"", 1, 100, ""},
		{"page=3&pageSize=20", 3, 20, ""},
		{"page=0", 0, 0, "page"},
		{"page=x", 0, 0, "page"},
		{"page=1&page=2", 0, 0, "page"},
		{"pageSize=101", 0, 0, "pageSize"},
		{"pageSize=0", 0, 0, "pageSize"},
	} {
		p, err := pageOf(httptest.NewRequest(http.MethodGet, "/api/v1/cases?"+tc.query, nil))
		var e *objection.Error
		switch {
		case tc.bad == "" && (err != nil || p.Number != tc.number || p.Size != tc.size):
			t.Errorf("%q: %+v, %v", tc.query, p, err)
		case tc.bad != "" && (!errors.As(err, &e) || e.Code != objection.CodeInvalid || len(e.Params) != 1 || e.Params[0].Name != tc.bad):
			t.Errorf("%q: %v, want a refusal naming %s", tc.query, err, tc.bad)
		}
	}
}

func TestListOf(t *testing.T) {
	str := func(p *string) string {
		if p == nil {
			return "null"
		}
		return *p
	}
	for _, tc := range []struct {
		page, size, total, items int
		next, previous           string
	}{
		{1, 100, 0, 0, "null", "null"},
		{1, 2, 5, 2, "/api/v1/cases?page=2&pageSize=2", "null"},
		{2, 2, 5, 2, "/api/v1/cases?page=3&pageSize=2", "/api/v1/cases?page=1&pageSize=2"},
		{3, 2, 5, 1, "null", "/api/v1/cases?page=2&pageSize=2"},
		// A page beyond the last one leads back to the last one.
		{9, 2, 5, 0, "null", "/api/v1/cases?page=3&pageSize=2"},
		{2, 100, 150, 50, "null", "/api/v1/cases?page=1"},
	} {
		l := listOf(httptest.NewRequest(http.MethodGet, "/api/v1/cases", nil), objection.Page{Number: tc.page, Size: tc.size}, tc.total, make([]int, tc.items))
		if str(l.Next) != tc.next || str(l.Previous) != tc.previous || l.Count != tc.total || l.Results == nil {
			t.Errorf("page %d of %d by %d: next %s, previous %s, count %d", tc.page, tc.total, tc.size, str(l.Next), str(l.Previous), l.Count)
		}
	}
}

// TestAuth: only an HS256 JWT of a configured client, recent by its iat (and within exp and nbf
// when it has them), passes; the client's roles decide what it reaches.
func TestAuth(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	a := &Auth{Clients: []config.Client{{ID: "intake", Secret: "a-secret-of-the-intake-client-32b", Roles: []config.Role{config.RoleRegistrar}},
		{ID: "audit", Secret: "a-secret-of-the-auditing-client-32", Roles: []config.Role{config.RoleAuditor}}},
		MaxAge: time.Hour, Now: func() time.Time { return now }}
	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	hs := func(id, secret string, extra jwt.MapClaims) string {
		claims := jwt.MapClaims{"client_id": id, "iat": now.Add(-time.Minute).Unix()}
		for k, v := range extra {
			claims[k] = v
		}
		return "Bearer " + sign(jwt.SigningMethodHS256, []byte(secret), claims)
	}
	intake, audit := a.Clients[0], a.Clients[1]
	for _, tc := range []struct {
		name, header string
		want         int
	}{
		{"no header", "", 401},
		{"another scheme", "Basic " + strings.TrimPrefix(hs(intake.ID, intake.Secret, nil), "Bearer "), 401},
		{"the scheme in lower case", "bearer " + strings.TrimPrefix(hs(intake.ID, intake.Secret, nil), "Bearer "), 200},
		{"a registrar", hs(intake.ID, intake.Secret, nil), 200},
		{"an auditor where a registrar is needed", hs(audit.ID, audit.Secret, nil), 403},
		{"another client's secret", hs(intake.ID, audit.Secret, nil), 401},
		{"an unknown client", hs("stranger", intake.Secret, nil), 401},
		{"alg none", "Bearer " + sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, jwt.MapClaims{"client_id": intake.ID, "iat": now.Unix()}), 401},
		{"HS512", "Bearer " + sign(jwt.SigningMethodHS512, []byte(intake.Secret), jwt.MapClaims{"client_id": intake.ID, "iat": now.Unix()}), 401},
		{"no iat", hs(intake.ID, intake.Secret, jwt.MapClaims{"iat": nil}), 401},
		{"iat two hours ago", hs(intake.ID, intake.Secret, jwt.MapClaims{"iat": now.Add(-2 * time.Hour).Unix()}), 401},
		{"iat an hour ahead", hs(intake.ID, intake.Secret, jwt.MapClaims{"iat": now.Add(time.Hour).Unix()}), 401},
		{"exp passed", hs(intake.ID, intake.Secret, jwt.MapClaims{"exp": now.Add(-time.Hour).Unix()}), 401},
		{"nbf ahead", hs(intake.ID, intake.Secret, jwt.MapClaims{"nbf": now.Add(time.Hour).Unix()}), 401},
		{"exp not a number", hs(intake.ID, intake.Secret, jwt.MapClaims{"exp": "later"}), 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reached := ""
			h := a.Require(func(w http.ResponseWriter, r *http.Request) {
				p := objection.PrincipalOf(r.Context())
				reached = p.ID + "/" + p.Name + "/" + p.Via
				if !p.Has(config.RoleRegistrar) {
					reached += "/without its roles"
				}
			}, config.RoleRegistrar)
			r := httptest.NewRequest(http.MethodPost, "/api/v1/decisions", strings.NewReader("{}"))
			if tc.header != "" {
				r.Header.Set("Authorization", tc.header)
			}
			w := httptest.NewRecorder()
			h(w, r)
			switch {
			case w.Code != tc.want:
				t.Errorf("%d, want %d: %s", w.Code, tc.want, w.Body)
			case tc.want == 200 && reached != "intake/intake/token":
				t.Errorf("the handler saw the principal %q", reached)
			case tc.want != 200 && (reached != "" || w.Header().Get("Connection") != "close"):
				t.Errorf("a refused request reached the handler (%q) or kept its connection", reached)
			case tc.want == 401 && w.Header().Get("WWW-Authenticate") == "":
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

// contextWithLogger is the request's context with the logger writeError reports to.
func contextWithLogger(r *http.Request, log *slog.Logger) context.Context {
	return context.WithValue(r.Context(), loggerKey{}, log)
}

// A case answered with its e-mails carries both: the case's fields (its state among them) and
// the e-mails.
func TestCaseDetailHasTheCaseAndItsMails(t *testing.T) {
	c := objection.NewCase("case-1", objection.Decision{Reference: "R-1"}, time.Now())
	b, err := json.Marshal(caseDetail{Case: c, Confirmations: []*objection.Confirmation{{ID: "mail-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID            string `json:"id"`
		State         string `json:"state"`
		Confirmations []struct {
			ID string `json:"id"`
		} `json:"confirmations"`
	}
	if err := json.Unmarshal(b, &got); err != nil || got.ID != "case-1" || got.State != "received" || len(got.Confirmations) != 1 || got.Confirmations[0].ID != "mail-1" {
		t.Errorf("answered %s (%+v, %v)", b, got, err)
	}
}
