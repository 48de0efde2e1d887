package meta

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// prepend puts header lines above everything else, as anyone who holds a genuine mail can.
func prepend(raw []byte, lines ...string) []byte {
	return append([]byte(strings.Join(lines, "\r\n")+"\r\n"), raw...)
}

// insertBeforeBody adds header lines at the bottom of the header.
func insertBeforeBody(raw []byte, lines ...string) []byte {
	i := bodyStart(raw)
	return append(append(bytes.Clone(raw[:i]), []byte(strings.Join(lines, "\r\n")+"\r\n")...), raw[i:]...)
}

// TestForgeryAttempts: a genuine Meta mail for someone else, dressed up by an attacker. Every
// attempt keeps a valid signature; none may yield a verdict that confirms the municipality's
// account, and a changed copy of an accepted mail must be recognised as the same mail.
func TestForgeryAttempts(t *testing.T) {
	c := testCorpus(t)
	const ours, theirs = "communicatie@voorbeeldstad.nl", "iemand@elders.nl"
	accounts := []objection.Account{{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad", Email: ours}}
	received := c.mail(t, Sample{Platform: objection.Facebook, Kind: KindReceived, To: theirs, Account: "Iemand"})
	honouredElsewhere := c.mail(t, Sample{Platform: objection.Facebook, Kind: KindHonoured, To: theirs, Account: "Iemand"})
	genuine := c.mail(t, Sample{Platform: objection.Facebook, Kind: KindHonoured, To: ours})
	_, genuineVerdict, err := c.checker().Check(genuine)
	if err != nil || !genuineVerdict.Authentic {
		t.Fatalf("the genuine mail: %v %+v", err, genuineVerdict)
	}

	for _, tc := range []struct {
		name      string
		raw       []byte
		authentic bool
		kind      Kind   // as read from what is signed
		reason    string // part of the reason (refusals) — the words a reviewer will see
		matched   bool   // confirms the municipality's account
		named     bool   // the account is only named: a candidate for review
		sameAs    bool   // the same mail as the genuine one (duplicate key)
	}{
		{"prepended Subject on a 'received' mail", prepend(received, "Subject: We'll honour your objection"),
			false, KindReceived, `Subject appears 2 times (RFC 5322 allows one); only the bottom-most instance is signed, and it says "We've received your objection"`, false, false, false},
		{"prepended lower-case subject with a space before the colon", prepend(received, "subject : We'll honour your objection"),
			false, KindReceived, "Subject appears 2 times", false, false, false},
		{"prepended To", prepend(honouredElsewhere, "To: "+ours),
			false, KindHonoured, `To appears 2 times (RFC 5322 allows one); only the bottom-most instance is signed, and it says "` + theirs + `"`, false, false, false},
		{"prepended Subject and To", prepend(received, "Subject: We'll honour your objection", "To: "+ours),
			false, KindReceived, "Subject appears 2 times", false, false, false},
		{"repeated From", prepend(received, "From: Facebook <noreply@facebookmail.com>"), false, KindReceived, "From appears 2 times", false, false, false},
		{"repeated Date", prepend(genuine, "Date: Mon, 1 Jan 2024 00:00:00 +0000"), false, KindHonoured, "Date appears 2 times", false, false, false},
		{"repeated Message-ID", prepend(genuine, "Message-ID: <a@b>", "Message-ID: <c@d>"), false, KindHonoured, "Message-ID appears 3 times", false, false, false},
		{"prepended Content-Type", prepend(received, `Content-Type: text/html`), false, KindReceived, "Content-Type appears 2 times", false, false, false},
		{"Cc to the municipality", prepend(honouredElsewhere, "Cc: "+ours), true, KindHonoured, "", false, false, false},
		{"Delivered-To the municipality", prepend(honouredElsewhere, "Delivered-To: "+ours), true, KindHonoured, "", false, false, false},
		{"X-Original-To the municipality", prepend(honouredElsewhere, "X-Original-To: "+ours), true, KindHonoured, "", false, false, false},
		{"Reply-To and Cc below the signed fields", insertBeforeBody(honouredElsewhere, "Cc: "+ours, "Reply-To: "+ours), true, KindHonoured, "", false, false, false},
		{"same page name at another address", c.mail(t, Sample{Platform: objection.Facebook, Kind: KindHonoured, To: theirs, Account: "Gemeente Voorbeeldstad"}),
			true, KindHonoured, "", false, true, false},
		{"a body-length signature with an appended body", lengthSigned(t, c, received, "\r\nUpdate: we'll honour your objection.\r\n"),
			false, KindAmbiguous, "covers only part of the body (l=)", false, false, false},
		{"the genuine mail with its Message-ID changed", regexp.MustCompile(`(?m)^Message-ID: .*\r$`).ReplaceAll(bytes.Clone(genuine), []byte("Message-ID: <replay-1@facebookmail.com>\r")),
			true, KindHonoured, "", true, false, true},
		{"the genuine mail signed again (another t= and b=)", resignedLater(t, c, genuine), true, KindHonoured, "", true, false, true},
		{"the genuine mail with unsigned headers added", prepend(genuine, "Received: from relay.example by mx.example", "X-Spam-Score: 0", "Cc: ander@elders.nl"),
			true, KindHonoured, "", true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, v, err := c.checker().Check(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if v.Authentic != tc.authentic {
				t.Fatalf("authentic %v (%s), want %v", v.Authentic, v.Reason, tc.authentic)
			}
			if !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("reason %q\nwant it to say %q", v.Reason, tc.reason)
			}
			if v.Kind != tc.kind {
				t.Errorf("kind %s, want %s (read from the signed instances)", v.Kind, tc.kind)
			}
			m := judged(c, msg, v, accounts).Match
			if matched := v.Authentic && len(m.Accounts) > 0; matched != tc.matched {
				t.Errorf("matched %v (%v), want %v", matched, m.Reasons, tc.matched)
			}
			if named := len(m.Named) > 0; tc.authentic && named != tc.named {
				t.Errorf("named %v, want %v", named, tc.named)
			}
			if same := v.Key() == genuineVerdict.Key(); same != tc.sameAs {
				t.Errorf("same key as the genuine mail: %v, want %v", same, tc.sameAs)
			}
			if tc.authentic {
				if got := fmt.Sprint(v.Recipients); got != "["+theirs+"]" && got != "["+ours+"]" {
					t.Errorf("recipients %s: only the signed To counts", got)
				}
				if !strings.Contains(strings.Join(v.Unsigned, ","), "Message-ID") || len(v.SignedValues) != 6 {
					t.Errorf("evidence: signed %v, unsigned %v", v.SignedValues, v.Unsigned)
				}
			}
		})
	}
}

// TestEvidenceOfTheCheck: the verdict of a genuine mail records the signature, the signed fields
// as listed and the values read from them.
func TestEvidenceOfTheCheck(t *testing.T) {
	c := testCorpus(t)
	_, v, err := c.checker().Check(c.mail(t, Sample{Platform: objection.Instagram, Kind: KindHonoured, Dutch: true}))
	if err != nil || !v.Authentic {
		t.Fatal(err, v.Reason)
	}
	if got := strings.Join(v.SignedHeaders, ":"); !strings.EqualFold(got, "Date:To:Subject:From:MIME-Version:Content-Type") {
		t.Errorf("signed headers %q", got)
	}
	want := map[string]string{"To": "communicatie@voorbeeldstad.nl", "Subject": "We zullen je bezwaar honoreren", "From": "Instagram <noreply@mail.instagram.com>"}
	for _, sv := range v.SignedValues {
		if w, ok := want[sv.Field]; ok && sv.Value != w {
			t.Errorf("%s = %q, want %q", sv.Field, sv.Value, w)
		}
		delete(want, sv.Field)
	}
	if len(want) != 0 || v.Domain != "mail.instagram.com" || v.Selector != "test1" || !strings.HasPrefix(v.Signature, "sha256:") {
		t.Errorf("missing %v; domain %q selector %q signature %q", want, v.Domain, v.Selector, v.Signature)
	}
	// The summary kept with the document shows the signed date and the signature's time.
	if s := v.Summary(); !strings.Contains(s, "Ondertekende datum: "+moment(v.ReceivedAt)+" (handtekening gezet "+moment(*v.SignedAt)+").") {
		t.Errorf("summary %q does not show the signed date", s)
	}
}

// lengthSigned signs raw's body as it stands with l= (which go-msgauth cannot write), then
// appends extra to the body: a signature that still verifies over its l= bytes.
func lengthSigned(t *testing.T, c corpus, raw []byte, extra string) []byte {
	return handSigned(t, c, raw, true, extra)
}

// handSigned signs like Meta (relaxed/simple over Date:To:Subject:From:MIME-Version:Content-Type)
// at a later moment than the mail's own signature, optionally with an l= tag, and appends extra.
func handSigned(t *testing.T, c corpus, raw []byte, withLength bool, extra string) []byte {
	t.Helper()
	out, err := c.signer.sign("facebookmail.com", unsigned(raw), signing{at: time.Now().Add(time.Second), fields: metaSigned, bodyLength: withLength})
	if err != nil {
		t.Fatal(err)
	}
	return append(out, extra...)
}

// TestHandSignerIsValid: the same hand-made signature without l= verifies, so the refusal of the
// l= one is for its l= and not for a broken signature.
func TestHandSignerIsValid(t *testing.T) {
	c := testCorpus(t)
	raw := c.mail(t, Sample{Platform: objection.Facebook, Kind: KindReceived})
	if _, v, err := c.checker().Check(handSigned(t, c, raw, false, "")); err != nil || !v.Authentic {
		t.Fatalf("without l=: %v %q", err, v.Reason)
	}
	if _, v, err := c.checker().Check(handSigned(t, c, raw, true, "")); err != nil || v.Authentic || !strings.Contains(v.Reason, "(l=)") {
		t.Fatalf("with l=, nothing appended: %v %q", err, v.Reason)
	}
}

// resignedLater signs the genuine mail's content again with another signature time, as a second
// delivery of the same mail would be signed: another b=, the same signed content.
func resignedLater(t *testing.T, c corpus, raw []byte) []byte {
	t.Helper()
	return handSigned(t, c, raw, false, "")
}

// BenchmarkCheck measures the whole check of one e-mail: parsing within limits, DKIM, the
// signed reading and classification.
func BenchmarkCheck(b *testing.B) {
	c := testCorpus(b)
	raw := c.mail(b, Sample{Platform: objection.Facebook, Kind: KindHonoured})
	checker := c.checker()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, v, err := checker.Check(raw); err != nil || !v.Authentic {
			b.Fatal(err, v.Reason)
		}
	}
}

