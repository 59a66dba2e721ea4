-- A retired service keeps its history; from `retired_at` (UTC Unix seconds) on it leaves search, the gap
-- matrix and every total, and takes no more changes.
ALTER TABLE services ADD COLUMN retired_at INTEGER;
