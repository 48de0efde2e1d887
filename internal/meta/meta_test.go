package meta

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// corpus signs the test mails with one key published for Meta's domains and, separately, for a
// look-alike domain. Every mail here is written by the tests; none is real.
type corpus struct {
	signer *SampleSigner
	keys   KeyLookup
}

var (
	corpusOnce sync.Once
	shared     corpus
)

func testCorpus(t testing.TB) corpus {
	corpusOnce.Do(func() {
		s, err := NewSampleSigner("test1")
		if err != nil {
			panic(err)
		}
		path := filepath.Join(os.TempDir(), fmt.Sprintf("meta-test-keys-%d", os.Getpid()))
		lines := s.KeyLines(DefaultSenders()) + s.KeyLines(Senders{"faceb00kmail.com": objection.Facebook, "evil.example": objection.Facebook})
		if err := os.WriteFile(path, []byte("# test keys\n"+lines), 0o600); err != nil {
			panic(err)
		}
		keys, err := FileKeys(path)
		if err != nil {
			panic(err)
		}
		shared = corpus{signer: s, keys: keys}
	})
	return shared
}

func (c corpus) checker() *Checker {
	return &Checker{Limits: DefaultLimits(), Senders: DefaultSenders(), Phrases: DefaultPhrases(), Keys: c.keys, ClockSkew: 10 * time.Minute}
}

func (c corpus) mail(t testing.TB, s Sample) []byte {
	t.Helper()
	if s.To == "" {
		s.To = "communicatie@voorbeeldstad.nl"
	}
	if s.Account == "" {
		s.Account = "Gemeente Voorbeeldstad"
	}
	raw, err := c.signer.Make(s)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// judged is v read for a decision with these accounts, decided before any test mail, arriving now.
func judged(c corpus, msg *Message, v Verdict, accounts []objection.Account) Verdict {
	c.checker().Judge(msg, &v, About{Accounts: accounts}, time.Now())
	return v
}

// forward wraps an original the way a mail client forwards as attachment.
func forward(original []byte) []byte {
	b := fmt.Sprintf("fw%d", len(original)) // unique per nesting level
	return []byte("From: Collega <collega@voorbeeldstad.nl>\r\nTo: bezwaar@voorbeeldstad.nl\r\nSubject: Fwd: bevestiging\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n--" + b + "\r\nContent-Type: text/plain\r\n\r\nZie bijlage.\r\n" +
		"--" + b + "\r\nContent-Type: message/rfc822\r\n\r\n" + string(original) + "\r\n--" + b + "--\r\n")
}

func TestVerdicts(t *testing.T) {
	c := testCorpus(t)
	genuine := c.mail(t, Sample{Platform: objection.Facebook, Kind: KindHonoured})
	for _, tc := range []struct {
		name      string
		raw       []byte
		authentic bool
		kind      Kind
		platform  objection.Platform
		reason    string // part of the reason when not authentic
		forwarded bool
	}{
		{"English honoured, Facebook", genuine, true, KindHonoured, objection.Facebook, "", false},
		{"Dutch honoured, Instagram", c.mail(t, Sample{Platform: objection.Instagram, Dutch: true}), true, KindHonoured, objection.Instagram, "", false},
		{"Dutch received", c.mail(t, Sample{Platform: objection.Facebook, Dutch: true, Kind: KindReceived}), true, KindReceived, objection.Facebook, "", false},
		{"English received", c.mail(t, Sample{Platform: objection.Instagram, Kind: KindReceived}), true, KindReceived, objection.Instagram, "", false},
		{"forward carrying the original", forward(genuine), true, KindHonoured, objection.Facebook, "", true},
		{"forward of a forward", forward(forward(genuine)), true, KindHonoured, objection.Facebook, "", true},
		{"look-alike domain", c.mail(t, Sample{Platform: objection.Facebook, Domain: "faceb00kmail.com"}), false, KindHonoured, "", "not a Meta sending domain", false},
		{"unsigned mail with a Meta From", unsigned(genuine), false, KindHonoured, "", "no DKIM signature", false},
		{"signed by another domain", resign(t, c, genuine, "evil.example"), false, KindHonoured, "", "does not align", false},
		{"altered body", bytes.Replace(genuine, []byte("honour your objection"), []byte("ignore your objection"), 1), false, KindUnknown, "", "does not verify", false},
		{"altered subject", regexp.MustCompile(`(?m)^Subject: .*$`).ReplaceAll(genuine, []byte("Subject: We will honour your objection (really)\r")), false, KindHonoured, "", "does not verify", false},
		{"plain-text forward", plainForward(genuine), false, KindHonoured, "", "no DKIM signature", false},
		{"the announcement trap", c.mail(t, Sample{Platform: objection.Facebook, Kind: KindUnknown}), true, KindHonoured, objection.Facebook, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, v, err := c.checker().Check(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if v.Authentic != tc.authentic || (tc.authentic && v.Platform != tc.platform) {
				t.Fatalf("authentic %v platform %q (%s), want %v %q", v.Authentic, v.Platform, v.Reason, tc.authentic, tc.platform)
			}
			if !tc.authentic && !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("reason %q, want it to mention %q", v.Reason, tc.reason)
			}
			if tc.authentic && (v.Selector != "test1" || !strings.HasPrefix(v.KeyFingerprint, "sha256:")) {
				t.Errorf("selector %q fingerprint %q not recorded", v.Selector, v.KeyFingerprint)
			}
			if tc.name != "the announcement trap" && tc.authentic && v.Kind != tc.kind {
				t.Errorf("kind %s, want %s", v.Kind, tc.kind)
			}
			if v.Forwarded != tc.forwarded {
				t.Errorf("forwarded %v", v.Forwarded)
			}
		})
	}
}

