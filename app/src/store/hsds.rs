//! The live directory as HSDS documents are built from it: organizations, sites and services that are not
//! retired, with their categories, languages and capacity. Read in a handful of queries, whole.

use std::collections::HashMap;

use super::sites::SiteDetails;
use super::{Db, StoreError, query};
use crate::domain::capacity::CapacitySnapshot;
use crate::domain::freshness::FreshnessPolicy;
use crate::domain::profile::{Eligibility, LanguageCode};

/// An organization.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganizationRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Website.
    pub website: Option<String>,
    /// Main phone.
    pub phone: Option<String>,
    /// Its id in the directory it was imported from.
    pub external_id: Option<String>,
}

/// A site with what an export needs besides its details.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SiteRow {
    /// Its details (the street address is read only to be left out where confidential).
    #[sqlx(flatten)]
    pub details: SiteDetails,
    /// ZIP code.
    pub postal_code: Option<String>,
    /// Its id in the directory it was imported from.
    pub external_id: Option<String>,
}

/// A category of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CategoryRow {
    /// Code.
    pub code: String,
    /// Family code.
    pub family: String,
    /// Name.
    pub name: String,
    /// Unit (singular).
    pub unit: String,
    /// A shared taxonomy's term, if set.
    pub taxonomy_term: Option<String>,
}

/// A service with its rules, languages and capacity now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRow {
    /// Id.
    pub id: i64,
    /// Site.
    pub site_id: i64,
    /// Category code.
    pub category: String,
    /// Name.
    pub name: String,
    /// Status code (`active`, `temporarily_closed`, `inactive`).
    pub status: String,
    /// Who it serves.
    pub eligibility: Eligibility,
    /// Capacity now, with its freshness.
    pub capacity: CapacitySnapshot,
    /// Its id in the directory it was imported from.
    pub external_id: Option<String>,
}

/// The whole live directory, each list in id order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectoryRows {
    /// Organizations.
    pub organizations: Vec<OrganizationRow>,
    /// Sites.
    pub sites: Vec<SiteRow>,
    /// Services.
    pub services: Vec<ServiceRow>,
    /// The taxonomy.
    pub categories: Vec<CategoryRow>,
}

/// Reads the live directory at `now`.
pub async fn directory(db: &Db, now: i64, policy: &FreshnessPolicy) -> Result<DirectoryRows, StoreError> {
    let organizations: Vec<OrganizationRow> = query(
        "SELECT id, name, description, website, phone, external_id FROM organizations WHERE retired_at IS NULL
         ORDER BY id",
    )
    .fetch_all(db)
    .await?;
    let sites: Vec<SiteRow> = query(
        "SELECT si.id, si.organization_id, si.name, si.town_id, t.name AS town, si.street_address,
            si.address_confidential, si.intake_phone, si.hours, si.wheelchair_accessible, si.retired_at,
            si.postal_code, si.external_id
         FROM sites si JOIN towns t ON t.id = si.town_id
         JOIN organizations o ON o.id = si.organization_id
         WHERE si.retired_at IS NULL AND o.retired_at IS NULL ORDER BY si.id",
    )
    .fetch_all(db)
    .await?;
    let categories: Vec<CategoryRow> =
        query("SELECT code, family, name, unit, taxonomy_term FROM categories ORDER BY code").fetch_all(db).await?;
    let listed: Vec<(i64, i64, String, String, String, Option<String>)> = query(
        "SELECT s.id, s.site_id, s.category, s.name, s.status, s.external_id FROM services s
         JOIN sites si ON si.id = s.site_id
         WHERE s.retired_at IS NULL AND si.retired_at IS NULL ORDER BY s.id",
    )
    .fetch_all(db)
    .await?;
    let ids: Vec<i64> = listed.iter().map(|s| s.0).collect();
    let mut capacity = super::capacity::snapshots(db, &ids, now, policy).await?;
    let mut eligibility = eligibilities(db, &ids).await?;
    let services = listed
        .into_iter()
        .filter_map(|(id, site_id, category, name, status, external_id)| {
            Some(ServiceRow {
                id,
                site_id,
                category,
                name,
                status,
                eligibility: eligibility.remove(&id)?,
                capacity: capacity.remove(&id)?,
                external_id,
            })
        })
        .collect();
    Ok(DirectoryRows { organizations, sites, services, categories })
}

#[derive(sqlx::FromRow)]
struct ServiceEligibility {
    id: i64,
    #[sqlx(flatten)]
    rules: super::providers::EligibilityRow,
}

/// The eligibility rules and languages of the live services, by service.
async fn eligibilities(db: &Db, ids: &[i64]) -> Result<HashMap<i64, Eligibility>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let columns = super::providers::ELIGIBILITY_COLUMNS;
    let rows: Vec<ServiceEligibility> =
        query(format!("SELECT id, {columns} FROM services WHERE retired_at IS NULL")).fetch_all(db).await?;
    let languages: Vec<(i64, String)> =
        query("SELECT service_id, language FROM service_languages ORDER BY service_id, language").fetch_all(db).await?;
    let mut spoken: HashMap<i64, Vec<LanguageCode>> = HashMap::new();
    for (service, code) in languages {
        if let Ok(code) = LanguageCode::parse(&code) {
            spoken.entry(service).or_default().push(code);
        }
    }
    rows.into_iter().map(|r| Ok((r.id, r.rules.with_languages(spoken.remove(&r.id).unwrap_or_default())?))).collect()
}
