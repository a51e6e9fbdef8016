package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua/app/auditlog"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/store/sqlstore"
)

// manifestName is the backup's table of contents, at its root.
const manifestName = "manifest.json"

// pgDumpFile is the PostgreSQL database's dump inside a backup.
const pgDumpFile = "postgres.dump"

// manifest describes a backup: what it holds and the hash of every file.
type manifest struct {
	Version int    `json:"version"`
	Motcua  string `json:"motcua"`
	Created string `json:"created"` // RFC 3339, Asia/Ho_Chi_Minh
	Dialect string `json:"dialect"` // sqlite | postgres
	// Schema is the PostgreSQL schema dumped (the URL's search_path), ""
	// for the whole database.
	Schema string         `json:"schema,omitempty"`
	Counts manifestCounts `json:"counts"`
	Files  []manifestFile `json:"files"`
}

type manifestCounts struct {
	Dossiers     int64 `json:"dossiers"`
	AuditEntries int64 `json:"audit_entries"`
}

type manifestFile struct {
	Path   string `json:"path"` // relative, slash-separated
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Mode   string `json:"mode"` // octal permission bits
}

const backupUsage = "usage: motcua backup --data DIR [--db URL] --out BACKUPDIR"

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	out := fs.String("out", "", "backup directory to create (must not exist, or be empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return cli.UsageError(backupUsage)
	}
	start := time.Now()
	m, size, err := backup(ctx, sf, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup %s: %s store, %d dossiers, %d audit entries, %d files, %d bytes in %.1fs\n",
		*out, m.Dialect, m.Counts.Dossiers, m.Counts.AuditEntries, len(m.Files), size, time.Since(start).Seconds())
	return nil
}

// backup copies the store sf names into the new directory out. The order
// matters for a server that keeps working: the anchors file first, then
// the PKI (which holds every certificate those anchors were signed with),
// then the database (whose audit log reaches at least as far as every
// anchor copied), then the file store (a superset of the blobs the copied
// database refers to: a blob is written before the commit naming it).
func backup(ctx context.Context, sf storeFlags, out string) (*manifest, int64, error) {
	if err := emptyDir(out); err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	if sf.db != "" {
		if _, err := exec.LookPath("pg_dump"); err != nil {
			return nil, 0, errors.New("backup: pg_dump not found in PATH: install the PostgreSQL client tools (the same major version as the server, or newer) to back up a PostgreSQL store")
		}
	} else if _, err := os.Stat(filepath.Join(sf.data, sqlstore.SQLiteFile)); err != nil {
		return nil, 0, fmt.Errorf("backup: no store in %s: %w", sf.data, err)
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	m := &manifest{Version: 1, Motcua: version, Created: time.Now().In(calendar.VN).Format(time.RFC3339)}
	var total int64
	add := func(rel string, size int64, sum string, mode fs.FileMode) {
		m.Files = append(m.Files, manifestFile{Path: filepath.ToSlash(rel), Size: size, SHA256: sum, Mode: fmt.Sprintf("%04o", mode.Perm())})
		total += size
	}

	// 1. The anchors file, 2. the PKI.
	if st, err := os.Stat(filepath.Join(sf.data, auditlog.AnchorsFile)); err == nil && st.Mode().IsRegular() {
		size, sum, err := copyFile(filepath.Join(sf.data, auditlog.AnchorsFile), filepath.Join(out, auditlog.AnchorsFile), st.Mode().Perm(), "")
		if err != nil {
			return nil, 0, fmt.Errorf("backup: %w", err)
		}
		add(auditlog.AnchorsFile, size, sum, st.Mode())
	}
	if err := copyTree(sf.data, out, "pki", nil, add); err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}

	// 3. The database.
	db, err := sf.open(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer db.Close()
	m.Dialect = db.Dialect()
	var dbFile string
	if m.Dialect == "sqlite" {
		dbFile = sqlstore.SQLiteFile
		if err := db.BackupSQLite(ctx, filepath.Join(out, dbFile)); err != nil {
			return nil, 0, err
		}
		if m.Counts, err = sqliteCounts(ctx, filepath.Join(out, dbFile)); err != nil {
			return nil, 0, fmt.Errorf("backup: the copy does not read back: %w", err)
		}
	} else {
		dbFile = pgDumpFile
		if m.Schema, m.Counts, err = pgDump(ctx, sf.db, filepath.Join(out, dbFile)); err != nil {
			return nil, 0, err
		}
	}
	size, sum, err := hashFile(filepath.Join(out, dbFile))
	if err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	add(dbFile, size, sum, 0o600)

	// 4. The file store: content-addressed, each blob checked against its
	// name as it is copied; tmp holds uploads in progress, not kept.
	blobCheck := func(rel, sum string) error {
		if filepath.Base(rel) != sum {
			return fmt.Errorf("file store: %s does not hash to its name (sha256 %s): the stored file is damaged", rel, sum)
		}
		return nil
	}
	if err := copyTree(sf.data, out, "files", blobCheck, add); err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}

	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, 0, err
	}
	if err := writeSynced(filepath.Join(out, manifestName), append(b, '\n'), 0o600); err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	return m, total, nil
}

