-- A need keeps its county beside its planning region, so that oversight can be read by either scheme. Both come
-- from the town a coordinator names; the town itself is not kept (a region and a county say enough, and a small
-- town could say too much). Needs recorded before this have no county: oversight counts them as "not recorded".
ALTER TABLE needs ADD COLUMN county_id BIGINT REFERENCES regions(id);
