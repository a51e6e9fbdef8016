-- +goose Up
-- A citizen ID belongs to one citizen account (issue 12): the personal
-- store, share links and population record follow the verified account of
-- that ID. Officials' and enterprises' accounts may carry a citizen's ID,
-- and an empty ID is no one's.
--
-- Citizen accounts an older release let share an ID stop the upgrade,
-- changing nothing: which one is the citizen's is for a person to decide
-- (see docs/operations.md, "Số định danh trùng"). The message names the
-- accounts by number, not their citizen IDs (it goes to the logs).
-- +goose StatementBegin
DO $$
DECLARE
    dups text;
BEGIN
    SELECT string_agg(ids, '; ') INTO dups FROM (
        SELECT string_agg(id::text, ', ' ORDER BY id) AS ids FROM accounts
        WHERE kind = 'citizen' AND citizen_id <> '' GROUP BY citizen_id HAVING count(*) > 1) d;
    IF dups IS NOT NULL THEN
        RAISE EXCEPTION 'migration 00009: có tài khoản công dân trùng số định danh cá nhân; xử lý chúng trước khi nâng cấp, xem docs/operations.md (citizen accounts share a citizen ID: resolve them before upgrading); accounts: %', dups;
    END IF;
END $$;
-- +goose StatementEnd

CREATE UNIQUE INDEX accounts_citizen_id_unique ON accounts (citizen_id) WHERE kind = 'citizen' AND citizen_id <> '';

-- +goose Down
DROP INDEX accounts_citizen_id_unique;
