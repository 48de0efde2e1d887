package meta

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// These tests hold the rule of issue 22: a zaak closes only on an unambiguous reading of what
// Meta signed, about this objection. Every mail is signed as Meta signs, with the test key.

var (
	decided  = time.Date(2025, 5, 13, 0, 0, 0, 0, objection.Amsterdam)
	arriving = time.Date(2025, 5, 20, 12, 0, 0, 0, time.UTC)
)

// onePagePerAddress is a decision whose Facebook page and Instagram account share one address,
// one account per platform: the usual case.
func onePagePerAddress() About {
	return About{DecidedOn: decided, FiledAt: make([]time.Time, 2), Accounts: []objection.Account{
		{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad", URL: "https://www.facebook.com/voorbeeldstad", Email: "communicatie@voorbeeldstad.nl"},
		{Platform: objection.Instagram, Name: "@voorbeeldstad", URL: "https://www.instagram.com/voorbeeldstad", Email: "communicatie@voorbeeldstad.nl"},
	}}
}

// sharedAddress is a decision with two Facebook pages managed from one mailbox.
func sharedAddress() About {
	return About{DecidedOn: decided, FiledAt: make([]time.Time, 2), Accounts: []objection.Account{
		{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad", URL: "https://www.facebook.com/voorbeeldstad", Email: "communicatie@voorbeeldstad.nl"},
		{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad Jeugd", URL: "https://www.facebook.com/voorbeeldstadjeugd", Email: "communicatie@voorbeeldstad.nl"},
	}}
}

// fixture reads a mail of testdata/mails, with CRLF line ends, unsigned.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "mails", name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))
}

// signAsMeta signs a mail with the test key for the Meta domain of its From.
func (c corpus) signAsMeta(t testing.TB, raw []byte) []byte {
	t.Helper()
	domain := "facebookmail.com"
	if strings.Contains(headerValue(raw, "from"), "instagram") {
		domain = "mail.instagram.com"
	}
	out, err := c.signer.Sign(domain, raw)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// judge checks raw and reads it for about, as the intake does; review is "" when the mail counts
// by itself, and closes says whether it confirms an account.
func (c corpus) judge(t testing.TB, raw []byte, about About, now time.Time) (v Verdict, review string, closes bool) {
	t.Helper()
	msg, v, err := c.checker().Check(raw)
	if err != nil {
		return v, err.Error(), false
	}
	if !v.Authentic {
		return v, v.Reason, false
	}
	review = c.checker().Judge(msg, &v, about, now)
	return v, review, review == "" && v.Kind == KindHonoured && len(v.Match.Accounts) > 0
}

// TestFixturesKeepTheirVerdicts: the realistic mails keep their readings, and the tricks in
// testdata are read as what they are.
func TestFixturesKeepTheirVerdicts(t *testing.T) {
	c := testCorpus(t)
	for _, tc := range []struct {
		file   string
		about  About
		kind   Kind
		closes bool
		review string // part of the reason it goes to review ("" when it does not)
	}{
		{"honoured-en-plain.eml", onePagePerAddress(), KindHonoured, true, ""},
		{"honoured-nl-plain.eml", onePagePerAddress(), KindHonoured, true, ""},
		{"honoured-en-multipart.eml", onePagePerAddress(), KindHonoured, true, ""},
		{"received-en.eml", onePagePerAddress(), KindReceived, false, ""},
		{"received-nl.eml", onePagePerAddress(), KindReceived, false, ""},
		{"rejected-en.eml", onePagePerAddress(), KindRejected, false, "is a rejected mail"},
		{"rejected-nl.eml", onePagePerAddress(), KindRejected, false, "is a rejected mail"},
		{"verification-en.eml", onePagePerAddress(), KindVerification, false, "is a verification mail"},
		{"announcement-en.eml", onePagePerAddress(), KindUnknown, false, "is a unknown mail"},
		{"trick-received-named-honour.eml", onePagePerAddress(), KindAmbiguous, false, "the words of more than one kind of mail (received and honoured)"},
		{"trick-negated-honour.eml", onePagePerAddress(), KindAmbiguous, false, `holds a negation or a condition ("we'll honour your objection")`},
		{"trick-negated-honour-nl.eml", onePagePerAddress(), KindAmbiguous, false, "holds a negation or a condition"},
		{"trick-transfer-encoding.eml", onePagePerAddress(), KindUnknown, false, "is a unknown mail"},
		{"shared-unnamed-en.eml", onePagePerAddress(), KindHonoured, true, ""},
		{"shared-unnamed-en.eml", sharedAddress(), KindHonoured, false, `is the address of facebook account "Gemeente Voorbeeldstad" (communicatie@voorbeeldstad.nl), facebook account "Gemeente Voorbeeldstad Jeugd"`},
		{"honoured-en-plain.eml", sharedAddress(), KindHonoured, true, ""}, // it covers the Accounts Centre
		{"dated-2023-honoured.eml", onePagePerAddress(), KindHonoured, false, "dated 2023-09-26 10:12 CEST, before the decision of 2025-05-13"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			for _, raw := range [][]byte{c.signAsMeta(t, fixture(t, tc.file)), forward(c.signAsMeta(t, fixture(t, tc.file)))} {
				v, review, closes := c.judge(t, raw, tc.about, arriving)
				if v.Kind != tc.kind || closes != tc.closes {
					t.Fatalf("kind %s (%s), closes %v; want %s, %v\ncues %+v\nreview %q", v.Kind, v.Doubt, closes, tc.kind, tc.closes, v.Cues, review)
				}
				if (tc.review == "") != (review == "") || !strings.Contains(review, tc.review) {
					t.Errorf("review %q, want it to say %q", review, tc.review)
				}
			}
		})
	}
}

// TestDatesDecide: a genuine honour mail counts only when its signed Date lies after the
// decision's day, not more than a day before the account's recorded filing, and not later than
// its arrival (with the clock skew); the signature's t= may not lie more than a day from it.
func TestDatesDecide(t *testing.T) {
	c := testCorpus(t)
	filed := time.Date(2025, 5, 16, 12, 0, 0, 0, objection.Amsterdam)
	at := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, objection.Amsterdam)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name       string
		date, sign time.Time // the signed Date and the signature's t=
		filed      bool      // the Facebook page's filing is recorded (16 May, noon)
		review     string    // part of the reason ("" when it counts)
	}{
		{"an earlier objection round, 2023", at("2023-09-26 10:00"), at("2023-09-26 10:00"), false, "dated 2023-09-26 10:00 CEST, before the decision of 2025-05-13"},
		{"the evening before the decision", at("2025-05-12 23:59"), at("2025-05-12 23:59"), false, "before the decision of 2025-05-13"},
		{"the day of the decision", at("2025-05-13 00:00"), at("2025-05-13 00:00"), false, ""},
		{"after the decision, no filing recorded", at("2025-05-15 10:00"), at("2025-05-15 10:00"), false, ""},
		{"two days before the recorded filing", at("2025-05-14 11:00"), at("2025-05-14 11:00"), true, `more than a day before the objection of facebook account "Gemeente Voorbeeldstad" was filed (2025-05-16 12:00 CEST)`},
		{"the morning of the recorded filing day", at("2025-05-16 09:00"), at("2025-05-16 09:00"), true, ""},
		{"after the recorded filing", at("2025-05-17 09:00"), at("2025-05-17 09:00"), true, ""},
		{"dated 2031", at("2031-01-01 09:00"), at("2031-01-01 09:00"), false, "dated 2031-01-01 09:00 CET, later than it arrived (2025-05-20 14:00 CEST, with 10m0s allowed"},
		{"within the clock skew of its arrival", arriving.Add(9 * time.Minute), arriving.Add(9 * time.Minute), false, ""},
		{"past the clock skew", arriving.Add(11 * time.Minute), arriving.Add(11 * time.Minute), false, "later than it arrived"},
		{"a Date three days from its signature", at("2025-05-15 10:00"), at("2025-05-18 10:00"), false, "the signed Date (2025-05-15 10:00 CEST) and the time of the signature, t= (2025-05-18 10:00 CEST), are more than a day apart"},
		{"a signature from the future", at("2025-05-20 14:05"), at("2025-05-21 10:00"), false, "the signature is dated 2025-05-21 10:00 CEST, later than the mail arrived"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			about := onePagePerAddress()
			if tc.filed {
				about.FiledAt[0] = filed
			}
			raw := bytes.Replace(fixture(t, "honoured-en-plain.eml"), []byte("Thu, 15 May 2025 10:00:00 +0000"), []byte(tc.date.Format(time.RFC1123Z)), 1)
			raw, err := c.signer.sign("facebookmail.com", raw, signing{at: tc.sign, fields: metaSigned})
			if err != nil {
				t.Fatal(err)
			}
			v, review, closes := c.judge(t, raw, about, arriving)
			if closes != (tc.review == "") || !strings.Contains(review, tc.review) {
				t.Fatalf("closes %v, review %q; want it to say %q", closes, review, tc.review)
			}
			if !v.ReceivedAt.Equal(tc.date) || v.SignedAt == nil || !v.SignedAt.Equal(tc.sign) {
				t.Errorf("the verdict shows Date %s and t= %v, want %s and %s", v.ReceivedAt, v.SignedAt, tc.date, tc.sign)
			}
		})
	}
}