// emptyDir checks dir does not exist or is an empty directory.
func emptyDir(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(ents) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return nil
}

// copyTree copies the regular files under from/sub to to/sub, keeping
// their permission bits (private keys stay 0600); check, if not nil,
// vets each file's hash. A missing from/sub copies nothing. The file
// store's tmp directory is skipped.
func copyTree(from, to, sub string, check func(rel, sum string) error, add func(rel string, size int64, sum string, mode fs.FileMode)) error {
	root := filepath.Join(from, sub)
	if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p != root {
				return nil // removed while walking
			}
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if sub == "files" && d.Name() == "tmp" && filepath.Dir(p) == root {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		size, sum, err := copyFile(p, filepath.Join(to, rel), info.Mode().Perm(), "")
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(rel, sum); err != nil {
				return err
			}
		}
		add(rel, size, sum, info.Mode())
		return nil
	})
}

// copyFile copies src to the new file dst with mode perm, synced, and
// returns its size and SHA-256; if want is set, a copy that does not hash
// to it is an error.
func copyFile(src, dst string, perm fs.FileMode, want string) (int64, string, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, "", err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return 0, "", err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, "", fmt.Errorf("copy %s: %w", src, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if want != "" && sum != want {
		return 0, "", fmt.Errorf("copy %s: sha256 %s, want %s", src, sum, want)
	}
	return n, sum, nil
}

func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return 0, "", fmt.Errorf("read %s: %w", path, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func writeSynced(path string, b []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// countsQuery counts what a manifest records, in one statement.
const countsQuery = "SELECT (SELECT count(*) FROM dossiers), (SELECT count(*) FROM audit_log)"

// sqliteCounts opens the SQLite file at path read-only and counts.
func sqliteCounts(ctx context.Context, path string) (manifestCounts, error) {
	var c manifestCounts
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return c, err
	}
	defer db.Close()
	err = db.QueryRowContext(ctx, countsQuery).Scan(&c.Dossiers, &c.AuditEntries)
	return c, err
}

// pgTarget splits a store URL into what libpq's tools take (the URL
// without the pgx-only search_path) and the schema it names ("" for none).
func pgTarget(raw string) (conn, schema string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", errors.New("--db: not a URL")
	}
	q := u.Query()
	schema = q.Get("search_path")
	if strings.ContainsAny(schema, ", \"") {
		return "", "", fmt.Errorf("--db: search_path %q: one schema, unquoted", schema)
	}
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema, nil
}

// pgDump dumps the PostgreSQL store into path in pg_dump's custom format.
// The counts are taken in the very snapshot pg_dump copies: a REPEATABLE
// READ transaction here exports its snapshot and pg_dump --snapshot joins
// it, so the manifest counts what the dump holds while writes go on.
func pgDump(ctx context.Context, dbURL, path string) (string, manifestCounts, error) {
	var c manifestCounts
	conn, schema, err := pgTarget(dbURL)
	if err != nil {
		return "", c, err
	}
	raw, err := sqlstore.OpenPostgresRaw(dbURL)
	if err != nil {
		return "", c, err
	}
	defer raw.Close()
	tx, err := raw.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return "", c, fmt.Errorf("backup: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	var snap string
	if err := tx.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&snap); err != nil {
		return "", c, fmt.Errorf("backup: export snapshot: %w", err)
	}
	if err := tx.QueryRowContext(ctx, countsQuery).Scan(&c.Dossiers, &c.AuditEntries); err != nil {
		return "", c, fmt.Errorf("backup: count: %w", err)
	}
	args := []string{"--format=custom", "--no-owner", "--no-acl", "--snapshot=" + snap, "--file=" + path}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	args = append(args, "--dbname="+conn)
	cmd := exec.CommandContext(ctx, "pg_dump", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", c, fmt.Errorf("backup: pg_dump: %v: %s", err, strings.TrimSpace(string(out)))
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return "", c, err
	}
	return schema, c, nil
}
