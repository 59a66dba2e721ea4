//! Organizations, their sites and services, and the people who act for them.

use super::audit::{self, AuditEntry};
use super::capacity::HistoryLine;
use super::directory::DirectoryRefusal;
use super::{Db, Query, StoreError, WriteTx, query};
use crate::domain::account::Role;
use crate::domain::capacity::CapacityCounts;
use crate::domain::profile::Eligibility;
use crate::domain::taxonomy::CategoryCode;

/// A person to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Sign-in email.
    pub email: &'a str,
    /// Name shown next to what they change.
    pub display_name: &'a str,
    /// Role.
    pub role: Role,
    /// Organizations they act for (providers only).
    pub organization_ids: &'a [i64],
}

/// An organization to create.
#[derive(Debug, Clone)]
pub struct NewOrganization<'a> {
    /// Name.
    pub name: &'a str,
    /// Description.
    pub description: &'a str,
    /// Website.
    pub website: Option<&'a str>,
    /// Main phone.
    pub phone: Option<&'a str>,
    /// Whether it is a victim service provider.
    pub victim_service_provider: bool,
    /// Whether an administrator has verified it.
    pub verified: bool,
}

/// What describes a site, as its provider admin gives it.
#[derive(Debug, Clone)]
pub struct SiteInfo<'a> {
    /// Name.
    pub name: &'a str,
    /// Town id (one of Connecticut's).
    pub town_id: i64,
    /// Street address (never shown to anyone but the owner and administrators when confidential).
    pub street_address: Option<&'a str>,
    /// Whether the address is confidential.
    pub address_confidential: bool,
    /// Public intake phone.
    pub intake_phone: Option<&'a str>,
    /// When it is open, in words (e.g. "24/7").
    pub hours: Option<&'a str>,
    /// Whether the site is wheelchair accessible.
    pub wheelchair_accessible: bool,
}

/// A site to create.
#[derive(Debug, Clone)]
pub struct NewSite<'a> {
    /// Owning organization.
    pub organization_id: i64,
    /// The site.
    pub info: SiteInfo<'a>,
}

/// A service to create, with its starting capacity.
#[derive(Debug, Clone)]
pub struct NewService<'a> {
    /// Site.
    pub site_id: i64,
    /// Category.
    pub category: &'a CategoryCode,
    /// Display name.
    pub name: &'a str,
    /// Eligibility rules.
    pub eligibility: &'a Eligibility,
    /// Starting counts (no holds yet).
    pub counts: CapacityCounts,
    /// Whether it accepts referrals.
    pub accepting_referrals: bool,
}

