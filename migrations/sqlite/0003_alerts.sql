-- Saved searches that alert a coordinator when matching fresh capacity appears (SQLite dialect).
-- Kept in step with migrations/postgres/0003_alerts.sql.

CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    query       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX alerts_user ON alerts(user_id);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    alert_id    INTEGER NOT NULL REFERENCES alerts(id),
    service_id  INTEGER NOT NULL REFERENCES services(id),
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);
