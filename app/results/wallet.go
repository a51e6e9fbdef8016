package results

import (
	"context"
	"fmt"
	"os"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/wallet"
)

// holderOf is the citizen ID whose personal store ac may open: a citizen's
// own, once their identity is verified.
func holderOf(ac identity.Actor) (string, error) {
	if ac.Account == nil {
		return "", ac.Require(identity.PermDossierSubmit, "")
	}
	if ac.Account.Kind != identity.KindCitizen || !ac.Account.IdentityVerified || ac.Account.CitizenID == "" {
		return "", errs.New(errs.Forbidden, "wallet.verified_only", "Kho dữ liệu cá nhân dành cho công dân đã xác thực danh tính (VNeID mức 2 hoặc tại bộ phận một cửa).", "the personal store needs a verified citizen")
	}
	return ac.Account.CitizenID, nil
}

// MyDocuments lists the documents of the signed-in citizen's store.
func (s *Service) MyDocuments(ctx context.Context, ac identity.Actor) ([]wallet.Document, error) {
	holder, err := holderOf(ac)
	if err != nil {
		return nil, err
	}
	return s.db.Documents(ctx, holder)
}

// myDocument returns a document of ac's own store (NotFound otherwise).
func (s *Service) myDocument(ctx context.Context, ac identity.Actor, id string) (wallet.Document, error) {
	holder, err := holderOf(ac)
	if err != nil {
		return wallet.Document{}, err
	}
	d, err := s.db.Document(ctx, id)
	if err != nil || d.Owner != holder {
		return wallet.Document{}, errs.New(errs.NotFound, "wallet.not_found", "Không có giấy tờ này trong kho dữ liệu của bạn.", "no such document")
	}
	return d, nil
}

// ShareDocument turns a document's share link on or off (its holder only).
func (s *Service) ShareDocument(ctx context.Context, ac identity.Actor, id string, shared bool) (wallet.Document, error) {
	var out wallet.Document
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := s.myDocument(ctx, ac, id)
		if err != nil {
			return err
		}
		d.Shared = shared
		if err := tx.PutDocument(ctx, d); err != nil {
			return err
		}
		out = d
		return s.Record(ctx, tx, ac, "wallet.share", "document:"+id, map[string]any{"shared": shared})
	})
	return out, err
}

// SharedDocument is a document whose holder shared its link; the read is
// audited.
func (s *Service) SharedDocument(ctx context.Context, ac identity.Actor, id string) (wallet.Document, error) {
	d, err := s.db.Document(ctx, id)
	if err != nil || !d.Shared {
		return wallet.Document{}, errs.New(errs.NotFound, "wallet.not_shared", "Liên kết chia sẻ không tồn tại hoặc đã bị người sở hữu thu hồi.", "no shared document")
	}
	return d, s.RecordRead(ctx, ac, "wallet.shared_read", "document:"+id, nil)
}

// DocumentFile opens a document's file: for its holder, or for anyone
// when shared is true and the holder shared it. The caller closes it.
func (s *Service) DocumentFile(ctx context.Context, ac identity.Actor, id string, shared bool) (wallet.Document, *os.File, error) {
	var d wallet.Document
	var err error
	if shared {
		d, err = s.SharedDocument(ctx, ac, id)
	} else {
		d, err = s.myDocument(ctx, ac, id)
	}
	if err != nil {
		return d, nil, err
	}
	if d.FileID == "" || s.files == nil {
		return d, nil, errs.New(errs.NotFound, "wallet.no_file", "Giấy tờ này chưa có bản số hóa.", "no file")
	}
	f, err := s.files.Open(d.FileID)
	if err != nil {
		return d, nil, fmt.Errorf("open document %s: %w", id, err)
	}
	if !shared {
		if err := s.RecordRead(ctx, ac, "wallet.read", "document:"+id, nil); err != nil {
			f.Close()
			return d, nil, err
		}
	}
	return d, f, nil
}
