package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// The static files (style sheet, script, icons) are embedded, the same
// for everyone and changed only by a new build: each is served with a
// strong ETag (a digest of its bytes) and a Cache-Control, and the pages
// link them with that digest in the query (asset), so that a browser keeps
// a linked file for a year and fetches the new one the moment a build
// changes it. A URL without the right digest (a bookmark, /favicon.ico)
// is cached for an hour and revalidated by its ETag.

const (
	// cacheVersioned is the Cache-Control of a file asked for with its
	// digest: it never changes under that URL.
	cacheVersioned = "public, max-age=31536000, immutable"
	// cacheUnversioned is the Cache-Control of a file asked for without
	// its digest: kept an hour, then revalidated.
	cacheUnversioned = "public, max-age=3600"
)

// staticFile is one embedded file with its digest.
type staticFile struct {
	name, contentType string
	body              []byte
	digest            string // the first 16 hex digits of its SHA-256
}

// staticFiles are the embedded static files by name ("app.css").
type staticFiles map[string]*staticFile

func loadStatic(fsys fs.FS) (staticFiles, error) {
	out := staticFiles{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".ico":
			ct = "image/x-icon" // mime's table may lack it (no /etc/mime.types)
		case ".svg":
			ct = "image/svg+xml"
		}
		out[p] = &staticFile{name: p, contentType: ct, body: b, digest: hex.EncodeToString(sum[:8])}
		return nil
	})
	return out, err
}

// url is the address of the file named name with its digest, for a page's
// link; an unknown name is a bug of a template, linked as is.
func (sf staticFiles) url(name string) string {
	if f := sf[name]; f != nil {
		return "/static/" + name + "?v=" + f.digest
	}
	return "/static/" + name
}

// serve answers the file named name: 304 when the browser has it (its
// If-None-Match names the ETag, with or without the suffix the compressor
// adds), the file otherwise; 404 (the pages' not-found page) for a name
// that is not a file.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request, name string) {
	f := assets[name]
	if f == nil {
		s.notFound(w, r)
		return
	}
	h := w.Header()
	etag := `"` + f.digest + `"`
	h.Set("ETag", etag)
	if r.URL.Query().Get("v") == f.digest {
		h.Set("Cache-Control", cacheVersioned)
	} else {
		h.Set("Cache-Control", cacheUnversioned)
	}
	if f.contentType != "" {
		h.Set("Content-Type", f.contentType)
	}
	if etagMatches(r.Header.Get("If-None-Match"), f.digest) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	// ServeContent answers ranges and HEAD; its zero modification time
	// sends no Last-Modified (the ETag decides).
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.body))
}

// etagMatches reports whether an If-None-Match header names the digest:
// "*", or one of its tags, weak or not, possibly with the "-gzip" (or
// "-zstd") suffix the compressor adds to a compressed answer's ETag.
func etagMatches(header, digest string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" {
			return true
		}
		tag = strings.Trim(tag, `"`)
		tag = strings.TrimSuffix(strings.TrimSuffix(tag, "-gzip"), "-zstd")
		if tag == digest {
			return true
		}
	}
	return false
}

// assets are the embedded static files; a file that cannot be read is a
// bug of the build, caught by every test.
var assets = func() staticFiles {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	sf, err := loadStatic(sub)
	if err != nil {
		panic(err)
	}
	return sf
}()
