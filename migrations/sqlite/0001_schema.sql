-- Continuum schema, SQLite dialect. Kept in step with migrations/postgres/0001_schema.sql.
-- Timestamps are UTC Unix seconds (INTEGER). Sets of age groups, trafficking types and genders are bit masks.
-- No table has a column for a survivor's name, birth date, contact details or free-text notes.

CREATE TABLE region_schemes (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE regions (
    id          INTEGER PRIMARY KEY,
    scheme      TEXT NOT NULL REFERENCES region_schemes(code),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    UNIQUE (scheme, code)
);

CREATE TABLE towns (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    fips        TEXT NOT NULL UNIQUE
);

CREATE TABLE town_regions (
    town_id     INTEGER NOT NULL REFERENCES towns(id),
    region_id   INTEGER NOT NULL REFERENCES regions(id),
    scheme      TEXT NOT NULL REFERENCES region_schemes(code),
    PRIMARY KEY (town_id, scheme),
    UNIQUE (town_id, region_id)
);
CREATE INDEX town_regions_region ON town_regions(region_id);

CREATE TABLE categories (
    code        TEXT PRIMARY KEY,
    family      TEXT NOT NULL CHECK (family IN ('housing', 'legal', 'specialist')),
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrator', 'coordinator', 'funder', 'provider_admin', 'provider_staff')),
    created_at    INTEGER NOT NULL
);

CREATE TABLE organizations (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,
    description           TEXT NOT NULL DEFAULT '',
    website               TEXT,
    phone                 TEXT,
    victim_service_provider BOOLEAN NOT NULL DEFAULT TRUE,
    verified              BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            INTEGER NOT NULL
);

CREATE TABLE user_organizations (
    user_id          INTEGER NOT NULL REFERENCES users(id),
    organization_id  INTEGER NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (user_id, organization_id)
);

CREATE TABLE sites (
    id                     INTEGER PRIMARY KEY,
    organization_id        INTEGER NOT NULL REFERENCES organizations(id),
    name                   TEXT NOT NULL,
    town_id                INTEGER NOT NULL REFERENCES towns(id),
    street_address         TEXT,
    address_confidential   BOOLEAN NOT NULL DEFAULT FALSE,
    intake_phone           TEXT,
    wheelchair_accessible  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sites_town ON sites(town_id);
CREATE INDEX sites_org ON sites(organization_id);

CREATE TABLE services (
    id                 INTEGER PRIMARY KEY,
    site_id            INTEGER NOT NULL REFERENCES sites(id),
    category           TEXT NOT NULL REFERENCES categories(code),
    name               TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'temporarily_closed', 'inactive')),
    age_groups         INTEGER NOT NULL CHECK (age_groups BETWEEN 1 AND 3),
    trafficking_types  INTEGER NOT NULL CHECK (trafficking_types BETWEEN 1 AND 3),
    genders            INTEGER NOT NULL CHECK (genders BETWEEN 1 AND 15),
    min_age            INTEGER CHECK (min_age BETWEEN 0 AND 120),
    max_age            INTEGER CHECK (max_age BETWEEN 0 AND 120),
    accepts_children   BOOLEAN NOT NULL DEFAULT FALSE,
    pets_allowed       BOOLEAN NOT NULL DEFAULT FALSE,
    wheelchair_accessible BOOLEAN NOT NULL DEFAULT FALSE,
    id_required        BOOLEAN NOT NULL DEFAULT FALSE,
    sobriety_required  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX services_site ON services(site_id);
CREATE INDEX services_category ON services(category);

CREATE TABLE service_languages (
    service_id  INTEGER NOT NULL REFERENCES services(id),
    language    TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 3),
    PRIMARY KEY (service_id, language)
);

