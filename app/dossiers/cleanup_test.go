package dossiers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/errs"
)

// TestCleanupUploads: uploads no dossier references are deleted a day
// after they were made, with an audit entry each; their bytes go when
// nothing else holds them, and stay when a submitted dossier's upload has
// the same content; uploads a dossier references are never touched.
func TestCleanupUploads(t *testing.T) {
	e := apptest.New(t)
	ac := e.Actor(apptest.Citizen)
	upload := func(content string) string {
		f, err := e.App.Dossiers.Upload(e.Ctx, ac, "giay-to.pdf", "application/pdf", strings.NewReader(apptest.MinimalPDF+"% "+content+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	lone := upload("lone")
	twin := upload("shared")
	in := e.SubmitInput(t, apptest.Citizen, "1.001193")
	replaced := in.Components[0].FileID        // uploaded, then not used
	in.Components[0].FileID = upload("shared") // the same bytes, attached
	d, err := e.App.Dossiers.Submit(e.Ctx, ac, in)
	if err != nil {
		t.Fatal(err)
	}
	sumOf := func(id string) string {
		f, err := e.Store.File(e.Ctx, id)
		if err != nil {
			t.Fatalf("file %s: %v", id, err)
		}
		return f.SHA256
	}
	loneSum, sharedSum, replacedSum := sumOf(lone), sumOf(twin), sumOf(replaced)

	e.Advance(23 * time.Hour)
	if n, m, err := e.App.Dossiers.CleanupUploads(e.Ctx); err != nil || n != 0 || m != 0 {
		t.Fatalf("cleanup within the day = %d, %d, %v", n, m, err)
	}
	e.Advance(2 * time.Hour)
	n, m, err := e.App.Dossiers.CleanupUploads(e.Ctx)
	if err != nil || n != 3 || m != 2 {
		t.Fatalf("cleanup after a day = %d records, %d files, %v; want 3, 2", n, m, err)
	}
	for _, id := range []string{lone, twin, replaced} {
		if _, err := e.Store.File(e.Ctx, id); errs.KindOf(err) != errs.NotFound {
			t.Errorf("unattached upload %s still recorded: %v", id, err)
		}
	}
	for _, sum := range []string{loneSum, replacedSum} {
		if _, err := e.Files.Open(sum); errs.KindOf(err) != errs.NotFound {
			t.Errorf("bytes of an unattached upload still stored (%s): %v", sum, err)
		}
	}
	if f, err := e.Files.Open(sharedSum); err != nil {
		t.Errorf("bytes a dossier's upload holds were removed: %v", err)
	} else {
		f.Close()
	}
	for _, c := range in.Components {
		if _, err := e.Store.File(e.Ctx, c.FileID); err != nil {
			t.Errorf("upload %s of dossier %s removed: %v", c.FileID, d.Code, err)
		}
	}
	if got := len(e.Audit(t, "file.cleanup", "")); got != 3 {
		t.Errorf("%d file.cleanup audit entries, want 3", got)
	}
	if n, m, err := e.App.Dossiers.CleanupUploads(e.Ctx); err != nil || n != 0 || m != 0 {
		t.Errorf("second cleanup = %d, %d, %v", n, m, err)
	}
}
