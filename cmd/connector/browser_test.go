package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
)

// chromiumPath is the browser of the machine's packages (.ci/run installs Debian's chromium).
func chromiumPath(t *testing.T) string {
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	citest.Missing(t, "no Chromium (apt-get install chromium, or set CHROMIUM)")
	return ""
}

// axeSource is axe-core from npm (.ci/run installs it and sets AXE_CORE_JS).
func axeSource(t *testing.T) string {
	path := os.Getenv("AXE_CORE_JS")
	if path == "" {
		citest.Missing(t, "no axe-core (npm install axe-core, and set AXE_CORE_JS to its axe.min.js)")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("AXE_CORE_JS: %v", err)
	}
	return string(b)
}

// artefacts is where the browser test keeps its screenshots: $TEST_ARTIFACTS/browser, or a
// temporary directory.
func artefacts(t *testing.T) string {
	dir := t.TempDir()
	if base := os.Getenv("TEST_ARTIFACTS"); base != "" {
		dir = filepath.Join(base, "browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// tab is one browser tab driven by the test.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	axe   string
	shots string
	n     int
}

func (b *tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.shot("failed-" + what)
		b.t.Fatalf("%s: %v", what, err)
	}
}

// value runs an action that reads something from the page.
func value[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.shot("failed-" + what)
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// shot saves a screenshot of the page as a test artefact, named by the step.
func (b *tab) shot(name string) string {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	b.n++
	path := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return path
}

// step saves a screenshot and checks the page with axe-core: no serious or critical violation
// of WCAG 2.1 A/AA.
func (b *tab) step(name string) string {
	b.t.Helper()
	path := b.shot(name)
	value(b, "inject axe", chromedp.Evaluate[any](b.axe))
	violations := value(b, "axe on "+name, chromedp.Evaluate[[]string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", ")))`,
		chromedp.EvalAwaitPromise))
	for _, v := range violations {
		b.t.Errorf("page %s: %s", name, v)
	}
	return path
}

// text is the visible text of the page.
func (b *tab) text() string {
	return value(b, "read the page", chromedp.Evaluate[string](`document.body.innerText`))
}

// until reloads the page until it shows want.
func (b *tab) until(want string) { b.waitFor(want, true) }

// untilShown waits until the page shows want without reloading it (a script's page).
func (b *tab) untilShown(want string) { b.waitFor(want, false) }

func (b *tab) waitFor(want string, reload bool) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(b.text(), want) {
		if time.Now().After(deadline) {
			b.shot("waited-for")
			b.t.Fatalf("the page never showed %q: %s", want, b.text())
		}
		time.Sleep(200 * time.Millisecond)
		if reload {
			b.run("reload", chromedp.Reload())
		}
	}
}

func (b *tab) location() string {
	return value(b, "location", chromedp.Location())
}

// TestConsoleInTheBrowser carries a decision through the console in a real Chromium, signed in
// at a real OpenID provider: register, copy the letter, record the filing with a screenshot as
// evidence, upload Meta's signed e-mail, see the zaak closed, download and verify the dossier,
// review and assign a quarantined mail, and a form posted from another origin refused. Every
// page is checked with axe-core, and the case page is tabbed through with the keyboard.
func TestConsoleInTheBrowser(t *testing.T) {
	exe, axe := chromiumPath(t), axeSource(t)
	m, env, _ := startProvider(t)
	env["CONNECTOR_CHANGE_POLL"] = "200ms" // an open case page asks this often whether its case changed
	// Nothing here is about timeouts: a request to the sandbox may take as long as a loaded
	// machine needs (the receipt, a screenshot, goes inline; under -race beside other packages'
	// tests it once took longer than the 2 s the other tests allow).
	env["ZGW_TIMEOUT"] = "30s"
	// The decision is published on the sandbox's publicatiebank, looked at every second.
	env["WOO_PUBLICATIEBANK_URL"], env["WOO_LOOK_INTERVAL"], env["CONNECTOR_SWEEP_INTERVAL"] = onTheSandbox, "1s", "1s"
	w := newWorldWith(t, env)
	shots := artefacts(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.WindowSize(1280, 1000))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	b := &tab{t: t, ctx: ctx, base: w.app.URL, axe: axe, shots: shots}
	// The tab lives as long as the context of its first action: open it without a timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	for _, perm := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: perm}, Setting: browser.PermissionSettingGranted, Origin: w.app.URL}); err != nil {
			t.Fatal(err)
		}
	}

	// Sign in at the provider.
	m.QueueUser(oidcPerson{sub: "u-anna", name: "Anna de Vries", roles: []string{"bezwaar-registrar", "bezwaar-auditor", "bezwaar-beheer"}})
	b.run("sign in", chromedp.Navigate(w.app.URL+"/zaken"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if !strings.Contains(b.text(), "Aangemeld als Anna de Vries") || !strings.HasSuffix(b.location(), "/zaken") {
		t.Fatalf("after sign-in at %s: %s", b.location(), b.text())
	}
	b.step("signed-in")

	// Register a decision with the form.
	b.run("open the decision form", chromedp.Navigate(w.app.URL+"/besluiten/nieuw"), chromedp.WaitVisible(chromedp.CSS("#reference")))
	b.step("decision-form")
	b.run("fill in the decision",
		chromedp.SendKeys(chromedp.CSS("#reference"), "B&W-browser-1"),
		chromedp.SetValue(chromedp.CSS("#decidedOn"), "2025-05-13"),
		chromedp.SetValue(chromedp.CSS("#deadline"), "2025-05-27"),
		chromedp.SendKeys(chromedp.CSS("#account0_name"), "Gemeente Voorbeeldstad"),
		chromedp.SendKeys(chromedp.CSS("#account0_url"), "https://www.facebook.com/voorbeeldstad"),
		chromedp.SendKeys(chromedp.CSS("#account0_email"), "communicatie@voorbeeldstad.nl"),
		chromedp.Click(chromedp.CSS(`form[action="/besluiten"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.error[role="alert"]`)))
	// The decision of May 2025 had its deadline long before today: registered only on purpose.
	// The refusal says so in words, at the field, and its summary's link leads there.
	if !strings.Contains(b.text(), "Deze datum is al voorbij") {
		t.Fatalf("a past deadline was not refused: %s", b.text())
	}
	b.step("decision-refused")
	b.run("follow the error to its field", chromedp.Click(chromedp.CSS(`#fouten a[href="#deadline"]`)))
	if at := value(b, "the focus", chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`)); at != "deadline" {
		t.Errorf("the error summary's link put the focus on %q, not the deadline", at)
	}
	collegePDF := filepath.Join(t.TempDir(), "collegebesluit.pdf")
	os.WriteFile(collegePDF, []byte("%PDF-1.4\n% Collegebesluit B&W-browser-1\n%%EOF\n"), 0o600)
	b.run("register it on purpose, with the college's document",
		chromedp.Click(chromedp.CSS("#acceptPastDeadline")),
		chromedp.SetUploadFiles(chromedp.CSS("#document"), []string{collegePDF}),
		chromedp.Click(chromedp.CSS(`form[action="/besluiten"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#stand")))
	caseURL := b.location()
	m1 := caseLink.FindStringSubmatch(caseURL)
	if m1 == nil {
		t.Fatalf("after registering: at %s", caseURL)
	}
	// The letters show as soon as they are in the zaaksysteem; the filing form once the case
	// waits for filing — a moment later.
	b.until("Wacht op indiening")
	b.step("case-registered")

	// The decision waits as a concept in the publicatiebank; the communication advisor publishes
	// it there (here through its API, as the GPP app would) and the case page links to it.
	b.until("Klaargezet als concept in het publicatieplatform")
	b.step("publication-concept")
	pb := w.sb.Woo(t)
	pub, err := pb.FindPublicatie(context.Background(), woo.Kenmerk{Kenmerk: "B&W-browser-1", Bron: "meta-bezwaar-connector"})
	if err == nil && pub != nil {
		_, err = pb.Publish(context.Background(), pub)
	}
	if err != nil || pub == nil {
		t.Fatalf("publishing the concept: %v (%v)", err, pub)
	}
	b.until("de publicatiedatum van het besluit is vastgelegd")
	b.step("published")
	b.run("open the public page", chromedp.Click(chromedp.CSS(`#publicatie a[href*="/openbaar/publicaties/"]`)), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if txt := b.text(); !strings.Contains(txt, "Collegebesluit B&W-browser-1") {
		t.Errorf("the public page: %s", txt)
	}
	b.run("back to the case", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("#stand")))

	// Copy the letter with the button.
	letter := value(b, "read the letter", chromedp.Value(chromedp.CSS("#letter-0")))
	b.run("copy the letter", chromedp.Click(chromedp.CSS(`button[data-copy="letter-0"]`)),
		chromedp.WaitVisible(`//p[@id="copied-0"][contains(., "gekopieerd")]`))
	copied := value(b, "read the clipboard", chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if copied != letter || !strings.Contains(letter, "Gemeente Voorbeeldstad") {
		t.Errorf("the clipboard holds %q, want the letter %q", copied, letter)
	}
	b.shot("letter-copied")

	// Record the filing, with a screenshot of the page as Meta's receipt.
	evidence := b.shot("meta-receipt")
	b.run("record the filing", chromedp.SetUploadFiles(chromedp.CSS("#evidence-0"), []string{evidence}),
		chromedp.Click(chromedp.CSS(`form[action$="/indiening/0"] button[type=submit]`)),
		chromedp.WaitVisible(`//div[@class="flash"][contains(., "indiening bij Meta is vastgelegd")]`))
	b.step("filed")

	// Upload Meta's signed confirmation by the file input.
	eml := filepath.Join(t.TempDir(), "bevestiging.eml")
	os.WriteFile(eml, w.mail(t, "facebook", "Gemeente Voorbeeldstad", "communicatie@voorbeeldstad.nl", true, meta.KindHonoured), 0o600)
	b.run("upload Meta's e-mail", chromedp.SetUploadFiles(chromedp.CSS("#mailfile"), []string{eml}),
		chromedp.Click(chromedp.CSS(`form[action$="/bevestiging"] button[type=submit]`)),
		chromedp.WaitVisible(`//div[@class="flash"][contains(., "aanvaard")]`))
	if txt := b.text(); !strings.Contains(txt, "Echt van Meta: Meta bevestigt het bezwaar") {
		t.Errorf("the verdict is not shown in words: %s", txt)
	}
	b.step("mail-accepted")
	b.until("Afgesloten")
	b.step("closed")

	// Download the dossier and verify it.
	b.run("download the dossier", chromedp.Click(chromedp.CSS(`a[href$="/dossier"]`)))
	zipPath := waitDownload(t, downloads)
	b.run("verify the dossier", chromedp.Navigate(w.app.URL+"/dossier/controleren"), chromedp.WaitVisible(chromedp.CSS("#dossier")),
		chromedp.SetUploadFiles(chromedp.CSS("#dossier"), []string{zipPath}),
		chromedp.Click(chromedp.CSS(`form[action="/dossier/controleren"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#uitslag")))
	if txt := b.text(); !strings.Contains(txt, "Het dossier is ongeschonden") || !strings.Contains(txt, "SHA256SUMS") {
		t.Errorf("verification report: %s", txt)
	}
	b.step("dossier-verified")

	// A quarantined mail, reviewed and assigned to an open case.
	open := w.registered(t, "B&W-browser-2", "instagram")
	status, _, p := w.do(t, "POST", "/api/v1/confirmations", w.registrar(t), "message/rfc822",
		w.mail(t, "instagram", "@voorbeeldstad", "iemand@elders.nl", true, meta.KindHonoured))
	if status != 422 {
		t.Fatalf("an unmatched mail: %d %v", status, p)
	}
	b.run("open the quarantine", chromedp.Navigate(w.app.URL+"/quarantaine"), chromedp.WaitVisible(chromedp.CSS("table")))
	b.step("quarantine")
	b.run("review the mail", chromedp.Click(chromedp.CSS(`a[href^="/quarantaine/"]`)), chromedp.WaitVisible(chromedp.CSS("#note")))
	if txt := b.text(); !strings.Contains(txt, "Ondertekende kopregels") || !strings.Contains(txt, "iemand@elders.nl") {
		t.Errorf("the review page: %s", txt)
	}
	b.step("quarantined-mail")
	b.run("assign it", chromedp.SetValue(chromedp.CSS("#caseId"), open),
		script(`document.getElementById("caseId").dispatchEvent(new Event("change"))`),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#acc-%s-0", open))),
		chromedp.Click(chromedp.CSS("#confirms")),
		chromedp.SendKeys(chromedp.CSS("#note"), "Doorgestuurd door de webredactie; het gaat om ons Instagram-account."),
		chromedp.Click(chromedp.CSS(`form[action$="/toewijzen"] button[type=submit]`)),
		chromedp.WaitVisible(`//div[@class="flash"][contains(., "toegewezen")]`))
	if !strings.Contains(b.location(), "/zaken/"+open) {
		t.Errorf("after assigning: at %s", b.location())
	}
	w.waitState(t, open, objection.StateClosed)

	// The operators' page.
	b.run("operators", chromedp.Navigate(w.app.URL+"/beheer"), chromedp.WaitVisible(chromedp.CSS("table")))
	// (A registration, an e-mail or a closing worked at once leaves no job; recording the filing
	// in the zaak is a job River's workers did.)
	if txt := b.text(); !strings.Contains(txt, "Status ‘ingediend bij Meta’ zetten set_filed_status\tklaar") || !strings.Contains(txt, "zaaksysteem: in orde") {
		t.Errorf("operators' page: %s", txt)
	}
	b.step("operators")
	// River's own UI, from the link on the operators' page: its job list shows the filing's job.
	b.run("River's UI", chromedp.Click(chromedp.CSS(`a[href="/beheer/wachtrij/"]`)),
		chromedp.WaitVisible(`//a[contains(., "Completed")]`), chromedp.Click(`//a[contains(., "Completed")]`))
	b.untilShown("set_filed_status")
	b.shot("river-ui")

	// Every control of a case page is reached with the Tab key.
	third := w.registered(t, "B&W-browser-3", "facebook", "instagram")
	b.run("open a case", chromedp.Navigate(w.app.URL+"/zaken/"+third), chromedp.WaitVisible(chromedp.CSS("#letter-1")))
	b.step("case-for-keyboard")
	tabThrough(t, b)

	// The open page says when its case changed meanwhile: here, a filing recorded elsewhere.
	if status, _, p := w.do(t, "POST", "/api/v1/cases/"+third+"/accounts/0/filing", w.registrar(t), "application/json", []byte(`{"channel":"app"}`)); status != 200 {
		t.Fatalf("filing through the API: %d %v", status, p)
	}
	b.run("the page says the case changed", chromedp.WaitVisible(chromedp.CSS(`#fresh a[href="/zaken/`+third+`"]`)))
	b.step("case-changed")

	// On a phone (390 px) and the narrowest screens (320 px) no page scrolls sideways: the list
	// of cases, a case page with its history, an open case with its letters and forms.
	for _, width := range []int64{390, 320} {
		b.run(fmt.Sprintf("a screen %d px wide", width), chromedp.EmulateViewport(width, 844))
		for _, page := range []string{w.app.URL + "/zaken?filter=alle", caseURL, w.app.URL + "/zaken/" + third} {
			b.run("open "+page, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("h1")))
			if wide := value(b, "the page's width", chromedp.Evaluate[int64](`document.documentElement.scrollWidth`)); wide > width {
				b.shot(fmt.Sprintf("too-wide-%d", width))
				t.Errorf("%s is %d px wide on a %d px screen: it scrolls sideways", page, wide, width)
			}
		}
	}
	b.step("small-screen")
	b.run("a desktop screen again", chromedp.EmulateViewport(1280, 1000))

	// A form posted from another origin is refused, and changes nothing.
	evil := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(rw, `<!doctype html><html lang="en"><title>x</title><form id="f" method="post" enctype="multipart/form-data" action="%s/zaken/%s/sluiten">
			<input name="reason" value="forged"></form><script>document.getElementById("f").submit()</script></html>`, w.app.URL, third)
	}))
	defer evil.Close()
	b.run("a form from elsewhere", chromedp.Navigate(evil.URL), chromedp.WaitVisible(`//main[contains(., "niet van deze site")]`))
	b.shot("cross-origin-refused")
	if c := w.waitState(t, third, objection.StateAwaitingConfirmation); c["closeReason"] != nil {
		t.Errorf("the forged close went through: %v", c)
	}
}

// script runs JavaScript in the page for its effect.
func script(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](expr)(ctx, t)
		return err
	})
}

// waitDownload waits for a finished download in dir.
func waitDownload(t *testing.T, dir string) string {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".zip") {
				return filepath.Join(dir, e.Name())
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the dossier was not downloaded")
	return ""
}

// tabThrough presses Tab through the page and checks that every visible control got the focus
// (the summary of a closed <details> stands for what it holds).
func tabThrough(t *testing.T, b *tab) {
	controls := value(b, "number the controls", chromedp.Evaluate[int](`(() => {
		const all = [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")]
			.filter(e => !e.hidden && !e.disabled && e.offsetParent !== null)
			// what a closed <details> holds is reached by opening it from its summary, which counts
			.filter(e => e.tagName === "SUMMARY" || !e.closest("details:not([open])"));
		all.forEach((e, i) => e.setAttribute("data-control", String(i)));
		document.activeElement && document.activeElement.blur();
		return all.length;
	})()`))
	if controls < 10 {
		t.Fatalf("only %d controls on the case page", controls)
	}
	reached := map[string]bool{}
	for i := 0; i < controls*2 && len(reached) < controls; i++ {
		b.run("tab", chromedp.KeyEvent(kb.Tab))
		at := value(b, "focus", chromedp.Evaluate[string](`document.activeElement ? (document.activeElement.getAttribute("data-control") || "") : ""`))
		if at != "" {
			reached[at] = true
		}
	}
	if len(reached) < controls {
		names := value(b, "unreached", chromedp.Evaluate[[]string](fmt.Sprintf(`[...document.querySelectorAll("[data-control]")].filter(e => !%s.includes(e.getAttribute("data-control"))).map(e => e.outerHTML.slice(0, 120))`, jsList(reached))))
		t.Errorf("%d of %d controls reached by Tab; not: %v", len(reached), controls, names)
	}
}

func jsList(m map[string]bool) string {
	var s []string
	for k := range m {
		s = append(s, `"`+k+`"`)
	}
	return "[" + strings.Join(s, ",") + "]"
}
