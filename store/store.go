// Package store is the storage contract of the platform: what the use cases
// need from a database, free of SQL. Implementations live in sub-packages
// (sqlstore for SQLite and PostgreSQL) and pass the conformance suite in
// storetest.
package store

import (
	"context"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/wallet"
)

// AgencyFilter selects agencies.
type AgencyFilter struct {
	Kind        unit.AgencyKind
	Sector      string
	CommuneCode string
}

// AccountFilter selects accounts.
type AccountFilter struct {
	Text     string // username, name or citizen ID
	AgencyID string // officials with a grant at this agency
	Kind     identity.Kind
	Limit    int
	Offset   int
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	ActorID   int64
	Action    string
	Object    string
	BeforeSeq int64 // entries with seq < BeforeSeq (0 = from the newest)
	Limit     int
}

// DossierFilter selects dossiers. Zero fields do not filter.
type DossierFilter struct {
	ApplicantID int64
	// Inbox selects the dossiers whose open step is for one of these
	// grants (a step with no agency is for every counter), and those done
	// and waiting to be returned at a counter where the grants hold the
	// receiver role. Overdue first, then by due time.
	Inbox    []identity.Grant
	Agency   string // competent or receiving agency
	Status   int
	From, To time.Time // received in [From, To)
	Limit    int
	Offset   int

	// The dashboard's click-through and the inbox's filters.
	CompetentAgency            string // the agency that decides
	CommuneCode                string // the competent (else the applicant's) commune
	ProcedureCode              string
	Channel                    int       // dossier.Channel*
	Code                       string    // part of the dossier's code
	SubmittedFrom, SubmittedTo time.Time // submitted in [SubmittedFrom, SubmittedTo)
	FinishedFrom, FinishedTo   time.Time // finished in [FinishedFrom, FinishedTo)
	Timeliness                 Timeliness
	// Overdue keeps the dossiers whose running deadline (open, clock not
	// paused) is before Now; DueBy those whose running deadline is in
	// [Now, DueBy]. Both need Now. Overdue or DueBy orders by that
	// deadline, soonest first.
	Overdue bool
	DueBy   time.Time
	Now     time.Time
}

// Timeliness selects finished dossiers by whether they kept their first
// appointment (dossier.Late).
type Timeliness int

// Timeliness values; the zero value does not filter.
const (
	AnyTime Timeliness = iota
	OnTime
	Late
)

// StatsFilter is the scope and period of DossierStats.
type StatsFilter struct {
	Agency      string // competent agency; "" = the whole province
	CommuneCode string
	// Submitted and finished counts are of [From, To); Overdue is at Now
	// whatever the period.
	From, To time.Time
	Now      time.Time
	ByDay    bool // periods are days (Vietnam time) instead of months
}

// StatsRow is one line of the dashboard: the dossiers of a key (an agency
// ID, a commune code, a period "2026-11" or "2026-11-23" in Vietnam time).
type StatsRow struct {
	Key       string
	Submitted int // submitted in the period
	Online    int // of which online (channel 2)
	Finished  int // finished in the period (done, refused, withdrawn, stopped)
	OnTime    int // finished in the period on time
	Late      int // finished in the period after the first appointment
	Overdue   int // running deadline passed at Now (not for periods)
}

// Stats are the dashboard's aggregates.
type Stats struct {
	Total     StatsRow
	ByStatus  map[int]int // dossiers submitted in the period, by status now
	ByAgency  []StatsRow  // by competent agency, by ID
	ByCommune []StatsRow  // by commune code
	ByPeriod  []StatsRow  // by period, in order
}

// StagedFile is a file made inside a transaction (a signed result), stored
// in that transaction and written to the file store after it commits (by
// an AfterCommit hook, and again by a sweep at start-up if the process
// stopped in between), then deleted: a rollback leaves no file behind and a
// commit loses none. Writing is idempotent: the file store is
// content-addressed.
type StagedFile struct {
	SHA256      string // hex SHA-256 of Content: its name in the file store
	ContentType string
	Content     []byte
	CreatedAt   time.Time
}

