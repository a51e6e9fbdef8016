// Package sqlstore implements the store contract on SQLite (embedded, pure Go
// modernc.org/sqlite) and PostgreSQL (jackc/pgx through database/sql), with
// one body of SQL and the few differences of the two dialects in one place.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // registers the PostgreSQL driver "pgx"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/internal/diskspace"
	"github.com/motcua/motcua/store"
)

//go:embed migrations
var migrations embed.FS

type dialect int

const (
	sqlite dialect = iota
	postgres
)

func (d dialect) String() string {
	if d == postgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is a store on one database.
type DB struct {
	Reader
	w      *sql.DB // writes
	d      dialect
	wstmts *stmtCache // SQLite: statements of the writer
	// SQLite: wmu admits one write transaction at a time (see Update);
	// gmu guards queue, the calls waiting for the next group. The writer
	// pool has a second connection only so that a statement can be
	// prepared while a transaction holds the first.
	wmu   sync.Mutex
	gmu   sync.Mutex
	queue []*writeReq
	// seq is PostgreSQL's pool for dossier numbers (see Tx.NextSequence).
	seq *sql.DB
	// forgotten are staged files to delete with the next commit (see
	// ForgetStagedFile), guarded by fmu.
	fmu       sync.Mutex
	forgotten []string
	// dir is SQLite's data directory ("" on PostgreSQL); full records
	// when a write last failed on a full disk (see classify).
	dir  string
	full diskspace.Recorder
	// onOutbox is the function OnOutbox set, nil if none.
	onOutbox atomic.Pointer[func()]
}

// OnOutbox has fn called after every commit of a transaction that appended
// outbox events (as an AfterCommit hook of the call that appended them, so
// once per event): the outbox relay wakes at once instead of at its next
// poll. fn must be quick and must not block (a relay's Notify sends on a
// buffered channel). A nil fn stops the calls.
func (db *DB) OnOutbox(fn func()) {
	if fn == nil {
		db.onOutbox.Store(nil)
		return
	}
	db.onOutbox.Store(&fn)
}

// notifyOutbox is the function a new transaction calls after appending
// outbox events, nil if none.
func (db *DB) notifyOutbox() func() {
	if fn := db.onOutbox.Load(); fn != nil {
		return *fn
	}
	return nil
}

var _ store.Store = (*DB)(nil)

// SQLiteFile is the database file's name inside the data directory.
const SQLiteFile = "motcua.db"

// Sync is how SQLite waits for the disk when a transaction commits.
//
// SyncFull (the default) syncs the write-ahead log at every commit: an
// acknowledged action survives a power cut. The writer groups concurrent
// transactions into one commit (see Update), so a group pays one fsync.
// SyncNormal syncs only at checkpoints: still safe against a crash of the
// process (SIGKILL loses nothing acknowledged), but the last commits before
// a power cut or a kernel crash can be lost. A government register runs
// FULL; NORMAL is for throwaway stores (tests, demos on a laptop).
type Sync string

// The synchronous modes offered.
const (
	SyncFull   Sync = "FULL"
	SyncNormal Sync = "NORMAL"
)

// ParseSync reads a synchronous mode ("full" or "normal", any case).
func ParseSync(s string) (Sync, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", string(SyncFull):
		return SyncFull, nil
	case string(SyncNormal):
		return SyncNormal, nil
	}
	return "", fmt.Errorf("synchronous mode %q: want full or normal", s)
}

// Option changes how a store is opened.
type Option func(*options)

type options struct {
	sync  Sync
	conns int
}

// DefaultConns is how many connections a node opens to PostgreSQL at most.
const DefaultConns = 34

// WithConns sets how many connections a node opens to PostgreSQL at most
// (default DefaultConns, at least 6; see OpenPostgres); SQLite ignores it.
func WithConns(n int) Option { return func(o *options) { o.conns = n } }

