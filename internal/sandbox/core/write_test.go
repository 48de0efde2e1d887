package core

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A write request's changes are one transaction: all of them kept when it succeeds, none when it
// ends in a server error; its answer goes out only after that, as the handler wrote it.
func TestAWriteRequestIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: t.TempDir(), ClientID: "client", Secret: "a-secret-of-at-least-32-bytes!!!!", SyncCommits: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name   string
		status int
		kept   bool
	}{
		{"created", http.StatusCreated, true},
		{"refused", http.StatusBadRequest, true}, // what it wrote before refusing (nothing, as a rule) is kept
		{"a server error halfway", http.StatusInternalServerError, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := NewUUID()
			handler := s.Write(func(w http.ResponseWriter, r *http.Request) {
				for _, part := range []string{id, NewUUID()} {
					if err := s.DB.Insert(r.Context(), "sample", part, id, "", Doc{"url": "/x/" + part}); err != nil {
						t.Fatal(err)
					}
				}
				w.Header().Set("Location", "/x/"+id)
				w.WriteHeader(tc.status)
				w.Write([]byte(`{"url":"/x/` + id + `"}`))
			})
			rec := httptest.NewRecorder()
			handler(rec, httptest.NewRequest(http.MethodPost, "/x", nil))
			if rec.Code != tc.status || rec.Header().Get("Location") != "/x/"+id || rec.Body.String() != `{"url":"/x/`+id+`"}` {
				t.Errorf("answered %d %v %q", rec.Code, rec.Header(), rec.Body)
			}
			parts, err := s.DB.Query(ctx, "sample", id, "")
			if err != nil {
				t.Fatal(err)
			}
			_, getErr := s.DB.Get(ctx, "sample", id)
			if kept := len(parts) == 2; kept != tc.kept || (getErr == nil) != tc.kept || (!tc.kept && !errors.Is(getErr, ErrNotFound)) {
				t.Errorf("%d of 2 writes kept (want all: %v), get: %v", len(parts), tc.kept, getErr)
			}
		})
	}
}
