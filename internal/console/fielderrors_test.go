package console

import (
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// A refused parameter becomes the id of its field and Dutch words; the API's names and English
// never reach the page.
func TestFieldErrors(t *testing.T) {
	for _, tc := range []struct {
		param objection.Param
		ids   map[string]string
		id    string
		text  string
	}{
		{objection.Param{Name: "reference", Code: "required"}, nil, "reference", "Vul het kenmerk van het besluit in."},
		{objection.Param{Name: "accounts[1].email", Code: "invalid"}, nil, "account1_email", "Vul een gewoon e-mailadres in, zoals communicatie@gemeente.nl: Meta schrijft daarheen."},
		{objection.Param{Name: "accounts[0]", Code: "duplicate"}, nil, "account0_name", "Dit account staat er twee keer in."},
		{objection.Param{Name: "accounts", Code: "required"}, nil, "account0_name", "Vul ten minste één account in."},
		{objection.Param{Name: "deadline", Code: "passed"}, nil, "deadline", "Deze datum is al voorbij. Wilt u het besluit toch vastleggen? Vink dan het vakje onder de datum aan."},
		{objection.Param{Name: "decidedOn", Code: "in_future"}, nil, "decidedOn", "De datum van het besluit ligt in de toekomst."},
		{objection.Param{Name: "reason", Code: "required"}, map[string]string{"reason": "close-reason"}, "close-reason", "Vul de reden in."},
		{objection.Param{Name: "evidence", Code: "invalid_type"}, map[string]string{"evidence": "proof"}, "proof", "Kies een PNG- of JPEG-afbeelding, een PDF of een e-mail (.eml)."},
		{objection.Param{Name: "title", Code: "something_new"}, nil, "title", "De titel klopt niet."},
	} {
		got := fieldErrors([]objection.Param{tc.param}, tc.ids)
		if len(got) != 1 || got[0].ID != tc.id || got[0].Text != tc.text {
			t.Errorf("%s/%s: %+v, want %s %q", tc.param.Name, tc.param.Code, got, tc.id, tc.text)
		}
	}
}
