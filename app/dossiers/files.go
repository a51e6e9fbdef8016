package dossiers

import (
	"context"
	"fmt"
	"os"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// DossierFile opens the file of one of a dossier's components for someone
// entitled to see the dossier (the applicant, the officials it passes
// through); the read of personal data is audited. The caller closes it.
func (s *Service) DossierFile(ctx context.Context, ac identity.Actor, code, fileID string) (dossier.Component, *os.File, error) {
	d, err := s.db.Dossier(ctx, code)
	if err != nil {
		return dossier.Component{}, nil, err
	}
	notFound := errs.New(errs.NotFound, "file.not_found", "Không có tệp này trong hồ sơ.", "no such file in dossier "+code)
	if !dossier.VisibleTo(&d, ac) {
		if ac.Account == nil {
			return dossier.Component{}, nil, ac.Require(identity.PermDossierHandle, "")
		}
		return dossier.Component{}, nil, notFound
	}
	var c dossier.Component
	for _, x := range d.Components {
		if x.FileID == fileID && fileID != "" {
			c = x
		}
	}
	if e := d.Exemption; e != nil && e.File != nil && e.File.FileID == fileID && fileID != "" {
		c = *e.File // the proof of a claimed fee exemption
	}
	if c.FileID == "" || c.SHA256 == "" {
		return dossier.Component{}, nil, notFound
	}
	if s.files == nil {
		return dossier.Component{}, nil, errs.New(errs.Unavailable, "file.store", "Kho tệp chưa được cấu hình.", "no file store")
	}
	f, err := s.files.Open(c.SHA256)
	if err != nil {
		return dossier.Component{}, nil, fmt.Errorf("open file %s of %s: %w", fileID, code, err)
	}
	if err := s.RecordRead(ctx, ac, "dossier.file.read", "dossier:"+code, map[string]any{"file_id": fileID, "component": c.Code}); err != nil {
		f.Close()
		return dossier.Component{}, nil, err
	}
	return c, f, nil
}
