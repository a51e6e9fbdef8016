package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/wallet"
)

func testFiles(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := blob.File{ID: "f1", SHA256: "ab", Size: 10, ContentType: "application/pdf", Name: "giấy tờ.pdf", OwnerID: 7, CreatedAt: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateFile(ctx, f) })
	got, err := s.File(ctx, "f1")
	if err != nil || got != f {
		t.Errorf("File = %+v, %v; want %+v", got, err, f)
	}
	if _, err := s.File(ctx, "nope"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("missing file: %v", err)
	}
}

// testDossierSequence takes numbers from many goroutines at once: they must
// be 1..N without gaps or repeats, per agency and day.
func testDossierSequence(t *testing.T, s store.Store) {
	ctx := context.Background()
	const workers, each = 8, 25
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				agency := []string{"000.00.50.H01", "000.00.51.H01"}[w%2]
				var n int
				err := s.Update(ctx, func(tx store.Tx) error {
					var err error
					n, err = tx.NextSequence(ctx, agency, "2026-11-23")
					return err
				})
				if err != nil {
					errc <- err
					return
				}
				mu.Lock()
				k := fmt.Sprintf("%s/%d", agency, n)
				if seen[k] {
					errc <- fmt.Errorf("number %s given twice", k)
				}
				seen[k] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	for _, agency := range []string{"000.00.50.H01", "000.00.51.H01"} {
		for n := 1; n <= workers/2*each; n++ {
			if !seen[fmt.Sprintf("%s/%d", agency, n)] {
				t.Fatalf("%s: number %d missing", agency, n)
			}
		}
	}
	var n int
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.NextSequence(ctx, "000.00.50.H01", "2026-11-24")
		return err
	})
	if n != 1 {
		t.Errorf("a new day starts at %d, want 1", n)
	}
}

func sampleDossier(code string, applicant int64, role identity.Role, agency string, due time.Time) *dossier.Dossier {
	d := &dossier.Dossier{Code: code, ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", Status: dossier.StatusNew,
		Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{AccountID: applicant, Name: "Nguyễn Văn An", CitizenID: "001090012345"},
		SubmittedAt: t0, CompetentAgency: "000.00.50.H01", Version: 1, Current: 0,
		Steps:   []dossier.Step{{Name: "Tiếp nhận", Role: identity.RoleReceiver}, {Name: "Thẩm định", Role: identity.RoleSpecialist, AgencyID: "000.00.50.H01"}},
		History: []dossier.Event{{At: t0, Action: dossier.ActSubmit, To: dossier.StatusNew, Step: -1}}}
	if role != identity.RoleReceiver {
		d.Status, d.Current = dossier.StatusProcessing, 1
		r := t0
		d.ReceivedAt = &r
		d.Deadline = calendar.Deadline{Due: due}
	}
	_ = agency
	return d
}

