package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// TestCrashAtEveryStep kills the connector (SIGKILL, from inside at a chosen point, as a power
// cut would) once per step and phase — right after the zaaksysteem performed an effect but
// before the connector recorded it ("sent"), and right after recording it ("done"), and right
// after a decision's or an e-mail's acceptance committed, before it was answered — restarts it
// and finishes the job. In the end the zaaksysteem must hold exactly one of everything.
// Two flows: Meta confirms by mail; and a decision with its document, filed with Meta's
// receipt, reminded before its deadline and closed as not confirmed when the wait runs out.
func TestCrashAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and restarts the binary many times")
	}
	bin := filepath.Join(t.TempDir(), "connector")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	sb := sandboxtest.StartForConnector(t)
	signer, err := meta.NewSampleSigner("crash")
	if err != nil {
		t.Fatal(err)
	}
	flows := []struct {
		name   string
		steps  []string
		drive  func(p *process, t *testing.T, ref string, signer *meta.SampleSigner) bool
		assert func(t *testing.T, ref string)
		woo    bool     // published on the sandbox's publicatiebank
		also   []string // points besides the steps': the acceptances' commits
	}{
		{"mail", []string{"zaak", "status-first", "besluit", "letter", "letter-zio", "confirmation", "confirmation-zio", "resultaat", "status-eind"},
			(*process).drive, func(t *testing.T, ref string) { assertCaseExactlyOnce(t, sb, ref, 1) }, false,
			[]string{"accepted:decision", "accepted:mail"}},
		// nc: not confirmed
		{"nc", []string{"decision-document", "decision-bio", "decision-zio", "evidence", "evidence-zio", "status-filed", "resultaat", "status-eind"},
			(*process).driveLife, func(t *testing.T, ref string) {
				assertZaak(t, sb, ref, zaakShape{documents: 3, statussen: 3, notConfirmed: true})
			}, false, nil},
		// woo: the decision with its document published directly on the Woo platform
		{"woo", []string{"woo-publicatie", "woo-document", "woo-publish", "besluit-publicatiedatum"},
			(*process).drivePublication, func(t *testing.T, ref string) { assertPublishedOnce(t, sb, ref) }, true, nil},
	}
	for _, flow := range flows {
		var points []string
		for _, phase := range []string{"sent", "done"} {
			for _, step := range flow.steps {
				points = append(points, phase+":"+step)
			}
		}
		for _, point := range append(points, flow.also...) {
			t.Run(flow.name+"/"+point, func(t *testing.T) {
				zgwEnv(t, sb, signer)
				t.Setenv("ZGW_TIMEOUT", "1s") // a restart resumes after twice this
				t.Setenv("CONNECTOR_CONFIRMATION_WAIT", "1s")
				t.Setenv("CONNECTOR_SWEEP_INTERVAL", "1s")
				if flow.woo {
					wooEnv(t, sb.URL)
					everyPublicationStep(t)
					t.Setenv("WOO_TIMEOUT", "1s")
				}
				ref := "CRASH-" + flow.name + "-" + strings.ReplaceAll(point, ":", "-")
				env := append(os.Environ(), "CONNECTOR_TEST_KILL_AT="+point)

				p := startProcess(t, bin, env)
				if killed := flow.drive(p, t, ref, signer); !killed { // runs until the process dies at the point
					t.Fatalf("the process was not killed at %s", point)
				}
				p = startProcess(t, bin, os.Environ())
				if flow.drive(p, t, ref, signer) {
					t.Fatal("the restarted process died")
				}
				p.stop(t)
				flow.assert(t, ref)
			})
		}
	}
}