// WithSync sets SQLite's synchronous mode (default SyncFull); PostgreSQL
// ignores it (its own synchronous_commit is the server's setting).
func WithSync(s Sync) Option { return func(o *options) { o.sync = s } }

func optionsOf(opts []Option) options {
	o := options{sync: SyncFull, conns: DefaultConns}
	for _, f := range opts {
		f(&o)
	}
	if o.sync != SyncNormal {
		o.sync = SyncFull
	}
	o.conns = max(o.conns, 6)
	return o
}

// sqliteDSN builds the DSN: WAL, a busy timeout, foreign keys, the
// synchronous mode, and BEGIN IMMEDIATE for the writer so that a write
// transaction never fails half-way on a lock upgrade. Each connection keeps up to 32 MiB of pages
// (the default 2 MiB is smaller than a province's catalogue, and every
// search then rereads it from the OS) and maps up to 256 MiB of the file.
// Temporary storage is in memory: each write of a group commit runs in its
// own savepoint, whose sub-journal would otherwise be a temporary file
// written page by page (a third of the writer's CPU in motcua-bench submit).
func sqliteDSN(path string, readOnly bool, sync Sync) string {
	v := []string{
		"_pragma=journal_mode(WAL)",
		"_pragma=busy_timeout(10000)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(" + string(sync) + ")",
		"_pragma=cache_size(-32768)",
		"_pragma=mmap_size(268435456)",
		"_pragma=temp_store(2)",
		"_time_format=sqlite",
	}
	if readOnly {
		v = append(v, "_pragma=query_only(1)")
	} else {
		v = append(v, "_txlock=immediate")
	}
	return "file:" + path + "?" + strings.Join(v, "&")
}

// OpenSQLite opens (creating and migrating if needed) the embedded store in
// the data directory dir.
func OpenSQLite(ctx context.Context, dir string, opts ...Option) (*DB, error) {
	o := optionsOf(opts)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	path := filepath.Join(dir, SQLiteFile)
	if err := privateFiles(path); err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, false, o.sync))
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	w.SetMaxOpenConns(2)
	w.SetMaxIdleConns(2)
	w.SetConnMaxLifetime(0)
	if err := migrate(ctx, w, sqlite); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, true, o.sync))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &DB{Reader: Reader{q: q{db: r, d: sqlite, stmts: newStmtCache(r)}}, w: w, d: sqlite, wstmts: newStmtCache(w), dir: dir}, nil
}

// privateFiles makes the database at path readable by its owner alone:
// SQLite creates it 0644 (less the umask), and its -wal and -shm files
// take the database's mode. A new database is created empty with 0600
// (SQLite takes an empty file for a new database); the files an older
// version left readable are narrowed to 0600 (best effort: a tool run by
// another user that may read them leaves them as they are).
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
			_ = os.Chmod(p, st.Mode().Perm()&0o700)
		}
	}
	return nil
}

// OpenPostgres opens (and migrates) the store at a PostgreSQL URL.
//
// A node keeps three pools of connections, of WithConns(n) in all
// (default 34): half for write transactions, 2 for dossier numbers
// (Tx.NextSequence), the rest for reads outside transactions. PostgreSQL's
// default max_connections of 100 holds two nodes at the default and
// tools; three nodes want --db-conns 30 or fewer. Reads have their own pool because a
// write transaction may read outside itself (a cache filled on first use):
// from the writers' pool it could wait for a connection that only
// transactions waiting like it hold.
func OpenPostgres(ctx context.Context, url string, opts ...Option) (*DB, error) {
	o := optionsOf(opts)
	writers := o.conns / 2
	readers := o.conns - writers - pgNumberers
	// Each pool's connections are opened through pgConnector, which
	// classifies a server that refuses them as Unavailable.
	pool := func(n int, params map[string]string) (*sql.DB, error) {
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			return nil, fmt.Errorf("open postgres store: %w", err)
		}
		maps.Copy(cfg.RuntimeParams, params)
		db := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return db, nil
	}
	w, err := pool(writers, nil)
	if err != nil {
		return nil, err
	}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, errs.Wrap(errs.Unavailable, "store.unavailable", "Không kết nối được cơ sở dữ liệu PostgreSQL.", "cannot reach PostgreSQL", err)
	}
	if err := migrate(ctx, w, postgres); err != nil {
		w.Close()
		return nil, err
	}
	r, err := pool(readers, nil)
	if err != nil {
		w.Close()
		return nil, err
	}
	// Numbers commit without waiting for the disk: a number is durable as
	// soon as a later commit of the same server is (the log is flushed in
	// order), so a submission that committed never loses its number; a
	// number lost in a crash before that was used by no committed dossier.
	seq, err := pool(pgNumberers, map[string]string{"synchronous_commit": "off"})
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	return &DB{Reader: Reader{q: q{db: r, d: postgres}}, w: w, d: postgres, seq: seq}, nil
}

