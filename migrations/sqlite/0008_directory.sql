-- The directory kept current in the app: organizations and sites retire like services (their history stays),
-- sites say when they are open, and categories name the term they stand for in a shared taxonomy (for HSDS).
ALTER TABLE organizations ADD COLUMN retired_at INTEGER;
ALTER TABLE sites ADD COLUMN retired_at INTEGER;
ALTER TABLE sites ADD COLUMN hours TEXT;
ALTER TABLE categories ADD COLUMN taxonomy_term TEXT;
