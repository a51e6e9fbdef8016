package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	pngcodec "image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/errs"
)

const pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// png is a small, complete PNG image.
var png = encodePNG(4, 3)

func encodePNG(w, h int) []byte {
	var b bytes.Buffer
	if err := pngcodec.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func TestPut(t *testing.T) {
	s, err := Open(t.TempDir(), 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, declared string
		body           []byte
		wantType       string
		wantKey        string
	}{
		{"pdf", "application/pdf", []byte(pdf), "application/pdf", ""},
		{"pdf with parameters", "application/pdf; name=x.pdf", []byte(pdf), "application/pdf", ""},
		{"png as octet-stream", "application/octet-stream", png, "image/png", ""},
		{"png undeclared", "", png, "image/png", ""},
		{"text", "text/plain", []byte("xin chào"), "", "file.type"},
		{"text declared pdf", "application/pdf", []byte("not a pdf"), "", "file.type"},
		{"png declared pdf", "application/pdf", png, "", "file.type_mismatch"},
		{"empty", "application/pdf", nil, "", "file.empty"},
		{"too large", "application/pdf", append([]byte(pdf), bytes.Repeat([]byte("x"), 1024)...), "", "file.too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, size, ctype, err := s.Put(bytes.NewReader(tt.body), tt.declared)
			if tt.wantKey != "" {
				e, ok := errs.As(err)
				if !ok || e.Key != tt.wantKey || e.Kind != errs.Invalid || e.Message == "" {
					t.Fatalf("Put = %v, want %s", err, tt.wantKey)
				}
				return
			}
			h := sha256.Sum256(tt.body)
			if err != nil || sum != hex.EncodeToString(h[:]) || size != int64(len(tt.body)) || ctype != tt.wantType {
				t.Fatalf("Put = %s %d %s %v", sum, size, ctype, err)
			}
			f, err := s.Open(sum)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, _ := io.ReadAll(f)
			if !bytes.Equal(got, tt.body) {
				t.Error("stored bytes differ")
			}
		})
	}
	// The same bytes twice are stored once; bad and unknown hashes are not found.
	a, _, _, _ := s.Put(strings.NewReader(pdf), "application/pdf")
	b, _, _, _ := s.Put(strings.NewReader(pdf), "application/pdf")
	if a != b {
		t.Error("same content, different hashes")
	}
	for _, sum := range []string{"../../etc/passwd", strings.Repeat("0", 64), "ZZ"} {
		if _, err := s.Open(sum); errs.KindOf(err) != errs.NotFound {
			t.Errorf("Open(%q) = %v", sum, err)
		}
	}
}

// FuzzPut feeds arbitrary bytes and declared types: Put never panics, and
// what it accepts is an allowed type stored under its own hash.
func FuzzPut(f *testing.F) {
	f.Add([]byte(pdf), "application/pdf")
	f.Add(png, "image/png")
	f.Add([]byte("\xff\xd8\xff\xe0"), "image/jpeg")
	f.Add([]byte{}, "")
	s, err := Open(f.TempDir(), 4096)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, declared string) {
		sum, size, ctype, err := s.Put(bytes.NewReader(body), declared)
		if err != nil {
			if _, ok := errs.As(err); !ok {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		h := sha256.Sum256(body)
		if !Allowed[ctype] || sum != hex.EncodeToString(h[:]) || size != int64(len(body)) {
			t.Fatalf("accepted %q as %s %s %d", body, ctype, sum, size)
		}
	})
}

// Stored files are the service account's alone (0600) in directories
// others cannot enter, including a file an older version left readable
// when the same bytes come again.
func TestPutFileModes(t *testing.T) {
	tests := []struct {
		name   string
		body   []byte
		before os.FileMode // mode of the same file already stored (0: none)
	}{
		{"new pdf", []byte(pdf), 0},
		{"new png", png, 0},
		{"same bytes stored readable by an older version", []byte(pdf + "%old\n"), 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "files")
			s, err := Open(dir, 1024)
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.Sum256(tt.body)
			path := s.path(hex.EncodeToString(h[:]))
			if tt.before != 0 {
				if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, tt.body, tt.before); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.before); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, _, err := s.Put(bytes.NewReader(tt.body), ""); err != nil {
				t.Fatal(err)
			}
			if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("stored file: %v %v, want -rw-------", st.Mode().Perm(), err)
			}
			for d := filepath.Dir(path); len(d) >= len(dir); d = filepath.Dir(d) {
				if st, err := os.Stat(d); err != nil || st.Mode().Perm()&0o007 != 0 {
					t.Errorf("directory %s: %v %v, want no access for others", d, st.Mode().Perm(), err)
				}
			}
		})
	}
}
