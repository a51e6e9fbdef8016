package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/web/api"
)

// inboxPageSize is the number of dossiers per page of /ho-so.
const inboxPageSize = 50

// inboxParams are the query parameters of /ho-so that filter the list; a
// link keeps them all (pagination, status counts).
var inboxParams = []string{"pham-vi", "trang-thai", "qua-han", "sap-den-han", "thu-tuc", "ma", "kenh", "co-quan", "xa", "nop-tu", "nop-den", "xong-tu", "xong-den", "han"}

// inboxRow is one dossier of the list: what the table shows, no more (the
// full dossier view reads ratings and calendars the list does not need).
type inboxRow struct {
	Code, ProcedureName, Applicant, Agency string
	Status                                 int
	StepName                               string
	StepRole                               identity.Role
	DueAt                                  *time.Time
	Overdue, DueSoon                       bool
}

// statusLink is a status with its count, a link filtering on it.
type statusLink struct {
	Status  int
	Count   int
	Href    string
	Current bool
}

// listChoice is an option of a filter's list.
type listChoice struct {
	Value, Label string
	Selected     bool
}

type inboxData struct {
	page
	Heading string // a key
	Mode    string // "inbox", "scope" or "own"
	// WriteBacks: dossiers whose result has records in quarantine the
	// viewer may fix and retry (inbox mode).
	WriteBacks         []string
	Items              []inboxRow
	Total              int
	Overdue, DueSoon   int // on this page
	Statuses           []statusLink
	AllHref            string
	Filter             url.Values
	Filtered           bool
	HiddenKeys         []string // filters the form does not show, kept when it is sent
	Notes              []string // those filters in words
	Agencies, Communes []listChoice
	Channels           []listChoice
	StatusChoices      []listChoice
	Page, Pages        int
	Prev, Next         string
	First, Last        int // the rows shown, from 1
}

// Num formats a count the Vietnamese way (1.234) or the English way.
func (d inboxData) Num(n int) string { return formatCount(d.Lang, n) }

// listDate parses a yyyy-mm-dd date as midnight in Vietnam.
func listDate(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), calendar.VN)
	return t, err == nil
}

// reports reports whether the account may read reports (leaders, viewers,
// administrators).
func mayReport(acc *identity.Account) bool { return acc.Can(identity.PermReportRead, "") }