func testDossiers(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := sampleDossier("000.00.50.H01-260302-00001", 7, identity.RoleReceiver, "", time.Time{})
	b := sampleDossier("000.00.50.H01-260302-00002", 7, identity.RoleSpecialist, "000.00.50.H01", t0.Add(48*time.Hour))
	c := sampleDossier("000.00.50.H01-260302-00003", 8, identity.RoleSpecialist, "000.00.50.H01", t0.Add(24*time.Hour))
	update(t, s, func(tx store.Tx) error {
		for _, d := range []*dossier.Dossier{a, b, c} {
			if err := tx.CreateDossier(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if a.ID == 0 || b.ID == a.ID {
		t.Fatalf("ids %d %d", a.ID, b.ID)
	}
	err := s.Update(ctx, func(tx store.Tx) error {
		return tx.CreateDossier(ctx, sampleDossier(a.Code, 7, identity.RoleReceiver, "", time.Time{}))
	})
	if errs.KindOf(err) != errs.Conflict {
		t.Errorf("duplicate code: %v", err)
	}
	got, err := s.Dossier(ctx, b.Code)
	if err != nil || got.Code != b.Code || got.Applicant.CitizenID != "001090012345" || !got.Deadline.Due.Equal(b.Deadline.Due) || got.Current != 1 {
		t.Fatalf("Dossier = %+v, %v", got, err)
	}
	if _, err := s.Dossier(ctx, "nope"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("missing dossier: %v", err)
	}

	// Optimistic concurrency: an update from a stale version fails and
	// changes nothing.
	got.Status, got.Version = dossier.StatusDone, got.Version+1
	got.Current = -1
	update(t, s, func(tx store.Tx) error { return tx.UpdateDossier(ctx, &got) })
	stale := *b
	stale.Version++
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.UpdateDossier(ctx, &stale) }); errs.KindOf(err) != errs.Conflict {
		t.Errorf("stale update: %v", err)
	}
	if now, _ := s.Dossier(ctx, b.Code); now.Status != dossier.StatusDone {
		t.Errorf("status after stale update = %d", now.Status)
	}

	tests := []struct {
		name string
		f    dossier.Filter
		want []string
	}{
		{"applicant 7, newest first", dossier.Filter{ApplicantID: 7}, []string{b.Code, a.Code}},
		{"applicant 8", dossier.Filter{ApplicantID: 8}, []string{c.Code}},
		{"specialist inbox", dossier.Filter{Inbox: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: "000.00.50.H01"}}}, []string{c.Code}},
		{"receiver inbox: new online dossiers and done ones of its counter", dossier.Filter{Inbox: []identity.Grant{{Role: identity.RoleReceiver, AgencyID: "000.00.50.H01"}}}, []string{a.Code}},
		{"other agency", dossier.Filter{Inbox: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: "000.00.99.H01"}}}, nil},
		{"another counter: not the online dossiers of others", dossier.Filter{Inbox: []identity.Grant{{Role: identity.RoleReceiver, AgencyID: "000.00.99.H01"}}}, nil},
		{"a counter receiving for the province: every online dossier at intake", dossier.Filter{Inbox: []identity.Grant{{Role: identity.RoleReceiver, AgencyID: "000.00.10.H01", ForProvince: true}}}, []string{a.Code}},
		{"admin grant has no inbox", dossier.Filter{Inbox: []identity.Grant{{Role: identity.RoleAdmin, AgencyID: "000.00.50.H01"}}}, nil},
		{"status", dossier.Filter{Status: int(dossier.StatusDone)}, []string{b.Code}},
		{"received in range", dossier.Filter{From: t0.Add(-time.Hour), To: t0.Add(time.Hour)}, []string{c.Code, b.Code}},
	}
	for _, tt := range tests {
		list, total, err := s.Dossiers(ctx, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var codes []string
		for _, d := range list {
			codes = append(codes, d.Code)
		}
		if fmt.Sprint(codes) != fmt.Sprint(tt.want) || total != len(tt.want) {
			t.Errorf("%s: %v (total %d), want %v", tt.name, codes, total, tt.want)
		}
	}
}

