package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/wallet"
)

// A minimal PDF: the blob store knows a PDF by its "%PDF-" header.
const tinyPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

type districtSummary struct {
	Batch           string  `json:"batch"`
	Rows            int     `json:"rows"`
	Imported        int     `json:"imported"`
	WithFile        int     `json:"with_file"`
	Quarantined     int     `json:"quarantined"`
	Ambiguous       int     `json:"ambiguous"`
	ProgressPercent float64 `json:"progress_percent"`
}

// districtFixture lays out a data directory (with the population record
// of one holder) and a scans directory with the files the test CSV names.
func districtFixture(t *testing.T) (data, scans string) {
	t.Helper()
	root := t.TempDir()
	data, scans = filepath.Join(root, "data"), filepath.Join(root, "scans")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(scans, "ba-dinh"), 0o755))
	must(writeFile(filepath.Join(scans, "ba-dinh", "hkd-001234.pdf"), tinyPDF))
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{R: 200, A: 255})
	}
	var pngBuf bytes.Buffer
	must(png.Encode(&pngBuf, img))
	must(os.WriteFile(filepath.Join(scans, "giay-phep-xd.png"), pngBuf.Bytes(), 0o644))
	must(writeFile(filepath.Join(root, "bi-mat.pdf"), tinyPDF)) // a real PDF outside the scans
	must(os.Symlink(filepath.Join(root, "bi-mat.pdf"), filepath.Join(scans, "lien-ket.pdf")))
	must(writeFile(filepath.Join(scans, "gia-mao.pdf"), "Đây không phải là tệp PDF, chỉ là chữ.\n"))
	must(writeFile(filepath.Join(scans, "qua-lon.pdf"), tinyPDF))
	must(os.Truncate(filepath.Join(scans, "qua-lon.pdf"), 21<<20)) // sparse: cheap

	ctx := context.Background()
	db, err := sqlstore.Open(ctx, data, "")
	must(err)
	defer db.Close()
	// Trần Thị Bình lives in Phường Giảng Võ (00025) now.
	must(db.Update(ctx, func(tx store.Tx) error {
		return tx.PutDatasetRecords(ctx, []registry.Record{{Dataset: registry.Population, Key: "001190000022", Subject: "001190000022",
			Data:      map[string]string{"citizen_id": "001190000022", "full_name": "Trần Thị Bình", "birth_date": "1990-04-04", "residence_commune": "00025"},
			UpdatedAt: time.Now(), Source: "test"}})
	}))
	return data, scans
}

