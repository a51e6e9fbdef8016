package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/wallet"
)

const recordCols = "dataset, key, subject, data, updated_at, source"

// recordChunk rows go in one INSERT statement (6 parameters each).
const recordChunk = 500

// PutDatasetRecords inserts or replaces records by (dataset, key).
func (t *Tx) PutDatasetRecords(ctx context.Context, recs []registry.Record) error {
	for len(recs) > 0 {
		n := min(len(recs), recordChunk)
		if err := t.putRecords(ctx, recs[:n]); err != nil {
			return err
		}
		recs = recs[n:]
	}
	return nil
}

func (t *Tx) putRecords(ctx context.Context, recs []registry.Record) error {
	var b strings.Builder
	b.WriteString("INSERT INTO dataset_records (" + recordCols + ") VALUES ")
	args := make([]any, 0, 6*len(recs))
	for i, r := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?, ?, ?, ?)")
		data, err := json.Marshal(r.Data)
		if err != nil {
			return fmt.Errorf("store record %s/%s: %w", r.Dataset, r.Key, err)
		}
		args = append(args, r.Dataset, r.Key, r.Subject, string(data), t.q.ts(r.UpdatedAt), r.Source)
	}
	b.WriteString(` ON CONFLICT (dataset, key) DO UPDATE SET subject = excluded.subject, data = excluded.data,
		updated_at = excluded.updated_at, source = excluded.source`)
	var err error
	if len(recs) == recordChunk {
		_, err = t.q.exec(ctx, b.String(), args...)
	} else { // odd sizes are not worth a cached statement each
		_, err = t.q.db.ExecContext(ctx, t.q.rebind(b.String()), args...)
	}
	if err != nil {
		return fmt.Errorf("store %d records of %s: %w", len(recs), recs[0].Dataset, err)
	}
	return nil
}

func scanRecord(sc interface{ Scan(...any) error }) (registry.Record, error) {
	var r registry.Record
	var data string
	if err := sc.Scan(&r.Dataset, &r.Key, &r.Subject, &data, timeCol{&r.UpdatedAt}, &r.Source); err != nil {
		return r, err
	}
	if err := jsonv2.Unmarshal([]byte(data), &r.Data); err != nil {
		return r, fmt.Errorf("record %s/%s: %w", r.Dataset, r.Key, err)
	}
	return r, nil
}

// DatasetRecord returns a record by key.
func (r Reader) DatasetRecord(ctx context.Context, dataset, key string) (registry.Record, error) {
	rec, err := scanRecord(r.q.queryRow(ctx, "SELECT "+recordCols+" FROM dataset_records WHERE dataset = ? AND key = ?", dataset, key))
	if errors.Is(err, sql.ErrNoRows) {
		return rec, registry.NotFound(dataset, key)
	}
	if err != nil {
		return rec, fmt.Errorf("get record %s/%s: %w", dataset, key, err)
	}
	return rec, nil
}

// DatasetRecordsBySubject returns the records about a person, newest first.
func (r Reader) DatasetRecordsBySubject(ctx context.Context, dataset, subject string, limit int) ([]registry.Record, error) {
	if limit <= 0 {
		limit = 50
	}
	// Two arms so that each uses its index: the key (where the subject is
	// the key) and the partial subject index (where it is not).
	rows, err := r.q.query(ctx, `SELECT `+recordCols+` FROM (
		SELECT `+recordCols+` FROM dataset_records WHERE dataset = ? AND key = ? AND subject = key
		UNION ALL
		SELECT `+recordCols+` FROM dataset_records`+r.q.indexedBy("dataset_records_subject")+` WHERE subject = ? AND dataset = ? AND subject <> key
	) x ORDER BY updated_at DESC, key LIMIT ?`, dataset, subject, subject, dataset, limit)
	if err != nil {
		return nil, fmt.Errorf("records of %s in %s: %w", subject, dataset, err)
	}
	defer rows.Close()
	var out []registry.Record
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("records of %s in %s: %w", subject, dataset, err)
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// ScanDataset calls fn for every record of a dataset in storage order. Rows
// are read by one goroutine and their JSON decoded by others, in batches
// delivered to fn in order: over millions of records decoding is most of
// the work and the machine has more than one core.
func (r Reader) ScanDataset(ctx context.Context, dataset string, fn func(registry.Record) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		raw  []rawRecord
		recs []registry.Record
		err  error
		done chan struct{}
	}
	const size = 512
	ordered := make(chan *batch, 2*runtime.GOMAXPROCS(0)+2)
	work := make(chan *batch, cap(ordered))
	for range max(1, runtime.GOMAXPROCS(0)) {
		go func() {
			for b := range work {
				b.recs = make([]registry.Record, len(b.raw))
				for i, x := range b.raw {
					b.recs[i] = x.rec
					if err := jsonv2.Unmarshal(x.data, &b.recs[i].Data); err != nil && b.err == nil {
						b.err = fmt.Errorf("record %s/%s: %w", x.rec.Dataset, x.rec.Key, err)
					}
				}
				close(b.done)
			}
		}()
	}
	var readErr error
	go func() {
		defer close(ordered)
		defer close(work)
		query, err := r.scanQuery(ctx, dataset)
		if err != nil {
			readErr = err
			return
		}
		rows, err := r.q.db.QueryContext(ctx, r.q.rebind(query), dataset)
		if err != nil {
			readErr = err
			return
		}
		defer rows.Close()
		b := &batch{done: make(chan struct{})}
		send := func() bool {
			select {
			case ordered <- b:
			case <-ctx.Done():
				return false
			}
			work <- b
			b = &batch{done: make(chan struct{})}
			return true
		}
		for rows.Next() {
			var x rawRecord
			var data sql.RawBytes
			if err := rows.Scan(&x.rec.Dataset, &x.rec.Key, &x.rec.Subject, &data, timeCol{&x.rec.UpdatedAt}, &x.rec.Source); err != nil {
				readErr = err
				return
			}
			x.data = append([]byte(nil), data...)
			b.raw = append(b.raw, x)
			if len(b.raw) == size && !send() {
				return
			}
		}
		readErr = rows.Err()
		if len(b.raw) > 0 {
			send()
		}
	}()
	var fnErr error
	for b := range ordered {
		<-b.done
		if fnErr != nil {
			continue
		}
		if b.err != nil {
			fnErr = b.err
			cancel()
			continue
		}
		for _, rec := range b.recs {
			if err := fn(rec); err != nil {
				fnErr = err
				cancel()
				break
			}
		}
	}
	if fnErr != nil {
		return fnErr
	}
	if readErr != nil {
		return fmt.Errorf("scan %s: %w", dataset, readErr)
	}
	return nil
}

