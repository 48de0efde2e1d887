package objection

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func valid() Decision {
	return Decision{Reference: "B&W-2025-0412", Title: "Bezwaar", DecidedOn: "2025-05-13", Deadline: "2025-05-27",
		Accounts: []Account{{Platform: Facebook, Name: "Gemeente", Email: "a@b.nl", URL: "https://www.facebook.com/x"}}}
}

func TestDecisionValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(d *Decision)
		params string // the invalid parameter names, in order; "" for valid
	}{
		{"valid", func(d *Decision) {}, ""},
		{"trimmed reference", func(d *Decision) { d.Reference = "  R-1  " }, ""},
		{"no reference", func(d *Decision) { d.Reference = " " }, "reference"},
		{"long reference", func(d *Decision) { d.Reference = strings.Repeat("x", 41) }, "reference"},
		{"newline in reference", func(d *Decision) { d.Reference = "a\nb" }, "reference"},
		{"NUL in reference", func(d *Decision) { d.Reference = "B&W\x00-1" }, "reference"},
		{"right-to-left override in reference", func(d *Decision) { d.Reference = "B&W-\u202E2140" }, "reference"},
		{"no title", func(d *Decision) { d.Title = "" }, "title"},
		{"escape in title", func(d *Decision) { d.Title = "Bezwaar \x1b[31m" }, "title"},
		{"isolate in title", func(d *Decision) { d.Title = "Bezwaar \u2067x\u2069" }, "title"},
		{"override in account name", func(d *Decision) { d.Accounts[0].Name = "Gemeente\u202Ddlohcaab" }, "accounts[0].name"},
		{"line break in account name", func(d *Decision) { d.Accounts[0].Name = "Gemeente\nX" }, "accounts[0].name"},
		{"override in objection text", func(d *Decision) { d.ObjectionText = "Geachte\n\u202Ex" }, "objectionText"},
		{"line breaks in objection text", func(d *Decision) { d.ObjectionText = "Geachte heer,\r\n\tWij maken bezwaar." }, ""},
		{"bad date", func(d *Decision) { d.DecidedOn = "2025-13-01" }, "decidedOn"},
		{"deadline before", func(d *Decision) { d.Deadline = "2025-05-01" }, "deadline"},
		{"year out of range", func(d *Decision) { d.DecidedOn = "1900-01-01" }, "decidedOn"},
		{"no accounts", func(d *Decision) { d.Accounts = nil }, "accounts"},
		{"too many", func(d *Decision) { d.Accounts = make([]Account, MaxAccounts+1) }, "accounts"},
		{"platform", func(d *Decision) { d.Accounts[0].Platform = "tiktok" }, "accounts[0].platform"},
		{"email with name", func(d *Decision) { d.Accounts[0].Email = "Jan <a@b.nl>" }, "accounts[0].email"},
		{"http url", func(d *Decision) { d.Accounts[0].URL = "http://x" }, "accounts[0].url"},
		{"duplicate", func(d *Decision) { d.Accounts = append(d.Accounts, d.Accounts[0]) }, "accounts[1]"},
		{"several", func(d *Decision) { d.Title, d.DecidedOn = "", "" }, "title,decidedOn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := valid()
			tc.change(&d)
			err := d.Validate()
			var names []string
			if e, ok := err.(*Error); ok {
				for _, p := range e.Params {
					names = append(names, p.Name)
				}
				if e.Code != CodeInvalid {
					t.Errorf("code %s", e.Code)
				}
			}
			if got := strings.Join(names, ","); got != tc.params {
				t.Errorf("invalid params %q, want %q (%v)", got, tc.params, err)
			}
		})
	}
}

func TestFingerprintAndConfirmed(t *testing.T) {
	a, b := valid(), valid()
	if a.Fingerprint("") != b.Fingerprint("") || a.Fingerprint("d1") != b.Fingerprint("d1") {
		t.Error("equal decisions differ")
	}
	if a.Fingerprint("") == a.Fingerprint("d1") || a.Fingerprint("d1") == a.Fingerprint("d2") {
		t.Error("the same decision with another document shares a fingerprint")
	}
	b.Title = "Anders"
	if a.Fingerprint("") == b.Fingerprint("") {
		t.Error("different decisions share a fingerprint")
	}
	c := Case{Accounts: []AccountState{{ConfirmedBy: "x"}, {}}}
	if c.AllConfirmed() {
		t.Error("one account unconfirmed")
	}
	c.Accounts[1].ConfirmedBy = "y"
	if !c.AllConfirmed() || (&Case{}).AllConfirmed() {
		t.Error("AllConfirmed")
	}
}

// TestValidReason: a reason is required, bounded, and holds no hidden characters.
func TestValidReason(t *testing.T) {
	for reason, ok := range map[string]bool{"Meta antwoordt niet": true, " ": false, strings.Repeat("x", 1001): false,
		"Meta\u202Eantwoordt": false, "regel 1\nregel 2": true} {
		if err := ValidReason(reason); (err == nil) != ok {
			t.Errorf("ValidReason(%q) = %v, want ok %v", reason, err, ok)
		}
	}
}

// OpenStates are exactly the states Open reports as open.
func TestOpenStates(t *testing.T) {
	for _, s := range States {
		if s.Open() != slices.Contains(OpenStates, s) {
			t.Errorf("state %s: Open %v, in OpenStates %v", s, s.Open(), slices.Contains(OpenStates, s))
		}
	}
}

// The dates of a new decision are held to the day it is registered: not decided in the future,
// and a deadline already past only when said on purpose.
func TestCheckDates(t *testing.T) {
	now := time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC) // 7 December, 00:30 in Amsterdam
	for _, tc := range []struct {
		name, decided, deadline string
		accept                  bool
		params                  string
	}{
		{"decided today, deadline ahead", "2026-12-07", "2026-12-21", false, ""},
		{"decided earlier, no deadline", "2025-05-13", "", false, ""},
		{"decided tomorrow", "2026-12-08", "", false, "decidedOn"},
		{"the deadline is today: not past", "2026-12-01", "2026-12-07", false, ""},
		{"the deadline was yesterday", "2026-12-01", "2026-12-06", false, "deadline"},
		{"the deadline was yesterday, registered on purpose", "2026-12-01", "2026-12-06", true, ""},
		{"on purpose does not allow the future", "2026-12-09", "2026-12-06", true, "decidedOn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := valid()
			d.DecidedOn, d.Deadline, d.AcceptPastDeadline = tc.decided, tc.deadline, tc.accept
			var names []string
			if e, ok := d.CheckDates(now).(*Error); ok {
				for _, p := range e.Params {
					names = append(names, p.Name)
				}
			}
			if got := strings.Join(names, ","); got != tc.params {
				t.Errorf("invalid params %q, want %q", got, tc.params)
			}
		})
	}
	d := valid()
	accepted := d
	accepted.AcceptPastDeadline = true
	if d.Fingerprint("") != accepted.Fingerprint("") {
		t.Error("saying a past deadline is meant changes the decision's fingerprint: repeating it without would conflict")
	}
}
