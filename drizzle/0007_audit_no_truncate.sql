-- TRUNCATE skips row triggers: refuse it too, so the audit cannot be emptied through the application's connection.
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
