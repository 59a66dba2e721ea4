-- Capacity at the end of each local day, by place (planning region and county) and service family, under one
-- freshness policy: the oversight dashboard reads these instead of replaying the whole capacity history.
-- A day counts as rolled up only once it is listed in capacity_rollup_days; a history line dated on or before a
-- day removes that listing, and the next sweep or dashboard read rebuilds it.
CREATE TABLE capacity_rollup (
    policy              TEXT NOT NULL,
    day                 TEXT NOT NULL,
    region              TEXT NOT NULL,
    county              TEXT NOT NULL,
    family              TEXT NOT NULL,
    total               BIGINT NOT NULL,
    countable_available BIGINT NOT NULL,
    services            BIGINT NOT NULL,
    fresh_services      BIGINT NOT NULL,
    stale_services      BIGINT NOT NULL,
    organization_ids    TEXT NOT NULL,
    PRIMARY KEY (policy, day, region, county, family)
);

CREATE TABLE capacity_rollup_days (
    policy TEXT NOT NULL,
    day    TEXT NOT NULL,
    PRIMARY KEY (policy, day)
);
CREATE INDEX capacity_rollup_days_day ON capacity_rollup_days(day);
