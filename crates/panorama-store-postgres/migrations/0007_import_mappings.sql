-- Saved import column mappings (issue 22): what each header of a file becomes, found again by
-- the key of its headers (SHA-256 of the headers trimmed, in lower case, in order).
CREATE TABLE import_mappings (
    headers_key text PRIMARY KEY,
    headers     jsonb NOT NULL, -- array of the headers, in file order
    map         jsonb NOT NULL, -- header -> attribute, subscription column or "-"
    saved_by    text NOT NULL,
    saved_at    bigint NOT NULL -- microseconds since the Unix epoch
);