// driveLife takes a decision with its document to a case closed as not confirmed: register
// (deadline tomorrow, so a reminder is due at once), file the account with Meta's receipt, and
// wait for CONNECTOR_CONFIRMATION_WAIT to run out. It reports whether the process died; at the
// end the case's history holds one reminder.
func (p *process) driveLife(t *testing.T, ref string, _ *meta.SampleSigner) (died bool) {
	t.Helper()
	auth := func() string { return bearer(t, "intake", registrarSecret, time.Now()) }
	decisionForm, decisionCT := lifeDecision(t, ref, "facebook")
	filingForm, filingCT := form(t, [][2]string{{"channel", "web-form"}}, map[string][]byte{"evidence": pngBytes(t)})
	filed := false
	return p.driveCase(t, decisionForm, decisionCT, func(caseID, out string) bool {
		switch {
		case strings.Contains(out, `"state":"closed"`):
			_, events := call(p.url, "GET", "/api/v1/cases/"+caseID+"/events", auth(), "", nil)
			if n := strings.Count(events, `"type":"reminder"`); n != 1 {
				t.Errorf("%d reminders in the case's history, want 1", n)
			}
			return true
		case strings.Contains(out, `"state":"awaiting_confirmation"`) && !filed:
			// Filed once the reminder went out (the deadline is near from the start).
			if _, events := call(p.url, "GET", "/api/v1/cases/"+caseID+"/events", auth(), "", nil); strings.Contains(events, `"type":"reminder"`) {
				status, _ := call(p.url, "POST", "/api/v1/cases/"+caseID+"/accounts/0/filing", auth(), filingCT, filingForm)
				filed = status == 200 || status == 409
			}
		}
		return false
	})
}

// drivePublication registers a decision with its document and waits until it is published and
// its besluit has its publicatiedatum. It reports whether the process died.
func (p *process) drivePublication(t *testing.T, ref string, _ *meta.SampleSigner) (died bool) {
	t.Helper()
	decisionForm, decisionCT := lifeDecision(t, ref, "facebook")
	return p.driveCase(t, decisionForm, decisionCT, func(_, out string) bool { return strings.Contains(out, `"publicatiedatum":"`) })
}

