-- The second factor belongs to the session, not only to the account (SQLite dialect; kept in step with
-- migrations/postgres/0005_second_factor_sessions.sql).
-- users.totp_last_step: the last accepted TOTP time step, so a code signs in once only.
-- sessions.second_factor: whether this session passed its own second factor (at sign-in or by enrolling).
-- sessions.pending_totp_secret: a secret being set up, seen only by the session that started it.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
ALTER TABLE sessions ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN pending_totp_secret TEXT;
-- A secret that was never switched on was shown to every session of its account: forget it.
UPDATE users SET totp_secret = NULL WHERE totp_enabled = FALSE;
