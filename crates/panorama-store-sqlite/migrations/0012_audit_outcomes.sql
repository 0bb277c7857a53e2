-- Audit outcomes (issue 21): an entry is appended before its act, so that an act that cannot be
-- recorded does not happen; whether the act then succeeded or was refused is set afterwards,
-- once. NULL: not known yet (the act is running, its outcome could not be written, or the entry
-- is older than this migration). `reason` is the refusal's error code.
ALTER TABLE audit_log ADD COLUMN outcome TEXT CHECK (outcome IN ('succeeded', 'refused'));
ALTER TABLE audit_log ADD COLUMN reason TEXT;

-- Entries stay evidence: the one change allowed is setting an unset outcome (and its reason);
-- every other column must stay as it was. Deletes stay refused (0009).
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    OLD.outcome IS NULL AND OLD.reason IS NULL AND NEW.outcome IS NOT NULL
    AND NEW.entry_id IS OLD.entry_id AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor
    AND NEW.action IS OLD.action AND NEW.target IS OLD.target AND NEW.detail IS OLD.detail
)
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed');
END;