func runImport(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := cmdImport(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func importSummary(t *testing.T, args ...string) (districtSummary, string) {
	t.Helper()
	out, errOut, err := runImport(t, args...)
	if err != nil {
		t.Fatalf("import: %v\nstderr: %s", err, errOut)
	}
	var s districtSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	return s, errOut
}

func TestDistrictImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data, scans := districtFixture(t)
	const csvFile = "testdata/district/ket-qua-ba-dinh.csv"
	// The file first, the flags after it.
	sum, errOut := importSummary(t, "district-results", csvFile, "--scans", scans, "--data", data)
	want := districtSummary{Batch: sum.Batch, Rows: 22, Imported: 5, WithFile: 2, Quarantined: 17, Ambiguous: 1, ProgressPercent: 9.09}
	if sum != want {
		t.Fatalf("summary %+v, want %+v\nstderr: %s", sum, want, errOut)
	}
	for _, s := range []string{"17 dòng bị cách ly", "dòng 7: Số định danh cá nhân \"12345\" không hợp lệ", "dòng 20: Dòng CSV sai định dạng", "1 kết quả có đơn vị cũ nay thuộc nhiều xã"} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}

	db, err := sqlstore.Open(ctx, data, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files, err := blob.Open(filepath.Join(data, "files"), maxUpload)
	if err != nil {
		t.Fatal(err)
	}

	type wantDoc struct{ number, commune, oldUnit, ctype string }
	docs := []struct {
		holder string
		want   []wantDoc
	}{
		{"001090000011", []wantDoc{{"01A8001234", "00097", "00001", "application/pdf"}, {"125/GPXD", "00004", "00004", "image/png"}}},
		// 00007 Phường Cống Vị became Ngọc Hà (00008) and Giảng Võ (00025):
		// the holder lives in Giảng Võ.
		{"001190000022", []wantDoc{{"CH 00123", "00008", "00006", ""}, {"12/2015", "00025", "00007", ""}}},
		// Lê Văn Cường's residence is unknown: the first, ambiguous.
		{"001085000033", []wantDoc{{"45/XN", "00008", "00007", ""}}},
		{"001090000044", nil}, // every row of his was refused
	}
	checkDocs := func(t *testing.T) {
		for _, tt := range docs {
			got, err := db.Documents(ctx, tt.holder)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%s has %d documents, want %d: %+v", tt.holder, len(got), len(tt.want), got)
			}
			byNumber := map[string]wallet.Document{}
			for _, d := range got {
				byNumber[d.Number] = d
			}
			for _, w := range tt.want {
				d, ok := byNumber[w.number]
				switch {
				case !ok:
					t.Fatalf("%s lacks document %s: %+v", tt.holder, w.number, got)
				case d.Kind != wallet.KindDigitized || d.CommuneCode != w.commune || d.OldUnit != w.oldUnit || d.ContentType != w.ctype:
					t.Errorf("document %s: kind %s commune %s old unit %s type %q, want digitized %s %s %q", w.number, d.Kind, d.CommuneCode, d.OldUnit, d.ContentType, w.commune, w.oldUnit, w.ctype)
				case len(d.ID) != 32 || d.Source != "import:ket-qua-ba-dinh.csv" || d.Issuer != "UBND quận Ba Đình" || d.Validate() != nil:
					t.Errorf("document %s: id %q source %q issuer %q valid %v", w.number, d.ID, d.Source, d.Issuer, d.Validate())
				}
				if w.ctype != "" {
					f, err := files.Open(d.FileID)
					if err != nil {
						t.Errorf("document %s: scan %s not stored: %v", w.number, d.FileID, err)
					} else {
						f.Close()
					}
				}
			}
			recs, err := db.DatasetRecordsBySubject(ctx, registry.Results, tt.holder, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(tt.want) {
				t.Fatalf("%s has %d results records, want %d", tt.holder, len(recs), len(tt.want))
			}
			for _, r := range recs {
				if !strings.HasPrefix(r.Key, "SH-") || len(r.Key) != 27 || r.Data["commune"] != byNumber[r.Data["number"]].CommuneCode || r.Source != "import:ket-qua-ba-dinh.csv" {
					t.Errorf("results record %+v", r)
				}
			}
		}
	}
	checkDocs(t)

	quarantined := func(batch string) map[int][]string {
		t.Helper()
		qs, _, err := db.Quarantined(ctx, registry.Results, 1000)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int][]string{}
		for _, q := range qs {
			if q.Batch == batch {
				out[q.Line] = q.Reasons
			}
		}
		return out
	}
	q := quarantined(sum.Batch)
	reasons := []struct {
		line int
		want string
	}{
		{7, "Số định danh cá nhân \"12345\" không hợp lệ"},
		{8, "Ngày cấp \"31/02/2020\" không hợp lệ"},
		{9, "ở tương lai"},
		{10, "sau 30/6/2025"},
		{11, "Không có xã cũ mã \"99998\""},
		{12, "không có huyện cũ mã \"001\""},
		{13, "không thuộc Thành phố Hà Nội"},
		{14, "ra ngoài thư mục bản quét"},
		{15, "Không mở được tệp \"lien-ket.pdf\""},
		{16, "Trùng với dòng 2"},
		{17, "Chỉ nhận tệp PDF, JPEG hoặc PNG"},
		{18, "Không có tệp \"khong-co.pdf\""},
		{19, "quá lớn"},
		{20, "dấu ngoặc kép"},
		{21, "Dòng có 11 cột, dòng tiêu đề có 10 cột"},
		{22, "Thiếu Người được cấp"},
		{24, "Thiếu cơ quan cấp"},
	}
	if len(q) != len(reasons) {
		t.Errorf("%d lines quarantined, want %d: %v", len(q), len(reasons), q)
	}
	for _, tt := range reasons {
		if got := strings.Join(q[tt.line], " | "); !strings.Contains(got, tt.want) {
			t.Errorf("line %d: reasons %q, want %q", tt.line, got, tt.want)
		}
	}
	entries, err := db.AuditEntries(ctx, audit.Filter{Action: "district.import", Limit: 10})
	if err != nil || len(entries) != 1 || entries[0].Object != "batch:"+sum.Batch {
		t.Errorf("audit entries %+v, %v", entries, err)
	}

	// Importing the same file again stores nothing new.
	again, _ := importSummary(t, "district-results", "--data", data, "--scans", scans, csvFile)
	want.Batch = again.Batch
	if again.Batch == sum.Batch || again != want {
		t.Fatalf("re-import summary %+v, want %+v", again, want)
	}
	checkDocs(t)
	if n := len(quarantined(again.Batch)); n != 17 {
		t.Errorf("re-import quarantined %d lines, want 17", n)
	}

	// The progress counts the file once, by its latest import.
	out, errOut, err := runImport(t, "district-results", "--progress", "--data", data)
	if err != nil {
		t.Fatalf("progress: %v %s", err, errOut)
	}
	var p struct {
		Rows, Imported, Quarantined int
		WithFile                    int     `json:"with_file"`
		Percent                     float64 `json:"progress_percent"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || p.Rows != 22 || p.Imported != 5 || p.WithFile != 2 || p.Quarantined != 17 || p.Percent != 9.09 {
		t.Errorf("progress %s (%+v, %v)", out, p, err)
	}
	if !strings.Contains(errOut, "2/22") || !strings.Contains(errOut, "9.09%") {
		t.Errorf("progress message %q", errOut)
	}
}

// An island district had no communes: the mapping lists it, and its
// results go to the special zone that replaced it.
func TestDistrictImportOldDistrict(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	sum, errOut := importSummary(t, "district-results", "testdata/district/ket-qua-bach-long-vi.csv", "--data", data, "--province", "31")
	if sum.Rows != 1 || sum.Imported != 1 || sum.Quarantined != 0 || sum.WithFile != 0 || sum.ProgressPercent != 0 {
		t.Fatalf("summary %+v\n%s", sum, errOut)
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, data, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	docs, err := db.Documents(ctx, "031090000055")
	if err != nil || len(docs) != 1 || docs[0].CommuneCode != "11948" || docs[0].OldUnit != "318" || docs[0].IssuedOn != "2020-09-09" || docs[0].FileID != "" {
		t.Fatalf("documents %+v, %v", docs, err)
	}
}

func TestDistrictImportUsage(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string // in the error, or in stdout when no error
	}{
		{"no subcommand", nil, true, "district-results"},
		{"other subcommand", []string{"population"}, true, "district-results"},
		{"no file", []string{"district-results", "--data", data}, true, "FILE.csv"},
		{"two files", []string{"district-results", "a.csv", "b.csv", "--data", data}, true, "FILE.csv"},
		{"progress with a file", []string{"district-results", "--progress", "a.csv", "--data", data}, true, "--progress"},
		{"unknown flag", []string{"district-results", "--fast", "a.csv"}, true, "fast"},
		{"missing columns", []string{"district-results", "testdata/district/thieu-cot.csv", "--data", data}, true, "ma_don_vi_cu, co_quan_cap"},
		{"no such file", []string{"district-results", "testdata/district/khong-co.csv", "--data", data}, false, "no such file"},
		{"bad scans directory", []string{"district-results", "testdata/district/ket-qua-bach-long-vi.csv", "--data", data, "--scans", filepath.Join(data, "khong-co")}, false, "thư mục bản quét"},
		{"progress of nothing", []string{"district-results", "--progress", "--data", data}, false, `"progress_percent":0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := runImport(t, tt.args...)
			switch {
			case err == nil && tt.want != "" && !strings.Contains(out, tt.want):
				t.Errorf("stdout %q lacks %q", out, tt.want)
			case err == nil && (tt.usage || strings.HasPrefix(tt.name, "no such") || strings.HasPrefix(tt.name, "bad")):
				t.Errorf("no error; stdout %q stderr %q", out, errOut)
			case err != nil && cli.IsUsage(err) != tt.usage:
				t.Errorf("error %v: usage %v, want %v", err, cli.IsUsage(err), tt.usage)
			case err != nil && !strings.Contains(cli.Describe(err), tt.want):
				t.Errorf("error %q lacks %q", cli.Describe(err), tt.want)
			}
		})
	}
}

