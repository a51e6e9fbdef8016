package dossier

import (
	"time"

	"github.com/motcua/motcua/identity"
)

// Filter selects dossiers (lists, the inbox, the dashboard's
// click-through). Zero fields do not filter.
type Filter struct {
	ApplicantID int64
	// Inbox selects the dossiers whose open step is for one of these
	// grants (a step with no agency, an online dossier at intake, for the
	// counters of dossier.IntakeCounter), and those done
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
	Channel                    int       // Channel*
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
// appointment (Late).
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
