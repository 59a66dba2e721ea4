-- Rows brought in by an import keep the identifier they have in the state's directory (an HSDS id), so the
-- same data imported again changes nothing and an export gives them back their own ids. Sites keep a ZIP code.
ALTER TABLE organizations ADD COLUMN external_id TEXT;
ALTER TABLE sites ADD COLUMN external_id TEXT;
ALTER TABLE sites ADD COLUMN postal_code TEXT;
ALTER TABLE services ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX organizations_external_id ON organizations(external_id);
CREATE UNIQUE INDEX sites_external_id ON sites(external_id);
CREATE UNIQUE INDEX services_external_id ON services(external_id);
