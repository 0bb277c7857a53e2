-- Saved list views (issue 5): the columns each user chose for a list, in order, as a JSON array.
CREATE TABLE views (
    user_name  TEXT NOT NULL,
    view       TEXT NOT NULL,
    columns    TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_name, view)
) WITHOUT ROWID;
