-- SQLite has no TRUNCATE: DELETE (with or without WHERE) is already refused by audit_log_no_delete.
-- This migration keeps both dialects' numbering in step.
SELECT 1;