// TestMeaningFromTheTemplate: what Meta echoes (names, quoted text) never decides the kind; two
// kinds' cues or a negated or conditional honour sentence are ambiguous.
func TestMeaningFromTheTemplate(t *testing.T) {
	about := onePagePerAddress()
	about.Accounts[0].Name = "We'll honour your objection" // a page named to fool a phrase match
	for _, tc := range []struct {
		name, subject, text string
		echoes              []string
		kind                Kind
	}{
		{"honoured", "We'll honour your objection", "Hi Gemeente Voorbeeldstad,\n\nWe'll honour your objection.", nil, KindHonoured},
		{"typography and line breaks", "Bevestiging", "Hi,\n\nWe\u2019ll\nhonour   your objection.", nil, KindHonoured},
		{"received, with an honour phrase as the person's name", "We've received your objection", "Hi We'll honour your objection,\n\nWe've received your objection.", nil, KindReceived},
		{"received, with an honour phrase as the page's name", "We've received your objection", "Hi,\n\nWe've received your objection for your Page. We'll honour your objection. We'll review it.",
			[]string{"We'll honour your objection"}, KindReceived},
		{"received, with an honour phrase in a name that ends a sentence", "We've received your objection", "Hi,\n\nWe've received your objection for the Page Stad. We'll honour your objection. We'll review it.", nil, KindAmbiguous},
		{"honour subject, received body", "We'll honour your objection", "Hi,\n\nWe have received your objection.", nil, KindAmbiguous},
		{"honoured and rejected", "About your objection", "We will honour your objection. We could not process your objection.", nil, KindAmbiguous},
		{"rejection with a conditional honour", "About your objection", "We couldn't process your objection. We can't say that we'll honour your objection unless you submit it again.", nil, KindAmbiguous},
		{"negated in English", "About your objection", "We will honour your objection if your account is public.", nil, KindAmbiguous},
		{"negated in Dutch", "Over je bezwaar", "We zullen je bezwaar honoreren, tenzij je account niet openbaar is.", nil, KindAmbiguous},
		{"a Dutch rejection", "Over je bezwaar", "We honoreren je bezwaar niet.", nil, KindRejected},
		{"an honour phrase mid-sentence", "About your objection", "Someone wrote that we will honour your objection.", nil, KindUnknown},
		{"a quoted honour phrase", "About your objection", "Hi,\n\n> We'll honour your objection.\n\nThanks for writing.", nil, KindUnknown},
		{"the announcement", "AI at Meta", "If your objection is honoured, we will no longer use your information.", nil, KindUnknown},
		{"the objection text echoed", "We've received your objection", "We've received your objection: \"Gemeente X objects. We will honour your objection, you said.\"",
			AboutCase(&objection.Case{Decision: objection.Decision{ObjectionText: "Gemeente X objects. We will honour your objection, you said."}}).Echoes, KindReceived},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Classify(&Message{Subject: tc.subject, Text: tc.text}, DefaultPhrases(), tc.echoes...)
			if r.Kind != tc.kind {
				t.Errorf("kind %s (%s), want %s; cues %+v", r.Kind, r.Doubt, tc.kind, r.Cues)
			}
			if r.Kind == KindAmbiguous && r.Doubt == "" {
				t.Error("ambiguous without saying why")
			}
		})
	}
}

