-- Audit outcomes (issue 21): an entry is appended before its act, so that an act that cannot be
-- recorded does not happen; whether the act then succeeded or was refused is set afterwards,
-- once. NULL: not known yet (the act is running, its outcome could not be written, or the entry
-- is older than this migration). `reason` is the refusal's error code.
ALTER TABLE audit_log
    ADD COLUMN outcome text CHECK (outcome IN ('succeeded', 'refused')),
    ADD COLUMN reason text;

-- Entries stay evidence: the one change allowed is setting an unset outcome (and its reason);
-- every other column must stay as it was. DELETE and TRUNCATE stay refused (0001, 0002).
CREATE FUNCTION audit_log_settle_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.outcome IS NULL AND OLD.reason IS NULL AND NEW.outcome IS NOT NULL
       AND (NEW.entry_id, NEW.at, NEW.actor, NEW.action, NEW.target, NEW.detail)
           IS NOT DISTINCT FROM (OLD.entry_id, OLD.at, OLD.actor, OLD.action, OLD.target, OLD.detail)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or removed';
END $$;
DROP TRIGGER audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_settle_only BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_settle_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
