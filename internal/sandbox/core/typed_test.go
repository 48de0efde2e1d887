package core

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

type typedSample struct {
	Titel   string   `json:"titel"`
	Versie  int      `json:"versie"`
	Datum   *string  `json:"datum"`
	Woorden []string `json:"woorden"`
	Lock    string   `json:"__lock,omitempty"`
}

// Fits refuses what applying would refuse or silently drop; Apply changes only what was sent.
func TestTypedResourcesTakeOnlyWhatFits(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sent    Doc
		refused []string
	}{
		{"fitting values", Doc{"titel": "t", "versie": 2, "datum": nil, "woorden": nil, "onbekend": 1}, nil},
		{"null for a text", Doc{"titel": nil}, []string{"titel:null"}},
		{"text for a number", Doc{"versie": "twee"}, []string{"versie:invalid"}},
		{"number for a list", Doc{"woorden": 3}, []string{"woorden:invalid"}},
		{"a field refused before keeps that reason", Doc{"titel": true}, []string{"titel:blank"}},
		{"a number for a text is its text", Doc{"titel": json.Number("2")}, nil},
		{"true for a text", Doc{"titel": true}, []string{"titel:invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &Validation{}
			if tc.name == "a field refused before keeps that reason" {
				v.Add("titel", "blank", "al geweigerd")
			}
			Fits[typedSample](v, tc.sent)
			var got []string
			for _, p := range v.Params {
				got = append(got, p.Name+":"+p.Code)
			}
			if !slices.Equal(got, tc.refused) {
				t.Errorf("refused %v, want %v", got, tc.refused)
			}
		})
	}
	datum := "2025-05-13"
	res := typedSample{Titel: "oud", Versie: 1, Datum: &datum, Woorden: []string{"a"}, Lock: "geheim"}
	if err := Apply(&res, Doc{"versie": 2, "datum": nil}); err != nil {
		t.Fatal(err)
	}
	if res.Titel != "oud" || res.Versie != 2 || res.Datum != nil || !slices.Equal(res.Woorden, []string{"a"}) || res.Lock != "geheim" {
		t.Errorf("after a PATCH: %+v", res)
	}
}

func TestANumberForATextIsItsText(t *testing.T) {
	res, err := As[typedSample](Doc{"titel": json.Number("2"), "versie": json.Number("3")})
	if err != nil || res.Titel != "2" || res.Versie != 3 {
		t.Errorf("%+v, %v", res, err)
	}
}

// The sandbox's own fields (a lock's id) are neither taken from a client nor answered to one.
func TestTheSandboxsOwnFieldsStayItsOwn(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/documenten/api/v1/enkelvoudiginformatieobjecten", strings.NewReader(`{"titel":"t","__lock":"van de client"}`))
	d, ok := ReadJSON(httptest.NewRecorder(), r)
	if !ok || d["__lock"] != nil || d["titel"] != "t" {
		t.Errorf("read %v", d)
	}
	w := httptest.NewRecorder()
	Render(w, r, http.StatusOK, typedSample{Titel: "t", Lock: "geheim"})
	if strings.Contains(w.Body.String(), "geheim") || !strings.Contains(w.Body.String(), `"titel":"t"`) {
		t.Errorf("answered %s", w.Body)
	}
}
