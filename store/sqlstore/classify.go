package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/internal/diskspace"
)

// SQLite's result codes (primary code: the low byte of an extended one).
const (
	sqliteIOErr = 10 // SQLITE_IOERR: the OS failed a read, write, sync…
	sqliteFull  = 13 // SQLITE_FULL: the disk (or max_page_count) is full
)

// lowSpaceBytes is the free space under which an I/O error of SQLite is
// taken for a full disk: SQLite reports ENOSPC on a write as SQLITE_FULL,
// but on a sync or a resize as an I/O error that does not carry errno.
const lowSpaceBytes = 4 << 20

// classify turns the failures of the database that are an outage, not a
// bug, into typed Unavailable errors (503, retry later): a full disk
// (diskspace.FullError), and a PostgreSQL server that refuses connections
// (too many, starting up or shutting down, not listening). lowSpace tells
// whether the data directory is out of space (nil: not known). A typed
// error other than Internal is returned as it is.
func classify(err error, lowSpace func() bool) error {
	if err == nil || errs.KindOf(err) != errs.Internal {
		return err
	}
	if diskFull(err, lowSpace) {
		return diskspace.FullError(err)
	}
	if refused(err) {
		return errs.Wrap(errs.Unavailable, "store.unavailable",
			"Cơ sở dữ liệu tạm thời không nhận kết nối; thao tác chưa được thực hiện. Vui lòng thử lại sau.",
			"the database does not take connections now", err)
	}
	return err
}

func diskFull(err error, lowSpace func() bool) bool {
	if diskspace.IsNoSpace(err) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "53100" // disk_full
	}
	var coded interface{ Code() int } // modernc.org/sqlite's *Error
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case sqliteFull:
			return true
		case sqliteIOErr:
			return lowSpace != nil && lowSpace()
		}
	}
	return false
}

func refused(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "53300", // too_many_connections
			"57P03": // cannot_connect_now (starting up, shutting down, recovering)
			return true
		}
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// classify is classify for this store: a full disk is recorded (see
// LastDiskFull), and an I/O error of SQLite counts as one when its data
// directory has almost no space left.
func (db *DB) classify(err error) error {
	err = classify(err, db.lowSpace)
	if diskspace.IsFullError(err) {
		db.full.Note()
	}
	return err
}

func (db *DB) lowSpace() bool {
	if db.dir == "" {
		return false
	}
	free, err := diskspace.Free(db.dir)
	return err == nil && free < lowSpaceBytes
}

// LastDiskFull is when a write last failed on a full disk (zero: never
// since the store was opened).
func (db *DB) LastDiskFull() time.Time { return db.full.Last() }

// pgConnector classifies the errors of opening a PostgreSQL connection,
// which every read and write of a pool may have to do.
type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, classify(err, nil)
	}
	return conn, nil
}
