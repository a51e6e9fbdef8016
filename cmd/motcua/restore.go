package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/store/sqlstore"
)

const restoreUsage = "usage: motcua restore --from BACKUPDIR --data NEWDIR [--db URL]"

func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	from := fs.String("from", "", "backup directory made by `motcua backup`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() > 0 {
		return cli.UsageError(restoreUsage)
	}
	start := time.Now()
	m, err := restore(ctx, *from, sf)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s (%s, %s) into %s: %d dossiers, %d audit entries, %d files in %.1fs\n",
		*from, m.Created, m.Dialect, sf.data, m.Counts.Dossiers, m.Counts.AuditEntries, len(m.Files), time.Since(start).Seconds())
	return nil
}

// readManifest reads a backup's manifest and checks every file it names
// against its size and hash: a backup changed by one byte, or missing a
// file, is refused before anything is restored.
func readManifest(from string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(from, manifestName))
	if err != nil {
		return nil, fmt.Errorf("restore: %s is not a backup: %w", from, err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("restore: %s: %w", manifestName, err)
	}
	if m.Version != 1 {
		return nil, fmt.Errorf("restore: backup format %d, this motcua reads 1", m.Version)
	}
	if m.Dialect != "sqlite" && m.Dialect != "postgres" {
		return nil, fmt.Errorf("restore: unknown store dialect %q", m.Dialect)
	}
	for _, f := range m.Files {
		if !localPath(f.Path) {
			return nil, fmt.Errorf("restore: %s names %q, outside the backup", manifestName, f.Path)
		}
		size, sum, err := hashFile(filepath.Join(from, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, fmt.Errorf("restore: backup damaged: %w", err)
		}
		if size != f.Size || sum != f.SHA256 {
			return nil, fmt.Errorf("restore: backup damaged: %s has %d bytes, sha256 %s; the manifest says %d bytes, sha256 %s", f.Path, size, sum, f.Size, f.SHA256)
		}
		if dir, name := path.Split(f.Path); strings.HasPrefix(dir, "files/") && name != f.SHA256 {
			return nil, fmt.Errorf("restore: backup damaged: blob %s does not hash to its name", f.Path)
		}
	}
	return &m, nil
}

func localPath(p string) bool {
	return p != "" && !path.IsAbs(p) && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../") && filepath.IsLocal(filepath.FromSlash(p))
}

// restore brings the backup in from back into sf.data (and, for a
// PostgreSQL backup, the empty database sf.db).
func restore(ctx context.Context, from string, sf storeFlags) (*manifest, error) {
	m, err := readManifest(from)
	if err != nil {
		return nil, err
	}
	if err := emptyDir(sf.data); err != nil {
		return nil, fmt.Errorf("restore: the target data directory must be new or empty: %w", err)
	}
	switch {
	case m.Dialect == "postgres" && sf.db == "":
		return nil, cli.UsageError("restore: a PostgreSQL backup: name the empty database to restore into with --db URL")
	case m.Dialect == "sqlite" && sf.db != "":
		return nil, cli.UsageError("restore: an embedded (SQLite) backup restores into --data alone; drop --db")
	}
	if m.Dialect == "postgres" {
		if err := pgRestore(ctx, filepath.Join(from, pgDumpFile), m.Schema, sf.db); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(sf.data, 0o750); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	for _, f := range m.Files {
		if f.Path == pgDumpFile && m.Dialect == "postgres" {
			continue
		}
		mode, err := strconv.ParseUint(f.Mode, 8, 32)
		if err != nil || mode&0o600 != 0o600 {
			mode = 0o600
		}
		if _, _, err := copyFile(filepath.Join(from, filepath.FromSlash(f.Path)), filepath.Join(sf.data, filepath.FromSlash(f.Path)), os.FileMode(mode).Perm(), f.SHA256); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	// The restored store opens, and holds what the manifest counted.
	sf.data = filepath.Clean(sf.data)
	db, err := sf.open(ctx)
	if err != nil {
		return nil, fmt.Errorf("restore: the restored store does not open: %w", err)
	}
	defer db.Close()
	var c manifestCounts
	if m.Dialect == "sqlite" {
		c, err = sqliteCounts(ctx, filepath.Join(sf.data, sqlstore.SQLiteFile))
	} else {
		raw, rerr := sqlstore.OpenPostgresRaw(sf.db)
		if rerr != nil {
			return nil, rerr
		}
		err = raw.QueryRowContext(ctx, countsQuery).Scan(&c.Dossiers, &c.AuditEntries)
		raw.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("restore: count the restored store: %w", err)
	}
	if c != m.Counts {
		return nil, fmt.Errorf("restore: the restored store holds %d dossiers and %d audit entries, the manifest %d and %d", c.Dossiers, c.AuditEntries, m.Counts.Dossiers, m.Counts.AuditEntries)
	}
	return m, nil
}

// pgRestore restores the custom-format dump into the database at dbURL,
// which must hold no table in the schema restored into. A dump of one
// schema restores into the schema of that name (created if missing).
func pgRestore(ctx context.Context, dump, schema, dbURL string) error {
	if _, err := exec.LookPath("pg_restore"); err != nil {
		return errors.New("restore: pg_restore not found in PATH: install the PostgreSQL client tools to restore a PostgreSQL backup")
	}
	conn, target, err := pgTarget(dbURL)
	if err != nil {
		return err
	}
	if target != schema {
		want := schema
		if want == "" {
			want = "(none: the database's default)"
		}
		return fmt.Errorf("restore: the backup is of schema %s; --db names search_path %q", want, target)
	}
	raw, err := sqlstore.OpenPostgresRaw(conn)
	if err != nil {
		return err
	}
	defer raw.Close()
	if schema == "" {
		schema = "public"
	}
	var n int
	if err := raw.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1", schema).Scan(&n); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("restore: schema %s of the target database already holds %d tables: restore into an empty database", schema, n)
	}
	args := []string{"--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", "--dbname=" + conn}
	if schema != "public" {
		// The dump creates its schema: make it here (it may exist, empty)
		// and leave the dump's CREATE SCHEMA out of the list restored.
		if _, err := raw.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS "`+schema+`"`); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		list, err := exec.CommandContext(ctx, "pg_restore", "--list", dump).Output()
		if err != nil {
			return fmt.Errorf("restore: pg_restore --list: %w", err)
		}
		var keep []string
		for _, l := range strings.Split(string(list), "\n") {
			if strings.Contains(l, " SCHEMA - "+schema+" ") {
				continue
			}
			keep = append(keep, l)
		}
		lf, err := os.CreateTemp("", "motcua-restore-*.list")
		if err != nil {
			return err
		}
		defer os.Remove(lf.Name())
		if _, err := lf.WriteString(strings.Join(keep, "\n")); err != nil {
			lf.Close()
			return err
		}
		lf.Close()
		args = append(args, "--use-list="+lf.Name())
	}
	args = append(args, dump)
	if out, err := exec.CommandContext(ctx, "pg_restore", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("restore: pg_restore: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
