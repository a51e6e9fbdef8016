// Package notify holds what the platform tells a citizen about their
// dossier, and how: the events worth a message (received, supplement
// requested, payment requested, result ready, apology for a late
// dossier), the channels (e-mail, SMS, Zalo), the citizen's choice of
// channels and language, and the messages themselves, from text/template
// files in Vietnamese and English. Pure: no store, no network; the use
// case (app/notify) queues and sends.
package notify

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/motcua/motcua/calendar"
)

// Event is what happened to a dossier that its applicant is told of.
type Event string

// The events. Their names are part of the idempotency keys and of the
// stored rows: never renamed.
const (
	Received   Event = "received"   // submitted online or received at a counter: once per dossier
	Supplement Event = "supplement" // supplements requested (form 02)
	Payment    Event = "payment"    // fees to pay
	Result     Event = "result"     // the result is ready (status 9)
	Apology    Event = "apology"    // late: apology and new appointment (form 04)
	// Verification: the deadline extended for a verification, as the law
	// allows for the procedure (before it fell due: no apology).
	Verification Event = "verification"
)

// Events are every event, in the order of a dossier's life.
var Events = []Event{Received, Supplement, Payment, Verification, Result, Apology}

// Channel is a way to reach the citizen.
type Channel string

// The channels.
const (
	Email Channel = "email"
	SMS   Channel = "sms"
	Zalo  Channel = "zalo"
)

// Channels are every channel, in the order the account page shows them.
var Channels = []Channel{Email, SMS, Zalo}

// Prefs are how a citizen wants to be told: the channels and the language
// ("vi" or "en").
type Prefs struct {
	AccountID int64
	Channels  []Channel
	Lang      string
	UpdatedAt time.Time
}

// DefaultPrefs are the preferences of an account that chose none: e-mail
// when it has an address, in Vietnamese.
func DefaultPrefs(accountID int64, email string) Prefs {
	p := Prefs{AccountID: accountID, Lang: "vi"}
	if email != "" {
		p.Channels = []Channel{Email}
	}
	return p
}

// ParseChannels reads channel names (as a form sends them): unknown ones
// are an error, duplicates dropped, the result in the order of Channels.
func ParseChannels(names []string) ([]Channel, error) {
	var out []Channel
	for _, n := range names {
		c := Channel(strings.TrimSpace(n))
		if !slices.Contains(Channels, c) {
			return nil, fmt.Errorf("unknown channel %q", n)
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Channel) int { return slices.Index(Channels, a) - slices.Index(Channels, b) })
	return out, nil
}

// Lang is lang if the messages speak it, else Vietnamese.
func Lang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "vi"
}

// Data is what a message says.
type Data struct {
	Name      string    // the applicant
	Code      string    // the dossier's code
	Procedure string    // the procedure's name
	Agency    string    // the agency that decides
	Link      string    // the dossier's page
	Submitted time.Time // when the dossier was submitted
	Due       time.Time // the appointment to return the result (zero: not yet set)
	Note      string    // the official's note: what to supplement, why late
	Amount    int64     // the fees to pay, đồng
	Reference string    // the payment's reference
	NewDue    time.Time // an apology's or a verification's new appointment
	Result    string    // the result's name
	// ExemptionRefused is the reason a claimed fee exemption was refused:
	// the payment notice then tells the fee that will be asked.
	ExemptionRefused string
}

// Message is a rendered message: Subject and Text for an e-mail, Short
// for an SMS or a Zalo message.
type Message struct {
	Subject, Text, Short string
}

//go:embed templates/*.tmpl
var files embed.FS

var templates = map[string]*template.Template{"vi": parse("vi"), "en": parse("en")}

func parse(lang string) *template.Template {
	funcs := template.FuncMap{
		"when":       func(t time.Time) string { return When(lang, t) },
		"money":      func(v int64) string { return Money(lang, v) },
		"moneyShort": func(v int64) string { return strings.Replace(Money(lang, v), "đồng", "dong", 1) },
		"short":      func(t time.Time) string { return t.In(calendar.VN).Format("15:04 02/01/2006 (UTC-07:00)") },
	}
	return template.Must(template.New(lang).Funcs(funcs).Option("missingkey=error").ParseFS(files, "templates/"+lang+".tmpl"))
}

// Render is the message of event in lang (Vietnamese unless "en").
func Render(e Event, lang string, d Data) (Message, error) {
	t := templates[Lang(lang)]
	var m Message
	for _, part := range []struct {
		name string
		out  *string
	}{{"subject", &m.Subject}, {"text", &m.Text}, {"short", &m.Short}} {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, string(e)+"."+part.name, d); err != nil {
			return Message{}, fmt.Errorf("render %s %s: %w", e, part.name, err)
		}
		*part.out = strings.TrimSpace(b.String())
	}
	m.Subject = strings.Join(strings.Fields(m.Subject), " ")
	m.Text += "\n"
	return m, nil
}

// When is t in Vietnam time with its offset, as lang writes it.
func When(lang string, t time.Time) string {
	t = t.In(calendar.VN)
	if Lang(lang) == "en" {
		return t.Format("15:04 on 2 January 2006 (UTC-07:00)")
	}
	return t.Format("15:04 ngày 02/01/2006 (UTC-07:00)")
}

// Money is an amount of đồng as lang writes it: "30.000 đồng", "VND 30,000".
func Money(lang string, v int64) string {
	s := strconv.FormatInt(v, 10)
	sep := "."
	if Lang(lang) == "en" {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if Lang(lang) == "en" {
		return "VND " + b.String()
	}
	return b.String() + " đồng"
}
