-- Jobs: long work recorded in the database, so a restarted server reports it and several servers
-- can share the queue. Counts and options are JSON; times are microseconds since the epoch.
CREATE TABLE jobs (
    job_id      TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    options     TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    finished_at INTEGER,
    rows_done   INTEGER NOT NULL DEFAULT 0,
    rows_total  INTEGER,
    counts      TEXT NOT NULL DEFAULT '{}',
    error       TEXT,
    preview     TEXT             -- JSON: what the operator saw before starting
);
CREATE INDEX jobs_kind_created ON jobs (kind, created_at);

-- Every rejected row of a job, for its downloadable file; goes with the job.
CREATE TABLE job_rejections (
    job_id  TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
    row     INTEGER NOT NULL,
    column  TEXT NOT NULL,
    value   TEXT NOT NULL,
    code    TEXT NOT NULL,
    reason  TEXT NOT NULL,
    cells   TEXT NOT NULL,
    PRIMARY KEY (job_id, row)
) WITHOUT ROWID;
