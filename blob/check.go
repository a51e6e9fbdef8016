package blob

import (
	"bufio"
	"errors"
	"fmt"
	"image/jpeg"
	pngcodec "image/png"
	"io"
	"os"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/pki"
)

// Bounds of an accepted image: a page scanned at 600 dpi is about
// 5,000 × 7,000 px (35 megapixels).
const (
	MaxImageSide   = 12_000
	MaxImagePixels = 50_000_000
)

// MaxPDFPages is the most pages of an accepted PDF.
const MaxPDFPages = pki.MaxCheckPages

// check reads the whole file at path, of the sniffed type ctype, and
// refuses it unless its structure is sound: a PDF whose cross-reference and
// page tree are readable, with at most MaxPDFPages pages, not encrypted; a
// JPEG or PNG whose dimensions are within bounds and which decodes to the
// end (a truncated image is refused).
func check(path, ctype string) error {
	switch ctype {
	case "application/pdf":
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, err := pki.CheckPDF(data); err != nil {
			return errs.New(errs.Invalid, "file.damaged",
				"Tệp PDF bị hỏng, có mật khẩu hoặc quá nhiều trang (tối đa "+fmt.Sprint(MaxPDFPages)+" trang): hãy xuất lại tệp rồi tải lên.",
				"PDF refused: "+err.Error())
		}
		return nil
	case "image/jpeg", "image/png":
		decodeConfig, decode := jpeg.DecodeConfig, jpeg.Decode
		if ctype == "image/png" {
			decodeConfig, decode = pngcodec.DecodeConfig, pngcodec.Decode
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		damaged := func(err error) error {
			return errs.New(errs.Invalid, "file.damaged",
				"Tệp ảnh bị hỏng hoặc không đầy đủ: hãy chụp hoặc quét lại rồi tải lên.", "image refused: "+err.Error())
		}
		cfg, err := decodeConfig(bufio.NewReader(f))
		if err != nil {
			return damaged(err)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide ||
			int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
			return errs.New(errs.Invalid, "file.image_too_large",
				fmt.Sprintf("Ảnh quá lớn (%d × %d điểm ảnh): tối đa %d điểm ảnh mỗi cạnh và %d triệu điểm ảnh.", cfg.Width, cfg.Height, MaxImageSide, MaxImagePixels/1_000_000),
				fmt.Sprintf("image %dx%d out of bounds", cfg.Width, cfg.Height))
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if _, err := decode(bufio.NewReader(f)); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return damaged(fmt.Errorf("truncated: %w", err))
			}
			return damaged(err)
		}
		return nil
	}
	return nil
}