// TestUnsignedTransferEncoding: Meta does not sign Content-Transfer-Encoding. An unsigned one
// that changes how the signed body reads is refused as ambiguous; one that changes nothing, or
// a signed one, is used; the copy with the trick is never the same mail as the genuine one.
func TestUnsignedTransferEncoding(t *testing.T) {
	c := testCorpus(t)
	trick := c.signAsMeta(t, fixture(t, "trick-transfer-encoding.eml"))
	about := onePagePerAddress()
	if v, review, closes := c.judge(t, trick, about, arriving); closes || v.Kind != KindUnknown {
		t.Fatalf("as signed (7bit): kind %s, closes %v (%s)", v.Kind, closes, review)
	}
	unsignedTrick := fixture(t, "trick-transfer-encoding.eml")
	base64Body := c.signAsMeta(t, append(unsignedTrick[:bodyStart(unsignedTrick)+2], base64.StdEncoding.EncodeToString([]byte("Hi,\n\nWe will honour your objection.\n"))+"\r\n"...))
	for _, tc := range []struct {
		name   string
		raw    []byte
		closes bool
		reason string
	}{
		{"quoted-printable added", insertBeforeBody(trick, "Content-Transfer-Encoding: quoted-printable"), false,
			`refused as ambiguous: the Content-Transfer-Encoding "quoted-printable" is not signed, and it changes how the signed body reads`},
		{"quoted-printable added above the signature", prepend(trick, "Content-Transfer-Encoding: quoted-printable"), false, "is not signed, and it changes how the signed body reads"},
		{"base64 added", insertBeforeBody(base64Body, "Content-Transfer-Encoding: base64"), false, `"base64" is not signed`},
		{"8bit added: reads the same", insertBeforeBody(trick, "Content-Transfer-Encoding: 8bit"), false, "is a unknown mail"},
		{"quoted-printable on a body it does not change", bytes.Replace(c.signAsMeta(t, fixture(t, "honoured-en-plain.eml")), []byte("Transfer-Encoding: 8bit"), []byte("Transfer-Encoding: quoted-printable"), 1), true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, review, closes := c.judge(t, tc.raw, about, arriving)
			if closes != tc.closes || !strings.Contains(review, tc.reason) {
				t.Fatalf("closes %v, %q; want %v saying %q", closes, review, tc.closes, tc.reason)
			}
		})
	}

	// Signed by h=, quoted-printable is how the body is read.
	qp := bytes.Replace(fixture(t, "trick-transfer-encoding.eml"), []byte("Content-Type: text/plain; charset=utf-8\r\n"),
		[]byte("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"), 1)
	signedQP, err := c.signer.sign("facebookmail.com", qp, signing{at: time.Date(2025, 5, 15, 10, 0, 0, 0, time.UTC), fields: append(slices.Clone(metaSigned), "Content-Transfer-Encoding")})
	if err != nil {
		t.Fatal(err)
	}
	if v, review, closes := c.judge(t, signedQP, about, arriving); !closes || v.TransferEncoding != "quoted-printable" {
		t.Errorf("a signed quoted-printable: closes %v (%s), encoding %q", closes, review, v.TransferEncoding)
	}

	// The tricked copy is refused under its own bytes: the genuine mail that follows is no
	// duplicate of it, whichever arrives first.
	_, tricked, _ := c.checker().Check(insertBeforeBody(trick, "Content-Transfer-Encoding: quoted-printable"))
	_, genuine, _ := c.checker().Check(trick)
	if tricked.Key() == genuine.Key() || !strings.HasPrefix(tricked.Key(), "sha256:") {
		t.Errorf("keys: tricked %s, genuine %s", tricked.Key(), genuine.Key())
	}
}