/// Creates a user; returns the id.
pub async fn create_user(db: &Db, user: &NewUser<'_>, now: i64) -> Result<i64, StoreError> {
    let mut tx = db.write().await?;
    let (id,): (i64,) =
        query("INSERT INTO users (email, display_name, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(user.email)
            .bind(user.display_name)
            .bind(user.role.code())
            .bind(now)
            .fetch_one(&mut tx)
            .await?;
    for org in user.organization_ids {
        query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
            .bind(id)
            .bind(org)
            .execute(&mut tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Creates an organization; returns the id.
pub async fn create_organization(db: &Db, org: &NewOrganization<'_>, now: i64) -> Result<i64, StoreError> {
    let mut tx = db.write().await?;
    let (id,): (i64,) = query(
        "INSERT INTO organizations (name, description, website, phone, victim_service_provider, verified, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org.name)
    .bind(org.description)
    .bind(org.website)
    .bind(org.phone)
    .bind(org.victim_service_provider)
    .bind(org.verified)
    .bind(now)
    .fetch_one(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates a site (seeding and imports); returns the id.
pub async fn create_site(db: &Db, site: &NewSite<'_>) -> Result<i64, StoreError> {
    let mut tx = db.write().await?;
    let id = insert_site(&mut tx, site).await?;
    tx.commit().await?;
    Ok(id)
}

/// A person adds a site to an organization that is not retired: created and audited (without the address)
/// in one transaction.
pub async fn add_site(
    db: &Db,
    site: &NewSite<'_>,
    actor: i64,
    now: i64,
) -> Result<Result<i64, DirectoryRefusal>, StoreError> {
    let mut tx = db.write().await?;
    if let Err(refusal) = super::directory::live_row(&mut tx, "organizations", site.organization_id).await? {
        return Ok(Err(refusal));
    }
    let id = insert_site(&mut tx, site).await?;
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: "site.create",
        entity: "site",
        entity_id: Some(id),
        old_value: None,
        new_value: Some(format!(
            "organization={} town={} confidential={} (address not logged)",
            site.organization_id, site.info.town_id, site.info.address_confidential
        )),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub(crate) async fn insert_site(tx: &mut WriteTx, site: &NewSite<'_>) -> Result<i64, StoreError> {
    let (id,): (i64,) = query(
        "INSERT INTO sites (organization_id, name, town_id, street_address, address_confidential, intake_phone,
            hours, wheelchair_accessible)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(site.organization_id)
    .bind(site.info.name)
    .bind(site.info.town_id)
    .bind(site.info.street_address)
    .bind(site.info.address_confidential)
    .bind(site.info.intake_phone)
    .bind(site.info.hours)
    .bind(site.info.wheelchair_accessible)
    .fetch_one(tx)
    .await?;
    Ok(id)
}

/// Creates a service with its capacity row and first history entry, confirmed at `now` by `user_id`
/// (seeding and imports).
pub async fn create_service(
    db: &Db,
    service: &NewService<'_>,
    user_id: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    let mut tx = db.write().await?;
    let id = insert_service(&mut tx, service, user_id, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// A person adds a service to a site that is not retired: created with its first counts and audited in one
/// transaction.
pub async fn add_service(
    db: &Db,
    service: &NewService<'_>,
    actor: i64,
    now: i64,
) -> Result<Result<i64, DirectoryRefusal>, StoreError> {
    let mut tx = db.write().await?;
    if let Err(refusal) = super::directory::live_row(&mut tx, "sites", service.site_id).await? {
        return Ok(Err(refusal));
    }
    let id = insert_service(&mut tx, service, Some(actor), now).await?;
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: "service.create",
        entity: "service",
        entity_id: Some(id),
        old_value: None,
        new_value: Some(format!(
            "site={} category={} total={} available={}",
            service.site_id,
            service.category.as_str(),
            service.counts.total(),
            service.counts.available()
        )),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub(crate) async fn insert_service(
    tx: &mut WriteTx,
    service: &NewService<'_>,
    user_id: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    service.eligibility.validate().map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let e = service.eligibility;
    let q = query(
        "INSERT INTO services (site_id, category, name, age_groups, trafficking_types, genders, min_age, max_age,
                accepts_children, pets_allowed, wheelchair_accessible, id_required, sobriety_required)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(service.site_id)
    .bind(service.category.as_str())
    .bind(service.name);
    let (id,): (i64,) = bind_eligibility(q, e).fetch_one(&mut *tx).await?;
    for language in &e.languages {
        query("INSERT INTO service_languages (service_id, language) VALUES ($1, $2)")
            .bind(id)
            .bind(language.as_str())
            .execute(&mut *tx)
            .await?;
    }
    query(
        "INSERT INTO capacity (service_id, total, vacant, accepting_referrals, last_changed_at, last_changed_by,
                last_confirmed_at, last_confirmed_by)
             VALUES ($1, $2, $3, $4, $5, $6, $5, $6)",
    )
    .bind(id)
    .bind(service.counts.total())
    .bind(service.counts.vacant())
    .bind(service.accepting_referrals)
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    HistoryLine {
        service_id: id,
        at: now,
        user_id,
        kind: "created",
        total: (None, service.counts.total()),
        vacant: (None, service.counts.vacant()),
        accepting: (None, service.accepting_referrals),
    }
    .record(&mut *tx)
    .await?;
    Ok(id)
}

/// Binds a service's ten eligibility columns, in the order both statements name them.
pub(crate) fn bind_eligibility(q: Query, e: &Eligibility) -> Query {
    q.bind(e.age_groups.bits())
        .bind(e.trafficking_types.bits())
        .bind(e.genders.bits())
        .bind(e.min_age.map(i64::from))
        .bind(e.max_age.map(i64::from))
        .bind(e.accepts_children)
        .bind(e.pets_allowed)
        .bind(e.wheelchair_accessible)
        .bind(e.id_required)
        .bind(e.sobriety_required)
}

/// Sets a service's status (`active`, `temporarily_closed`, `inactive`).
pub async fn set_service_status(db: &Db, service_id: i64, status: &str) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    let done =
        query("UPDATE services SET status = $1 WHERE id = $2").bind(status).bind(service_id).execute(&mut tx).await?;
    tx.commit().await?;
    if done == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// How many organizations exist.
pub async fn count_organizations(db: &Db) -> Result<i64, StoreError> {
    let (n,): (i64,) = query("SELECT COUNT(*) FROM organizations").fetch_one(db).await?;
    Ok(n)
}

/// Gives a demo account its password hash and, optionally, an active TOTP secret.
pub async fn set_demo_credentials(
    db: &Db,
    user_id: i64,
    password_hash: &str,
    totp_secret: Option<&str>,
) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query("UPDATE users SET password_hash = $1, totp_secret = $2, totp_enabled = $3 WHERE id = $4")
        .bind(password_hash)
        .bind(totp_secret)
        .bind(totp_secret.is_some())
        .bind(user_id)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A service as its provider lists it (capacity comes separately, in one batch).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct OwnedService {
    /// Service id.
    pub service_id: i64,
    /// Site id.
    pub site_id: i64,
    /// Site name.
    pub site_name: String,
    /// Organization id.
    pub organization_id: i64,
    /// Organization name.
    pub organization_name: String,
    /// Town of the site.
    pub town: String,
    /// Category code.
    pub category: String,
    /// Category name.
    pub category_name: String,
    /// Unit of capacity.
    pub unit: String,
    /// Family code.
    pub family: String,
    /// Service name.
    pub name: String,
    /// Status code.
    pub status: String,
    /// When it was retired, if it was: it then takes no more changes.
    pub retired_at: Option<i64>,
}

const OWNED_SERVICE_SQL: &str = "SELECT s.id AS service_id, si.id AS site_id, si.name AS site_name, o.id AS organization_id,
        o.name AS organization_name, t.name AS town, s.category, cat.name AS category_name, cat.unit, cat.family, s.name, s.status,
        s.retired_at
    FROM services s JOIN sites si ON si.id = s.site_id JOIN organizations o ON o.id = si.organization_id
    JOIN towns t ON t.id = si.town_id JOIN categories cat ON cat.code = s.category";

/// The services of the given organizations that are not retired, by site then name.
pub async fn owned_services(db: &Db, organization_ids: &[i64]) -> Result<Vec<OwnedService>, StoreError> {
    if organization_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = query(OWNED_SERVICE_SQL);
    q.push(" WHERE s.retired_at IS NULL AND si.organization_id IN ").push_bind_list(organization_ids.iter().copied());
    q.push(" ORDER BY o.name, si.name, s.name, s.id");
    q.fetch_all(db).await
}

/// One service with its owner, if it exists.
pub async fn owned_service(db: &Db, service_id: i64) -> Result<Option<OwnedService>, StoreError> {
    query(format!("{OWNED_SERVICE_SQL} WHERE s.id = $1")).bind(service_id).fetch_optional(db).await
}

/// The organization owning a hold's service.
pub async fn hold_owner(db: &Db, hold_id: i64) -> Result<Option<(i64, Option<i64>)>, StoreError> {
    const SQL: &str = "SELECT si.organization_id, h.created_by FROM holds h JOIN services s ON s.id = h.service_id
        JOIN sites si ON si.id = s.site_id WHERE h.id = $1";
    query(SQL).bind(hold_id).fetch_optional(db).await
}

/// A service's eligibility columns as stored (languages live in their own table).
#[derive(sqlx::FromRow)]
pub(crate) struct EligibilityRow {
    age_groups: i64,
    trafficking_types: i64,
    genders: i64,
    min_age: Option<i64>,
    max_age: Option<i64>,
    accepts_children: bool,
    pets_allowed: bool,
    wheelchair_accessible: bool,
    id_required: bool,
    sobriety_required: bool,
}

/// The eligibility columns, in the order [`EligibilityRow`] reads them.
pub(crate) const ELIGIBILITY_COLUMNS: &str = "age_groups, trafficking_types, genders, min_age, max_age,
    accepts_children, pets_allowed, wheelchair_accessible, id_required, sobriety_required";

impl EligibilityRow {
    /// The rules, with the service's languages.
    pub(crate) fn with_languages(
        self,
        languages: Vec<crate::domain::profile::LanguageCode>,
    ) -> Result<Eligibility, StoreError> {
        use crate::domain::profile::{AgeGroups, Genders, TraffickingTypes};
        Ok(Eligibility {
            age_groups: AgeGroups::from_bits(self.age_groups)?,
            trafficking_types: TraffickingTypes::from_bits(self.trafficking_types)?,
            genders: Genders::from_bits(self.genders)?,
            min_age: self.min_age.and_then(|a| u8::try_from(a).ok()),
            max_age: self.max_age.and_then(|a| u8::try_from(a).ok()),
            accepts_children: self.accepts_children,
            pets_allowed: self.pets_allowed,
            wheelchair_accessible: self.wheelchair_accessible,
            id_required: self.id_required,
            sobriety_required: self.sobriety_required,
            languages,
        })
    }
}

/// A service's eligibility rules.
pub async fn eligibility(db: &Db, service_id: i64) -> Result<Option<Eligibility>, StoreError> {
    const LANGS: &str = "SELECT language FROM service_languages WHERE service_id = $1 ORDER BY language";
    let row: Option<EligibilityRow> = query(format!("SELECT {ELIGIBILITY_COLUMNS} FROM services WHERE id = $1"))
        .bind(service_id)
        .fetch_optional(db)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let langs: Vec<(String,)> = query(LANGS).bind(service_id).fetch_all(db).await?;
    let languages = langs.into_iter().filter_map(|(l,)| crate::domain::profile::LanguageCode::parse(&l).ok()).collect();
    row.with_languages(languages).map(Some)
}

/// Replaces a service's eligibility rules and status, audited.
pub async fn update_eligibility(
    db: &Db,
    service_id: i64,
    e: &Eligibility,
    status: &str,
    actor: i64,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    let q = query(
        "UPDATE services SET age_groups = $1, trafficking_types = $2, genders = $3, min_age = $4, max_age = $5,
                accepts_children = $6, pets_allowed = $7, wheelchair_accessible = $8, id_required = $9,
                sobriety_required = $10, status = $11 WHERE id = $12",
    );
    bind_eligibility(q, e).bind(status).bind(service_id).execute(&mut tx).await?;
    query("DELETE FROM service_languages WHERE service_id = $1").bind(service_id).execute(&mut tx).await?;
    for language in &e.languages {
        query("INSERT INTO service_languages (service_id, language) VALUES ($1, $2)")
            .bind(service_id)
            .bind(language.as_str())
            .execute(&mut tx)
            .await?;
    }
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: "service.describe",
        entity: "service",
        entity_id: Some(service_id),
        old_value: None,
        new_value: Some(format!(
            "status={status} ages={} types={} genders={} languages={}",
            e.age_groups.bits(),
            e.trafficking_types.bits(),
            e.genders.bits(),
            e.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(",")
        )),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}
