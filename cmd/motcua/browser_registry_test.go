package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/catalog"
)

// TestBrowserDataReuse drives the "enter data once" journey in Chromium:
// congdan's birth-registration form opens prefilled from the population
// dataset, the residence component is covered by the data (no upload), the
// dossier page marks it; once handled, the signed result is in his
// personal store, he shares it, an anonymous visitor opens the share
// link, and his next application reuses the document in one click.
func TestBrowserDataReuse(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	chromiumPath(t)
	dir := shots(t)
	s := startServer(t, "--data", t.TempDir(), "--demo")
	pdf := pdfFile(t)

	ctx := newBrowser(t)
	var name, url string
	var reuse bool
	p, schema := s.procedure(t, "1.001193")
	if err := chromedp.Do(ctx,
		login(s.base, "congdan"),
		chromedp.Navigate(s.base+"/thu-tuc/1.001193/nop"),
		chromedp.WaitReady(css(`#dl-TP03`)),
		into(chromedp.Value(css(`[name=ho_ten_nguoi_yeu_cau]`)), &name),
		into(chromedp.Evaluate[bool](`document.querySelector("#dl-TP03").checked`), &reuse),
		shot(dir, "21-to-khai-dien-san"),
	); err != nil {
		t.Fatalf("open the prefilled form: %v", err)
	}
	if name != "Nguyễn Văn An" || !reuse {
		t.Fatalf("prefilled name %q, residence reused %v", name, reuse)
	}
	// Fill what the data does not give; upload only the components that
	// no data replaces.
	fill := fillForm(schema, catalog.Procedure{}, pdf)
	for _, c := range p.Components {
		if c.Required && c.ReplaceableBy == nil && !p.FilledByForm(c) {
			fill = append(fill, chromedp.SetUploadFiles(css(`#tp-`+c.Code), []string{pdf}))
		}
	}
	var files string
	fill = append(fill,
		chromedp.Click(css(`form.wizard button[type=submit]`)),
		chromedp.WaitVisible(css(`#mo-ho-so`)), // the success page, then the dossier's
		clickToNewPage(css(`#mo-ho-so`)),
		chromedp.WaitVisible(css(`section[aria-labelledby=thanh-phan]`)),
		into(chromedp.Location(), &url),
		into(chromedp.Text(css(`section[aria-labelledby=thanh-phan]`)), &files),
		shot(dir, "22-ho-so-dung-du-lieu"),
	)
	if err := chromedp.Do(ctx, fill...); err != nil {
		t.Fatalf("submit without the residence paper: %v", err)
	}
	code := url[strings.LastIndex(url, "/")+1:]
	if !strings.Contains(files, "Thay thế bằng dữ liệu") || !strings.Contains(files, "CSDLQGDC") {
		t.Fatalf("the dossier page does not mark the replaced component: %s", files)
	}

	// The officials handle it (API), the result is issued and returned.
	d := e2eDossier{Code: code}
	if st := s.call(t, "GET", "/api/v1/dossiers/"+code, s.login(t, "tiepnhan"), "", &d); st != 200 {
		t.Fatalf("dossier: %d", st)
	}
	s.handleToReturn(t, d)

	// The personal store: the result, shared by a link.
	var store string
	var share chromedp.AttributeResult
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.base+"/kho-du-lieu"),
		chromedp.WaitVisible(css(`ul.documents`)),
		into(chromedp.Text(css(`main`)), &store),
		shot(dir, "23-kho-du-lieu"),
		clickToNewPage(css(`ul.documents button[type=submit]`)),
		chromedp.WaitVisible(css(`ul.documents a[href*="/chia-se/"]`)),
		into(chromedp.AttributeValue(css(`ul.documents a[href*="/chia-se/"]`), "href"), &share),
		shot(dir, "24-da-chia-se"),
	); err != nil {
		t.Fatalf("personal store: %v", err)
	}
	if !strings.Contains(store, "Giấy khai sinh") || !strings.Contains(store, "Kết quả điện tử") {
		t.Fatalf("store page: %s", store)
	}
	link := s.base + share.Value[strings.Index(share.Value, "/chia-se/"):]
	anon := newBrowser(t)
	var shared string
	if err := chromedp.Do(anon,
		chromedp.Navigate(link),
		chromedp.WaitVisible(css(`h1`)),
		into(chromedp.Text(css(`main`)), &shared),
		shot(dir, "25-trang-chia-se"),
	); err != nil || !strings.Contains(shared, "Giấy khai sinh") || !strings.Contains(shared, "001******345") {
		t.Fatalf("shared page: %q %v", shared, err)
	}

	// One click: the next application picks the stored birth certificate
	// for its copy of the birth certificate (TP02); the declaration (TP01)
	// is the form.
	p2, schema2 := s.procedure(t, "1.004884")
	var fill2 []chromedp.Action[chromedp.Void]
	fill2 = append(fill2, chromedp.Navigate(s.base+"/thu-tuc/1.004884/nop"), chromedp.WaitReady(css(`#kho-TP02`)))
	fill2 = append(fill2, fillForm(schema2, catalog.Procedure{}, pdf)...)
	fill2 = append(fill2, chromedp.SetValue(css(`#kho-TP02`), docValue(t, s)))
	for _, c := range p2.Components {
		if c.Required && c.ReplaceableBy == nil && !p2.FilledByForm(c) {
			fill2 = append(fill2, chromedp.SetUploadFiles(css(`#tp-`+c.Code), []string{pdf}))
		}
	}
	var files2 string
	fill2 = append(fill2,
		chromedp.Click(css(`form.wizard button[type=submit]`)),
		chromedp.WaitVisible(css(`#mo-ho-so`)),
		clickToNewPage(css(`#mo-ho-so`)),
		chromedp.WaitVisible(css(`section[aria-labelledby=thanh-phan]`)),
		into(chromedp.Text(css(`section[aria-labelledby=thanh-phan]`)), &files2),
		shot(dir, "26-dung-lai-tu-kho"),
	)
	if err := chromedp.Do(ctx, fill2...); err != nil {
		t.Fatalf("reuse a stored document: %v", err)
	}
	if !strings.Contains(files2, "Lấy từ kho dữ liệu cá nhân") {
		t.Fatalf("the dossier page does not mark the stored document: %s", files2)
	}
	t.Logf("screenshots in %s", dir)
}

// docValue is the ID of congdan's first stored document.
func docValue(t *testing.T, s *server) string {
	t.Helper()
	var l struct{ Items []struct{ ID string } }
	if st := s.call(t, "GET", "/api/v1/wallet", s.login(t, "congdan"), "", &l); st != 200 || len(l.Items) == 0 {
		t.Fatalf("wallet: %d %+v", st, l)
	}
	return l.Items[0].ID
}
