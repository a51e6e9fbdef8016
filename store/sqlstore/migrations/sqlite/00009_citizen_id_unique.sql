-- +goose Up
-- A citizen ID belongs to one citizen account (issue 12): the personal
-- store, share links and population record follow the verified account of
-- that ID. Officials' and enterprises' accounts may carry a citizen's ID,
-- and an empty ID is no one's.
--
-- Citizen accounts an older release let share an ID stop the upgrade,
-- changing nothing: which one is the citizen's is for a person to decide
-- (see docs/operations.md, "Số định danh trùng"). SQLite has no RAISE outside
-- a trigger, hence the guard table.
CREATE TEMP TABLE migration_00009_guard (duplicates INTEGER NOT NULL);
-- +goose StatementBegin
CREATE TEMP TRIGGER migration_00009_check BEFORE INSERT ON migration_00009_guard WHEN NEW.duplicates > 0
BEGIN
    SELECT RAISE(ABORT, 'migration 00009: có tài khoản công dân trùng số định danh cá nhân; xử lý chúng trước khi nâng cấp, xem docs/operations.md (citizen accounts share a citizen ID: resolve them before upgrading)');
END;
-- +goose StatementEnd
INSERT INTO migration_00009_guard (duplicates)
    SELECT count(*) FROM (SELECT citizen_id FROM accounts WHERE kind = 'citizen' AND citizen_id <> '' GROUP BY citizen_id HAVING count(*) > 1);
DROP TRIGGER migration_00009_check;
DROP TABLE migration_00009_guard;

CREATE UNIQUE INDEX accounts_citizen_id_unique ON accounts (citizen_id) WHERE kind = 'citizen' AND citizen_id <> '';

-- +goose Down
DROP INDEX accounts_citizen_id_unique;
