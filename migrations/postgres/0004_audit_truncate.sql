-- The audit log cannot be emptied with TRUNCATE either (row triggers do not fire for it).
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
