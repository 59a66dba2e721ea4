-- Saved searches that alert a coordinator when matching fresh capacity appears (PostgreSQL dialect).
-- Kept in step with migrations/sqlite/0003_alerts.sql.

CREATE TABLE alerts (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    query       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX alerts_user ON alerts(user_id);

CREATE TABLE notifications (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    alert_id    BIGINT NOT NULL REFERENCES alerts(id),
    service_id  BIGINT NOT NULL REFERENCES services(id),
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);
