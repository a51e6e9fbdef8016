package printform

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/boombuler/barcode/qr"
)

// qrPNG encodes content as a QR code (error correction level M) and returns
// it as an 8-bit grayscale PNG with a two-module quiet zone, four pixels per
// module. (fpdf reads 8-bit PNG but not the 16-bit gray the barcode package
// reports, hence the copy.)
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
