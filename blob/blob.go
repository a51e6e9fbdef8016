// Package blob stores uploaded files on disk, content-addressed by their
// SHA-256: the same bytes are stored once, a stored file never changes, and
// a file is visible only once it is complete and synced.
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/internal/diskspace"
)

// File is what the platform knows of an uploaded file.
type File struct {
	ID          string    `json:"id"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	Name        string    `json:"name,omitempty"`
	OwnerID     int64     `json:"owner_id"`
	CreatedAt   time.Time `json:"created_at"`
}

// Allowed are the content types accepted for dossier components: PDF and
// the usual scan formats.
var Allowed = map[string]bool{
	"application/pdf": true,
	"image/jpeg":      true,
	"image/png":       true,
}

// Store is a directory of content-addressed files.
type Store struct {
	dir     string
	maxSize int64
	// createTemp makes the temporary file an upload is written to (a test
	// replaces it to fail the writes as a full disk does).
	createTemp func(dir, pattern string) (tempFile, error)
	full       diskspace.Recorder
}

// tempFile is what Put needs of the temporary file (an *os.File).
type tempFile interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

func createTemp(dir, pattern string) (tempFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Open opens (creating) the store in dir; files larger than maxSize bytes
// are refused.
func Open(dir string, maxSize int64) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("open file store %s: %w", dir, err)
	}
	return &Store{dir: dir, maxSize: maxSize, createTemp: createTemp}, nil
}

// MaxSize is the largest file accepted, in bytes.
func (s *Store) MaxSize() int64 { return s.maxSize }

func (s *Store) path(sum string) string { return filepath.Join(s.dir, sum[:2], sum[2:4], sum) }

// Put reads r to the end and stores it. declared is the Content-Type the
// client sent; the stored type is sniffed from the bytes and must agree
// with it and be Allowed. It returns the hash, size and type.
func (s *Store) Put(r io.Reader, declared string) (sum string, size int64, ctype string, err error) {
	// The temporary file is made 0600: the stored file, renamed from it,
	// is the service account's alone.
	tmp, err := s.createTemp(filepath.Join(s.dir, "tmp"), "up-*")
	if err != nil {
		return "", 0, "", s.fail(err)
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	head := make([]byte, 0, 512)
	n, err := io.Copy(io.MultiWriter(tmp, h, &prefix{b: &head}), io.LimitReader(r, s.maxSize+1))
	if err != nil {
		return "", 0, "", s.fail(err)
	}
	if n > s.maxSize {
		return "", 0, "", errs.New(errs.Invalid, "file.too_large",
			fmt.Sprintf("Tệp quá lớn: tối đa %d MB.", s.maxSize>>20), fmt.Sprintf("file larger than %d bytes", s.maxSize))
	}
	if n == 0 {
		return "", 0, "", errs.New(errs.Invalid, "file.empty", "Tệp rỗng.", "empty file")
	}
	ctype = sniff(head)
	if !Allowed[ctype] {
		return "", 0, "", errs.New(errs.Invalid, "file.type",
			"Chỉ nhận tệp PDF, JPEG hoặc PNG.", "unsupported file type "+ctype)
	}
	if d := mediaType(declared); d != "" && d != "application/octet-stream" && d != ctype {
		return "", 0, "", errs.New(errs.Invalid, "file.type_mismatch",
			fmt.Sprintf("Nội dung tệp (%s) không khớp với kiểu đã khai (%s).", ctype, d), "content does not match Content-Type")
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, "", s.fail(err)
	}
	if err := check(tmp.Name(), ctype); err != nil {
		if _, ok := errs.As(err); ok {
			return "", 0, "", err
		}
		return "", 0, "", s.fail(err)
	}
	sum = hex.EncodeToString(h.Sum(nil))
	dst := s.path(sum)
	if st, err := os.Stat(dst); err == nil {
		// The same bytes are already stored; narrowed to 0600 if a
		// version before 0600 files left them readable by others.
		if st.Mode().Perm()&0o077 != 0 {
			_ = os.Chmod(dst, 0o600)
		}
		return sum, n, ctype, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", 0, "", s.fail(err)
	}
	if err := tmp.Close(); err != nil {
		return "", 0, "", s.fail(err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, "", s.fail(err)
	}
	tmp = nil
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return sum, n, ctype, nil
}

// fail is the error of a write to the store that failed: a typed
// Unavailable error on a full disk (ENOSPC, recorded for LastDiskFull),
// the cause otherwise.
func (s *Store) fail(err error) error {
	if diskspace.IsNoSpace(err) {
		s.full.Note()
		return diskspace.FullError(fmt.Errorf("store file: %w", err))
	}
	return fmt.Errorf("store file: %w", err)
}

// LastDiskFull is when a write last failed on a full disk (zero: never
// since the store was opened).
func (s *Store) LastDiskFull() time.Time { return s.full.Last() }

// Open opens the stored file with the given hash.
func (s *Store) Open(sum string) (*os.File, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return nil, errs.New(errs.NotFound, "file.not_found", "Không tìm thấy tệp.", "bad file hash")
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errs.New(errs.NotFound, "file.not_found", "Không tìm thấy tệp.", "no file "+sum)
	}
	return f, err
}

func sniff(head []byte) string {
	if len(head) >= 5 && string(head[:5]) == "%PDF-" {
		return "application/pdf"
	}
	return mediaType(http.DetectContentType(head))
}

func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}

// prefix keeps the first 512 bytes written to it.
type prefix struct{ b *[]byte }

func (p *prefix) Write(b []byte) (int, error) {
	if room := 512 - len(*p.b); room > 0 {
		*p.b = append(*p.b, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

// Remove deletes the stored file with the given hash (none: no error).
// The caller makes sure nothing refers to it any more.
func (s *Store) Remove(sum string) error {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return errs.New(errs.NotFound, "file.not_found", "Không tìm thấy tệp.", "bad file hash")
	}
	if err := os.Remove(s.path(sum)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove file %s: %w", sum, err)
	}
	return nil
}
