package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/app/portalsync"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// The sync of the dossiers to the national portal (/quan-tri/dong-bo):
// how far it has come, the rows failed first with the portal's message,
// resyncs (the failed rows, or one dossier), and the mapping of the
// province's codes to the portal's, edited as JSON.

// admSyncPage is how many rows a page of the list shows.
const admSyncPage = 50

type admSyncCount struct {
	State, Key, N, Href string
	Current             bool
}

type admSyncRow struct {
	Code, State, Key, LastError, NextAt, SyncedAt string
	Attempts                                      int
}

type admSyncData struct {
	adminPage
	Configured  bool
	Counts      []admSyncCount
	Total       string
	Share       string // the synced share, "98,5 %"
	Oldest      string // how old the oldest change waiting is ("" none)
	OldestAt    string
	Rows        []admSyncRow
	Listed      int // rows of the filter, all pages
	AllHref     string
	Filtered    bool
	Prev, Next  string
	Mapping     string // the mapping as JSON
	Provisional []string
	Code        string // the code typed in the one-dossier form
}

// syncStateKeys are the keys of the sync states' names.
var syncStateKeys = map[string]string{
	store.PortalPending: "admin.sync.state.pending", store.PortalSynced: "admin.sync.state.synced", store.PortalFailed: "admin.sync.state.failed",
}

// syncStateKey is the key of a sync state's name (the state itself when
// unknown).
func syncStateKey(state string) string {
	if k, ok := syncStateKeys[state]; ok {
		return k
	}
	return state
}

// adminSync shows the sync's page.
func (s *Server) adminSync(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 0)
	if !ok {
		return
	}
	p := adminPage{page: s.base(w, r, "admin.sync.title")}
	q := r.URL.Query()
	switch {
	case q.Get("da-xep-hang") != "":
		n, _ := strconv.Atoi(q.Get("da-xep-hang"))
		p.Notice = p.Tf("admin.sync.queued", n)
	case q.Get("da-luu") != "":
		p.Notice = p.T("admin.sync.mapping_saved")
	}
	s.adminShowSync(w, r, ac, p, "", "", http.StatusOK)
}

// adminSyncResync queues again the rows that failed, or the one dossier
// whose code the form names.
func (s *Server) adminSyncResync(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, adminFormLimit)
	if !ok {
		return
	}
	code := strings.TrimSpace(r.PostFormValue("ma"))
	var codes []string
	if code != "" {
		codes = []string{code}
	}
	n, err := s.app.PortalSync.Resync(r.Context(), ac, codes, false)
	if err != nil {
		p := adminPage{page: s.base(w, r, "admin.sync.title")}
		s.adminShowSync(w, r, ac, p, "", code, s.adminFail(r, &p, err))
		return
	}
	http.Redirect(w, r, "/quan-tri/dong-bo?da-xep-hang="+strconv.Itoa(n), http.StatusSeeOther)
}

// adminSyncMapping saves the mapping typed as JSON; its problems are
// shown with the text as typed.
func (s *Server) adminSyncMapping(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, adminFormLimit)
	if !ok {
		return
	}
	text := r.PostFormValue("mapping")
	var m dvcqg.Mapping
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	err := dec.Decode(&m)
	if err == nil && dec.More() {
		err = errors.New("extra data after the mapping")
	}
	if err != nil {
		p := adminPage{page: s.base(w, r, "admin.sync.title")}
		p.Error = p.T("admin.sync.mapping_not_json")
		p.Errors = []string{err.Error()}
		s.adminShowSync(w, r, ac, p, text, "", http.StatusUnprocessableEntity)
		return
	}
	if err := s.app.PortalSync.SetMapping(r.Context(), ac, m); err != nil {
		p := adminPage{page: s.base(w, r, "admin.sync.title")}
		s.adminShowSync(w, r, ac, p, text, "", s.adminFail(r, &p, err))
		return
	}
	http.Redirect(w, r, "/quan-tri/dong-bo?da-luu=1#anh-xa", http.StatusSeeOther)
}

