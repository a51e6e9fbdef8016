-- +goose Up
-- The everyday and regional terms of the procedure search (issue 15): a
-- phrase people type ("sổ đỏ", "giấy khai sanh") and the codes of the
-- procedures they mean (a JSON array), keyed by the folded phrase.
CREATE TABLE search_terms (
    key        TEXT PRIMARY KEY,
    phrase     TEXT NOT NULL,
    codes      TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE search_terms;