// TestSharedAddresses: where several pages of one platform share the signed recipient, a mail
// confirms those its signed text names, all of them when it says it covers the Accounts Centre,
// and otherwise goes to review listing them.
func TestSharedAddresses(t *testing.T) {
	c := testCorpus(t)
	named := func(name string) []byte {
		return c.signAsMeta(t, bytes.Replace(fixture(t, "shared-unnamed-en.eml"), []byte("Hi there,"), []byte("Hi "+name+","), 1))
	}
	for _, tc := range []struct {
		name     string
		raw      []byte
		accounts string // confirmed
		shared   string // left for review
	}{
		{"names neither", c.signAsMeta(t, fixture(t, "shared-unnamed-en.eml")), "[]", "[0 1]"},
		{"names the page", named("Gemeente Voorbeeldstad"), "[0]", "[]"},
		{"names the other page, whose name holds the first", named("Gemeente Voorbeeldstad Jeugd"), "[1]", "[]"},
		{"names both", named("Gemeente Voorbeeldstad Jeugd and Gemeente Voorbeeldstad"), "[0 1]", "[]"},
		{"names the page by its URL", named("facebook.com/voorbeeldstadjeugd"), "[1]", "[]"},
		{"covers the Accounts Centre", c.signAsMeta(t, fixture(t, "honoured-en-plain.eml")), "[0 1]", "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, review, _ := c.judge(t, tc.raw, sharedAddress(), arriving)
			if got := fmtInts(v.Match.Accounts); got != tc.accounts || fmtInts(v.Match.Shared) != tc.shared {
				t.Fatalf("confirms %s, shared %s; want %s, %s (%s)", got, fmtInts(v.Match.Shared), tc.accounts, tc.shared, review)
			}
			if (tc.shared != "[]") != strings.HasPrefix(review, "needs review") {
				t.Errorf("review %q", review)
			}
		})
	}
}

func fmtInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// TestUnsignedFieldsNeverClose is metamorphic, over every mail in testdata and the fuzz corpus:
// adding, removing or replacing any unsigned header field never turns a verdict that does not
// close into one that closes, and a mail that closes still closes with every unsigned field
// removed.
func TestUnsignedFieldsNeverClose(t *testing.T) {
	c := testCorpus(t)
	mails := metamorphicCorpus(t, c)
	added := []string{
		"Cc: communicatie@voorbeeldstad.nl", "Delivered-To: communicatie@voorbeeldstad.nl", "X-Original-To: communicatie@voorbeeldstad.nl",
		"Reply-To: communicatie@voorbeeldstad.nl", "Sender: noreply@facebookmail.com", "Received: from mx.facebookmail.com by mx.voorbeeldstad.nl",
		"Content-Transfer-Encoding: quoted-printable", "Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: 7bit",
		"Subject: We'll honour your objection", "To: communicatie@voorbeeldstad.nl", "Date: " + arriving.Format(time.RFC1123Z),
		"From: Facebook <noreply@facebookmail.com>", "Content-Type: text/plain; charset=utf-8", "MIME-Version: 1.0",
		"Message-ID: <x@facebookmail.com>", "Comments: We'll honour your objection",
	}
	checked := 0
	for name, raw := range mails {
		for _, about := range []About{onePagePerAddress(), sharedAddress()} {
			v, _, closes := c.judge(t, raw, about, arriving)
			fields := readFields(raw)
			unsignedAt := unsignedFields(c, raw, fields)
			if closes && v.Forwarded {
				continue // every field of a forward is unsigned; its original is in the corpus itself
			}
			if closes {
				stripped := removeFields(raw, fields, unsignedAt...)
				if _, review, still := c.judge(t, stripped, about, arriving); !still {
					t.Errorf("%s closes, but not with its unsigned fields removed: %s", name, review)
				}
				continue
			}
			var variants [][]byte
			for _, i := range unsignedAt {
				variants = append(variants, removeFields(raw, fields, i))
				for _, line := range added {
					variants = append(variants, replaceField(raw, fields, i, line))
				}
			}
			for _, line := range added {
				variants = append(variants, prepend(raw, line), insertBeforeBody(raw, line))
			}
			for _, variant := range variants {
				checked++
				if _, _, closes := c.judge(t, variant, about, arriving); closes {
					t.Errorf("%s does not close, but closes with an unsigned change:\n%s", name, variant[:bodyStart(variant)])
				}
			}
		}
	}
	t.Logf("%d mails, %d variants that must not close", len(mails), checked)
}