func TestAnnouncementIsNotAConfirmation(t *testing.T) {
	msg := &Message{Subject: "Hoe we AI bij Meta verbeteren", Text: "If your objection is honoured, we will no longer use your information."}
	if k := Classify(msg, DefaultPhrases()).Kind; k == KindHonoured {
		t.Errorf("the conditional announcement was classified %s", k)
	}
	msg.Text = "We\u2019ll\nhonour   your objection."
	if k := Classify(msg, DefaultPhrases()).Kind; k != KindHonoured {
		t.Errorf("typographic apostrophe and line break: %s", k)
	}
}

func unsigned(raw []byte) []byte {
	i := bytes.Index(raw, []byte("\r\nDate:"))
	return raw[i+2:]
}

// resign signs the unsigned original again with d=domain while keeping the Meta From.
func resign(t *testing.T, c corpus, raw []byte, domain string) []byte {
	out, err := c.signer.Sign(domain, unsigned(raw))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCharsetsAndEncodings: Meta's mail in other charsets and transfer encodings, signed as
// sent, is read correctly.
func TestCharsetsAndEncodings(t *testing.T) {
	c := testCorpus(t)
	head := "Date: Wed, 14 May 2025 10:00:00 +0000\r\nTo: communicatie@voorbeeldstad.nl\r\nFrom: Facebook <noreply@facebookmail.com>\r\nMIME-Version: 1.0\r\n"
	for _, tc := range []struct {
		name, msg string
		kind      Kind
		subject   string
	}{
		{"ISO-8859-1, quoted-printable in the signed part, RFC 2047 subject",
			head + "Subject: =?iso-8859-1?q?Bevestiging_van_uw_bezwaar_=E9?=\r\nContent-Type: multipart/alternative; boundary=\"qp\"\r\n\r\n--qp\r\n" +
				"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGeachte gebruiker,\r\n\r\nWe zullen uw bezwaar=\r\n honoreren. Caf=E9.\r\n--qp--\r\n",
			KindHonoured, "Bevestiging van uw bezwaar é"},
		{"base64 HTML only, in multipart/alternative",
			head + "Subject: =?utf-8?b?V2UndmUgcmVjZWl2ZWQgeW91ciBvYmplY3Rpb24=?=\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				base64.StdEncoding.EncodeToString([]byte("<p>Hi,</p><p>We&nbsp;have received your objection.<script>x()</script></p>")) + "\r\n--alt--\r\n",
			KindReceived, "We've received your objection"},
		{"windows-1252 subject with a typographic apostrophe",
			head + "Subject: =?windows-1252?q?We=92ll_honour_your_objection?=\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\nThanks.\r\n",
			KindHonoured, "We\u2019ll honour your objection"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := c.signer.Sign("facebookmail.com", []byte(tc.msg))
			if err != nil {
				t.Fatal(err)
			}
			_, v, err := c.checker().Check(raw)
			if err != nil {
				t.Fatal(err)
			}
			if !v.Authentic || v.Kind != tc.kind || v.Subject != tc.subject {
				t.Errorf("authentic %v (%s) kind %s subject %q; want %s %q", v.Authentic, v.Reason, v.Kind, v.Subject, tc.kind, tc.subject)
			}
		})
	}
}