// dossiersPage is /ho-so: the official's inbox (overdue first), the
// dossiers of a leader's or viewer's scope (pham-vi=1, or always for those
// without a handling role: where the dashboard's numbers lead), or the
// applicant's own dossiers; with filters, counts by status and pages.
func (s *Server) dossiersPage(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	ctx := r.Context()
	ac := pageActor(r, acc)
	qs := r.URL.Query()
	q := dossiers.DossierQuery{Limit: inboxPageSize}
	mode := "own"
	switch {
	case mayReport(acc) && (qs.Get("pham-vi") == "1" || !handles(acc)):
		mode, q.Scope = "scope", true
	case handles(acc):
		mode, q.Inbox = "inbox", true
	}
	filter := url.Values{}
	for _, k := range inboxParams {
		if v := strings.TrimSpace(qs.Get(k)); v != "" {
			filter.Set(k, v)
		}
	}
	if mode == "scope" {
		filter.Set("pham-vi", "1")
	} else {
		filter.Del("pham-vi")
	}
	q.Status, _ = strconv.Atoi(filter.Get("trang-thai"))
	q.Channel, _ = strconv.Atoi(filter.Get("kenh"))
	q.Overdue, q.DueSoon = filter.Get("qua-han") == "1", filter.Get("sap-den-han") == "1"
	q.ProcedureCode, q.Code = filter.Get("thu-tuc"), filter.Get("ma")
	if mode == "scope" {
		q.Agency, q.CommuneCode = filter.Get("co-quan"), filter.Get("xa")
	}
	for _, b := range []struct {
		key string
		dst *time.Time
		end bool
	}{{"nop-tu", &q.SubmittedFrom, false}, {"nop-den", &q.SubmittedTo, true}, {"xong-tu", &q.FinishedFrom, false}, {"xong-den", &q.FinishedTo, true}} {
		if t, ok := listDate(filter.Get(b.key)); ok {
			if b.end {
				t = t.AddDate(0, 0, 1) // the end date is included
			}
			*b.dst = t
		} else {
			filter.Del(b.key)
		}
	}
	switch filter.Get("han") {
	case "dung":
		q.Timeliness = dossier.OnTime
	case "tre":
		q.Timeliness = dossier.Late
	default:
		filter.Del("han")
	}
	pageNo, _ := strconv.Atoi(qs.Get("trang"))
	pageNo = max(pageNo, 1)
	q.Offset = (pageNo - 1) * inboxPageSize
	list, err := s.app.Dossiers.DossierList(ctx, ac, q)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := inboxData{page: s.base(w, r, "dossiers.title"), Mode: mode, Total: list.Total, Filter: filter, Page: pageNo}
	if mode == "inbox" {
		if data.WriteBacks, err = s.app.Results.PendingWriteBacks(ctx, ac); err != nil {
			s.log.Warn("inbox: quarantined write-backs", "error", err)
		}
	}
	data.Heading = "dossiers.heading." + mode
	link := func(edit func(url.Values)) string {
		v := url.Values{}
		for k, vs := range filter {
			v[k] = vs
		}
		edit(v)
		if len(v) == 0 {
			return "/ho-so"
		}
		return "/ho-so?" + v.Encode()
	}
	for _, k := range inboxParams {
		if k != "pham-vi" && filter.Get(k) != "" {
			data.Filtered = true
		}
	}
	for _, k := range []string{"nop-tu", "nop-den", "xong-tu", "xong-den", "han"} {
		if filter.Get(k) != "" {
			data.HiddenKeys = append(data.HiddenKeys, k)
		}
	}
	// The filters the form does not show, in words.
	day := func(k string) string {
		if t, ok := listDate(filter.Get(k)); ok {
			return dashDate(t)
		}
		return "…"
	}
	if filter.Get("nop-tu") != "" || filter.Get("nop-den") != "" {
		data.Notes = append(data.Notes, data.Tf("dossiers.submitted_between", day("nop-tu"), day("nop-den")))
	}
	if filter.Get("xong-tu") != "" || filter.Get("xong-den") != "" {
		data.Notes = append(data.Notes, data.Tf("dossiers.finished_between", day("xong-tu"), day("xong-den")))
	}
	switch q.Timeliness {
	case dossier.OnTime:
		data.Notes = append(data.Notes, data.T("dossiers.on_time"))
	case dossier.Late:
		data.Notes = append(data.Notes, data.T("dossiers.late"))
	}
	data.AllHref = link(func(v url.Values) { v.Del("trang-thai") })
	for st := dossier.StatusNew; st <= dossier.StatusReturned; st++ {
		if n := list.ByStatus[int(st)]; n > 0 || q.Status == int(st) {
			data.Statuses = append(data.Statuses, statusLink{Status: int(st), Count: n, Current: q.Status == int(st),
				Href: link(func(v url.Values) { v.Set("trang-thai", strconv.Itoa(int(st))) })})
		}
		data.StatusChoices = append(data.StatusChoices, listChoice{Value: strconv.Itoa(int(st)), Label: data.T(statusKey(int(st))), Selected: q.Status == int(st)})
	}
	for _, c := range []dossier.Channel{dossier.ChannelInPerson, dossier.ChannelOnline, dossier.ChannelPost} {
		data.Channels = append(data.Channels, listChoice{Value: strconv.Itoa(int(c)), Label: data.T(channelKey(c)), Selected: q.Channel == int(c)})
	}
	if mode == "scope" {
		ags, whole, err := s.app.Dashboard.ReportAgencies(ctx, ac)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		if whole {
			data.Agencies = append(data.Agencies, listChoice{Value: "", Label: data.T("dossiers.whole_province")})
		}
		for _, ag := range ags {
			data.Agencies = append(data.Agencies, listChoice{Value: ag.ID, Label: ag.Name, Selected: ag.ID == q.Agency})
		}
		data.Communes = append(data.Communes, listChoice{Value: "", Label: data.T("dossiers.all_communes")})
		for _, c := range s.app.Kernel.Province.Communes {
			data.Communes = append(data.Communes, listChoice{Value: c.Code, Label: c.Name, Selected: c.Code == q.CommuneCode})
		}
	}
	now := s.app.Kernel.Now()
	for i := range list.Items {
		d := &list.Items[i]
		row := inboxRow{Code: d.Code, ProcedureName: d.ProcedureName, Status: int(d.Status), Applicant: d.Applicant.Name,
			Agency: s.app.Province.AgencyRef(ctx, d.HandlingAgency()).Name, DueAt: api.VNTime(d.DueAt()), Overdue: d.Overdue(now)}
		if !row.Overdue {
			row.DueSoon = s.app.Dossiers.DueSoon(ctx, d)
		}
		if st := d.CurrentStep(); st != nil {
			row.StepName, row.StepRole = st.Name, st.Role
		}
		if row.Overdue {
			data.Overdue++
		} else if row.DueSoon {
			data.DueSoon++
		}
		data.Items = append(data.Items, row)
	}
	data.Pages = max(1, (list.Total+inboxPageSize-1)/inboxPageSize)
	if len(data.Items) > 0 {
		data.First, data.Last = q.Offset+1, q.Offset+len(data.Items)
	}
	if pageNo > 1 {
		data.Prev = link(func(v url.Values) { v.Set("trang", strconv.Itoa(pageNo-1)) })
	}
	if pageNo < data.Pages {
		data.Next = link(func(v url.Values) { v.Set("trang", strconv.Itoa(pageNo+1)) })
	}
	s.render(w, http.StatusOK, "dossiers", data)
}
