-- SQLite's INTEGER is already 64-bit: PostgreSQL's audit_head.id catches up. This migration keeps both
-- dialects' numbering in step.
SELECT 1;
