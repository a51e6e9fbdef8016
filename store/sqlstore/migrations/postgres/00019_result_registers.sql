-- +goose Up
-- Result documents (issue 15): the register series that number them, one
-- consecutive series per agency, register (KS = births, KH = marriages…)
-- and year, from 1 (Circular 04/2020/TT-BTP Art. 29: the number on the
-- paper equals the number in the register). Numbers are taken in the
-- transaction that issues the result, so a rollback leaves no gap.
CREATE TABLE register_numbers (
    agency_id TEXT NOT NULL,
    register  TEXT NOT NULL,
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (agency_id, register, year)
);

-- An official's position (chức vụ) at the agency of a grant, printed
-- under the signature of the results the official signs ("Chủ tịch").
ALTER TABLE account_grants ADD COLUMN position TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE account_grants DROP COLUMN position;
DROP TABLE register_numbers;