// OutboxEvent is an event to publish after commit.
type OutboxEvent struct {
	ID      int64
	At      time.Time
	Topic   string // e.g. "dossier.received"
	Key     string // idempotency key, e.g. "<dossier code>/<version>"
	Payload []byte // JSON
}

// Reader is the read side, available on the store and inside transactions.
type Reader interface {
	Meta(ctx context.Context, key string) (string, error) // "" when unset
	Agency(ctx context.Context, id string) (unit.Agency, error)
	Agencies(ctx context.Context, f AgencyFilter) ([]unit.Agency, error)
	Account(ctx context.Context, id int64) (identity.Account, error)
	AccountByUsername(ctx context.Context, username string) (identity.Account, error)
	Accounts(ctx context.Context, f AccountFilter) ([]identity.Account, int, error)
	Session(ctx context.Context, tokenHash string) (identity.Session, error)
	Procedure(ctx context.Context, code string) (catalog.Procedure, error)
	// Procedures searches the catalogue: with q.Text, best matches first
	// (exact-accent matches of the name before matches without
	// diacritics); without, by code.
	Procedures(ctx context.Context, q catalog.Query) ([]catalog.Summary, int, error)
	AllProcedures(ctx context.Context) ([]catalog.Procedure, error)
	Schedules(ctx context.Context) ([]calendar.Schedule, error)
	AuditEntries(ctx context.Context, f AuditFilter) ([]audit.Entry, error)
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
	// AuditScan calls fn for every entry in sequence order.
	AuditScan(ctx context.Context, fn func(audit.Entry) error) error
	File(ctx context.Context, id string) (blob.File, error)
	Dossier(ctx context.Context, code string) (dossier.Dossier, error)
	Dossiers(ctx context.Context, f DossierFilter) ([]dossier.Dossier, int, error)
	// DossierStatusCounts counts the dossiers of f (its Status, Limit and
	// Offset ignored) by status.
	DossierStatusCounts(ctx context.Context, f DossierFilter) (map[int]int, error)
	// DossierStats aggregates the dossiers of a scope and period in the
	// database.
	DossierStats(ctx context.Context, f StatsFilter) (Stats, error)
	PendingOutbox(ctx context.Context, limit int) ([]OutboxEvent, error)
	// StagedFile returns a staged file by its hash (NotFound once it was
	// written to the file store and deleted).
	StagedFile(ctx context.Context, sha256 string) (StagedFile, error)
	// StagedFiles returns up to limit staged files, oldest first.
	StagedFiles(ctx context.Context, limit int) ([]StagedFile, error)
	Rating(ctx context.Context, dossierCode string) (dossier.Rating, error)

	// DatasetRecord returns the record of a hosted dataset by key.
	DatasetRecord(ctx context.Context, dataset, key string) (registry.Record, error)
	// DatasetRecordsBySubject returns up to limit records about the person
	// of citizen ID subject, newest first.
	DatasetRecordsBySubject(ctx context.Context, dataset, subject string, limit int) ([]registry.Record, error)
	// ScanDataset calls fn for every record of a dataset, in the order the
	// database reads them fastest.
	ScanDataset(ctx context.Context, dataset string, fn func(registry.Record) error) error
	DatasetCount(ctx context.Context, dataset string) (int, error)
	// Quarantined lists up to limit records an import refused (newest
	// first) and their number; limit 0 counts them only.
	Quarantined(ctx context.Context, dataset string, limit int) ([]QuarantinedRecord, int, error)
	Document(ctx context.Context, id string) (wallet.Document, error)
	// Documents lists a person's documents, newest first.
	Documents(ctx context.Context, owner string) ([]wallet.Document, error)
	// ImportBatches lists the imports of a kind, newest first.
	ImportBatches(ctx context.Context, kind string) ([]ImportBatch, error)
}

