package printform

import (
	"fmt"
	"strings"
)

// problems collects what is wrong with an input.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// blank reports whether s has no visible text.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// err returns nil, or one error naming every problem.
func (p problems) err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return fmt.Errorf("printform: %s: %s", what, strings.Join(p, "; "))
}

// checkDoc validates d for form ("01"…"06").
func checkDoc(form string, d Doc) error {
	var p problems
	ds := d.Dossier
	if blank(ds.Code) {
		p.add("dossier code is empty")
	}
	if d.IssuedAt.IsZero() {
		p.add("issue date (IssuedAt) is zero")
	}
	if blank(d.Agency.Name) {
		p.add("agency name is empty")
	}
	if blank(ds.ApplicantName) {
		p.add("applicant name is empty")
	}
	if blank(ds.ProcedureName) {
		p.add("procedure name is empty")
	}
	if ds.Fee < 0 {
		p.add("fee %d is negative", ds.Fee)
	}
	for i, c := range ds.Components {
		if blank(c.Name) {
			p.add("component %d has no name", i+1)
		}
		if c.Copies < 0 {
			p.add("component %d has %d copies", i+1, c.Copies)
		}
	}
	switch form {
	case "01":
		if ds.ReceivedAt.IsZero() {
			p.add("receipt time (Dossier.ReceivedAt) is zero")
		}
		if ds.DueAt.IsZero() {
			p.add("appointment (Dossier.DueAt) is zero")
		} else if ds.DueAt.Before(ds.ReceivedAt) {
			p.add("appointment (Dossier.DueAt) is before the receipt time")
		}
	case "02":
		if blank(d.Reason) && len(d.Missing) == 0 {
			p.add("nothing to supplement: Reason and Missing are both empty")
		}
		for i, m := range d.Missing {
			if blank(m) {
				p.add("missing item %d is empty", i+1)
			}
		}
	case "03":
		if blank(d.Reason) {
			p.add("refusal reason is empty")
		}
	case "04":
		if blank(d.Reason) {
			p.add("reason of the delay is empty")
		}
		if ds.DueAt.IsZero() {
			p.add("original appointment (Dossier.DueAt) is zero")
		}
		if d.NewDueAt.IsZero() {
			p.add("new appointment (NewDueAt) is zero")
		} else if !d.NewDueAt.After(ds.DueAt) {
			p.add("new appointment (NewDueAt) is not after the original one")
		}
	case "05":
		if blank(d.Reason) {
			p.add("reason to stop is empty")
		}
	case "06":
		for i, h := range d.Handovers {
			if blank(h.From) || blank(h.To) {
				p.add("handover %d lacks From or To", i+1)
			}
			if h.HandedAt.IsZero() {
				p.add("handover %d has no time (HandedAt)", i+1)
			}
		}
	}
	return p.err("form " + form)
}

// checkRegister validates the input of form 07.
func checkRegister(r Register) error {
	var p problems
	if blank(r.Agency.Name) {
		p.add("agency name is empty")
	}
	if r.IssuedAt.IsZero() {
		p.add("issue date (IssuedAt) is zero")
	}
	if r.From.IsZero() || r.To.IsZero() {
		p.add("period (From, To) is incomplete")
	} else if r.To.Before(r.From) {
		p.add("period ends (To) before it starts (From)")
	}
	for i, row := range r.Rows {
		if blank(row.Code) {
			p.add("row %d has no dossier code", i+1)
		}
	}
	return p.err("form 07")
}
