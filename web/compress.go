package web

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
)

// compressedTypes are the answers worth compressing: the pages, the style
// sheet and the script, the API's JSON and problems, the SVG images and
// the plain-text answers. PDFs, images and uploaded files are compressed
// already, or are someone's file, sent as stored.
var compressedTypes = []string{
	"text/html", "text/css", "text/javascript", "application/javascript",
	"application/json", "application/problem+json", "application/schema+json",
	"image/svg+xml", "text/plain", "text/csv",
}

// compress wraps h to gzip the answers of compressedTypes larger than
// 1 KiB for the clients that accept it. The pages carry secrets (the CSRF
// token, personal data) next to what a visitor typed: a few random bytes
// of padding, chosen from the answer's digest, hide the exact compressed
// length that a BREACH-style attack measures. The ETags stay as the
// handlers set them: the API's are the versions that If-Match names.
func compress(h http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.ContentTypes(compressedTypes),
		gzhttp.MinSize(1024),
		gzhttp.EnableZstd(false), // gzip: what every browser and curl --compressed take
		gzhttp.RandomJitter(32, 0, false),
	)
	if err != nil {
		panic(err) // fixed options: a bad one is a bug caught by every test
	}
	return wrap(h)
}

// route serves r by the mux, or, for a path no route takes or a method
// its route does not, answers the pages' error page (404, or 405 with the
// methods allowed) or a problem, instead of Go's plain-text "404 page not
// found".
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	// The mux's own fallback: learn its status (404 or 405) and its Allow.
	rec := &fallbackRecorder{h: http.Header{}}
	h.ServeHTTP(rec, r)
	if allow := rec.h.Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	status := rec.status
	if status == 0 || status == http.StatusOK {
		status = http.StatusNotFound
	}
	s.errs.Status(w, r, status)
}

// fallbackRecorder keeps the status and headers of the mux's fallback
// handler and drops its body.
type fallbackRecorder struct {
	h      http.Header
	status int
}

func (f *fallbackRecorder) Header() http.Header { return f.h }
func (f *fallbackRecorder) WriteHeader(code int) {
	if f.status == 0 {
		f.status = code
	}
}
func (f *fallbackRecorder) Write(b []byte) (int, error) {
	if f.status == 0 {
		f.status = http.StatusOK
	}
	return len(b), nil
}
