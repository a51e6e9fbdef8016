package accounts

import (
	"context"
	"fmt"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// NewAccount is the input to create an account.
type NewAccount struct {
	identity.Account
	Password string `json:"password"`
}

// CreateAccount creates an account (administrators). The account is
// created with its identity unverified: an administrator's flag is not a
// check of the person (VNeID level 2, or the ID card at a counter), and a
// verified citizen account opens the personal store, share links and
// population record of its citizen ID. Asking for it is refused (Invalid,
// naming identity_verified) so that a script notices, and creates
// nothing. A citizen ID another citizen account holds is a Conflict (the
// store's unique index).
func (s *Service) CreateAccount(ctx context.Context, ac identity.Actor, in NewAccount) (identity.Account, error) {
	if err := ac.Require(identity.PermAccountManage, ""); err != nil {
		return identity.Account{}, err
	}
	if in.IdentityVerified {
		return identity.Account{}, errs.InvalidFields("account.identity_verified",
			"Không thể tạo tài khoản đã xác thực danh tính: danh tính chỉ được xác thực qua VNeID hoặc khi đối chiếu giấy tờ tại bộ phận một cửa.",
			"an account cannot be created verified: identity is verified through VNeID or with the ID card at a counter",
			[]errs.FieldError{{Field: "identity_verified", Key: "not_settable", Message: "Quản trị viên không được đặt trạng thái đã xác thực danh tính."}})
	}
	acc := in.Account
	acc.ID = 0
	if err := acc.Validate(); err != nil {
		return identity.Account{}, err
	}
	if len(in.Password) < 4 || len(in.Password) > 256 {
		return identity.Account{}, errs.InvalidFields("account.invalid", "Thông tin tài khoản không hợp lệ.", "invalid account",
			[]errs.FieldError{{Field: "password", Key: "length", Message: "Mật khẩu phải từ 4 đến 256 ký tự."}})
	}
	hash, err := identity.HashPassword(in.Password)
	if err != nil {
		return identity.Account{}, err
	}
	acc.PasswordHash = hash
	acc.CreatedAt = s.Now()
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, &acc); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "account.create", fmt.Sprintf("account:%d", acc.ID), map[string]any{"username": acc.Username, "kind": acc.Kind, "grants": acc.Grants})
	})
	if err != nil {
		return identity.Account{}, fmt.Errorf("create account %s: %w", acc.Username, err)
	}
	return acc, nil
}

// SetGrants replaces an official's roles (administrators).
func (s *Service) SetGrants(ctx context.Context, ac identity.Actor, id int64, grants []identity.Grant) (identity.Account, error) {
	defer s.sessions.Clear()
	if err := ac.Require(identity.PermAccountManage, ""); err != nil {
		return identity.Account{}, err
	}
	var acc identity.Account
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		acc, err = tx.Account(ctx, id)
		if err != nil {
			return err
		}
		before := acc.Grants
		acc.Grants = grants
		if err := acc.Validate(); err != nil {
			return err
		}
		if err := tx.UpdateAccount(ctx, acc); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "account.grants", fmt.Sprintf("account:%d", id), map[string]any{"before": before, "after": grants})
	})
	if err != nil {
		return identity.Account{}, fmt.Errorf("set grants of account %d: %w", id, err)
	}
	return acc, nil
}

// SetDisabled disables or enables an account (administrators). Disabling
// ends the account's sessions in the same transaction (the audit entry
// counts them): enabling it again revives none, its user logs in anew.
// This node forgets the sessions it remembers at once, other nodes within
// sessionMemo.
func (s *Service) SetDisabled(ctx context.Context, ac identity.Actor, id int64, disabled bool) error {
	defer s.sessions.Clear()
	if err := ac.Require(identity.PermAccountManage, ""); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := tx.Account(ctx, id)
		if err != nil {
			return err
		}
		var revoked int64
		if disabled {
			if revoked, err = tx.DeleteAccountSessions(ctx, id); err != nil {
				return err
			}
		}
		acc.Disabled = disabled
		if err := tx.UpdateAccount(ctx, acc); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "account.disabled", fmt.Sprintf("account:%d", id), map[string]any{"disabled": disabled, "sessions_revoked": revoked})
	})
}

// Account returns one account; the read of personal data is audited.
func (s *Service) Account(ctx context.Context, ac identity.Actor, id int64) (identity.Account, error) {
	if ac.Account == nil || ac.Account.ID != id {
		if err := ac.Require(identity.PermAccountRead, ""); err != nil {
			return identity.Account{}, err
		}
	}
	acc, err := s.db.Account(ctx, id)
	if err != nil {
		return identity.Account{}, err
	}
	if err := s.RecordRead(ctx, ac, "account.read", fmt.Sprintf("account:%d", id), nil); err != nil {
		return identity.Account{}, err
	}
	return acc, nil
}

// Accounts lists accounts (those entitled: administrators, counters finding
// an applicant); the read of personal data is audited with the query.
func (s *Service) Accounts(ctx context.Context, ac identity.Actor, f identity.AccountFilter) ([]identity.Account, int, error) {
	if err := ac.Require(identity.PermAccountRead, ""); err != nil {
		return nil, 0, err
	}
	list, total, err := s.db.Accounts(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(list))
	for i, x := range list {
		ids[i] = x.ID
	}
	if err := s.RecordRead(ctx, ac, "account.list", "accounts", map[string]any{"text": f.Text, "agency_id": f.AgencyID, "kind": f.Kind, "returned": ids}); err != nil {
		return nil, 0, err
	}
	return list, total, nil
}
