-- Audit entries are evidence (0001 refuses UPDATE and DELETE row by row); TRUNCATE fires no row
-- trigger, so a statement trigger refuses it too.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