func testOutbox(t *testing.T, s store.Store) {
	ctx := context.Background()
	update(t, s, func(tx store.Tx) error {
		for i := range 3 {
			if err := tx.AppendOutbox(ctx, store.OutboxEvent{At: t0, Topic: "dossier.submit", Key: fmt.Sprintf("x/%d", i), Payload: []byte(`{"n":` + fmt.Sprint(i) + `}`)}); err != nil {
				return err
			}
		}
		return nil
	})
	// A failed transaction leaves no event behind.
	_ = s.Update(ctx, func(tx store.Tx) error {
		_ = tx.AppendOutbox(ctx, store.OutboxEvent{At: t0, Topic: "dossier.submit", Key: "rolled-back", Payload: []byte(`{}`)})
		return errs.New(errs.Invalid, "x", "x", "x")
	})
	ev, err := s.PendingOutbox(ctx, 10)
	if err != nil || len(ev) != 3 || ev[0].Key != "x/0" || string(ev[2].Payload) != `{"n": 2}` && string(ev[2].Payload) != `{"n":2}` {
		t.Fatalf("pending = %+v, %v", ev, err)
	}
	if b, err := s.OutboxBacklog(ctx); err != nil || b.Pending != 3 || !b.Oldest.Equal(t0) {
		t.Errorf("backlog = %+v, %v; want 3 from %v", b, err, t0)
	}
	update(t, s, func(tx store.Tx) error { return tx.MarkPublished(ctx, []int64{ev[0].ID, ev[1].ID}, t0) })
	if ev, _ := s.PendingOutbox(ctx, 10); len(ev) != 1 || ev[0].Key != "x/2" {
		t.Errorf("after publishing two: %+v", ev)
	}
	// Marking again (another node's relay), or marking none, changes nothing.
	update(t, s, func(tx store.Tx) error { return tx.MarkPublished(ctx, []int64{ev[0].ID}, t0.Add(time.Hour)) })
	update(t, s, func(tx store.Tx) error { return tx.MarkPublished(ctx, nil, t0) })
	if b, err := s.OutboxBacklog(ctx); err != nil || b.Pending != 1 || !b.Oldest.Equal(t0) {
		t.Errorf("backlog after publishing two = %+v, %v", b, err)
	}

	// A relay's batch: many events, pending in id order, marked in one call.
	const n = 1200
	update(t, s, func(tx store.Tx) error {
		for i := range n {
			at := t0.Add(time.Duration(i+1) * time.Second)
			if err := tx.AppendOutbox(ctx, store.OutboxEvent{At: at, Topic: "dossier.receive", Key: fmt.Sprintf("y/%d", i), Payload: []byte(`{}`)}); err != nil {
				return err
			}
		}
		return nil
	})
	ev, err = s.PendingOutbox(ctx, 1000)
	if err != nil || len(ev) != 1000 || ev[1].Key != "y/0" || ev[999].Key != "y/998" {
		t.Fatalf("pending batch: %d events, %v", len(ev), err)
	}
	ids := make([]int64, len(ev))
	for i, e := range ev {
		ids[i] = e.ID
		if i > 0 && e.ID <= ev[i-1].ID {
			t.Fatalf("pending not in id order at %d: %d after %d", i, e.ID, ev[i-1].ID)
		}
	}
	update(t, s, func(tx store.Tx) error { return tx.MarkPublished(ctx, ids, t0) })
	left, err := s.PendingOutbox(ctx, 1000)
	if err != nil || len(left) != n+1-1000 || left[0].Key != "y/999" {
		t.Fatalf("after a batch: %d left, %v", len(left), err)
	}
	if b, err := s.OutboxBacklog(ctx); err != nil || b.Pending != len(left) || !b.Oldest.Equal(t0.Add(1000*time.Second)) {
		t.Errorf("backlog after a batch = %+v, %v", b, err)
	}
	update(t, s, func(tx store.Tx) error {
		ids = ids[:0]
		for _, e := range left {
			ids = append(ids, e.ID)
		}
		return tx.MarkPublished(ctx, ids, t0)
	})
	if b, err := s.OutboxBacklog(ctx); err != nil || b.Pending != 0 || !b.Oldest.IsZero() {
		t.Errorf("empty backlog = %+v, %v", b, err)
	}
}

func testRatings(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Rating(ctx, "x"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("no rating: %v", err)
	}
	r := dossier.Rating{DossierCode: "x", AccountID: 7, Stars: 4, Comment: "Nhanh, chu đáo", At: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateRating(ctx, r) })
	if got, err := s.Rating(ctx, "x"); err != nil || got != r {
		t.Errorf("Rating = %+v, %v", got, err)
	}
	r.Stars = 1
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateRating(ctx, r) }); errs.KindOf(err) != errs.Conflict {
		t.Errorf("second rating: %v", err)
	}
	r.DossierCode, r.Stars = "y", 6
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateRating(ctx, r) }); err == nil {
		t.Error("6 stars accepted by the store")
	}
	testRatingsWithDossiers(t, s)
}