// The CSV reader never panics nor loops, whatever the bytes: a bad line is
// a row with its problem.
func FuzzDistrictCSV(f *testing.F) {
	for _, name := range []string{"ket-qua-ba-dinh.csv", "ket-qua-bach-long-vi.csv", "thieu-cot.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", "district", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	header := "so_dinh_danh,ho_ten,ten_giay_to,so_ky_hieu,ngay_cap,ma_don_vi_cu,co_quan_cap\n"
	for _, s := range []string{"", "\uFEFF", "\uFEFF" + header, header + "\"unterminated,a\n1,2", header + "a\"b,c\n", header + "\xff\xfe,x,y,z,w,v,u\n", header + "\r\n\r\n,,,\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		next, err := districtReader(bytes.NewReader(b))
		if err != nil {
			if !cli.IsUsage(err) {
				t.Fatalf("header error is not a usage error: %v", err)
			}
			return
		}
		for i := 0; ; i++ {
			if i > len(b)+1 {
				t.Fatalf("more rows than bytes: the reader loops")
			}
			r, ok, err := next()
			if err != nil {
				t.Fatalf("read error from a byte slice: %v", err)
			}
			if !ok {
				return
			}
			if r.Line < 2 {
				t.Fatalf("row at line %d, before or in the header", r.Line)
			}
			if r.Problem == "" {
				for _, v := range []string{r.HolderID, r.HolderName, r.Title, r.Number, r.IssuedOn, r.OldUnit, r.Issuer, r.ProcedureCode, r.File} {
					if !utf8.ValidString(v) {
						t.Fatalf("invalid UTF-8 passed as a good row: %q", v)
					}
				}
			}
		}
	})
}

