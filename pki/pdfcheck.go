package pki

import "fmt"

// MaxCheckPages is the most pages CheckPDF accepts.
const MaxCheckPages = 500

// CheckPDF checks the structure of an uploaded PDF: its cross-reference is
// readable (a damaged one is rebuilt as viewers do), its catalog has a page
// tree with between 1 and MaxCheckPages pages, and it is not encrypted.
// It returns the number of pages. The errors wrap ErrNotPDF or
// ErrMalformed.
func CheckPDF(data []byte) (pages int, err error) {
	f, err := openPDF(data, true)
	if err != nil {
		return 0, err
	}
	if f.trailer.get("Encrypt") != nil {
		return 0, fmt.Errorf("%w: the document is encrypted", ErrMalformed)
	}
	r, err := f.root()
	if err != nil {
		return 0, err
	}
	catalog, _ := f.dict(r)
	seen := map[int]bool{}
	var walk func(node any, depth int) error
	walk = func(node any, depth int) error {
		if depth > maxDepth {
			return fmt.Errorf("%w: page tree too deep", ErrMalformed)
		}
		ref, ok := node.(pdfRef)
		if !ok {
			return fmt.Errorf("%w: page tree node is not a reference", ErrMalformed)
		}
		if seen[ref.num] {
			return fmt.Errorf("%w: page tree has a cycle at object %d", ErrMalformed, ref.num)
		}
		seen[ref.num] = true
		d, ok := f.dict(ref)
		if !ok {
			return fmt.Errorf("%w: page tree node %d missing", ErrMalformed, ref.num)
		}
		if d.get("Type") == pdfName("Page") {
			pages++
			if pages > MaxCheckPages {
				return fmt.Errorf("%w: more than %d pages", ErrMalformed, MaxCheckPages)
			}
			return nil
		}
		kids, ok := f.resolve(d.get("Kids")).([]any)
		if !ok {
			return fmt.Errorf("%w: page tree node %d has no /Kids", ErrMalformed, ref.num)
		}
		for _, k := range kids {
			if err := walk(k, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(catalog.get("Pages"), 0); err != nil {
		return 0, err
	}
	if pages == 0 {
		return 0, fmt.Errorf("%w: the document has no page", ErrMalformed)
	}
	return pages, nil
}