// metamorphicCorpus is every mail of testdata/mails (signed as Meta signs), forwarded too, and
// every input the fuzzer kept in testdata/fuzz/FuzzParse.
func metamorphicCorpus(t *testing.T, c corpus) map[string][]byte {
	out := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join("testdata", "mails", "*.eml"))
	for _, f := range files {
		signed := c.signAsMeta(t, fixture(t, filepath.Base(f)))
		out[filepath.Base(f)] = signed
		out["forward of "+filepath.Base(f)] = forward(signed)
	}
	kept, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzParse", "*"))
	for _, f := range kept {
		if raw, ok := readFuzzInput(t, f); ok {
			out["fuzz "+filepath.Base(f)] = raw
		}
	}
	if len(files) < 15 {
		t.Fatalf("%d mails in testdata/mails", len(files))
	}
	return out
}

// readFuzzInput reads a file of Go's fuzz corpus format holding one []byte.
func readFuzzInput(t *testing.T, path string) ([]byte, bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(raw), "\n")
	rest = strings.TrimSpace(rest)
	if !strings.HasPrefix(rest, "[]byte(") {
		return nil, false
	}
	s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(rest, "[]byte("), ")"))
	return []byte(s), err == nil
}

// unsignedFields are the indexes of the top-level fields no passing signature covers (the
// signatures themselves aside); every field when the mail is not authentic, or is a forward
// (its signature covers the original inside).
func unsignedFields(c corpus, raw []byte, fields []field) []int {
	_, v, err := c.checker().Check(raw)
	var signed []bool
	if err == nil && v.Authentic && !v.Forwarded {
		signed = signedInstances(fields, v.SignedHeaders)
	}
	var out []int
	for i, f := range fields {
		if f.name != "dkim-signature" && (signed == nil || !signed[i]) {
			out = append(out, i)
		}
	}
	return out
}

func removeFields(raw []byte, fields []field, drop ...int) []byte {
	var b bytes.Buffer
	for i, f := range fields {
		if !slices.Contains(drop, i) {
			b.Write(f.raw)
		}
	}
	b.Write(raw[bodyStart(raw):])
	return b.Bytes()
}

func replaceField(raw []byte, fields []field, at int, line string) []byte {
	var b bytes.Buffer
	for i, f := range fields {
		if i == at {
			b.WriteString(line + "\r\n")
			continue
		}
		b.Write(f.raw)
	}
	b.Write(raw[bodyStart(raw):])
	return b.Bytes()
}
