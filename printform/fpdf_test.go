package printform

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode/qr"
)

// fpdfCanvas is the renderer that pdfDoc replaced, kept for the
// benchmarks to compare with: fpdf, which parses and subsets the three
// embedded fonts for every document, and the QR code encoded by
// boombuler/barcode as a PNG image.
type fpdfCanvas struct {
	pdf *fpdf.Fpdf
}

const fpdfFamily = "dejavu"

func newFpdfCanvas(landscape bool, title string, issued time.Time) canvas {
	orientation := "P"
	if landscape {
		orientation = "L"
	}
	p := fpdf.New(orientation, "mm", "A4", "")
	p.AddUTF8FontFromBytes(fpdfFamily, "", fontRegular)
	p.AddUTF8FontFromBytes(fpdfFamily, "B", fontBold)
	p.AddUTF8FontFromBytes(fpdfFamily, "I", fontItalic)
	p.SetCreationDate(issued.In(ict))
	p.SetModificationDate(issued.In(ict))
	p.SetCatalogSort(true)
	p.SetProducer(producer, false)
	p.SetCreator(producer, false)
	p.SetTitle(title, true)
	p.SetLang("vi-VN")
	p.SetAutoPageBreak(false, 0)
	p.SetCellMargin(cellMargin)
	p.SetLineWidth(lineWidth)
	return &fpdfCanvas{pdf: p}
}

func (c *fpdfCanvas) pageSize() (float64, float64)       { return c.pdf.GetPageSize() }
func (c *fpdfCanvas) setFont(style string, size float64) { c.pdf.SetFont(fpdfFamily, style, size) }
func (c *fpdfCanvas) stringWidth(s string) float64       { return c.pdf.GetStringWidth(s) }
func (c *fpdfCanvas) line(x1, y1, x2, y2 float64)        { c.pdf.Line(x1, y1, x2, y2) }
func (c *fpdfCanvas) rect(x, y, w, h float64)            { c.pdf.Rect(x, y, w, h, "D") }
func (c *fpdfCanvas) addPage()                           { c.pdf.AddPage() }
func (c *fpdfCanvas) pageNo() int                        { return c.pdf.PageNo() }
func (c *fpdfCanvas) setFooter(f func())                 { c.pdf.SetFooterFunc(f) }

func (c *fpdfCanvas) text(x, y, w, h float64, s, align string) {
	c.pdf.SetXY(x, y)
	c.pdf.CellFormat(w, h, s, "", 0, align, false, 0, "")
}

func (c *fpdfCanvas) qrCode(url string, x, y, size float64) error {
	img, err := qrPNG(url)
	if err != nil {
		return err
	}
	c.pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img))
	c.pdf.ImageOptions("qr", x, y, size, size, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	c.pdf.LinkString(x, y, size, size, url)
	return nil
}

func (c *fpdfCanvas) output() ([]byte, error) {
	if err := c.pdf.Error(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := c.pdf.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// qrPNG encodes content as a QR code (error correction level M) and returns
// it as an 8-bit grayscale PNG with a two-module quiet zone, four pixels per
// module.
func qrPNG(content string) ([]byte, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("printform: QR code of the look-up URL: %w", err)
	}
	const quiet, scale = 2, 4
	b := code.Bounds()
	n := b.Dx()
	side := (n + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if color.GrayModel.Convert(code.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y >= 0x80 {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				row := ((y+quiet)*scale + dy) * img.Stride
				for dx := 0; dx < scale; dx++ {
					img.Pix[row+(x+quiet)*scale+dx] = 0
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("printform: QR code image: %w", err)
	}
	return buf.Bytes(), nil
}
