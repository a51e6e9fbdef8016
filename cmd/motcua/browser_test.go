package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/internal/democlient"
)

// chromiumPath finds Debian's Chromium; in CI its absence fails the test.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is not installed (.ci/run installs Debian's chromium)")
	}
	t.Skip("Chromium is not installed")
	return ""
}

// shots is where the journeys save their screenshots for a person to look at.
func shots(t *testing.T) string {
	dir := filepath.Join("..", "..", "test-output", "browser")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newBrowser starts a headless Chromium with its own profile.
func newBrowser(t *testing.T) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// The first run starts the browser and must not carry a timeout; the
	// steps after it get one.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	tctx, cancelT := context.WithTimeout(ctx, 150*time.Second)
	t.Cleanup(func() { cancelT(); cancel(); cancelA() })
	return tctx
}

// into runs a and stores its value.
func into[T any](a chromedp.Action[T], dst *T) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		v, err := a(ctx, t)
		*dst = v
		return err
	})
}

type css = chromedp.CSS

// waitText reads the text of sel until it is want (a click that submits a
// form returns before the next page replaces the current one, so the first
// reads may still see the old page), for at most 10 s; got is the last text.
func waitText(sel css, want string, got *string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			v, err := chromedp.Text(sel)(ctx, t)
			if err == nil {
				*got = v
				if v == want {
					return nil
				}
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("text of %s is %q, want %q (last error %v)", sel, *got, want, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

// waitURL waits until the page's address contains part (after a click or
// a submit, the old page stays until the new one replaces it).
func waitURL(part string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			loc, err := chromedp.Location()(ctx, t)
			if err == nil && strings.Contains(loc, part) {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("address %q does not contain %q (last error %v)", loc, part, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// waitJS waits until the script expr is true in the page.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := chromedp.Evaluate[bool](expr)(ctx, t)
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s is not true (last error %v)", expr, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// clickToNewPage clicks sel and waits until another document has replaced
// the current one and finished loading (the click returns before the
// browser has even sent the form).
func clickToNewPage(sel css) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Evaluate[bool](`window.__motcuaOld = true`)(ctx, t); err != nil {
			return err
		}
		if _, err := chromedp.Click(sel)(ctx, t); err != nil {
			return err
		}
		deadline := time.Now().Add(15 * time.Second)
		for {
			fresh, err := chromedp.Evaluate[bool](`window.__motcuaOld !== true && document.readyState === 'complete'`)(ctx, t)
			if err == nil && fresh {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("no new page after clicking %s (last error %v)", sel, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// shot saves a screenshot of the page, audits its accessibility and
// checks it on a 360 px wide screen.
func shot(dir, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		b, err := chromedp.FullScreenshot(100)(ctx, t)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
			return err
		}
		if _, err := axeAudit(name)(ctx, t); err != nil {
			return err
		}
		_, err = narrow(dir, name)(ctx, t)
		return err
	})
}

func login(base, user string) chromedp.Action[chromedp.Void] {
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/dang-nhap"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), user),
		chromedp.SendKeys(css(`#password`), "demo"),
		chromedp.Click(css(`form.login button[type=submit]`)),
	}
	if slices.Contains(demo.SecondFactorUsers, user) {
		steps = append(steps,
			chromedp.WaitVisible(css(`#code`)),
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				code, err := democlient.DemoCode(base, user)
				if err != nil {
					return err
				}
				_, err = chromedp.SendKeys(css(`#code`), code)(ctx, t)
				return err
			}),
			chromedp.Click(css(`form.login button[type=submit]`)),
		)
	}
	return chromedp.Steps(append(steps, chromedp.WaitVisible(css(`span.user`)))...)
}

// TestBrowserJourneys drives the real binary from headless Chromium: a
// citizen finds a procedure and submits it online with uploads through the
// generated form; the receiver, specialist, leader and clerk handle it on
// the dossier page; the citizen sees it returned.
func TestBrowserJourneys(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	chromiumPath(t)
	dir := shots(t)
	s := startServer(t, "--data", t.TempDir(), "--demo")
	pdf := pdfFile(t)
	p, schema := s.procedure(t, "1.001193")

	// The citizen: search without diacritics, open the procedure, submit.
	ctx := newBrowser(t)
	var title, url string
	tasks := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(s.base + "/"),
		chromedp.WaitVisible(css(`#q`)),
		shot(dir, "01-trang-chu"),
		chromedp.SendKeys(css(`#q`), "dang ky khai sinh"),
		chromedp.Submit(css(`#q`)),
		chromedp.WaitVisible(css(`a[href="/thu-tuc/1.001193"]`)),
		shot(dir, "02-tim-kiem"),
		chromedp.Click(css(`a[href="/thu-tuc/1.001193"]`)),
		chromedp.WaitVisible(css(`h1`)),
		into(chromedp.Text(css(`h1`)), &title),
		shot(dir, "03-thu-tuc"),
		login(s.base, "congdan"),
		chromedp.Navigate(s.base + "/thu-tuc/1.001193/nop"),
		chromedp.WaitReady(css(`form.wizard button[type=submit]`)),
		// The child born in another province: its communes are suggested.
		waitJS(`(() => { const s = document.getElementById('pl-tre_em.noi_sinh'); if (s.value !== '79') { s.value = '79'; s.dispatchEvent(new Event('change')); } return true; })()`),
		waitJS(`document.getElementById('f-tre_em.noi_sinh').getAttribute('list') === 'list-commune-79' && document.querySelectorAll('#list-commune-79 option[value="Phường Thủ Dầu Một, Thành phố Hồ Chí Minh"]').length === 1`),
	}
	for i, a := range tasks {
		start := time.Now()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("citizen finds the procedure, step %d: %v", i, err)
		}
		t.Logf("step %d: %v", i, time.Since(start).Round(time.Millisecond))
	}
	if title != "Đăng ký khai sinh" {
		t.Fatalf("procedure page title %q", title)
	}
	fill := fillForm(schema, p, pdf)
	fill = append(fill,
		shot(dir, "04-to-khai"),
		chromedp.Click(css(`form.wizard button[type=submit]`)),
		chromedp.WaitVisible(css(`section.receipt strong.code`)),
		into(chromedp.Location(), &url),
		shot(dir, "05-da-nop"),
	)
	if err := chromedp.Do(ctx, fill...); err != nil {
		t.Fatalf("citizen submits: %v", err)
	}
	// The success page: /ho-so/{code}/da-nop.
	code := strings.TrimSuffix(url, "/da-nop")
	code = code[strings.LastIndex(code, "/")+1:]
	if !strings.HasPrefix(code, "000.00.50.H01-") || !strings.HasSuffix(url, "/da-nop") {
		t.Fatalf("after submission the browser is at %s", url)
	}

	// The officials, each in a browser of their own.
	for i, step := range []struct{ user, action, want string }{
		{"tiepnhan", "receive", "Được tiếp nhận"},
		{"chuyenvien", "complete_step", "Đang xử lý"},
		{"lanhdao", "complete_step", "Đang xử lý"},
		{"vanthu", "complete_step", "Đã xử lý xong"},
		{"tiepnhan", "return", "Đã trả kết quả"},
	} {
		octx := newBrowser(t)
		var status string
		err := chromedp.Do(octx,
			login(s.base, step.user),
			chromedp.Navigate(s.base+"/ho-so"),
			chromedp.WaitVisible(css(`a[href="/ho-so/`+code+`"]`)),
			chromedp.Click(css(`a[href="/ho-so/`+code+`"]`)),
			chromedp.WaitVisible(css(`button[value=`+step.action+`]`)),
			chromedp.SendKeys(css(`#note`), "Đã kiểm tra"),
			clickToNewPage(css(`button[value=`+step.action+`]`)),
			waitText(css(`dl.facts strong`), step.want, &status),
			shot(dir, fmt.Sprintf("%02d-%s-%s", 6+i, step.user, step.action)),
		)
		if err != nil {
			t.Fatalf("%s %s: %v", step.user, step.action, err)
		}
		if status != step.want {
			t.Fatalf("after %s by %s the status reads %q, want %q", step.action, step.user, status, step.want)
		}
	}

	// The citizen sees the result returned and the receipt among the forms.
	var status string
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.base+"/ho-so/"+code),
		waitText(css(`dl.facts strong`), "Đã trả kết quả", &status),
		chromedp.WaitVisible(css(`a[href="/api/v1/dossiers/`+code+`/forms/01"]`)),
		shot(dir, "11-cong-dan-nhan-ket-qua"),
	); err != nil || status != "Đã trả kết quả" {
		t.Fatalf("citizen's last view: %q %v", status, err)
	}
	var rated string
	if err := chromedp.Do(ctx,
		chromedp.Click(css(`input[name=stars][value="5"]`)),
		chromedp.SendKeys(css(`#comment`), "Nhanh chóng, chu đáo"),
		// The rating posts the form: read the page that replaces this one.
		clickToNewPage(css(`form.rating button[type=submit]`)),
		chromedp.WaitVisible(css(`#danh-gia`)),
		into(chromedp.Text(css(`section[aria-labelledby=danh-gia] p`)), &rated),
		shot(dir, "12-cong-dan-danh-gia"),
	); err != nil || !strings.Contains(rated, "5/5 sao") {
		t.Fatalf("citizen rates: %q %v", rated, err)
	}
	t.Logf("screenshots in %s", dir)
}

