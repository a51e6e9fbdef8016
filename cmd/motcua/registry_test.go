package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store/sqlstore"
)

// TestRegistryCommands: demo generate fills the datasets, registry check
// prints the five rates and exits 0 (the contract) on SQLite and
// PostgreSQL, registry import quarantines bad rows with reasons.
func TestRegistryCommands(t *testing.T) {
	stores := map[string][]string{"sqlite": {"--data", t.TempDir()}}
	if pg := os.Getenv("MOTCUA_TEST_POSTGRES"); pg != "" {
		stores["postgres"] = []string{"--db", freshSchema(t, pg), "--data", t.TempDir()}
	}
	for name, flags := range stores {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(append([]string{"demo", "generate", "--people", "3000", "--defects", "0.05"}, flags...)...)
			if code != 0 {
				t.Fatalf("demo generate: exit %d %s %s", code, out, errOut)
			}
			var gen struct{ Records map[string]int }
			if err := json.Unmarshal([]byte(out), &gen); err != nil || gen.Records["population"] != 3000 || gen.Records["civil_status"] == 0 || gen.Records["land"] == 0 {
				t.Fatalf("generated %s (%v)", out, err)
			}
			// The flags may come after the dataset.
			code, out, errOut = runCLI(append([]string{"registry", "check", "population"}, flags...)...)
			if code != 0 {
				t.Fatalf("registry check: exit %d %s %s", code, out, errOut)
			}
			for _, want := range []string{"Số bản ghi: 3000", "Đúng", "Đủ", "Sạch", "Sống", "Thống nhất", "%", "Ví dụ bản ghi không đạt"} {
				if !strings.Contains(out, want) {
					t.Errorf("check output lacks %q:\n%s", want, out)
				}
			}
			code, out, _ = runCLI(append([]string{"registry", "check", "population", "--json"}, flags...)...)
			var rep registry.Report
			if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || len(rep.Rules) != 5 || rep.Total != 3000 {
				t.Fatalf("json report: %d %v %s", code, err, out)
			}
			failed := 0
			for _, r := range rep.Rules {
				failed += r.Failed
			}
			if failed == 0 {
				t.Error("5% defects found nothing")
			}
			if code, _, _ := runCLI(append([]string{"registry", "check", "khong-co"}, flags...)...); code == 0 {
				t.Error("unknown dataset: exit 0")
			}

			// Import: two good rows, a repeated key, a bad ID, a missing
			// name, a malformed line.
			file := t.TempDir() + "/dan-cu.csv"
			csv := "\ufeffcitizen_id,full_name,birth_date,gender,ethnicity,nationality,residence_commune,residence_address,household_id\n" +
				"001090099991,Phạm Văn Nam,1990-01-02,Nam,Kinh,Việt Nam,00004,Số 2,000040009999\n" +
				"001195099992,Đỗ Thị Hà,1995-03-04,Nữ,Kinh,Việt Nam,00004,Số 2,000040009999\n" +
				"001090099991,Phạm Văn Nam,1990-01-02,Nam,Kinh,Việt Nam,00004,Số 2,000040009999\n" +
				"00109009999,Lê Văn C,1990-01-02,Nam,Kinh,Việt Nam,00004,Số 3,000040009998\n" +
				"001090099993,,1990-01-02,Nam,Kinh,Việt Nam,00004,Số 3,000040009998\n" +
				"001090099994,\"Bad \"quote,1990-01-02\n"
			if err := writeFile(file, csv); err != nil {
				t.Fatal(err)
			}
			code, out, errOut = runCLI(append([]string{"registry", "import", "population", file}, flags...)...)
			var imp struct{ Read, Imported, Quarantined int }
			if err := json.Unmarshal([]byte(out), &imp); code != 0 || err != nil || imp.Read != 6 || imp.Imported != 2 || imp.Quarantined != 4 {
				t.Fatalf("import: exit %d %s %s", code, out, errOut)
			}
			for _, want := range []string{"Trùng khóa 001090099991 với dòng 2", "12 chữ số", "Thiếu Họ, chữ đệm và tên"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("import report lacks %q:\n%s", want, errOut)
				}
			}
			// JSON Lines: one good record, one without a name, one line
			// that is not JSON.
			jl := t.TempDir() + "/ho-tich.jsonl"
			if err := writeFile(jl, `{"record_no":"KS.00004.2020.9","kind":"khai_sinh","citizen_id":"001220099995","full_name":"Phạm Minh Khang","birth_date":"2020-02-03","gender":"Nam","registered_on":"2020-02-20","registry_commune":"00004"}
{"record_no":"KS.00004.2020.10","kind":"khai_sinh","citizen_id":"001220099996","registered_on":"2020-02-20","registry_commune":"00004"}
không phải JSON
`); err != nil {
				t.Fatal(err)
			}
			code, out, errOut = runCLI(append([]string{"registry", "import", "civil_status", jl}, flags...)...)
			if err := json.Unmarshal([]byte(out), &imp); code != 0 || err != nil || imp.Read != 3 || imp.Imported != 1 || imp.Quarantined != 2 || !strings.Contains(errOut, "Thiếu Họ, chữ đệm và tên") {
				t.Fatalf("jsonl import: exit %d %s %s", code, out, errOut)
			}
			db := openFlags(t, flags)
			defer db.Close()
			if r, err := db.DatasetRecord(context.Background(), "population", "001195099992"); err != nil || r.Data["full_name"] != "Đỗ Thị Hà" || !strings.HasPrefix(r.Source, "import:") {
				t.Errorf("imported record = %+v, %v", r, err)
			}
			if q, n, err := db.Quarantined(context.Background(), "population", 10); err != nil || n != 4 || len(q[0].Reasons) == 0 {
				t.Errorf("quarantine = %d %v", n, err)
			}
			if r, err := db.DatasetRecord(context.Background(), "civil_status", "KS.00004.2020.9"); err != nil || r.Subject != "001220099995" {
				t.Errorf("imported civil-status record = %+v, %v", r, err)
			}
		})
	}
}

func openFlags(t *testing.T, flags []string) *sqlstore.DB {
	t.Helper()
	data, url := "", ""
	for i := 0; i+1 < len(flags); i += 2 {
		switch flags[i] {
		case "--data":
			data = flags[i+1]
		case "--db":
			url = flags[i+1]
		}
	}
	db, err := sqlstore.Open(context.Background(), data, url)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// FuzzRecordReader: the import's CSV and JSON Lines readers never panic,
// and every record read comes with a line number.
func FuzzRecordReader(f *testing.F) {
	f.Add([]byte("citizen_id,full_name\n001090012345,Nguyễn Văn An\n"), false)
	f.Add([]byte("a,b\n\"x,\"y\n1,2,3\n"), false)
	f.Add([]byte("{\"citizen_id\":\"001090012345\",\"n\":1}\n\nnot json\n{\"x\":null}"), true)
	f.Fuzz(func(t *testing.T, data []byte, jsonl bool) {
		name := t.TempDir() + "/f.csv"
		if jsonl {
			name = name[:len(name)-3] + "jsonl"
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		next, c, err := recordReader(name)
		if err != nil {
			return // an unreadable header is reported, not a crash
		}
		defer c.Close()
		for i := 0; i < 10000; i++ {
			rec, line, ok, err := next()
			if err != nil || !ok {
				return
			}
			if line <= 0 || rec.Data == nil {
				t.Fatalf("record without a line or data: %d %+v", line, rec)
			}
		}
	})
}