// adminShowSync renders the page; mapping is the text of the mapping to
// show ("": the stored one), code the one-dossier form's.
func (s *Server) adminShowSync(w http.ResponseWriter, r *http.Request, ac identity.Actor, p adminPage, mapping, code string, status int) {
	ctx := r.Context()
	data := admSyncData{adminPage: p, Code: code}
	fail := func(err error) {
		if data.Error == "" {
			status = s.adminFail(r, &data.adminPage, err)
		}
	}
	sum, err := s.app.PortalSync.Status(ctx, ac)
	if err != nil {
		fail(err)
		s.render(w, status, "admin_sync", data)
		return
	}
	q := r.URL.Query()
	state := q.Get("trang-thai")
	if _, ok := syncStateKeys[state]; !ok {
		state = ""
	}
	pageNo, _ := strconv.Atoi(q.Get("trang"))
	pageNo = max(pageNo, 1)
	data.Configured = sum.Configured
	data.Total = formatCount(data.Lang, sum.Total)
	data.Share = formatPercent(data.Lang, sum.ByState[store.PortalSynced], sum.Total)
	data.AllHref, data.Filtered = "/quan-tri/dong-bo", state != ""
	for _, st := range portalsync.States {
		data.Counts = append(data.Counts, admSyncCount{State: st, Key: syncStateKey(st), N: formatCount(data.Lang, sum.ByState[st]),
			Href: "/quan-tri/dong-bo?" + url.Values{"trang-thai": {st}}.Encode(), Current: st == state})
	}
	if !sum.OldestQueued.IsZero() {
		data.Oldest = admAge(data.page, s.app.Kernel.Now().Sub(sum.OldestQueued))
		data.OldestAt = admDatetime(sum.OldestQueued)
	}
	rows, total, err := s.app.PortalSync.List(ctx, ac, store.PortalSyncFilter{State: state, Limit: admSyncPage, Offset: (pageNo - 1) * admSyncPage})
	if err != nil {
		fail(err)
	}
	data.Listed = total
	for _, row := range rows {
		x := admSyncRow{Code: row.Code, State: row.State, Key: syncStateKey(row.State), Attempts: row.Attempts, LastError: row.LastError,
			SyncedAt: admDatetime(row.SyncedAt)}
		if row.State != store.PortalSynced {
			x.NextAt = admDatetime(row.NextAt)
		}
		data.Rows = append(data.Rows, x)
	}
	link := func(n int) string {
		v := url.Values{"trang": {strconv.Itoa(n)}}
		if state != "" {
			v.Set("trang-thai", state)
		}
		return "/quan-tri/dong-bo?" + v.Encode()
	}
	if pageNo > 1 {
		data.Prev = link(pageNo - 1)
	}
	if pageNo*admSyncPage < total {
		data.Next = link(pageNo + 1)
	}
	m, err := s.app.PortalSync.Mapping(ctx, ac)
	if err != nil {
		fail(err)
	}
	data.Provisional = m.Provisional
	data.Mapping = mapping
	if mapping == "" {
		data.Mapping = admMappingJSON(m)
	}
	s.render(w, status, "admin_sync", data)
}

// admMappingJSON is the mapping as the editor shows it: indented, the
// sections an administrator fills present even when empty.
func admMappingJSON(m dvcqg.Mapping) string {
	if m.Procedures == nil {
		m.Procedures = map[string]string{}
	}
	if m.Fields == nil {
		m.Fields = map[string]string{}
	}
	if m.Statuses == nil {
		m.Statuses = map[int]int{}
	}
	if m.Databases == nil {
		m.Databases = map[string]string{}
	}
	shown := struct {
		Procedures  map[string]string `json:"procedures"`
		Fields      map[string]string `json:"fields"`
		Statuses    map[int]int       `json:"statuses"`
		Databases   map[string]string `json:"databases"`
		Provisional []string          `json:"provisional"`
	}{m.Procedures, m.Fields, m.Statuses, m.Databases, m.Provisional}
	if shown.Provisional == nil {
		shown.Provisional = []string{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(shown)
	return b.String()
}

// admAge writes a duration in days, hours and minutes.
func admAge(p page, d time.Duration) string {
	m := int(d.Minutes())
	switch {
	case m < 1:
		return p.T("admin.sync.age_now")
	case m < 60:
		return p.Tf("admin.sync.age_minutes", m)
	case m < 24*60:
		return p.Tf("admin.sync.age_hours", m/60, m%60)
	}
	return p.Tf("admin.sync.age_days", m/(24*60), m/60%24)
}