type rawRecord struct {
	rec  registry.Record
	data []byte
}

// DatasetCount counts a dataset's records.
func (r Reader) DatasetCount(ctx context.Context, dataset string) (int, error) {
	var n int
	if err := r.q.queryRow(ctx, "SELECT COUNT(*) FROM dataset_records WHERE dataset = ?", dataset).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", dataset, err)
	}
	return n, nil
}

// QuarantineRecords keeps refused records with their reasons.
func (t *Tx) QuarantineRecords(ctx context.Context, recs []registry.QuarantinedRecord) error {
	for _, q := range recs {
		data, _ := json.Marshal(q.Data)
		reasons, _ := json.Marshal(q.Reasons)
		_, err := t.q.exec(ctx, "INSERT INTO dataset_quarantine (dataset, batch, line, key, data, reasons, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			q.Dataset, q.Batch, q.Line, q.Key, string(data), string(reasons), t.q.ts(q.At))
		if err != nil {
			return fmt.Errorf("quarantine line %d of %s: %w", q.Line, q.Batch, err)
		}
	}
	return nil
}

// Quarantined lists refused records, newest first, and their number.
func (r Reader) Quarantined(ctx context.Context, dataset string, limit int) ([]registry.QuarantinedRecord, int, error) {
	var total int
	if err := r.q.queryRow(ctx, "SELECT COUNT(*) FROM dataset_quarantine WHERE dataset = ?", dataset).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count quarantine of %s: %w", dataset, err)
	}
	if limit <= 0 {
		return nil, total, nil
	}
	rows, err := r.q.query(ctx, "SELECT id, dataset, batch, line, key, data, reasons, created_at FROM dataset_quarantine WHERE dataset = ? ORDER BY id DESC LIMIT ?", dataset, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("quarantine of %s: %w", dataset, err)
	}
	defer rows.Close()
	var out []registry.QuarantinedRecord
	for rows.Next() {
		var q registry.QuarantinedRecord
		var data, reasons string
		if err := rows.Scan(&q.ID, &q.Dataset, &q.Batch, &q.Line, &q.Key, &data, &reasons, timeCol{&q.At}); err != nil {
			return nil, 0, fmt.Errorf("quarantine of %s: %w", dataset, err)
		}
		if err := errors.Join(json.Unmarshal([]byte(data), &q.Data), json.Unmarshal([]byte(reasons), &q.Reasons)); err != nil {
			return nil, 0, fmt.Errorf("quarantine of %s: %w", dataset, err)
		}
		out = append(out, q)
	}
	return out, total, rows.Err()
}

// PutDocument inserts or replaces a document of the personal store.
func (t *Tx) PutDocument(ctx context.Context, d wallet.Document) error {
	doc, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("store document %s: %w", d.ID, err)
	}
	_, err = t.q.exec(ctx, `INSERT INTO documents (id, owner, doc, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, doc = excluded.doc`, d.ID, d.Owner, string(doc), t.q.ts(d.CreatedAt))
	if err != nil {
		return fmt.Errorf("store document %s: %w", d.ID, err)
	}
	return nil
}

// Document returns a document by ID.
func (r Reader) Document(ctx context.Context, id string) (wallet.Document, error) {
	var d wallet.Document
	var doc string
	err := r.q.queryRow(ctx, "SELECT doc FROM documents WHERE id = ?", id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound("document.not_found", "Không tìm thấy giấy tờ.", "no document "+id)
	}
	if err == nil {
		err = json.Unmarshal([]byte(doc), &d)
	}
	if err != nil {
		return d, fmt.Errorf("get document %s: %w", id, err)
	}
	return d, nil
}