// testRatingsWithDossiers: a dossier and a list of dossiers come with
// their ratings from the store (no look-up per row), and the rating is
// not written with the dossier.
func testRatingsWithDossiers(t *testing.T, s store.Store) {
	ctx := context.Background()
	const agency = "000.00.50.H01"
	at := t0.Add(time.Hour)
	rated := map[string]dossier.Rating{
		"RT1": {DossierCode: "RT1", AccountID: 9, Stars: 5, Comment: "Rất hài lòng", At: at},
		"RT3": {DossierCode: "RT3", AccountID: 9, Stars: 2, At: at.Add(time.Minute)},
	}
	update(t, s, func(tx store.Tx) error {
		// Two in the specialist's inbox (open, running deadline), two
		// returned; one of each rated (the store does not judge when a
		// rating may be given).
		for i, code := range []string{"RT1", "RT2", "RT3", "RT4"} {
			x := statsDossier{code: code, agency: agency, commune: "00004", channel: dossier.ChannelOnline, status: dossier.StatusProcessing,
				submitted: t0.Add(time.Duration(i) * time.Minute), due: t0.Add(72 * time.Hour)}
			if i >= 2 {
				x.status, x.finished = dossier.StatusReturned, &at
			}
			d := x.build()
			if err := tx.CreateDossier(ctx, d); err != nil {
				return err
			}
		}
		for _, code := range []string{"RT1", "RT3"} {
			if err := tx.CreateRating(ctx, rated[code]); err != nil {
				return err
			}
		}
		// Inside the transaction too.
		if d, err := tx.Dossier(ctx, "RT1"); err != nil || d.Rating == nil || *d.Rating != rated["RT1"] {
			return fmt.Errorf("in the transaction: RT1 rating %v, %v", d.Rating, err)
		}
		return nil
	})
	check := func(where string, d dossier.Dossier) {
		t.Helper()
		want, ok := rated[d.Code]
		switch {
		case !ok && d.Rating != nil:
			t.Errorf("%s: %s has rating %+v, want none", where, d.Code, *d.Rating)
		case ok && (d.Rating == nil || *d.Rating != want):
			t.Errorf("%s: %s has rating %v, want %+v", where, d.Code, d.Rating, want)
		}
	}
	for _, code := range []string{"RT1", "RT2", "RT3", "RT4"} {
		d, err := s.Dossier(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		check("Dossier", d)
	}
	for _, f := range []dossier.Filter{
		{CompetentAgency: agency},
		{CompetentAgency: agency, Limit: 2, Offset: 1}, // RT3, RT2
		{Inbox: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: agency}}},
		{Overdue: true, Now: t0.AddDate(1, 0, 0)},
	} {
		list, _, err := s.Dossiers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		withRating := 0
		for _, d := range list {
			check(fmt.Sprintf("Dossiers(%+v)", f), d)
			if d.Rating != nil {
				withRating++
			}
		}
		if len(list) < 2 || withRating == 0 || withRating == len(list) {
			t.Errorf("Dossiers(%+v): %d dossiers, %d rated; want both kinds", f, len(list), withRating)
		}
	}
	// The rating is the store's, not the dossier document's: an update
	// carrying another rating does not change it, nor add one.
	update(t, s, func(tx store.Tx) error {
		for _, code := range []string{"RT1", "RT2"} {
			d, err := tx.Dossier(ctx, code)
			if err != nil {
				return err
			}
			d.Rating = &dossier.Rating{DossierCode: code, AccountID: 1, Stars: 1, At: t0}
			d.Version++
			if err := tx.UpdateDossier(ctx, &d); err != nil {
				return err
			}
		}
		return nil
	})
	for _, code := range []string{"RT1", "RT2"} {
		d, err := s.Dossier(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		check("after an update", d)
	}
}

