-- Saved import column mappings (issue 22): what each header of a file becomes, found again by
-- the key of its headers (SHA-256 of the headers trimmed, in lower case, in order).
CREATE TABLE import_mappings (
    headers_key TEXT PRIMARY KEY,
    headers     TEXT NOT NULL, -- JSON array of the headers, in file order
    map         TEXT NOT NULL, -- JSON object: header -> attribute, subscription column or "-"
    saved_by    TEXT NOT NULL,
    saved_at    INTEGER NOT NULL -- microseconds since the Unix epoch
) WITHOUT ROWID;