func plainForward(original []byte) []byte {
	body := original[bodyStart(original):]
	return []byte("From: Collega <collega@voorbeeldstad.nl>\r\nTo: bezwaar@voorbeeldstad.nl\r\nSubject: Fwd: We'll honour your objection\r\n\r\n---------- Forwarded message ---------\r\nFrom: Facebook <noreply@facebookmail.com>\r\n" + string(body))
}

func TestMalformedAndOversized(t *testing.T) {
	c := testCorpus(t)
	genuine := c.mail(t, Sample{Platform: objection.Facebook})
	lim := DefaultLimits()
	deep := "From: a@b.nl\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n"
	for i := range 12 {
		deep += fmt.Sprintf("--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i, i+1)
	}
	manyHeaders := strings.Repeat("X-H: v\r\n", lim.MaxHeaders+1) + "From: a@b.nl\r\n\r\nbody"
	manyParts := "From: a@b.nl\r\nContent-Type: multipart/mixed; boundary=\"p\"\r\n\r\n" +
		strings.Repeat("--p\r\nContent-Type: text/plain\r\n\r\nx\r\n", lim.MaxParts+1) + "--p--\r\n"
	for _, tc := range []struct {
		name string
		raw  []byte
		want string
	}{
		{"no header end", []byte("From: a@b.nl"), "no blank line"},
		{"empty", []byte("\r\n\r\n"), "no header"},
		{"garbage", []byte("this is not an e-mail\n\nat all"), "colon"},
		{"no From", []byte("To: a@b.nl\r\n\r\nhi"), "From"},
		{"truncated MIME", genuine[:len(genuine)/3], ""},
		{"too many headers", []byte(manyHeaders), "header fields"},
		{"a huge header", []byte("From: a@b.nl\r\nX-Big: " + strings.Repeat("a", lim.MaxHeaderLen+1) + "\r\n\r\nx"), "longer than"},
		{"nested too deep", []byte(deep), "nesting"},
		{"too many parts", []byte(manyParts), "MIME parts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, v, err := c.checker().Check(tc.raw)
			var me *MalformedError
			if tc.want == "" { // may parse, but must not be authentic
				if err == nil && v.Authentic {
					t.Fatal("a truncated mail passed as authentic")
				}
				return
			}
			if !errors.As(err, &me) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a MalformedError about %q", err, tc.want)
			}
		})
	}
	small := *c.checker()
	small.Limits.MaxSize = 100
	if _, _, err := small.Check(genuine); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized: %v", err)
	}
}

