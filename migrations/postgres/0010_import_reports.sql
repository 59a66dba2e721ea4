-- What each import uploaded by an administrator found and did, for the upload page to show (PostgreSQL dialect).
-- Kept in step with migrations/sqlite/0010_import_reports.sql. A report holds counts and problems by file,
-- line and column; never a street address.

CREATE TABLE import_reports (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    file_name   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    report      TEXT NOT NULL
);
CREATE INDEX import_reports_user ON import_reports(user_id, created_at);