-- vacant = free units including those on hold; available (shown) = vacant - active holds.
CREATE TABLE capacity (
    service_id          INTEGER PRIMARY KEY REFERENCES services(id),
    total               INTEGER NOT NULL CHECK (total >= 0),
    vacant              INTEGER NOT NULL CHECK (vacant >= 0 AND vacant <= total),
    accepting_referrals BOOLEAN NOT NULL DEFAULT TRUE,
    last_changed_at     INTEGER NOT NULL,
    last_changed_by     INTEGER REFERENCES users(id),
    last_confirmed_at   INTEGER NOT NULL,
    last_confirmed_by   INTEGER REFERENCES users(id),
    version             INTEGER NOT NULL DEFAULT 1,
    hold_seq            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX capacity_confirmed ON capacity(last_confirmed_at);

-- Append-only: every change and confirmation.
CREATE TABLE capacity_history (
    id             INTEGER PRIMARY KEY,
    service_id     INTEGER NOT NULL REFERENCES services(id),
    at             INTEGER NOT NULL,
    user_id        INTEGER REFERENCES users(id),
    kind           TEXT NOT NULL CHECK (kind IN ('created', 'change', 'confirm', 'arrival')),
    old_total      INTEGER,
    new_total      INTEGER NOT NULL,
    old_vacant     INTEGER,
    new_vacant     INTEGER NOT NULL,
    old_accepting  BOOLEAN,
    new_accepting  BOOLEAN NOT NULL
);
CREATE INDEX capacity_history_service_at ON capacity_history(service_id, at);
CREATE INDEX capacity_history_at ON capacity_history(at);
CREATE TRIGGER capacity_history_no_update BEFORE UPDATE ON capacity_history
BEGIN SELECT RAISE(ABORT, 'capacity_history is append-only'); END;
CREATE TRIGGER capacity_history_no_delete BEFORE DELETE ON capacity_history
BEGIN SELECT RAISE(ABORT, 'capacity_history is append-only'); END;

CREATE TABLE needs (
    id                INTEGER PRIMARY KEY,
    created_at        INTEGER NOT NULL,
    created_by        INTEGER REFERENCES users(id),
    region_id         INTEGER NOT NULL REFERENCES regions(id),
    age_group         TEXT NOT NULL CHECK (age_group IN ('minor', 'adult')),
    trafficking_type  TEXT NOT NULL CHECK (trafficking_type IN ('sex', 'labor', 'both', 'unknown')),
    gender            TEXT CHECK (gender IN ('female', 'male', 'transgender', 'nonbinary')),
    household_size    INTEGER NOT NULL CHECK (household_size BETWEEN 1 AND 12),
    wheelchair        BOOLEAN NOT NULL DEFAULT FALSE,
    urgency           TEXT NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'standard')),
    closed_at         INTEGER,
    outcome           TEXT CHECK (outcome IN ('placed_in_region', 'placed_outside_region', 'not_placed', 'declined_by_survivor', 'withdrawn')),
    placed_region_id  INTEGER REFERENCES regions(id),
    CHECK ((closed_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX needs_created ON needs(created_at);

CREATE TABLE need_languages (
    need_id   INTEGER NOT NULL REFERENCES needs(id),
    language  TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 3),
    PRIMARY KEY (need_id, language)
);

CREATE TABLE need_categories (
    need_id   INTEGER NOT NULL REFERENCES needs(id),
    category  TEXT NOT NULL REFERENCES categories(code),
    PRIMARY KEY (need_id, category)
);

CREATE TABLE need_reasons (
    need_id  INTEGER NOT NULL REFERENCES needs(id),
    reason   TEXT NOT NULL CHECK (reason IN ('no_capacity', 'eligibility_mismatch', 'language', 'accessibility', 'safety_conflict', 'distance_or_transport', 'waitlist_too_long', 'other')),
    PRIMARY KEY (need_id, reason)
);

CREATE TABLE holds (
    id           INTEGER PRIMARY KEY,
    service_id   INTEGER NOT NULL REFERENCES services(id),
    units        INTEGER NOT NULL CHECK (units BETWEEN 1 AND 20),
    state        TEXT NOT NULL CHECK (state IN ('held', 'confirmed', 'released', 'expired')),
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    expires_at   INTEGER NOT NULL,
    ended_at     INTEGER,
    need_id      INTEGER REFERENCES needs(id)
);
CREATE INDEX holds_active ON holds(service_id, state, expires_at);