// pdfFile writes the sample PDF to a temporary file, for upload inputs.
func pdfFile(t *testing.T) string {
	t.Helper()
	pdf := filepath.Join(t.TempDir(), "giay-to.pdf")
	if err := os.WriteFile(pdf, []byte(samplePDF), 0o644); err != nil {
		t.Fatal(err)
	}
	return pdf
}

// procedure fetches a procedure as published, with its form schema.
func (s *server) procedure(t *testing.T, code string) (catalog.Procedure, map[string]any) {
	t.Helper()
	var p catalog.Procedure
	if st := s.call(t, "GET", "/api/v1/procedures/"+code, "", "", &p); st != 200 {
		t.Fatalf("procedure %s = %d", code, st)
	}
	var schema map[string]any
	_ = json.Unmarshal(p.FormSchema, &schema)
	return p, schema
}

// flattenForm turns a declaration into the form's dotted field names.
func flattenForm(prefix string, v map[string]any, out map[string]string) {
	for k, x := range v {
		switch y := x.(type) {
		case map[string]any:
			flattenForm(prefix+k+".", y, out)
		case bool:
			if y {
				out[prefix+k] = "on"
			}
		default:
			out[prefix+k] = fmt.Sprint(y)
		}
	}
}

// fillForm fills the generated form with sample answers and uploads pdf for
// each required component.
func fillForm(schema map[string]any, p catalog.Procedure, pdf string) []chromedp.Action[chromedp.Void] {
	fields := map[string]string{}
	flattenForm("", catalog.SampleData(schema), fields)
	var fill []chromedp.Action[chromedp.Void]
	for name, v := range fields {
		sel := fmt.Sprintf(`[name=%q]`, name)
		if v == "on" {
			fill = append(fill, chromedp.Click(css(sel)))
			continue
		}
		fill = append(fill, chromedp.SetValue(css(sel), v))
	}
	for _, c := range p.Components {
		if c.Required && !p.FilledByForm(c) { // the declaration is the form itself
			fill = append(fill, chromedp.SetUploadFiles(css(`#tp-`+c.Code), []string{pdf}))
		}
	}
	return fill
}
