-- Continuum schema, PostgreSQL dialect. Kept in step with migrations/sqlite/0001_schema.sql.
-- Timestamps are UTC Unix seconds (BIGINT). Sets of age groups, trafficking types and genders are bit masks.
-- No table has a column for a survivor's name, birth date, contact details or free-text notes.

CREATE TABLE region_schemes (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE regions (
    id          BIGSERIAL PRIMARY KEY,
    scheme      TEXT NOT NULL REFERENCES region_schemes(code),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    UNIQUE (scheme, code)
);

CREATE TABLE towns (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    fips        TEXT NOT NULL UNIQUE
);

CREATE TABLE town_regions (
    town_id     BIGINT NOT NULL REFERENCES towns(id),
    region_id   BIGINT NOT NULL REFERENCES regions(id),
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
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrator', 'coordinator', 'funder', 'provider_admin', 'provider_staff')),
    created_at    BIGINT NOT NULL
);

CREATE TABLE organizations (
    id                    BIGSERIAL PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,
    description           TEXT NOT NULL DEFAULT '',
    website               TEXT,
    phone                 TEXT,
    victim_service_provider BOOLEAN NOT NULL DEFAULT TRUE,
    verified              BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            BIGINT NOT NULL
);

CREATE TABLE user_organizations (
    user_id          BIGINT NOT NULL REFERENCES users(id),
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (user_id, organization_id)
);

CREATE TABLE sites (
    id                     BIGSERIAL PRIMARY KEY,
    organization_id        BIGINT NOT NULL REFERENCES organizations(id),
    name                   TEXT NOT NULL,
    town_id                BIGINT NOT NULL REFERENCES towns(id),
    street_address         TEXT,
    address_confidential   BOOLEAN NOT NULL DEFAULT FALSE,
    intake_phone           TEXT,
    wheelchair_accessible  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sites_town ON sites(town_id);
CREATE INDEX sites_org ON sites(organization_id);

CREATE TABLE services (
    id                 BIGSERIAL PRIMARY KEY,
    site_id            BIGINT NOT NULL REFERENCES sites(id),
    category           TEXT NOT NULL REFERENCES categories(code),
    name               TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'temporarily_closed', 'inactive')),
    age_groups         BIGINT NOT NULL CHECK (age_groups BETWEEN 1 AND 3),
    trafficking_types  BIGINT NOT NULL CHECK (trafficking_types BETWEEN 1 AND 3),
    genders            BIGINT NOT NULL CHECK (genders BETWEEN 1 AND 15),
    min_age            BIGINT CHECK (min_age BETWEEN 0 AND 120),
    max_age            BIGINT CHECK (max_age BETWEEN 0 AND 120),
    accepts_children   BOOLEAN NOT NULL DEFAULT FALSE,
    pets_allowed       BOOLEAN NOT NULL DEFAULT FALSE,
    wheelchair_accessible BOOLEAN NOT NULL DEFAULT FALSE,
    id_required        BOOLEAN NOT NULL DEFAULT FALSE,
    sobriety_required  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX services_site ON services(site_id);
CREATE INDEX services_category ON services(category);

CREATE TABLE service_languages (
    service_id  BIGINT NOT NULL REFERENCES services(id),
    language    TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 3),
    PRIMARY KEY (service_id, language)
);

-- vacant = free units including those on hold; available (shown) = vacant - active holds.
CREATE TABLE capacity (
    service_id          BIGINT PRIMARY KEY REFERENCES services(id),
    total               BIGINT NOT NULL CHECK (total >= 0),
    vacant              BIGINT NOT NULL CHECK (vacant >= 0 AND vacant <= total),
    accepting_referrals BOOLEAN NOT NULL DEFAULT TRUE,
    last_changed_at     BIGINT NOT NULL,
    last_changed_by     BIGINT REFERENCES users(id),
    last_confirmed_at   BIGINT NOT NULL,
    last_confirmed_by   BIGINT REFERENCES users(id),
    version             BIGINT NOT NULL DEFAULT 1,
    hold_seq            BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX capacity_confirmed ON capacity(last_confirmed_at);

-- Append-only: every change and confirmation.
CREATE TABLE capacity_history (
    id             BIGSERIAL PRIMARY KEY,
    service_id     BIGINT NOT NULL REFERENCES services(id),
    at             BIGINT NOT NULL,
    user_id        BIGINT REFERENCES users(id),
    kind           TEXT NOT NULL CHECK (kind IN ('created', 'change', 'confirm', 'arrival')),
    old_total      BIGINT,
    new_total      BIGINT NOT NULL,
    old_vacant     BIGINT,
    new_vacant     BIGINT NOT NULL,
    old_accepting  BOOLEAN,
    new_accepting  BOOLEAN NOT NULL
);
CREATE INDEX capacity_history_service_at ON capacity_history(service_id, at);
CREATE INDEX capacity_history_at ON capacity_history(at);
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END;
$$;
CREATE TRIGGER capacity_history_append_only BEFORE UPDATE OR DELETE ON capacity_history
FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE needs (
    id                BIGSERIAL PRIMARY KEY,
    created_at        BIGINT NOT NULL,
    created_by        BIGINT REFERENCES users(id),
    region_id         BIGINT NOT NULL REFERENCES regions(id),
    age_group         TEXT NOT NULL CHECK (age_group IN ('minor', 'adult')),
    trafficking_type  TEXT NOT NULL CHECK (trafficking_type IN ('sex', 'labor', 'both', 'unknown')),
    gender            TEXT CHECK (gender IN ('female', 'male', 'transgender', 'nonbinary')),
    household_size    BIGINT NOT NULL CHECK (household_size BETWEEN 1 AND 12),
    wheelchair        BOOLEAN NOT NULL DEFAULT FALSE,
    urgency           TEXT NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'standard')),
    closed_at         BIGINT,
    outcome           TEXT CHECK (outcome IN ('placed_in_region', 'placed_outside_region', 'not_placed', 'declined_by_survivor', 'withdrawn')),
    placed_region_id  BIGINT REFERENCES regions(id),
    CHECK ((closed_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX needs_created ON needs(created_at);

CREATE TABLE need_languages (
    need_id   BIGINT NOT NULL REFERENCES needs(id),
    language  TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 3),
    PRIMARY KEY (need_id, language)
);

CREATE TABLE need_categories (
    need_id   BIGINT NOT NULL REFERENCES needs(id),
    category  TEXT NOT NULL REFERENCES categories(code),
    PRIMARY KEY (need_id, category)
);

CREATE TABLE need_reasons (
    need_id  BIGINT NOT NULL REFERENCES needs(id),
    reason   TEXT NOT NULL CHECK (reason IN ('no_capacity', 'eligibility_mismatch', 'language', 'accessibility', 'safety_conflict', 'distance_or_transport', 'waitlist_too_long', 'other')),
    PRIMARY KEY (need_id, reason)
);

CREATE TABLE holds (
    id           BIGSERIAL PRIMARY KEY,
    service_id   BIGINT NOT NULL REFERENCES services(id),
    units        BIGINT NOT NULL CHECK (units BETWEEN 1 AND 20),
    state        TEXT NOT NULL CHECK (state IN ('held', 'confirmed', 'released', 'expired')),
    created_at   BIGINT NOT NULL,
    created_by   BIGINT REFERENCES users(id),
    expires_at   BIGINT NOT NULL,
    ended_at     BIGINT,
    need_id      BIGINT REFERENCES needs(id)
);
CREATE INDEX holds_active ON holds(service_id, state, expires_at);