// testUploads: an account's upload usage, attachment by a stored
// dossier's components, the unattached uploads to clean up, and whether a
// content hash is still referenced.
func testUploads(t *testing.T, s store.Store) {
	ctx := context.Background()
	sum := func(c byte) string { return strings.Repeat(string(c), 64) }
	files := []blob.File{
		{ID: "u1", SHA256: sum('a'), Size: 100, ContentType: "application/pdf", OwnerID: 7, CreatedAt: t0},
		{ID: "u2", SHA256: sum('b'), Size: 200, ContentType: "image/png", OwnerID: 7, CreatedAt: t0.Add(30 * time.Minute)},
		{ID: "u3", SHA256: sum('c'), Size: 400, ContentType: "image/jpeg", OwnerID: 7, CreatedAt: t0.Add(2 * time.Hour)},
		{ID: "u4", SHA256: sum('a'), Size: 100, ContentType: "application/pdf", OwnerID: 8, CreatedAt: t0},
	}
	update(t, s, func(tx store.Tx) error {
		for _, f := range files {
			if err := tx.CreateFile(ctx, f); err != nil {
				return err
			}
		}
		return nil
	})
	u, err := s.UploadUsage(ctx, 7, t0.Add(time.Minute))
	if err != nil || u.Count != 2 || !u.Oldest.Equal(files[1].CreatedAt) || u.UnattachedBytes != 700 {
		t.Errorf("UploadUsage = %+v, %v; want 2 since %v, 700 bytes", u, err, files[1].CreatedAt)
	}
	if u, err := s.UploadUsage(ctx, 9, t0); err != nil || u.Count != 0 || !u.Oldest.IsZero() || u.UnattachedBytes != 0 {
		t.Errorf("UploadUsage of no one = %+v, %v", u, err)
	}
	// A dossier's components attach their uploads, when created and when
	// updated (a supplement).
	d := sampleDossier("000.00.50.H01-260302-00009", 7, identity.RoleReceiver, "", time.Time{})
	d.Components = []dossier.Component{{Code: "tk", FileID: "u1", SHA256: sum('a')}}
	update(t, s, func(tx store.Tx) error { return tx.CreateDossier(ctx, d) })
	if u, _ := s.UploadUsage(ctx, 7, t0); u.UnattachedBytes != 600 || u.Count != 3 {
		t.Errorf("after submission: %+v, want 600 unattached bytes of 3 uploads", u)
	}
	d.Components = append(d.Components, dossier.Component{Code: "anh", FileID: "u2", SHA256: sum('b')})
	d.Version++
	update(t, s, func(tx store.Tx) error { return tx.UpdateDossier(ctx, d) })
	if u, _ := s.UploadUsage(ctx, 7, t0); u.UnattachedBytes != 400 {
		t.Errorf("after supplement: %+v, want 400 unattached bytes", u)
	}
	got, err := s.UnattachedFiles(ctx, t0.Add(3*time.Hour), 10)
	if err != nil || len(got) != 2 || got[0].ID != "u4" || got[1].ID != "u3" {
		t.Errorf("UnattachedFiles = %+v, %v; want u4, u3", got, err)
	}
	if got, _ := s.UnattachedFiles(ctx, t0.Add(time.Hour), 10); len(got) != 1 || got[0].ID != "u4" {
		t.Errorf("UnattachedFiles before t0+1h = %+v; want u4", got)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteFile(ctx, "u3") })
	if _, err := s.File(ctx, "u3"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("deleted file: %v", err)
	}
	// Content is referenced by an upload, a staged file, a dossier's
	// result or a personal document.
	h := sha256.Sum256([]byte("x"))
	staged := hex.EncodeToString(h[:])
	d.Result = &dossier.Result{ID: "r", SHA256: sum('d')}
	d.Version++
	update(t, s, func(tx store.Tx) error {
		if err := tx.UpdateDossier(ctx, d); err != nil {
			return err
		}
		if err := tx.StageFile(ctx, store.StagedFile{SHA256: staged, ContentType: "application/pdf", Content: []byte("x"), CreatedAt: t0}); err != nil {
			return err
		}
		return tx.PutDocument(ctx, wallet.Document{ID: "doc1", Owner: "001090012345", Title: "Giấy phép", FileID: sum('f'), CreatedAt: t0})
	})
	for h, want := range map[string]bool{sum('a'): true, sum('b'): true, sum('c'): false, sum('d'): true, staged: true, sum('f'): true, sum('0'): false} {
		if got, err := s.FileContentReferenced(ctx, h); err != nil || got != want {
			t.Errorf("FileContentReferenced(%s) = %v, %v; want %v", h, got, err, want)
		}
	}
}