// A file longer than a chunk is stored in several transactions, each with
// its audit entry and the running counts.
func TestDistrictImportChunks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data, csvFile := filepath.Join(dir, "data"), filepath.Join(dir, "lon.csv")
	var b strings.Builder
	b.WriteString("so_dinh_danh,ho_ten,ten_giay_to,so_ky_hieu,ngay_cap,ma_don_vi_cu,co_quan_cap\n")
	const n = 2345
	for i := range n {
		unit := "00001"
		if i%100 == 99 {
			unit = "99998" // refused
		}
		fmt.Fprintf(&b, "0010900%05d,Người Thứ %d,Giấy phép kinh doanh,%d/GP,01/02/2021,%s,UBND quận Ba Đình\n", i, i, i, unit)
	}
	if err := writeFile(csvFile, b.String()); err != nil {
		t.Fatal(err)
	}
	sum, _ := importSummary(t, "district-results", csvFile, "--data", data)
	if sum.Rows != n || sum.Imported != n-23 || sum.Quarantined != 23 || sum.WithFile != 0 || sum.ProgressPercent != 0 {
		t.Fatalf("summary %+v", sum)
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, data, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.AuditEntries(ctx, audit.Filter{Action: "district.import", Limit: 10})
	if err != nil || len(entries) != 3 {
		t.Fatalf("%d audit entries, want 3 (chunks of 1,000 rows): %v", len(entries), err)
	}
	batches, err := db.ImportBatches(ctx, "district-results")
	if err != nil || len(batches) != 1 || batches[0].Total != n || batches[0].Imported != n-23 || batches[0].FinishedAt.IsZero() {
		t.Fatalf("batches %+v, %v", batches, err)
	}
	if c, err := db.DatasetCount(ctx, registry.Results); err != nil || c != n-23 {
		t.Fatalf("%d results records, %v", c, err)
	}
}