// Documents lists a person's documents, newest first.
func (r Reader) Documents(ctx context.Context, owner string) ([]wallet.Document, error) {
	out, err := queryDocs[wallet.Document](ctx, r.q, "SELECT doc FROM documents WHERE owner = ? ORDER BY created_at DESC, id", owner)
	if err != nil {
		return nil, fmt.Errorf("documents of %s: %w", owner, err)
	}
	return out, nil
}

// queryDocs runs a query of one JSON column and decodes each row.
func queryDocs[T any](ctx context.Context, q q, query string, args ...any) ([]T, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var doc string
		var v T
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// PutImportBatch inserts or replaces an import's counts.
func (t *Tx) PutImportBatch(ctx context.Context, b registry.ImportBatch) error {
	doc, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("store import %s: %w", b.ID, err)
	}
	_, err = t.q.exec(ctx, `INSERT INTO import_batches (id, kind, doc, started_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`, b.ID, b.Kind, string(doc), t.q.ts(b.StartedAt))
	if err != nil {
		return fmt.Errorf("store import %s: %w", b.ID, err)
	}
	return nil
}

// ImportBatches lists the imports of a kind, newest first.
func (r Reader) ImportBatches(ctx context.Context, kind string) ([]registry.ImportBatch, error) {
	out, err := queryDocs[registry.ImportBatch](ctx, r.q, "SELECT doc FROM import_batches WHERE kind = ? ORDER BY started_at DESC, id", kind)
	if err != nil {
		return nil, fmt.Errorf("imports %s: %w", kind, err)
	}
	return out, nil
}

// scanQuery reads a dataset in storage order. PostgreSQL reads the heap
// sequentially. SQLite reads the whole table in rowid order when the
// dataset is a large part of it (no index look-up per row), else walks
// the (dataset) index, whose entries are in rowid order too.
func (r Reader) scanQuery(ctx context.Context, dataset string) (string, error) {
	const cols = "SELECT " + recordCols + " FROM dataset_records"
	if r.q.d == postgres {
		return cols + " WHERE dataset = ?", nil
	}
	var n, last int64
	err := r.q.queryRow(ctx, "SELECT (SELECT COUNT(*) FROM dataset_records WHERE dataset = ?), (SELECT COALESCE(MAX(id), 0) FROM dataset_records)", dataset).Scan(&n, &last)
	if err != nil {
		return "", err
	}
	if n*4 >= last {
		return cols + " NOT INDEXED WHERE dataset = ?", nil
	}
	return cols + " INDEXED BY dataset_records_scan WHERE dataset = ? ORDER BY id", nil
}

// indexedBy pins SQLite's choice of index where its planner, without
// statistics, would scan the primary key instead of a partial index.
func (q q) indexedBy(index string) string {
	if q.d == postgres {
		return ""
	}
	return " INDEXED BY " + index
}

// QuarantinedBatch lists the refused records of one batch (an import, or
// "result:<dossier code>" for the write-backs of a result), oldest first.
func (r Reader) QuarantinedBatch(ctx context.Context, batch string) ([]registry.QuarantinedRecord, error) {
	rows, err := r.q.query(ctx, "SELECT id, dataset, batch, line, key, data, reasons, created_at FROM dataset_quarantine WHERE batch = ? ORDER BY id LIMIT 1000", batch)
	if err != nil {
		return nil, fmt.Errorf("quarantine of batch %s: %w", batch, err)
	}
	defer rows.Close()
	var out []registry.QuarantinedRecord
	for rows.Next() {
		var q registry.QuarantinedRecord
		var data, reasons string
		if err := rows.Scan(&q.ID, &q.Dataset, &q.Batch, &q.Line, &q.Key, &data, &reasons, timeCol{&q.At}); err != nil {
			return nil, fmt.Errorf("quarantine of batch %s: %w", batch, err)
		}
		if err := errors.Join(json.Unmarshal([]byte(data), &q.Data), json.Unmarshal([]byte(reasons), &q.Reasons)); err != nil {
			return nil, fmt.Errorf("quarantine of batch %s: %w", batch, err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// ReleaseQuarantinedBatch forgets the refused records of a batch (before
// the batch is tried again) and returns how many there were.
func (t *Tx) ReleaseQuarantinedBatch(ctx context.Context, batch string) (int, error) {
	res, err := t.q.exec(ctx, "DELETE FROM dataset_quarantine WHERE batch = ?", batch)
	if err != nil {
		return 0, fmt.Errorf("release quarantine of batch %s: %w", batch, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// QuarantinedBatches lists the batches starting with prefix that have
// refused records, the latest refused first.
func (r Reader) QuarantinedBatches(ctx context.Context, prefix string, limit int) ([]string, error) {
	like := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(prefix) + "%"
	rows, err := r.q.query(ctx, `SELECT batch FROM dataset_quarantine WHERE batch LIKE ? ESCAPE '\' GROUP BY batch ORDER BY MAX(id) DESC LIMIT ?`,
		like, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("quarantined batches %s: %w", prefix, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("quarantined batches %s: %w", prefix, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