// BenchmarkCheckLargeSignedMail checks a 24 MiB mail that Meta signed (a large attachment, the
// signature valid, as a real one would be) and reports the peak heap growth while it is checked,
// in MiB and as a multiple of the mail's size: the goal is at most 1.5×.
func BenchmarkCheckLargeSignedMail(b *testing.B) {
	c := testCorpus(b)
	raw := largeSignedMail(b, c, 24<<20)
	checker := c.checker()
	b.SetBytes(int64(len(raw)))
	var worst uint64
	for b.Loop() {
		stop := sandboxtest.HeapPeak()
		_, v, err := checker.Check(raw)
		worst = max(worst, stop())
		if err != nil || !v.Authentic || v.Kind != KindHonoured {
			b.Fatalf("%v %s %s", err, v.Reason, v.Kind)
		}
	}
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(worst)/float64(len(raw)), "x-mail-size")
}

// largeSignedMail is Meta's honour mail with an attachment that makes it size bytes, signed.
func largeSignedMail(b *testing.B, c corpus, size int) []byte {
	b.Helper()
	head := fixture(b, "honoured-en-plain.eml")
	start := bodyStart(head)
	text := head[start+2:]
	var msg bytes.Buffer
	msg.Write(bytes.Replace(head[:start], []byte("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"),
		[]byte("Content-Type: multipart/mixed; boundary=\"b1\"\r\n"), 1))
	msg.WriteString("\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	msg.Write(text)
	msg.WriteString("\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	line := strings.Repeat("QUJD", 19) + "\r\n" // 76 characters a line, as mail writes base64
	for msg.Len() < size-100 {
		msg.WriteString(line)
	}
	msg.WriteString("--b1--\r\n")
	out, err := c.signer.Sign("facebookmail.com", msg.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	return out
}
