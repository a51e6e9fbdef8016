package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/natsbus"
)

// TestServeNATSNationalInbound: with --nats on the external server, a
// dossier the national portal publishes to dvcqg.01.dossier.submitted
// lands at status 1, online, in the inbox of the province's intake
// counter; published twice it is one dossier; an invalid one is given up
// without holding the others back.
func TestServeNATSNationalInbound(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	b := connectExternalNATS(t)
	ctx := context.Background()
	stream := natsbus.PortalStreamName("01")
	// Start from no stream (and so no consumer's position of a run before).
	deleteStream := func() {
		if err := b.JetStream().DeleteStream(ctx, stream); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			t.Fatal(err)
		}
	}
	deleteStream()
	t.Cleanup(deleteStream)

	// The portal's file host: a valid PDF at every path.
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte(samplePDF + "% " + r.URL.Path + "\n"))
	}))
	defer files.Close()

	s := startServer(t, "--demo", "--data", t.TempDir(), "--nats", externalNATS, "--national-files-hosts", "127.0.0.1")
	// The province made the stream and its durable consumer.
	var cons jetstream.Consumer
	for deadline := time.Now().Add(10 * time.Second); cons == nil; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no consumer %s on %s within 10 s", portalDurable, stream)
		}
		cons, _ = b.JetStream().Consumer(ctx, stream, portalDurable)
	}
	receiver := s.login(t, "tiepnhan")
	inbox := func() []string {
		t.Helper()
		var l struct {
			Items []struct{ Code string }
		}
		if st := s.call(t, "GET", "/api/v1/dossiers?inbox=1&status=1&limit=200", receiver, "", &l); st != 200 {
			t.Fatalf("inbox: %d", st)
		}
		var codes []string
		for _, it := range l.Items {
			codes = append(codes, it.Code)
		}
		return codes
	}
	before := inbox()

	const national = "G22.99-261203-00777"
	doc := func(id, comp string) dvcqg.Document {
		return dvcqg.Document{TepDinhKemID: id, TenTepDinhKem: "Giấy tờ " + comp, MaThanhPhanHoSo: comp, DuongDan: files.URL + "/" + national + "/" + id + ".pdf", DuocSoHoa: 1}
	}
	valid := dossiers.NationalSubmission{Dossier: dvcqg.Dossier{
		MaHoSo: national, MaTTHC: "1.001193", TenTTHC: "Đăng ký khai sinh", KenhThucHien: 2, LoaiDoiTuong: 1,
		ChuHoSo: "Nguyễn Văn An", SoGiayToChuHoSo: "001090012345", DinhDanhCHS: []dvcqg.Identity{{LoaiDinhDanh: 1, SoDinhDanh: "001090012345"}},
		Email: "congdan@example.vn", SoDienThoai: "0912345678", ThongTinKhac: "12 Phố Huế",
		TrangThaiHoSo: 1, NgayNopHoSo: dvcqg.FormatTime(time.Now().Add(-time.Hour)),
		TaiLieuNop: []dvcqg.Document{doc("tk", "TP01"), doc("cs", "TP02"), doc("cc", "TP03")},
	}}
	invalid := valid
	invalid.MaHoSo, invalid.MaTTHC = "G22.99-261203-00778", "9.999999"
	// Published as the portal would, the same dossier twice (no message
	// ID: both are stored, and the handler's idempotency is what counts).
	var last uint64
	for _, in := range []dossiers.NationalSubmission{invalid, valid, valid} {
		body, _ := json.Marshal(in)
		ack, err := b.JetStream().Publish(ctx, dossiers.NationalSubject("01"), body)
		if err != nil {
			t.Fatal(err)
		}
		last = ack.Sequence
	}
	// Every message acknowledged or given up, none left to deliver.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		info, err := cons.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.AckFloor.Stream >= last && info.NumAckPending == 0 && info.NumPending == 0 {
			if info.NumRedelivered != 0 {
				t.Errorf("%d messages delivered again", info.NumRedelivered)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer not done within 20 s: %+v", info)
		}
	}

	var added []string
	for _, c := range inbox() {
		if !slices.Contains(before, c) {
			added = append(added, c)
		}
	}
	if len(added) != 1 {
		t.Fatalf("%d dossiers added to the inbox (%v), want 1", len(added), added)
	}
	var d struct {
		Status, Channel int
		ProcedureCode   string `json:"procedure_code"`
		Applicant       struct{ Name string }
		History         []struct{ Note string }
	}
	if st := s.call(t, "GET", "/api/v1/dossiers/"+added[0], receiver, "", &d); st != 200 || d.Status != 1 || d.Channel != 2 ||
		d.ProcedureCode != "1.001193" || d.Applicant.Name != "Nguyễn Văn An" || len(d.History) == 0 || !strings.Contains(d.History[0].Note, national) {
		t.Errorf("dossier %s: %d %+v", added[0], st, d)
	}
	s.stop(t)
	if logs := s.logs.String(); !strings.Contains(logs, "message given up") || !strings.Contains(logs, "9.999999") {
		t.Errorf("the invalid dossier's giving up is not logged")
	}
}

// TestPortalVerdict: a dossier taken in is acknowledged; one refused for
// good is given up at once; one whose failure may pass is delivered again,
// portalMaxDeliveries times at most.
func TestPortalVerdict(t *testing.T) {
	unavailable := errs.New(errs.Unavailable, "national.files", "Máy chủ tệp không trả lời.", "file host down")
	invalid := errs.New(errs.Invalid, "national.invalid", "Hồ sơ chưa hợp lệ.", "invalid")
	for _, tc := range []struct {
		name      string
		err       error
		delivered uint64
		want      string // "ack", "retry" or "term"
	}{
		{"taken in", nil, 1, "ack"},
		{"invalid", invalid, 1, "term"},
		{"forbidden", errs.New(errs.Forbidden, "auth.forbidden", "Không có quyền.", "forbidden"), 1, "term"},
		{"file host down", unavailable, 1, "retry"},
		{"file host down, wrapped", fmt.Errorf("receive: %w", unavailable), portalMaxDeliveries - 1, "retry"},
		{"file host down too long", unavailable, portalMaxDeliveries, "term"},
		{"took too long", context.DeadlineExceeded, 2, "retry"},
		{"internal", errors.New("disk I/O error"), 1, "retry"},
	} {
		got := portalVerdict(tc.err, tc.delivered)
		verdict := "retry"
		switch {
		case got == nil:
			verdict = "ack"
		case errors.Is(got, tc.err) && natsbus.IsTerm(got):
			verdict = "term"
		}
		if verdict != tc.want {
			t.Errorf("%s: %v → %s, want %s", tc.name, got, verdict, tc.want)
		}
	}
}
