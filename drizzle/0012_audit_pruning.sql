-- The audit stays append-only, but for one exception: housekeeping removes a site's oldest
-- entries when AUDIT_RETENTION_DAYS is set, in a transaction that has set gatehouse.audit_pruning
-- and appends the keyed `audit_pruned` entry that accounts for them (src/audit/audit-pruning.ts).
-- The setting is a guard against mistakes, not a secret: whoever else sets it and deletes cannot
-- write that keyed entry, so the chain's start no longer matches and verification finds it.
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('gatehouse.audit_pruning', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql;