// pgNumberers are the connections of the pool for dossier numbers.
const pgNumberers = 2

// Open opens PostgreSQL when url is set, the embedded SQLite store in dir
// otherwise.
func Open(ctx context.Context, dir, url string, opts ...Option) (*DB, error) {
	if url != "" {
		return OpenPostgres(ctx, url, opts...)
	}
	return OpenSQLite(ctx, dir, opts...)
}

func migrate(ctx context.Context, db *sql.DB, d dialect) error {
	sub, err := fs.Sub(migrations, "migrations/"+d.String())
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	gd := goose.DialectSQLite3
	if d == postgres {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, db, sub)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", d, err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", d, err)
	}
	return nil
}

// Dialect names the database: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.String() }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return errs.Wrap(errs.Unavailable, "store.unavailable", "Cơ sở dữ liệu không phản hồi.", "database does not answer", err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	for _, c := range []*stmtCache{db.wstmts, db.q.stmts} {
		if c != nil {
			c.close()
		}
	}
	err := db.w.Close()
	if db.seq != nil {
		err = errors.Join(err, db.seq.Close())
	}
	if db.q.db != db.w {
		if r, ok := db.q.db.(*sql.DB); ok {
			err = errors.Join(err, r.Close())
		}
	}
	return err
}

// Update runs fn in one write transaction: fn's changes are all committed
// or none is.
//
// On PostgreSQL each call is its own transaction, and calls run in
// parallel, on as many connections as the pool holds: what every
// transaction touches (the audit log, the dashboard's counts) is written
// as it commits, in rows no other running transaction holds (see Tx).
//
// On SQLite, which has one writer, writes are committed in groups: while
// one group commits, the next calls queue; the first of them to get the
// writer runs the whole queue in one database transaction, each call
// inside its own savepoint (a call that fails is rolled back to its
// savepoint alone), and commits once, so that a group pays one flush to
// disk.
//
// The hooks a call registered with AfterCommit run after it committed, on
// the caller's goroutine: a slow hook (a file synced to disk) holds no
// other write back, and a hook may call Update. The hooks of a call rolled
// back (to its savepoint, or with its group when the group's commit
// failed) are dropped; a group is never retried call by call.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	if db.d == postgres {
		db.runOne(r)
	} else {
		db.gmu.Lock()
		db.queue = append(db.queue, r)
		db.gmu.Unlock()
		db.wmu.Lock()
		select {
		case <-r.done: // an earlier leader ran it
			db.wmu.Unlock()
		default:
			db.gmu.Lock()
			batch := db.queue
			if len(batch) > maxGroup {
				batch = batch[:maxGroup]
			}
			db.queue = append([]*writeReq(nil), db.queue[len(batch):]...)
			db.gmu.Unlock()
			db.runGroup(batch)
			db.wmu.Unlock()
			<-r.done
		}
	}
	if r.panic != nil {
		panic(r.panic)
	}
	if r.err != nil {
		return db.classify(r.err)
	}
	for _, fn := range r.hooks {
		fn()
	}
	return nil
}

// maxGroup bounds the calls committed together.
const maxGroup = 64