func TestMatchAccounts(t *testing.T) {
	c := testCorpus(t)
	accounts := []objection.Account{
		{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad", Email: "communicatie@voorbeeldstad.nl"},
		{Platform: objection.Instagram, Name: "@voorbeeldstad", Email: "communicatie@voorbeeldstad.nl"},
		{Platform: objection.Facebook, Name: "Bibliotheek Voorbeeldstad", Email: "bieb@voorbeeldstad.nl"},
	}
	check := func(raw []byte) (*Message, Verdict) {
		msg, v, err := c.checker().Check(raw)
		if err != nil {
			t.Fatal(err)
		}
		return msg, v
	}
	msg, v := check(c.mail(t, Sample{Platform: objection.Facebook, Kind: KindReceived}))
	if m := judged(c, msg, v, accounts).Match; fmt.Sprint(m.Accounts) != "[0]" {
		t.Errorf("by address: %v %v", m.Accounts, m.Reasons)
	}
	msg, v = check(c.mail(t, Sample{Platform: objection.Facebook}))
	if m := judged(c, msg, v, accounts).Match; fmt.Sprint(m.Accounts) != "[0 1]" || len(m.Reasons) != 2 {
		t.Errorf("Accounts Centre: %v %v", m.Accounts, m.Reasons)
	}
	msg, v = check(c.mail(t, Sample{Platform: objection.Facebook, To: "iemand@elders.nl", Account: "Bibliotheek Voorbeeldstad", Kind: KindReceived}))
	if m := judged(c, msg, v, accounts).Match; len(m.Accounts) != 0 || fmt.Sprint(m.Named) != "[2]" {
		t.Errorf("by name alone: matched %v, named %v; a name is only a candidate for review", m.Accounts, m.Named)
	}
	msg, v = check(c.mail(t, Sample{Platform: objection.Instagram, To: "iemand@elders.nl", Account: "Someone", Kind: KindReceived}))
	if m := judged(c, msg, v, accounts).Match; len(m.Accounts) != 0 {
		t.Errorf("no match expected: %v", m.Accounts)
	}
}

// FuzzParse feeds arbitrary bytes to the parser and to the header selection that decides what
// counts: nothing may panic, what is kept stays within the limits, a signed view holds only
// fields of the message, an authentic verdict never comes with a repeated singleton field, and
// an honoured reading never comes with another kind's cue or a negation in an honour sentence.
func FuzzParse(f *testing.F) {
	c := testCorpus(f)
	genuine := c.mail(f, Sample{Platform: objection.Facebook})
	f.Add(genuine)
	files, _ := filepath.Glob(filepath.Join("testdata", "mails", "*.eml"))
	for _, file := range files {
		f.Add(c.signAsMeta(f, fixture(f, filepath.Base(file))))
	}
	f.Add(forward(genuine))
	f.Add(prepend(genuine, "Subject: We'll honour your objection", "To: communicatie@voorbeeldstad.nl"))
	f.Add(prepend(genuine, "Cc: x@y.nl", " folded: continuation"))
	f.Add([]byte("From: a@b.nl\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n--x--"))
	f.Add([]byte("From: =?iso-8859-1?q?J=F6rg?= <j@b.nl>\r\nSubject: =?windows-1252?q?caf=E9?=\r\n\r\nhi"))
	lim := DefaultLimits()
	lim.MaxSize = 1 << 20
	checker := c.checker()
	checker.Limits = lim
	f.Fuzz(func(t *testing.T, raw []byte) {
		msg, err := Parse(raw, lim)
		if err != nil {
			return
		}
		if len(msg.Text) > lim.MaxText+lim.MaxParts {
			t.Fatalf("text of %d bytes kept", len(msg.Text))
		}
		fields := readFields(msg.Raw)
		if len(fields) > lim.MaxHeaders+1 {
			t.Fatalf("%d fields read, at most %d allowed", len(fields), lim.MaxHeaders)
		}
		signed := signedInstances(fields, []string{"From", "To", "Subject", "To", "x"})
		view, _ := io.ReadAll(signedView(msg.Raw, fields, signed, true))
		for _, vf := range readFields(view) {
			if !slices.ContainsFunc(fields, func(f field) bool { return bytes.Equal(f.raw, vf.raw) }) {
				t.Fatalf("the signed view holds a field not in the message: %q", vf.raw)
			}
		}
		reading, v, err := checker.Check(raw)
		if err == nil && v.Authentic && len(repeated(fields)) > 0 {
			t.Fatalf("authentic with repeated fields %v", repeated(fields))
		}
		if err == nil && v.Kind == KindHonoured {
			honouredOnly(t, reading, checker.Phrases)
		}
	})
}

// honouredOnly fails when a mail read as honoured has a sentence that begins with another kind's
// phrase, or an honour phrase in a sentence with a negation or condition.
func honouredOnly(t *testing.T, msg *Message, p Phrases) {
	t.Helper()
	others := normaliseAll(slices.Concat(p.Received, p.Rejected, p.Verification))
	for _, text := range []string{msg.Subject, templateText(msg.Text)} {
		for _, s := range sentences(normalise(text)) {
			if startsAny(s, others) {
				t.Fatalf("honoured, with another kind's sentence %q", s)
			}
			for _, ph := range p.Honoured {
				if indexWord(s, normalise(ph)) >= 0 && negated(s) && !startsAny(s, normaliseAll(p.Rejected)) {
					t.Fatalf("honoured, with a negated honour sentence %q", s)
				}
			}
		}
	}
}

// The Accounts Centre phrases are compared with normalised text as they stand.
func TestAccountsCentrePhrasesAreNormalised(t *testing.T) {
	for _, p := range accountsCentre {
		if got := normalise(p); got != p {
			t.Errorf("accountsCentre has %q; normalised it is %q", p, got)
		}
	}
}