// QuarantinedRecord is a record an import refused, kept with the reasons
// so that nothing is silently dropped.
type QuarantinedRecord struct {
	ID      int64             `json:"id"`
	Dataset string            `json:"dataset"`
	Batch   string            `json:"batch"`
	Line    int               `json:"line"`
	Key     string            `json:"key"`
	Data    map[string]string `json:"data"`
	Reasons []string          `json:"reasons"`
	At      time.Time         `json:"at"`
}

// ImportBatch is one run of an import and its counts.
type ImportBatch struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"` // "dataset:<code>", "district-results"
	File        string    `json:"file"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at,omitzero"`
	Total       int       `json:"total"`       // rows read
	Imported    int       `json:"imported"`    // rows stored
	Quarantined int       `json:"quarantined"` // rows refused, with reasons
	WithFile    int       `json:"with_file"`   // rows stored with their scanned file
}

// Tx is one write transaction. Every state change of a use case happens in
// one Tx together with its audit entry.
type Tx interface {
	Reader
	SetMeta(ctx context.Context, key, value string) error
	PutAgency(ctx context.Context, a unit.Agency) error
	CreateAccount(ctx context.Context, a *identity.Account) error // sets a.ID
	UpdateAccount(ctx context.Context, a identity.Account) error  // profile, grants, disabled, password hash
	CreateSession(ctx context.Context, s identity.Session) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
	PutProcedure(ctx context.Context, p catalog.Procedure) error // insert or replace by code
	DeleteProcedure(ctx context.Context, code string) error
	PutSchedule(ctx context.Context, s calendar.Schedule) error // insert or replace by year
	DeleteSchedule(ctx context.Context, year int) error
	// AppendAudit seals e after the current head and appends it.
	AppendAudit(ctx context.Context, e *audit.Entry) error
	CreateFile(ctx context.Context, f blob.File) error
	// NextSequence returns the next number of the agency's daily sequence
	// (1, 2, …), atomically under concurrent writers.
	NextSequence(ctx context.Context, agencyID, day string) (int, error)
	CreateDossier(ctx context.Context, d *dossier.Dossier) error // sets d.ID
	// UpdateDossier stores d, whose Version was bumped by one from the
	// stored version; a concurrent change fails with a Conflict error.
	UpdateDossier(ctx context.Context, d *dossier.Dossier) error
	AppendOutbox(ctx context.Context, e OutboxEvent) error
	CreateRating(ctx context.Context, r dossier.Rating) error // Conflict if the dossier is rated already
	MarkPublished(ctx context.Context, ids []int64, at time.Time) error
	// PutDatasetRecords inserts or replaces records by (dataset, key).
	PutDatasetRecords(ctx context.Context, recs []registry.Record) error
	QuarantineRecords(ctx context.Context, recs []QuarantinedRecord) error
	PutDocument(ctx context.Context, d wallet.Document) error // insert or replace by ID
	PutImportBatch(ctx context.Context, b ImportBatch) error  // insert or replace by ID
	// AfterCommit registers fn to run once this transaction's work has
	// committed: on the goroutine that called Update, after the commit and
	// before Update returns, in the order registered. fn never runs when
	// the work is rolled back (the function passed to Update returned an
	// error or panicked, or the commit failed). Files, messages and other
	// effects that must not survive a rollback go there; if they also must
	// not be lost when the process stops between the commit and fn, the
	// transaction records them durably first (StageFile) and fn, like a
	// sweep after a restart, carries them out idempotently. fn may call
	// Update.
	AfterCommit(fn func())
	// StageFile keeps f until DeleteStagedFile (see StagedFile); staging
	// the same hash again keeps the first.
	StageFile(ctx context.Context, f StagedFile) error
	DeleteStagedFile(ctx context.Context, sha256 string) error // none: no error
}

// Store is a database.
type Store interface {
	Reader
	// Update runs fn in one write transaction, committed when fn returns
	// nil and rolled back otherwise.
	Update(ctx context.Context, fn func(Tx) error) error
	Ping(ctx context.Context) error
	Dialect() string // "sqlite" or "postgres"
	Close() error
}