// writeReq is one call of Update.
type writeReq struct {
	ctx   context.Context
	fn    func(store.Tx) error
	err   error
	panic any
	// hooks are those fn registered with AfterCommit, kept if fn
	// succeeded; dropped if the transaction does not commit.
	hooks []func()
	done  chan struct{}
}

// run calls fn, turning a panic into r.panic, and takes the hooks fn
// registered on t; if fn failed, t forgets what fn buffered.
func (r *writeReq) run(t *Tx) (ok bool) {
	m := t.mark()
	defer func() {
		if p := recover(); p != nil {
			r.panic = p
			ok = false
		}
		if ok {
			r.hooks = t.hooks[m.hooks:len(t.hooks):len(t.hooks)]
		} else {
			t.rollbackTo(m)
		}
	}()
	r.err = r.fn(t)
	return r.err == nil
}

// runOne runs one call in its own transaction (PostgreSQL).
func (db *DB) runOne(r *writeReq) {
	defer close(r.done)
	fail := func(err error) {
		if r.err == nil && r.panic == nil {
			r.err = err
		}
		r.hooks = nil
	}
	// The caller's context governs its statements; the commit is not
	// cancelled half-way by it.
	tx, err := db.w.BeginTx(context.WithoutCancel(r.ctx), nil)
	if err != nil {
		fail(fmt.Errorf("begin transaction: %w", err))
		return
	}
	t := &Tx{Reader: Reader{q: q{db: tx, d: db.d}}, seq: db.seq, notify: db.notifyOutbox()}
	if !r.run(t) {
		_ = tx.Rollback()
		r.hooks = nil
		return
	}
	if err := db.commit(r.ctx, t, tx); err != nil {
		fail(err)
	}
}

// runGroup runs the calls in one transaction and signals each (SQLite).
func (db *DB) runGroup(batch []*writeReq) {
	defer func() {
		for _, r := range batch {
			close(r.done)
		}
	}()
	fail := func(err error) {
		for _, r := range batch {
			if r.err == nil && r.panic == nil {
				r.err = err
			}
			r.hooks = nil // nothing of the group committed
		}
	}
	// The transaction outlives any one caller: a caller's cancelled
	// context fails that caller's statements only.
	tx, err := db.w.BeginTx(context.Background(), nil)
	if err != nil {
		fail(fmt.Errorf("begin transaction: %w", err))
		return
	}
	t := &Tx{Reader: Reader{q: q{db: tx, d: db.d, stmts: db.wstmts}}, notify: db.notifyOutbox()}
	if len(batch) == 1 {
		if !batch[0].run(t) {
			_ = tx.Rollback()
			return
		}
	} else {
		// One savepoint, moved along: released and set again after a call
		// that succeeds, rolled back to after one that fails.
		// after is the call just run: one that failed on a full disk
		// (SQLITE_FULL) may have rolled back the whole transaction, and the
		// others of the group then failed for the same reason.
		exec := func(stmt string, after *writeReq) bool {
			if _, err := tx.Exec(stmt); err != nil {
				_ = tx.Rollback()
				err = fmt.Errorf("%s: %w", stmt, err)
				if after != nil && after.err != nil && errs.KindOf(db.classify(after.err)) == errs.Unavailable {
					err = after.err
				}
				fail(err)
				return false
			}
			return true
		}
		if !exec("SAVEPOINT w", nil) {
			return
		}
		committed := 0
		for i, r := range batch {
			next := "RELEASE SAVEPOINT w; SAVEPOINT w"
			if r.run(t) {
				committed++
			} else {
				next = "ROLLBACK TO SAVEPOINT w"
			}
			if i == len(batch)-1 {
				next = strings.TrimSuffix(next, "; SAVEPOINT w")
			}
			if !exec(next, r) {
				return
			}
		}
		if committed == 0 {
			_ = tx.Rollback()
			return
		}
	}
	if err := db.commit(context.Background(), t, tx); err != nil {
		fail(err)
	}
}

