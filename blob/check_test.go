package blob

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/errs"
)

// pngHeader is the signature and IHDR chunk of a w × h PNG, no data.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 0, 17)
	ihdr = append(ihdr, "IHDR"...)
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit greyscale
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

func encodeJPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Put checks the whole structure of an upload, not its first bytes: a
// truncated image, an image too large to handle, a PDF without a page tree
// or encrypted is refused, and nothing of it stays in the store.
func TestPutChecksStructure(t *testing.T) {
	good := encodeJPEG(64, 48)
	bigPNG := encodePNG(400, 300)
	tests := []struct {
		name    string
		body    []byte
		wantKey string
	}{
		{"jpeg", good, ""},
		{"png", bigPNG, ""},
		{"truncated jpeg", good[:len(good)/2], "file.damaged"},
		{"truncated png", bigPNG[:len(bigPNG)-30], "file.damaged"},
		{"png header only", pngHeader(10, 10), "file.damaged"},
		{"png too wide", pngHeader(MaxImageSide+1, 10), "file.image_too_large"},
		{"png too many pixels", pngHeader(8000, 8000), "file.image_too_large"},
		{"pdf without pages", []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"), "file.damaged"},
		{"pdf without catalog", []byte("%PDF-1.4\nxin chao\n%%EOF\n"), "file.damaged"},
		{"encrypted pdf", []byte(strings.Replace(pdf, "<</Root 1 0 R>>", "<</Root 1 0 R/Encrypt<</Filter/Standard>>>>", 1)), "file.damaged"},
		{"pdf with too many pages", manyPagesPDF(MaxPDFPages + 1), "file.damaged"},
		{"pdf with the most pages", manyPagesPDF(MaxPDFPages), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(dir, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			_, _, _, err = s.Put(bytes.NewReader(tt.body), "")
			if tt.wantKey == "" {
				if err != nil {
					t.Fatalf("Put = %v", err)
				}
				return
			}
			if e, ok := errs.As(err); !ok || e.Key != tt.wantKey || e.Kind != errs.Invalid || e.Message == "" {
				t.Fatalf("Put = %v, want %s", err, tt.wantKey)
			}
			var left []string
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					left = append(left, p)
				}
				return nil
			})
			if len(left) > 0 {
				t.Errorf("refused upload left %v", left)
			}
		})
	}
}

func manyPagesPDF(n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[")
	for i := range n {
		b.WriteString(" ")
		b.WriteString(itoa(i+3) + " 0 R")
	}
	b.WriteString("]/Count " + itoa(n) + ">>endobj\n")
	for i := range n {
		b.WriteString(itoa(i+3) + " 0 obj<</Type/Page/Parent 2 0 R>>endobj\n")
	}
	b.WriteString("trailer<</Root 1 0 R>>\n%%EOF\n")
	return b.Bytes()
}

func itoa(i int) string { return strconv.Itoa(i) }
