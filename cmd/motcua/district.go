package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/vntext"
)

const importUsage = `usage: motcua import district-results FILE.csv [--scans DIR] [--data DIR | --db URL] [--province CODE]
       motcua import district-results --progress [--data DIR | --db URL] [--province CODE]`

// The columns of the district results CSV, matched without diacritics and
// case ("Số định danh" and "SO_DINH_DANH" are so_dinh_danh).
var (
	districtRequired = []string{"so_dinh_danh", "ho_ten", "ten_giay_to", "so_ky_hieu", "ngay_cap", "ma_don_vi_cu", "co_quan_cap"}
	districtOptional = []string{"tep", "ma_thu_tuc"}
)

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "district-results" {
		return cli.UsageError(importUsage)
	}
	fs := flag.NewFlagSet("import district-results", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	scans := fs.String("scans", "", "directory of the scanned files; the CSV's tep column is relative to it")
	progress := fs.Bool("progress", false, "print the progress of the digitization over all imports, import nothing")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	if *progress {
		if len(pos) != 0 || *scans != "" {
			return cli.UsageError(importUsage)
		}
		a, db, err := openApp(ctx, sf, newLogger(stderr, "warn"))
		if err != nil {
			return err
		}
		defer db.Close()
		p, err := a.Results.DistrictProgress(ctx)
		if err != nil {
			return err
		}
		out, _ := json.Marshal(p)
		fmt.Fprintln(stdout, string(out))
		fmt.Fprintf(stderr, "Đã số hóa kèm bản quét %d/%d kết quả của cấp huyện (%.2f%%); %d đã nhập, %d bị cách ly.\n",
			p.WithFile, p.Rows, p.Percent, p.Imported, p.Quarantined)
		return nil
	}
	if len(pos) != 1 {
		return cli.UsageError(importUsage)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	next, err := districtReader(f)
	if err != nil {
		return err
	}
	a, db, err := openApp(ctx, sf, newLogger(stderr, "warn"))
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := a.Results.ImportDistrictResults(ctx, identity.SystemActor("cli"), filepath.Base(pos[0]), next, *scans)
	if err != nil {
		return err
	}
	b := rep.Batch
	out, _ := json.Marshal(struct {
		Batch           string  `json:"batch"`
		Rows            int     `json:"rows"`
		Imported        int     `json:"imported"`
		WithFile        int     `json:"with_file"`
		Quarantined     int     `json:"quarantined"`
		Ambiguous       int     `json:"ambiguous"`
		ProgressPercent float64 `json:"progress_percent"`
	}{b.ID, b.Total, b.Imported, b.WithFile, b.Quarantined, rep.Ambiguous, rep.Progress.Percent})
	fmt.Fprintln(stdout, string(out))
	if b.Quarantined > 0 {
		fmt.Fprintf(stderr, "%d dòng bị cách ly, không nhập (lý do từng dòng):\n", b.Quarantined)
		for _, q := range rep.Quarantined {
			fmt.Fprintf(stderr, "  dòng %d: %s\n", q.Line, strings.Join(q.Reasons, " "))
		}
		if more := b.Quarantined - len(rep.Quarantined); more > 0 {
			fmt.Fprintf(stderr, "  … và %d dòng khác, trong danh sách cách ly của tập dữ liệu results (lô %s).\n", more, b.ID)
		}
	}
	if rep.Ambiguous > 0 {
		fmt.Fprintf(stderr, "%d kết quả có đơn vị cũ nay thuộc nhiều xã, phường mà không biết nơi cư trú của người được cấp: đã gán xã, phường đầu tiên.\n", rep.Ambiguous)
	}
	return nil
}

// parseInterleaved parses flags that may follow the positional arguments
// ("FILE.csv --scans DIR") and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, cli.UsageError(err.Error())
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// districtReader reads the district results CSV: UTF-8 (a BOM is
// skipped), comma-separated, a header row naming the columns. A line that
// cannot be read is returned as a row with its Problem, to be quarantined;
// only a missing or incomplete header is an error.
func districtReader(r io.Reader) (func() (results.DistrictRow, bool, error), error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	header, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return nil, cli.UsageError("import district-results: tệp CSV rỗng, thiếu dòng tiêu đề (empty file)")
	case errors.As(err, &pe):
		return nil, cli.UsageError(fmt.Sprintf("import district-results: dòng tiêu đề sai định dạng CSV: %s (bad header)", csvProblem(pe)))
	case err != nil:
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ReplaceAll(vntext.Fold(h), " ", "_")
		if _, dup := col[name]; dup && name != "" {
			return nil, cli.UsageError(fmt.Sprintf("import district-results: cột %q có hai lần (duplicate column)", name))
		}
		col[name] = i
	}
	var missing []string
	for _, c := range districtRequired {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, cli.UsageError(fmt.Sprintf("import district-results: thiếu cột bắt buộc %s (missing required columns); cần có %s, có thể thêm %s",
			strings.Join(missing, ", "), strings.Join(districtRequired, ", "), strings.Join(districtOptional, ", ")))
	}
	return func() (results.DistrictRow, bool, error) {
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return results.DistrictRow{}, false, nil
			}
			if errors.As(err, &pe) {
				return results.DistrictRow{Line: pe.StartLine, Problem: "Dòng CSV sai định dạng: " + csvProblem(pe) + "."}, true, nil
			}
			if err != nil {
				return results.DistrictRow{}, false, err
			}
			line, _ := cr.FieldPos(0)
			if blank(rec) {
				continue // an empty line of a spreadsheet export is not a result
			}
			if len(rec) != len(header) {
				return results.DistrictRow{Line: line, Problem: fmt.Sprintf("Dòng có %d cột, dòng tiêu đề có %d cột: giá trị có dấu phẩy phải đặt trong ngoặc kép.", len(rec), len(header))}, true, nil
			}
			for _, v := range rec {
				if !utf8.ValidString(v) {
					return results.DistrictRow{Line: line, Problem: "Dòng có ký tự không phải UTF-8: hãy lưu tệp CSV theo bảng mã UTF-8."}, true, nil
				}
			}
			get := func(name string) string {
				if i, ok := col[name]; ok && i < len(rec) {
					return rec[i]
				}
				return ""
			}
			return results.DistrictRow{Line: line, HolderID: get("so_dinh_danh"), HolderName: get("ho_ten"), Title: get("ten_giay_to"),
				Number: get("so_ky_hieu"), IssuedOn: get("ngay_cap"), OldUnit: get("ma_don_vi_cu"), Issuer: get("co_quan_cap"),
				ProcedureCode: get("ma_thu_tuc"), File: get("tep")}, true, nil
		}
	}, nil
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// csvProblem says in Vietnamese what is wrong with a CSV line.
func csvProblem(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("dấu ngoặc kép ở giữa một giá trị không đặt trong ngoặc kép (ký tự thứ %d)", pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("thiếu hoặc thừa dấu ngoặc kép (dòng %d, ký tự thứ %d)", pe.Line, pe.Column)
	}
	return pe.Err.Error()
}