// commit seals t (see Tx.seal), with the staged files forgotten since the
// last commit, and commits it; on failure the transaction is rolled back
// and the files are forgotten by a later one.
func (db *DB) commit(ctx context.Context, t *Tx, tx *sql.Tx) error {
	db.fmu.Lock()
	t.forget, db.forgotten = db.forgotten, nil
	db.fmu.Unlock()
	err := t.seal(ctx)
	if err == nil {
		if err = tx.Commit(); err != nil {
			err = fmt.Errorf("commit: %w", err)
		}
	} else {
		_ = tx.Rollback()
	}
	if err != nil && len(t.forget) > 0 {
		db.fmu.Lock()
		db.forgotten = append(db.forgotten, t.forget...)
		db.fmu.Unlock()
	}
	return err
}

// ForgetStagedFile deletes a staged file (once written to the file store)
// with the next write transaction, which pays no round trip for it; until
// then, or if the process stops first, the row stays and is written again
// (idempotently) at the next start.
func (db *DB) ForgetStagedFile(sha256 string) {
	db.fmu.Lock()
	db.forgotten = append(db.forgotten, sha256)
	db.fmu.Unlock()
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// q runs SQL written with ? placeholders on either dialect.
type q struct {
	db    querier
	d     dialect
	stmts *stmtCache // SQLite only: prepared statements of the pool behind db
}

// on is q on another pool of the same database, without statement cache.
func (x q) on(db querier) q { return q{db: db, d: x.d} }

// stmtCache keeps one prepared statement per query text. The pure-Go SQLite
// driver prepares every statement again on each call (parsing was a sixth
// of a submission's CPU time); a *sql.Stmt is prepared once per connection
// and safe for concurrent use. PostgreSQL's driver caches statements itself.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st, ok := c.m[query]
	c.mu.RUnlock()
	if ok {
		return st, nil
	}
	// Prepare without holding the lock: preparing needs a connection,
	// which a caller holding one may be waiting to give back.
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[query]; ok {
		st.Close()
		return old, nil
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

// stmt returns the cached statement for query, bound to the transaction
// when q runs in one; nil when there is no cache.
func (q q) stmt(ctx context.Context, query string) *sql.Stmt {
	if q.stmts == nil {
		return nil
	}
	st, err := q.stmts.get(ctx, query)
	if err != nil {
		return nil // let the plain call report the error
	}
	if tx, ok := q.db.(*sql.Tx); ok {
		return tx.StmtContext(ctx, st)
	}
	return st
}

// rebind turns ? placeholders into $1, $2… for PostgreSQL.
func (q q) rebind(query string) string {
	if q.d != postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func (q q) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.db.ExecContext(ctx, q.rebind(query), args...)
}

func (q q) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.db.QueryContext(ctx, q.rebind(query), args...)
}

func (q q) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.db.QueryRowContext(ctx, q.rebind(query), args...)
}

// ts encodes a time for the dialect: TEXT with microseconds in UTC on SQLite
// (sortable), TIMESTAMPTZ on PostgreSQL.
func (q q) ts(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if q.d == postgres {
		return t
	}
	return t.Format(sqliteTime)
}

const sqliteTime = "2006-01-02T15:04:05.000000Z"

// timeCol scans a time from either dialect.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	case nil:
		*c.t = time.Time{}
	default:
		return fmt.Errorf("scan time: unexpected %T", src)
	}
	return nil
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time %q: %w", s, err)
	}
	*c.t = t.UTC()
	return nil
}

// isUnique reports a unique-constraint violation on either dialect.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// isForeignKey reports a foreign-key violation on either dialect.
func isForeignKey(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}

func notFound(key, vi, en string) error { return errs.New(errs.NotFound, key, vi, en) }

// OpenPostgresRaw opens a PostgreSQL connection pool without migrating, for
// administration (tests creating schemas, tools).
func OpenPostgresRaw(url string) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, nil
}
