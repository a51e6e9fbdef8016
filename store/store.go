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
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/wallet"
)

// UploadUsage is what an account's uploads use (see
// DossierReader.UploadUsage).
type UploadUsage struct {
	Count           int       // uploads since the time asked
	Oldest          time.Time // the oldest of them (zero if none)
	UnattachedBytes int64     // bytes of uploads no dossier references
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

// OutboxBacklog is what waits in the outbox (see OutboxReader).
type OutboxBacklog struct {
	Pending int       // events not yet published
	Oldest  time.Time // the earliest At among them (zero if none)
}

// The contract is cut by role: a use case (or a function of one) that
// needs only the catalogue, the audit chain or the dossiers names the
// role-sized interface, and a test may fake just that. Reader and Tx are
// their sums, implemented by sqlstore.

// CatalogReader reads the province's set-up: procedures, agencies,
// holiday schedules and settings.
type CatalogReader interface {
	Meta(ctx context.Context, key string) (string, error) // "" when unset
	Agency(ctx context.Context, id string) (unit.Agency, error)
	Agencies(ctx context.Context, f unit.AgencyFilter) ([]unit.Agency, error)
	Procedure(ctx context.Context, code string) (catalog.Procedure, error)
	// Procedures searches the catalogue: with q.Text, best matches first
	// (exact-accent matches of the name before matches without
	// diacritics); without, by code.
	Procedures(ctx context.Context, q catalog.Query) ([]catalog.Summary, int, error)
	AllProcedures(ctx context.Context) ([]catalog.Procedure, error)
	Schedules(ctx context.Context) ([]calendar.Schedule, error)
	// ProcedureDraft returns the draft of a procedure not yet in the
	// catalogue (NotFound if none); ProcedureDrafts all of them, by code.
	ProcedureDraft(ctx context.Context, code string) (catalog.Procedure, error)
	ProcedureDrafts(ctx context.Context) ([]catalog.Procedure, error)
	// SearchTerms returns the everyday terms of the search, by folded
	// phrase.
	SearchTerms(ctx context.Context) ([]catalog.SearchTerm, error)
}

// AccountReader reads accounts and login sessions.
type AccountReader interface {
	Account(ctx context.Context, id int64) (identity.Account, error)
	AccountByUsername(ctx context.Context, username string) (identity.Account, error)
	Accounts(ctx context.Context, f identity.AccountFilter) ([]identity.Account, int, error)
	Session(ctx context.Context, tokenHash string) (identity.Session, error)
	// AccountSessions returns an account's sessions (expired ones
	// included), the most recently used first.
	AccountSessions(ctx context.Context, accountID int64) ([]identity.Session, error)
	// LoginCounters returns the failed-login counters of keys that exist
	// and have not expired at now.
	LoginCounters(ctx context.Context, now time.Time, keys ...string) (map[string]LoginCounter, error)
	// Factor returns an account's second factor (NotFound: none).
	Factor(ctx context.Context, accountID int64) (identity.Factor, error)
	// Challenge returns a pending login challenge by token hash, expired
	// ones included (NotFound: none, or used).
	Challenge(ctx context.Context, tokenHash string) (identity.Challenge, error)
	// RecoveryCodesLeft counts an account's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, accountID int64) (int, error)
}

// LoginCounter is the state of one failed-login counter, shared by the
// nodes (accounts' throttle): N and At are what the counter means them to
// be (failures and the last one, or a bucket's tokens at a time); past
// Expires it is as good as absent.
type LoginCounter struct {
	Key     string
	N       float64
	At      time.Time
	Expires time.Time
}

// AuditReader reads the audit chain.
type AuditReader interface {
	AuditEntries(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
	// AuditHeads returns where each chain of the log ends.
	AuditHeads(ctx context.Context) ([]audit.Head, error)
	// AuditScan calls fn for every entry in sequence order.
	AuditScan(ctx context.Context, fn func(audit.Entry) error) error
}

// DossierReader reads dossiers, their files and ratings, and the
// dashboard's aggregates.
type DossierReader interface {
	File(ctx context.Context, id string) (blob.File, error)
	// UploadUsage counts an account's uploads created at or after since
	// and the bytes of its uploads no dossier references yet.
	UploadUsage(ctx context.Context, ownerID int64, since time.Time) (UploadUsage, error)
	// UnattachedFiles returns up to limit uploads created before before
	// that no dossier references, oldest first.
	UnattachedFiles(ctx context.Context, before time.Time, limit int) ([]blob.File, error)
	// FileContentReferenced reports whether an upload, a staged file, a
	// dossier or a personal document still refers to the stored content.
	FileContentReferenced(ctx context.Context, sha256 string) (bool, error)
	// Dossier returns a dossier with its rating.
	Dossier(ctx context.Context, code string) (dossier.Dossier, error)
	// DossiersByCode returns those of codes that exist, by code.
	DossiersByCode(ctx context.Context, codes []string) (map[string]dossier.Dossier, error)
	// DossierByNationalCode returns the dossier handed over by the
	// national portal under its code (NotFound if none).
	DossierByNationalCode(ctx context.Context, nationalCode string) (dossier.Dossier, error)
	// PaymentDossier returns the code of the dossier a payment reference
	// was handed out for (NotFound if none).
	PaymentDossier(ctx context.Context, reference string) (string, error)
	// Dossiers returns a page of dossiers with their ratings and the total.
	Dossiers(ctx context.Context, f dossier.Filter) ([]dossier.Dossier, int, error)
	// DossierStatusCounts counts the dossiers of f (its Status, Limit and
	// Offset ignored) by status.
	DossierStatusCounts(ctx context.Context, f dossier.Filter) (map[int]int, error)
	// DossierStats aggregates the dossiers of a scope and period in the
	// database.
	DossierStats(ctx context.Context, f dossier.StatsFilter) (dossier.Stats, error)
	Rating(ctx context.Context, dossierCode string) (dossier.Rating, error)
}

// OutboxReader reads what waits to go out after commit: events and
// staged files.
type OutboxReader interface {
	// PendingOutbox returns up to limit unpublished events in id order:
	// the events of one dossier in the order of its changes.
	PendingOutbox(ctx context.Context, limit int) ([]OutboxEvent, error)
	// OutboxBacklog counts the unpublished events.
	OutboxBacklog(ctx context.Context) (OutboxBacklog, error)
	// StagedFile returns a staged file by its hash (NotFound once it was
	// written to the file store and deleted).
	StagedFile(ctx context.Context, sha256 string) (StagedFile, error)
	// StagedFiles returns up to limit staged files, oldest first.
	StagedFiles(ctx context.Context, limit int) ([]StagedFile, error)
}

// RegistryReader reads the shared datasets hosted here, their imports and
// quarantine, and the personal document store.
type RegistryReader interface {
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
	Quarantined(ctx context.Context, dataset string, limit int) ([]registry.QuarantinedRecord, int, error)
	// QuarantinedBatch lists the refused records of one batch (an import's
	// ID, or "result:<dossier code>" for a result's write-backs).
	QuarantinedBatch(ctx context.Context, batch string) ([]registry.QuarantinedRecord, error)
	// QuarantinedBatches lists up to limit batches starting with prefix
	// that have refused records, the latest refused first.
	QuarantinedBatches(ctx context.Context, prefix string, limit int) ([]string, error)
	Document(ctx context.Context, id string) (wallet.Document, error)
	// Documents lists a person's documents, newest first.
	Documents(ctx context.Context, owner string) ([]wallet.Document, error)
	// ImportBatches lists the imports of a kind, newest first.
	ImportBatches(ctx context.Context, kind string) ([]registry.ImportBatch, error)
}

// Reader is the read side, available on the store and inside transactions.
type Reader interface {
	CatalogReader
	AccountReader
	AuditReader
	DossierReader
	OutboxReader
	RegistryReader
	NationalReader
	PortalSyncReader
	SignOnReader
	NotificationReader
}

// CatalogWriter changes the province's set-up.
type CatalogWriter interface {
	SetMeta(ctx context.Context, key, value string) error
	PutAgency(ctx context.Context, a unit.Agency) error
	PutProcedure(ctx context.Context, p catalog.Procedure) error // insert or replace by code
	DeleteProcedure(ctx context.Context, code string) error
	// PutProcedureDraft inserts or replaces a draft by code; a draft need
	// not be a valid procedure. DeleteProcedureDraft of none is no error.
	PutProcedureDraft(ctx context.Context, p catalog.Procedure) error
	DeleteProcedureDraft(ctx context.Context, code string) error
	// PutSearchTerm inserts or replaces a term by its folded phrase (key);
	// DeleteSearchTerm deletes one by key (NotFound if none).
	PutSearchTerm(ctx context.Context, t catalog.SearchTerm) error
	DeleteSearchTerm(ctx context.Context, key string) error
	PutSchedule(ctx context.Context, s calendar.Schedule) error // insert or replace by year
	DeleteSchedule(ctx context.Context, year int) error
}

// AccountWriter changes accounts and sessions.
type AccountWriter interface {
	// CreateAccount inserts a and sets a.ID. A username taken, or a
	// citizen account with a citizen ID another citizen account holds, is
	// errs.Conflict.
	CreateAccount(ctx context.Context, a *identity.Account) error
	// UpdateAccount stores a's profile, grants, disabled state and password
	// hash; storing it disabled deletes its sessions (a disabled account
	// keeps none, so enabling it again revives none). A citizen ID another
	// citizen account holds is errs.Conflict.
	UpdateAccount(ctx context.Context, a identity.Account) error
	CreateSession(ctx context.Context, s identity.Session) error
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteAccountSessions deletes every session of an account and
	// returns how many there were.
	DeleteAccountSessions(ctx context.Context, accountID int64) (int64, error)
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
	// TouchSession sets when a session was last used, unless it was later.
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// PutLoginCounters stores counters (inserted or replaced);
	// DeleteLoginCounters deletes those of keys; DeleteExpiredLoginCounters
	// those expired at now.
	PutLoginCounters(ctx context.Context, cs ...LoginCounter) error
	DeleteLoginCounters(ctx context.Context, keys ...string) error
	DeleteExpiredLoginCounters(ctx context.Context, now time.Time) (int64, error)
	// PutFactor stores an account's second factor, replacing the one it had.
	PutFactor(ctx context.Context, f identity.Factor) error
	// UseFactorStep records that the code of step was accepted, only if
	// step is later than the last one accepted: false when it is not (a
	// code used again), so two logins racing with one code cannot both win.
	UseFactorStep(ctx context.Context, accountID, step int64) (bool, error)
	// DeleteFactor deletes an account's second factor and its recovery
	// codes; it reports whether there was a factor.
	DeleteFactor(ctx context.Context, accountID int64) (bool, error)
	// PutRecoveryCodes replaces an account's recovery codes (their hashes).
	PutRecoveryCodes(ctx context.Context, accountID int64, hashes []string) error
	// UseRecoveryCode marks a recovery code used at at, only if it is the
	// account's and unused: false otherwise.
	UseRecoveryCode(ctx context.Context, accountID int64, hash string, at time.Time) (bool, error)
	CreateChallenge(ctx context.Context, c identity.Challenge) error
	// DeleteChallenge deletes a challenge and reports whether it was there:
	// the one who deletes it is the one who uses it.
	DeleteChallenge(ctx context.Context, tokenHash string) (bool, error)
	// DeleteAccountChallenges deletes every pending challenge of an account.
	DeleteAccountChallenges(ctx context.Context, accountID int64) (int64, error)
	DeleteExpiredChallenges(ctx context.Context, now time.Time) (int64, error)
}

// AuditWriter appends to the audit chain.
type AuditWriter interface {
	// AppendAudit appends e; e is sealed (chain, sequence number, hashes
	// set) when the transaction commits, and must not change until then.
	AppendAudit(ctx context.Context, e *audit.Entry) error
}

// DossierWriter changes dossiers, their files and ratings.
type DossierWriter interface {
	CreateFile(ctx context.Context, f blob.File) error
	// DeleteFile deletes an upload's record. The uploads a stored
	// dossier's components reference are attached (CreateDossier and
	// UpdateDossier mark them).
	DeleteFile(ctx context.Context, id string) error
	// NextSequence returns the next number of the agency's daily sequence
	// (1, 2, …), atomically under concurrent writers.
	NextSequence(ctx context.Context, agencyID, day string) (int, error)
	// NextRegisterNumber returns the next number (1, 2, …) of the
	// agency's register series (e.g. "KS", births) for the year, in this
	// transaction: consecutive, no gap after a rollback.
	NextRegisterNumber(ctx context.Context, agencyID, register string, year int) (int, error)
	// CreateDossier inserts d and sets d.ID. A code taken is
	// errs.Conflict "dossier.exists"; a national code taken is
	// errs.Conflict "dossier.national_exists".
	CreateDossier(ctx context.Context, d *dossier.Dossier) error
	// UpdateDossier stores d, whose Version was bumped by one from the
	// stored version; a concurrent change fails with a Conflict error.
	UpdateDossier(ctx context.Context, d *dossier.Dossier) error
	CreateRating(ctx context.Context, r dossier.Rating) error // Conflict if the dossier is rated already
	// PutPaymentRef records a payment reference handed out for a dossier;
	// again for the same dossier it does nothing, for another one it is
	// errs.Conflict "payment.reference_taken".
	PutPaymentRef(ctx context.Context, reference, dossierCode string, at time.Time) error
}

// OutboxWriter records what goes out after commit.
type OutboxWriter interface {
	AppendOutbox(ctx context.Context, e OutboxEvent) error
	// MarkPublished records that the events ids were published at at;
	// an event marked already keeps its first time.
	MarkPublished(ctx context.Context, ids []int64, at time.Time) error
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

// RegistryWriter changes hosted datasets, imports, the quarantine and the
// personal document store.
type RegistryWriter interface {
	// PutDatasetRecords inserts or replaces records by (dataset, key).
	PutDatasetRecords(ctx context.Context, recs []registry.Record) error
	QuarantineRecords(ctx context.Context, recs []registry.QuarantinedRecord) error
	// ReleaseQuarantinedBatch forgets a batch's refused records (it is
	// tried again) and returns how many there were.
	ReleaseQuarantinedBatch(ctx context.Context, batch string) (int, error)
	PutDocument(ctx context.Context, d wallet.Document) error         // insert or replace by ID
	PutImportBatch(ctx context.Context, b registry.ImportBatch) error // insert or replace by ID
}

// Tx is one write transaction. Every state change of a use case happens in
// one Tx together with its audit entry.
type Tx interface {
	Reader
	CatalogWriter
	AccountWriter
	AuditWriter
	DossierWriter
	OutboxWriter
	RegistryWriter
	NationalWriter
	PortalSyncWriter
	SignOnWriter
	NotificationWriter
}

// Store is a database.
type Store interface {
	Reader
	// Update runs fn in one write transaction, committed when fn returns
	// nil and rolled back otherwise.
	Update(ctx context.Context, fn func(Tx) error) error
	// ForgetStagedFile deletes a staged file, once written to the file
	// store, with the next write transaction (a later start writes it
	// again, idempotently, if the process stops first).
	ForgetStagedFile(sha256 string)
	Ping(ctx context.Context) error
	Dialect() string // "sqlite" or "postgres"
	Close() error
}

// National mode (motcua serve --national): the national portal's receiving
// side stores the dossier records and progress entries the provinces sync.
// Kept apart from the province's roles above; package national holds the
// rules (who may write what, which record wins).

// NationalDossier is a dossier record as the national mode stores it: the
// record, the province that sent it, and what the statistics and the
// ordering read, taken from the record by the caller.
type NationalDossier struct {
	Record       dvcqg.Dossier
	ProvinceCode string
	// SubmittedAt … ReturnedAt are the record's NgayNopHoSo, NgayTiepNhan,
	// NgayHenTra, NgayKetThucXuLy and NgayTra (zero: absent).
	SubmittedAt, ReceivedAt, DueAt, FinishedAt, ReturnedAt time.Time
	// OrderKey orders the records of one dossier: a record whose key is
	// smaller than the stored one's is older and not applied.
	OrderKey string
	// FirstSyncedAt is when the dossier was first received, SyncedAt when
	// the stored record was.
	FirstSyncedAt, SyncedAt time.Time
}

// NationalState is what a write needs to know of a stored record.
type NationalState struct {
	ProvinceCode string
	OrderKey     string
}

// NationalProgress is a progress entry as the national mode stores it.
type NationalProgress struct {
	Entry        dvcqg.Progress
	ProvinceCode string
	Key          string    // de-duplication key, unique per dossier (a digest of dvcqg.Progress.Key)
	At           time.Time // ThoiDiemXuLy
	SyncedAt     time.Time // when it was received
}

// NationalStatsFilter bounds the statistics to the dossiers submitted in
// [From, To) (a zero bound: unbounded).
type NationalStatsFilter struct {
	From, To time.Time
}

// NationalProvinceStats counts one province's synced dossiers.
type NationalProvinceStats struct {
	ProvinceCode string
	Synced       int // records stored
	Received     int // with NgayTiepNhan
	Finished     int // with NgayKetThucXuLy
	OnTime       int // finished by NgayHenTra (or with none)
	Online       int // KenhThucHien 2
	LastSyncAt   time.Time
}

// NationalReader reads what the national mode received.
type NationalReader interface {
	// NationalStates returns the stored state of those of codes that are
	// stored, by code.
	NationalStates(ctx context.Context, codes []string) (map[string]NationalState, error)
	// NationalDossier returns a stored record (errs.NotFound if none).
	NationalDossier(ctx context.Context, code string) (NationalDossier, error)
	// NationalProgress returns a dossier's entries in the order of
	// ThoiDiemXuLy, then arrival.
	NationalProgress(ctx context.Context, code string) ([]NationalProgress, error)
	// NationalStats counts the records of f by province (provinces with
	// none are left out), in province code order.
	NationalStats(ctx context.Context, f NationalStatsFilter) ([]NationalProvinceStats, error)
}

// NationalWriter stores what the national mode received.
type NationalWriter interface {
	// PutNationalDossiers inserts the records not stored and replaces the
	// stored ones of the same province whose order key is not greater
	// (FirstSyncedAt kept), in one statement; the others are left as they
	// are. It returns how many were written. The codes must be distinct.
	PutNationalDossiers(ctx context.Context, recs []NationalDossier) (int, error)
	// AddNationalProgress inserts the entries whose (code, key) is not
	// stored, in one statement, and returns how many were new.
	AddNationalProgress(ctx context.Context, entries []NationalProgress) (int, error)
}

// Portal sync (issue 13): the province's dossiers pushed to the national
// public service portal. A dossier's row is queued in the transaction that
// changes it, so no change is ever missed; the sync workers claim due rows
// (a lease keeps one worker per dossier), send the dossier as it then is,
// and record the outcome.

// Portal sync states.
const (
	PortalPending = "pending" // a change waits to be sent
	PortalSynced  = "synced"  // the portal acknowledged the latest version
	PortalFailed  = "failed"  // the last attempt failed; retried at NextAt
)

// PortalSync is a dossier's sync state with the national portal.
type PortalSync struct {
	Code  string
	State string // PortalPending, PortalSynced or PortalFailed
	// Version is the latest version queued, SyncedVersion the latest the
	// portal acknowledged (0: none).
	Version, SyncedVersion int
	// Known: the portal has the dossier (later sends are updates).
	Known bool
	// ProgressSent is how many history events the portal acknowledged.
	ProgressSent int
	Attempts     int    // failed attempts since the last success
	LastError    string // the portal's message or the failure, in Vietnamese
	// QueuedAt is when the oldest change not yet acknowledged was queued
	// (the lag runs from it), NextAt when the row is next due (a claim
	// moves it by the lease), SyncedAt the last acknowledgement.
	QueuedAt, NextAt time.Time
	SyncedAt         time.Time // zero: never
	UpdatedAt        time.Time
}

// PortalSyncFilter selects rows of the sync state.
type PortalSyncFilter struct {
	State  string // "" any
	Limit  int
	Offset int
}

// PortalSyncCounts sums the sync state.
type PortalSyncCounts struct {
	ByState      map[string]int
	OldestQueued time.Time // of the rows not synced; zero: none
}

// PortalSyncReader reads the sync state.
type PortalSyncReader interface {
	// PortalSync returns a dossier's state (errs.NotFound if never queued).
	PortalSync(ctx context.Context, code string) (PortalSync, error)
	// PortalSyncs lists rows, the failed and oldest first, with the total.
	PortalSyncs(ctx context.Context, f PortalSyncFilter) ([]PortalSync, int, error)
	PortalSyncCounts(ctx context.Context) (PortalSyncCounts, error)
}

// PortalSyncWriter writes the sync state.
type PortalSyncWriter interface {
	// QueuePortalSync records that version of the dossier code waits to be
	// sent, due at at unless the row is leased or backing off.
	QueuePortalSync(ctx context.Context, code string, version int, at time.Time) error
	// ClaimPortalSync takes up to limit rows not synced and due by now, in
	// the order they are due, and leases them until now+lease (another
	// claim skips them until then).
	ClaimPortalSync(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]PortalSync, error)
	// PutPortalSync records the outcome of a claimed row: s as the worker
	// saw it after the attempt. A row queued again meanwhile (a version
	// above s.SyncedVersion) stays pending and due at once.
	PutPortalSync(ctx context.Context, s PortalSync) error
	// PutPortalSyncs is PutPortalSync of several rows, in one statement.
	PutPortalSyncs(ctx context.Context, rows []PortalSync) error
	// ResyncPortal queues the rows of codes (none: every row failed, or
	// with all every row) to be sent again in full, due at at; it
	// returns how many rows it queued. Codes never queued are queued.
	ResyncPortal(ctx context.Context, codes []string, all bool, at time.Time) (int, error)
}

// Single sign-on (issue 14): the national identities linked to accounts,
// and the sign-ons in flight.

// SignOnRequest is a sign-on in flight (Kind "request": its state, nonce
// and PKCE verifier) or waiting for its holder to link an existing account
// (Kind "link"), as the use case serialized it in Data; taken once.
type SignOnRequest struct {
	ID        string // a digest of the secret the browser holds (state, link token)
	Kind      string
	Data      []byte
	ExpiresAt time.Time
}

// SignOnReader finds the accounts of national identities.
type SignOnReader interface {
	// AccountByIdentity returns the account a national identity is
	// linked to (errs.NotFound if none).
	AccountByIdentity(ctx context.Context, issuer, subject string) (identity.Account, error)
	// AccountByKey returns the account of kind whose key is key: a
	// citizen's ID, an enterprise's tax code, an organisation's TechID
	// (errs.NotFound if none).
	AccountByKey(ctx context.Context, kind identity.Kind, key string) (identity.Account, error)
}

// SignOnWriter records sign-ons.
type SignOnWriter interface {
	PutSignOnRequest(ctx context.Context, r SignOnRequest) error
	// TakeSignOnRequest deletes and returns the request id of kind;
	// errs.NotFound if there is none or it expired by now (expired
	// requests are deleted on the way).
	TakeSignOnRequest(ctx context.Context, id, kind string, now time.Time) (SignOnRequest, error)
	// LinkIdentity links a national identity to an account, or records a
	// new sign-on of a linked one (its level and time).
	LinkIdentity(ctx context.Context, issuer, subject string, accountID int64, level int, at time.Time) error
}
