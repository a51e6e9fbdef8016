package dossiers

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// UnattachedAfter is how long an upload that no dossier references is
// kept: a citizen uploads, then submits within the day.
const UnattachedAfter = 24 * time.Hour

// CleanupUploads deletes the uploads that no dossier referenced within
// UnattachedAfter of their upload: each record with its audit entry in
// one transaction, then its stored content when nothing else (another
// upload, a staged file, a dossier's result, a personal document) refers
// to the same bytes. It returns how many records and stored files it
// deleted. serve runs it every hour; `motcua files cleanup` on demand.
func (s *Service) CleanupUploads(ctx context.Context) (uploads, files int, err error) {
	if s.files == nil {
		return 0, 0, nil
	}
	const page = 200
	before := s.Now().Add(-UnattachedAfter)
	ac := identity.SystemActor("cleanup")
	for {
		list, err := s.db.UnattachedFiles(ctx, before, page)
		if err != nil {
			return uploads, files, fmt.Errorf("clean up uploads: %w", err)
		}
		for _, f := range list {
			err := s.Store.Update(ctx, func(tx store.Tx) error {
				if err := tx.DeleteFile(ctx, f.ID); err != nil {
					return err
				}
				return s.Record(ctx, tx, ac, "file.cleanup", "file:"+f.ID, map[string]any{
					"owner_id": f.OwnerID, "sha256": f.SHA256, "size": f.Size, "created_at": f.CreatedAt, "name": f.Name})
			})
			if err != nil {
				return uploads, files, fmt.Errorf("clean up upload %s: %w", f.ID, err)
			}
			uploads++
			used, err := s.db.FileContentReferenced(ctx, f.SHA256)
			if err != nil {
				return uploads, files, fmt.Errorf("clean up upload %s: %w", f.ID, err)
			}
			if !used {
				if err := s.files.Remove(f.SHA256); err != nil {
					return uploads, files, fmt.Errorf("clean up upload %s: %w", f.ID, err)
				}
				files++
			}
		}
		if len(list) < page {
			return uploads, files, nil
		}
	}
}
