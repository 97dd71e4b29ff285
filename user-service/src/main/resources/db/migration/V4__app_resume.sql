-- Resume across reconnects (per app, null: the deployment default apps.defaults.*): how long a closed resumable
-- connection's positions are kept and its channels' events stored, and how many events one channel keeps.
ALTER TABLE apps ADD COLUMN resume_window_seconds INTEGER;
ALTER TABLE apps ADD COLUMN max_stored_events_per_channel INTEGER;
