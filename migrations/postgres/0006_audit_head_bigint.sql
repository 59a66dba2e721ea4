-- Every integer column is 64-bit, as SQLite's INTEGER is; the audit chain's head row was the one 32-bit key
-- (found by the test that compares the two dialects' schemas).
ALTER TABLE audit_head ALTER COLUMN id TYPE BIGINT;
