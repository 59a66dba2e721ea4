-- Accounts, sessions, one-time links, sign-in throttling and the hash-chained audit log (SQLite dialect).
-- Kept in step with migrations/postgres/0002_accounts.sql. Secrets are stored only as hashes.

ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE recovery_codes (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE one_time_links (
    token_hash       TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('invite', 'reset')),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    created_by       INTEGER REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    used_at          INTEGER
);

CREATE TABLE sign_in_attempts (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    account     TEXT NOT NULL,
    client      TEXT NOT NULL,
    succeeded   BOOLEAN NOT NULL
);
CREATE INDEX sign_in_attempts_account ON sign_in_attempts(account, at);
CREATE INDEX sign_in_attempts_client ON sign_in_attempts(client, at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    INTEGER,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER,
    old_value   TEXT,
    new_value   TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The chain's head: updating this one row serializes appends, so no two entries share a predecessor.
CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, last_hash) VALUES (1, 'genesis');

-- Messages shown once to one session after a plain-form POST (e.g. a new invitation link), then deleted.
CREATE TABLE flashes (
    session_hash  TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX flashes_session ON flashes(session_hash);