// driveCase registers a decision (a form as the API takes it) and reads its case, handing each
// answer to done, until done says the flow is through (40 seconds at most). Every request may
// fail because the process dies; driveCase then reports that it died.
func (p *process) driveCase(t *testing.T, body []byte, contentType string, done func(caseID, out string) bool) (died bool) {
	t.Helper()
	auth := func() string { return bearer(t, "intake", registrarSecret, time.Now()) }
	deadline := time.Now().Add(40 * time.Second)
	var caseID string
	for time.Now().Before(deadline) {
		select {
		case <-p.exit:
			return true
		default:
		}
		if caseID == "" {
			if status, out := call(p.url, "POST", "/api/v1/decisions", auth(), contentType, body); status == 200 || status == 202 {
				caseID = idOf(t, out)
			}
			continue
		}
		status, out := call(p.url, "GET", "/api/v1/cases/"+caseID, auth(), "", nil)
		if status == 200 && strings.Contains(out, `"state":"failed"`) {
			t.Fatalf("case failed: %s", out)
		}
		if status == 200 && done(caseID, out) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return p.diedOrFail(t, caseID)
}

type process struct {
	cmd  *exec.Cmd
	url  string
	exit chan error
}

func startProcess(t *testing.T, bin string, env []string) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if dir := os.Getenv("CONNECTOR_TEST_LOGS"); dir != "" { // for debugging: keep every process's log
		if f, err := os.CreateTemp(dir, "connector-*.log"); err == nil {
			cmd.Stderr = io.MultiWriter(&stderr, f)
			t.Cleanup(func() { f.Close() })
		}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, exit: make(chan error, 1)}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	go func() { p.exit <- cmd.Wait() }()
	select {
	case p.url = <-urls:
	case err := <-p.exit:
		t.Fatalf("the connector exited at start: %v\n%s", err, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatal("the connector did not start")
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return p
}

func (p *process) stop(t *testing.T) {
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exit:
	case <-time.After(20 * time.Second):
		t.Error("no graceful shutdown")
	}
}

// drive takes the decision to a closed case: register, wait for the letters, confirm, wait for
// closing. Every request may fail because the process dies; drive then reports that it died.
func (p *process) drive(t *testing.T, ref string, signer *meta.SampleSigner) (died bool) {
	t.Helper()
	auth := func() string { return bearer(t, "intake", registrarSecret, time.Now()) }
	body := decisionJSON(ref, "facebook")
	deadline := time.Now().Add(30 * time.Second)
	var caseID string
	confirmed := false
	for time.Now().Before(deadline) {
		select {
		case <-p.exit:
			return true
		default:
		}
		if caseID == "" {
			status, out := call(p.url, "POST", "/api/v1/decisions", auth(), "application/json", body)
			if status == 200 || status == 202 {
				caseID = idOf(t, out)
			}
			continue
		}
		status, out := call(p.url, "GET", "/api/v1/cases/"+caseID, auth(), "", nil)
		if status != 200 {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		switch {
		case strings.Contains(out, `"state":"closed"`):
			return false
		case strings.Contains(out, `"state":"failed"`):
			t.Fatalf("case failed: %s", out)
		case strings.Contains(out, `"state":"awaiting_confirmation"`) && !confirmed:
			raw, err := signer.Make(meta.Sample{Platform: "facebook", To: "facebook@voorbeeldstad.nl", Account: "Gemeente Voorbeeldstad facebook",
				Date: time.Date(2025, 5, 14, 10, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			status, _ := call(p.url, "POST", "/api/v1/cases/"+caseID+"/confirmations", auth(), "message/rfc822", raw)
			confirmed = status == 202 || status == 200
		}
		time.Sleep(20 * time.Millisecond)
	}
	return p.diedOrFail(t, caseID)
}

func call(base, method, path, auth, ct string, body []byte) (int, string) {
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", auth)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func regexpMust(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// diedOrFail ends a drive that ran out of time: the process died (true), or the test fails.
func (p *process) diedOrFail(t *testing.T, caseID string) bool {
	t.Helper()
	select {
	case <-p.exit:
		return true
	default:
	}
	t.Fatalf("case %s did not close in time", caseID)
	return false
}

// TestCrashOnANotification kills the connector between receiving a notification and recording
// it: the Notificaties API got no answer, so it delivers again once the connector is back, and
// the besluit becomes one decision with one zaak — nothing lost, nothing doubled.
func TestCrashOnANotification(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and restarts the binary")
	}
	bin := filepath.Join(t.TempDir(), "connector")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	sb := sandboxtest.StartForConnector(t, quickDelivery)
	signer, err := meta.NewSampleSigner("crash-nrc")
	if err != nil {
		t.Fatal(err)
	}
	zgwEnv(t, sb, signer)
	addr := freeAddr(t)
	for k, v := range subscribedEnv(addr) {
		t.Setenv(k, v)
	}
	t.Setenv("ZGW_TIMEOUT", "1s")
	p := startProcess(t, bin, append(os.Environ(), "CONNECTOR_TEST_KILL_AT=received:notification"))
	deadline := time.Now().Add(20 * time.Second)
	for {
		if status, body := call(p.url, "GET", "/readyz", "", "", nil); status == 200 && strings.Contains(body, "notificaties") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the connector did not subscribe")
		}
		time.Sleep(50 * time.Millisecond)
	}
	ctx := t.Context()
	cat, err := sb.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), time.Now().Format(time.DateOnly))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sb.Client.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: cat.BesluitType.URL, Identificatie: "B&W-CRASH-NRC", Datum: "2025-05-13", IngangsDatum: "2025-05-13"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exit:
	case <-time.After(20 * time.Second):
		t.Fatal("the connector was not killed on receiving the notification")
	}
	p = startProcess(t, bin, os.Environ())
	auth := func() string { return bearer(t, "intake", registrarSecret, time.Now()) }
	var c map[string]any
	for deadline = time.Now().Add(30 * time.Second); ; {
		_, out := call(p.url, "GET", "/api/v1/cases", auth(), "", nil)
		var list struct{ Results []map[string]any }
		json.Unmarshal([]byte(out), &list)
		if len(list.Results) > 1 {
			t.Fatalf("%d cases for one besluit", len(list.Results))
		}
		if len(list.Results) == 1 && list.Results[0]["state"] == "awaiting_confirmation" {
			c = list.Results[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no case after the restart: %s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.stop(t)
	if linked, err := sb.Client.Besluiten.GetBesluit(ctx, b.URL); err != nil || linked.Zaak != c["zaakUrl"] {
		t.Errorf("the besluit is not linked to the case's zaak: %+v %v", linked, err)
	}
	n := 0
	for _, err := range sb.Client.Zaken.ListZaken(ctx, zgw.ZaakFilter{Bronorganisatie: sandboxtest.RSIN}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d zaken in the zaaksysteem, want 1", n)
	}
	// The besluit's notification: delivered after the restart, so attempted at least twice (the
	// sandbox records the delivery once it has the answer: the log may lag the case a moment).
	for deadline = time.Now().Add(10 * time.Second); ; {
		log, err := sb.Sandbox.Deliveries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var d *sandbox.Delivery
		for i := range log {
			n := string(log[i].Notification)
			if strings.Contains(n, b.URL) && strings.Contains(n, `"resource":"besluit","resourceUrl"`) && strings.Contains(n, `"actie":"create"`) {
				d = &log[i]
			}
		}
		if d != nil && d.Delivered && d.Attempts >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the besluit's notification: %+v", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
