package dossiers

import (
	"context"
	"fmt"
	"strings"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// supplementFiles turns the files handed in with a supplement into the
// dossier's components: each code must be one of the procedure's, each
// file uploaded by the actor. Errors name every bad entry.
func (s *Service) supplementFiles(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier, in []dossier.ComponentInput) ([]dossier.Component, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if ac.Account == nil {
		return nil, errs.New(errs.Forbidden, "dossier.forbidden", "Chỉ người nộp hồ sơ hoặc bộ phận một cửa được bổ sung hồ sơ.", "no account to own the files")
	}
	p, err := tx.Procedure(ctx, d.ProcedureCode)
	if err != nil {
		return nil, fmt.Errorf("supplement %s: %w", d.Code, err)
	}
	ups := make([]dossier.Component, len(in))
	for i, c := range in {
		ups[i] = dossier.Component{Code: strings.TrimSpace(c.Code), FileID: strings.TrimSpace(c.FileID)}
	}
	// CheckComponents also reports missing required components: a
	// supplement hands in only what was asked for, so keep the per-entry
	// problems only.
	var fe []errs.FieldError
	for _, e := range dossier.CheckComponents(&p, ups) {
		if e.Field != "components" {
			fe = append(fe, e)
		}
	}
	out := make([]dossier.Component, 0, len(ups))
	for i, u := range ups {
		if u.FileID == "" {
			continue
		}
		f, err := tx.File(ctx, u.FileID)
		if err != nil || f.OwnerID != ac.Account.ID {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("components[%d].file_id", i), Key: "unknown", Message: "Không tìm thấy tệp đã tải lên (hãy tải tệp lên trước khi bổ sung)."})
			continue
		}
		c := dossier.Component{Code: u.Code, FileID: f.ID, SHA256: f.SHA256, Size: f.Size, ContentType: f.ContentType}
		for _, pc := range p.Components {
			if pc.Code == u.Code {
				c.Name, c.Original = pc.Name, pc.Form == catalog.FormOriginal
			}
		}
		out = append(out, c)
	}
	if len(fe) > 0 {
		return nil, invalidFields(fe)
	}
	return out, nil
}

// recordSupplementFiles audits which files a supplement handed in and which
// ones they replaced (the dossier keeps only the newest file of a component).
func (s *Service) recordSupplementFiles(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier, before, added []dossier.Component) error {
	if len(added) == 0 {
		return nil
	}
	type change struct {
		Code     string `json:"code"`
		FileID   string `json:"file_id"`
		SHA256   string `json:"sha256"`
		Replaced string `json:"replaced,omitempty"`
	}
	var cs []change
	for _, c := range added {
		ch := change{Code: c.Code, FileID: c.FileID, SHA256: c.SHA256}
		for _, b := range before {
			if b.Code == c.Code {
				ch.Replaced = b.FileID
			}
		}
		cs = append(cs, ch)
	}
	return s.Record(ctx, tx, ac, "dossier.components", "dossier:"+d.Code, map[string]any{"version": d.Version, "components": cs})
}
