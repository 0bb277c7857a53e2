-- Job leases: several servers (and CLI imports) share the job queue. A worker claims a job until
-- `claimed_until` (microseconds since the epoch) and keeps moving it forward while it runs; a
-- running job whose lease ran out (its worker was killed) may be claimed by another worker.
-- `claimed_by` names the holder, so only it records progress and the end of the job.
ALTER TABLE jobs ADD COLUMN claimed_by TEXT;
ALTER TABLE jobs ADD COLUMN claimed_until INTEGER;

-- Workers look for claimable jobs every few seconds: only queued and running ones, oldest first.
CREATE INDEX jobs_claimable ON jobs (created_at, job_id) WHERE state IN ('queued', 'running');
