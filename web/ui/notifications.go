package ui

import (
	"net/http"
	"slices"
	"time"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/notify"
	"github.com/motcua/motcua/store"
)

// The signed-in applicant's choice of how they are told of their
// dossiers (app/notifications): channels and language.
func (s *Server) notificationRoutes() {
	s.mux.HandleFunc("GET /tai-khoan/thong-bao", s.notificationsPage)
	s.mux.HandleFunc("POST /tai-khoan/thong-bao", s.notificationsSave)
}

// channelChoice is one channel as the page offers it.
type channelChoice struct {
	Name    string // the form's value, notify.Channel
	Label   string
	Address string // where it reaches the user ("" none: the box is disabled)
	Checked bool
}

type notificationsData struct {
	page
	Channels     []channelChoice
	MessageLang  string
	Error, Saved string
}

func (s *Server) notificationsData(w http.ResponseWriter, r *http.Request, p notify.Prefs) notificationsData {
	d := notificationsData{page: s.base(w, r, "notify.title"), MessageLang: p.Lang}
	acc := d.User
	for _, c := range s.app.Notifications.Channels() {
		ch := channelChoice{Name: string(c), Label: d.T("notify.channel." + string(c)), Checked: slices.Contains(p.Channels, c)}
		if acc != nil {
			ch.Address = acc.Phone
			if c == notify.Email {
				ch.Address = acc.Email
			}
		}
		d.Channels = append(d.Channels, ch)
	}
	return d
}

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.sessionCaller(w, r)
	if !ok {
		return
	}
	p, err := s.app.Notifications.Prefs(r.Context(), c.Actor)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	d := s.notificationsData(w, r, p)
	if r.URL.Query().Get("da-luu") != "" {
		d.Saved = d.T("notify.saved")
	}
	s.render(w, http.StatusOK, "notifications", d)
}

func (s *Server) notificationsSave(w http.ResponseWriter, r *http.Request) {
	c, ok := s.sessionCaller(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil || !checkCSRF(r) {
		d := s.notificationsData(w, r, notify.Prefs{})
		d.Error = translate(lang(r), "error.form_expired")
		s.render(w, http.StatusForbidden, "notifications", d)
		return
	}
	chosen, msgLang := r.PostForm["channel"], r.PostFormValue("lang")
	if _, err := s.app.Notifications.SetPrefs(r.Context(), c.Actor, chosen, msgLang); err != nil {
		status, msg := s.userMessage(r, err)
		var chans []notify.Channel
		for _, ch := range chosen {
			chans = append(chans, notify.Channel(ch))
		}
		d := s.notificationsData(w, r, notify.Prefs{Channels: chans, Lang: notify.Lang(msgLang)})
		d.Error = msg
		s.render(w, status, "notifications", d)
		return
	}
	http.Redirect(w, r, "/tai-khoan/thong-bao?da-luu=1", http.StatusSeeOther)
}

// noticeLine is a notification as the dossier page lists it.
type noticeLine struct {
	At                        time.Time
	Event, Channel, To, State string
}

// noticeLines lists on the dossier page what its applicant was told: the
// time sent (else queued), the event, the channel and address, the state.
func (s *Server) noticeLines(r *http.Request, acc *identity.Account, d *dossier.Dossier, data *dossierPageData) {
	list, err := s.app.Notifications.Sent(r.Context(), pageActor(r, acc), d)
	if err != nil {
		s.log.Warn("dossier page: notifications", "code", d.Code, "error", err)
		return
	}
	for _, n := range list {
		l := noticeLine{At: n.CreatedAt, Event: data.T("notify.event." + string(n.Event)), Channel: data.T("notify.channel." + string(n.Channel)),
			To: n.Recipient, State: data.T("notify.state." + n.State)}
		if n.State == store.NotifySent {
			l.At = n.SentAt
		}
		data.Notices = append(data.Notices, l)
	}
}
