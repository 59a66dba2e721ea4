//! Applying a read package to the database in one transaction: each organization, site and service matched
//! by its HSDS id, added or changed only where it differs, and every earlier import's row that the package no
//! longer names retired. A dry run, or any problem found on the way, rolls everything back.

use std::collections::{HashMap, HashSet};

use super::capacity::HistoryLine;
use super::providers::{EligibilityRow, NewService, NewSite, SiteInfo};
use super::{Db, StoreError, WriteTx, query};
use crate::domain::capacity::CapacityCounts;
pub use crate::domain::import::Counts;
use crate::domain::profile::LanguageCode;
use crate::domain::taxonomy::CategoryCode;
use crate::hsds::import::{OrganizationIn, Package, Problem, Reference, ServiceIn, SiteIn};

/// What an import speaks for, and so may retire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The organizations the file names: their sites and services an earlier import brought in that the file
    /// no longer lists are retired; every other organization is left alone, so several sources can coexist.
    #[default]
    NamedOrganizations,
    /// The whole directory: whatever an earlier import brought in that the file no longer names is retired,
    /// organizations included.
    WholeDirectory,
}

/// What an import did (or, on a dry run or with problems, would have done: nothing was written then).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Outcome {
    /// Organizations.
    pub organizations: Counts,
    /// Sites.
    pub sites: Counts,
    /// Services.
    pub services: Counts,
    /// Problems found while matching (names already used by others).
    pub problems: Vec<Problem>,
    /// Whether it was written.
    pub written: bool,
}

/// The towns and categories a package is checked against.
pub async fn reference(db: &Db) -> Result<Reference, StoreError> {
    let towns: Vec<(i64, String)> = query("SELECT id, name FROM towns").fetch_all(db).await?;
    let categories: Vec<(String, Option<String>)> =
        query("SELECT code, taxonomy_term FROM categories").fetch_all(db).await?;
    Ok(Reference::new(towns, categories))
}

/// Applies `package` (read without problems) at `now`, retiring what it no longer names within `scope`;
/// writes only when `write` and nothing went wrong. `progress` hears how many services are done out of how many.
pub async fn apply(
    db: &Db,
    package: &Package,
    actor: Option<i64>,
    now: i64,
    write: bool,
    scope: Scope,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Outcome, StoreError> {
    let mut tx = db.write().await?;
    let mut out = Outcome::default();
    let mut organizations = HashMap::new();
    for o in &package.organizations {
        if let Some(id) = organization(&mut tx, o, now, &mut out).await? {
            organizations.insert(o.external_id.as_str(), id);
        }
    }
    let mut sites = HashMap::new();
    for s in &package.sites {
        let Some(&organization_id) = organizations.get(s.organization.as_str()) else { continue };
        sites.insert(s.external_id.as_str(), site(&mut tx, s, organization_id, &mut out.sites).await?);
    }
    for (done, s) in package.services.iter().enumerate() {
        if let Some(&site_id) = sites.get(s.site.as_str()) {
            service(&mut tx, s, site_id, actor, &mut out.services).await?;
        }
        if (done + 1) % 500 == 0 || done + 1 == package.services.len() {
            progress(done + 1, package.services.len());
        }
    }
    let named = |ids: Vec<&str>| ids.into_iter().map(str::to_owned).collect::<HashSet<String>>();
    let within = match scope {
        Scope::NamedOrganizations => Some(organizations.values().copied().collect::<HashSet<i64>>()),
        Scope::WholeDirectory => None,
    };
    let absent = Absent { within: within.as_ref(), now };
    let services = named(package.services.iter().map(|s| s.external_id.as_str()).collect());
    out.services.retired = absent.retire(&mut tx, "services", &services).await?;
    let sites = named(package.sites.iter().map(|s| s.external_id.as_str()).collect());
    out.sites.retired = absent.retire(&mut tx, "sites", &sites).await?;
    let orgs = named(package.organizations.iter().map(|o| o.external_id.as_str()).collect());
    out.organizations.retired = absent.retire(&mut tx, "organizations", &orgs).await?;
    if !write || !out.problems.is_empty() {
        return Ok(out);
    }
    let entry = super::audit::AuditEntry {
        actor_id: actor,
        action: "directory.import",
        entity: "directory",
        entity_id: None,
        old_value: None,
        new_value: Some(format!(
            "organizations {:?} sites {:?} services {:?}",
            out.organizations, out.sites, out.services
        )),
    };
    super::audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    out.written = true;
    Ok(out)
}

#[derive(sqlx::FromRow, PartialEq, Eq)]
struct OrganizationNow {
    id: i64,
    name: String,
    description: String,
    website: Option<String>,
    phone: Option<String>,
    retired_at: Option<i64>,
}

async fn organization(
    tx: &mut WriteTx,
    o: &OrganizationIn,
    now: i64,
    out: &mut Outcome,
) -> Result<Option<i64>, StoreError> {
    let current: Option<OrganizationNow> =
        query("SELECT id, name, description, website, phone, retired_at FROM organizations WHERE external_id = $1")
            .bind(o.external_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let taken: Option<(i64,)> =
        query("SELECT id FROM organizations WHERE name = $1 AND (external_id IS NULL OR external_id <> $2)")
            .bind(o.name.as_str())
            .bind(o.external_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        out.problems.push(Problem {
            file: "organizations.csv".into(),
            line: o.line,
            column: "name".into(),
            message: format!("{:?} is already the name of another organization", o.name),
        });
        return Ok(None);
    }
    let wanted = |id: i64| OrganizationNow {
        id,
        name: o.name.clone(),
        description: o.description.clone(),
        website: o.website.clone(),
        phone: o.phone.clone(),
        retired_at: None,
    };
    match current {
        Some(c) if c == wanted(c.id) => {
            out.organizations.unchanged += 1;
            Ok(Some(c.id))
        }
        Some(c) => {
            query(
                "UPDATE organizations SET name = $1, description = $2, website = $3, phone = $4, retired_at = NULL
                 WHERE id = $5",
            )
            .bind(o.name.as_str())
            .bind(o.description.as_str())
            .bind(o.website.as_deref())
            .bind(o.phone.as_deref())
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
            out.organizations.changed += 1;
            Ok(Some(c.id))
        }
        None => {
            let (id,): (i64,) = query(
                "INSERT INTO organizations (name, description, website, phone, victim_service_provider, verified,
                    created_at, external_id) VALUES ($1, $2, $3, $4, TRUE, FALSE, $5, $6) RETURNING id",
            )
            .bind(o.name.as_str())
            .bind(o.description.as_str())
            .bind(o.website.as_deref())
            .bind(o.phone.as_deref())
            .bind(now)
            .bind(o.external_id.as_str())
            .fetch_one(&mut *tx)
            .await?;
            out.organizations.added += 1;
            Ok(Some(id))
        }
    }
}

#[derive(sqlx::FromRow, PartialEq, Eq)]
struct SiteNow {
    id: i64,
    organization_id: i64,
    name: String,
    town_id: i64,
    street_address: Option<String>,
    postal_code: Option<String>,
    address_confidential: bool,
    intake_phone: Option<String>,
    hours: Option<String>,
    wheelchair_accessible: bool,
    retired_at: Option<i64>,
}

async fn site(tx: &mut WriteTx, s: &SiteIn, organization_id: i64, counts: &mut Counts) -> Result<i64, StoreError> {
    let current: Option<SiteNow> = query(
        "SELECT id, organization_id, name, town_id, street_address, postal_code, address_confidential, intake_phone,
            hours, wheelchair_accessible, retired_at FROM sites WHERE external_id = $1",
    )
    .bind(s.external_id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let wanted = |id: i64| SiteNow {
        id,
        organization_id,
        name: s.name.clone(),
        town_id: s.town_id,
        street_address: s.street_address.clone(),
        postal_code: s.postal_code.clone(),
        address_confidential: s.confidential,
        intake_phone: s.intake_phone.clone(),
        hours: s.hours.clone(),
        wheelchair_accessible: s.wheelchair,
        retired_at: None,
    };
    let id = match current {
        Some(c) if c == wanted(c.id) => {
            counts.unchanged += 1;
            return Ok(c.id);
        }
        Some(c) => {
            counts.changed += 1;
            c.id
        }
        None => {
            let info = SiteInfo {
                name: &s.name,
                town_id: s.town_id,
                street_address: s.street_address.as_deref(),
                address_confidential: s.confidential,
                intake_phone: s.intake_phone.as_deref(),
                hours: s.hours.as_deref(),
                wheelchair_accessible: s.wheelchair,
            };
            counts.added += 1;
            super::providers::insert_site(tx, &NewSite { organization_id, info }).await?
        }
    };
    query(
        "UPDATE sites SET organization_id = $1, name = $2, town_id = $3, street_address = $4, postal_code = $5,
            address_confidential = $6, intake_phone = $7, hours = $8, wheelchair_accessible = $9, retired_at = NULL,
            external_id = $10 WHERE id = $11",
    )
    .bind(organization_id)
    .bind(s.name.as_str())
    .bind(s.town_id)
    .bind(s.street_address.as_deref())
    .bind(s.postal_code.as_deref())
    .bind(s.confidential)
    .bind(s.intake_phone.as_deref())
    .bind(s.hours.as_deref())
    .bind(s.wheelchair)
    .bind(s.external_id.as_str())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct ServiceNow {
    id: i64,
    site_id: i64,
    category: String,
    name: String,
    status: String,
    retired_at: Option<i64>,
    total: i64,
    vacant: i64,
    accepting_referrals: bool,
    last_confirmed_at: i64,
    #[sqlx(flatten)]
    rules: EligibilityRow,
}

async fn service(
    tx: &mut WriteTx,
    s: &ServiceIn,
    site_id: i64,
    actor: Option<i64>,
    counts: &mut Counts,
) -> Result<(), StoreError> {
    // The eligibility columns are the services table's alone, so they need no table prefix.
    let eligibility_columns = super::providers::ELIGIBILITY_COLUMNS;
    let current: Option<ServiceNow> = query(format!(
        "SELECT s.id, s.site_id, s.category, s.name, s.status, s.retired_at, c.total, c.vacant, c.accepting_referrals,
            c.last_confirmed_at, {eligibility_columns}
         FROM services s JOIN capacity c ON c.service_id = s.id WHERE s.external_id = $1"
    ))
    .bind(s.external_id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let category = CategoryCode::parse(&s.category).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let Some(c) = current else {
        let counts_now =
            CapacityCounts::new(s.maximum, s.available, 0).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let new = NewService {
            site_id,
            category: &category,
            name: &s.name,
            eligibility: &s.eligibility,
            counts: counts_now,
            accepting_referrals: s.accepting,
        };
        let id = super::providers::insert_service(tx, &new, actor, s.updated).await?;
        query("UPDATE services SET status = $1, external_id = $2 WHERE id = $3")
            .bind(s.status)
            .bind(s.external_id.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        counts.added += 1;
        return Ok(());
    };
    let languages: Vec<(String,)> =
        query("SELECT language FROM service_languages WHERE service_id = $1 ORDER BY language")
            .bind(c.id)
            .fetch_all(&mut *tx)
            .await?;
    let languages: Vec<LanguageCode> = languages.into_iter().filter_map(|(l,)| LanguageCode::parse(&l).ok()).collect();
    let mut wanted_languages = s.eligibility.languages.clone();
    wanted_languages.sort();
    let rules = c.rules.with_languages(languages)?;
    let described =
        rules == crate::domain::profile::Eligibility { languages: wanted_languages, ..s.eligibility.clone() };
    let listed = (c.site_id, c.category.as_str(), c.name.as_str(), c.status.as_str(), c.retired_at)
        == (site_id, s.category.as_str(), s.name.as_str(), s.status, None);
    let counted = (c.total, c.vacant, c.accepting_referrals, c.last_confirmed_at)
        == (s.maximum, s.available, s.accepting, s.updated);
    if described && listed && counted {
        counts.unchanged += 1;
        return Ok(());
    }
    counts.changed += 1;
    let q = query(
        "UPDATE services SET age_groups = $1, trafficking_types = $2, genders = $3, min_age = $4, max_age = $5,
            accepts_children = $6, pets_allowed = $7, wheelchair_accessible = $8, id_required = $9,
            sobriety_required = $10, status = $11, site_id = $12, category = $13, name = $14, retired_at = NULL
         WHERE id = $15",
    );
    super::providers::bind_eligibility(q, &s.eligibility)
        .bind(s.status)
        .bind(site_id)
        .bind(category.as_str())
        .bind(s.name.as_str())
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
    query("DELETE FROM service_languages WHERE service_id = $1").bind(c.id).execute(&mut *tx).await?;
    for language in &s.eligibility.languages {
        query("INSERT INTO service_languages (service_id, language) VALUES ($1, $2)")
            .bind(c.id)
            .bind(language.as_str())
            .execute(&mut *tx)
            .await?;
    }
    if !counted {
        query(
            "UPDATE capacity SET total = $1, vacant = $2, accepting_referrals = $3, last_changed_at = $4,
                last_changed_by = $5, last_confirmed_at = $4, last_confirmed_by = $5, version = version + 1
             WHERE service_id = $6",
        )
        .bind(s.maximum)
        .bind(s.available)
        .bind(s.accepting)
        .bind(s.updated)
        .bind(actor)
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
        HistoryLine {
            service_id: c.id,
            at: s.updated,
            user_id: actor,
            kind: "change",
            total: (Some(c.total), s.maximum),
            vacant: (Some(c.vacant), s.available),
            accepting: (Some(c.accepting_referrals), s.accepting),
        }
        .record(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Retiring what an earlier import brought in and this one no longer names: only within the organizations of
/// `within`, or everywhere when it is `None`.
struct Absent<'a> {
    within: Option<&'a HashSet<i64>>,
    now: i64,
}

impl Absent<'_> {
    /// Retires the rows of `table` an earlier import brought in that `named` no longer names; returns how many.
    /// A site or organization retired this way takes its services with it.
    async fn retire(&self, tx: &mut WriteTx, table: &str, named: &HashSet<String>) -> Result<usize, StoreError> {
        let sql = match table {
            "services" => {
                "SELECT v.id, v.external_id, s.organization_id FROM services v JOIN sites s ON s.id = v.site_id
                 WHERE v.external_id IS NOT NULL AND v.retired_at IS NULL"
            }
            "sites" => {
                "SELECT id, external_id, organization_id FROM sites WHERE external_id IS NOT NULL AND retired_at IS NULL"
            }
            _ => "SELECT id, external_id, id FROM organizations WHERE external_id IS NOT NULL AND retired_at IS NULL",
        };
        let live: Vec<(i64, String, i64)> = query(sql).fetch_all(&mut *tx).await?;
        let spoken_for = |organization: i64| match self.within {
            Some(within) => table != "organizations" && within.contains(&organization),
            None => true,
        };
        let gone: Vec<i64> =
            live.into_iter().filter(|(_, e, o)| !named.contains(e) && spoken_for(*o)).map(|(id, _, _)| id).collect();
        for id in &gone {
            super::directory::retire_in(tx, table, *id, self.now).await?;
        }
        Ok(gone.len())
    }
}

/// What an uploaded import's row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Started, not finished.
    Running,
    /// It could not finish: nothing was written.
    Failed,
    /// The report, as JSON.
    Report(String),
}

/// The `report` column of an import still running, and of one that could not finish.
const RUNNING: &str = "";
const FAILED: &str = "failed";

/// Keeps a row for an uploaded import as it starts, so the upload page can follow it. Returns its id.
pub async fn start_report(db: &Db, user_id: i64, now: i64, file: &str) -> Result<i64, StoreError> {
    let mut tx = db.write().await?;
    let (id,): (i64,) = query(
        "INSERT INTO import_reports (user_id, created_at, file_name, outcome, report) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(user_id)
    .bind(now)
    .bind(file)
    .bind("importing")
    .bind(RUNNING)
    .fetch_one(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Keeps import `id`'s outcome (a few words, for the list of recent imports) and its whole report (JSON),
/// or, with `report` `None`, that it could not finish.
pub async fn finish_report(db: &Db, id: i64, outcome: &str, report: Option<&str>) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query("UPDATE import_reports SET outcome = $1, report = $2 WHERE id = $3")
        .bind(outcome)
        .bind(report.unwrap_or(FAILED))
        .bind(id)
        .execute(&mut tx)
        .await?;
    tx.commit().await
}

/// The latest `limit` imports, newest first: id, when, file name and outcome.
pub async fn recent_reports(db: &Db, limit: i64) -> Result<Vec<(i64, i64, String, String)>, StoreError> {
    query("SELECT id, created_at, file_name, outcome FROM import_reports ORDER BY id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(db)
        .await
}

/// Import `id`: its file name, when it started and what it holds, if there is one.
pub async fn report(db: &Db, id: i64) -> Result<Option<(String, i64, Stored)>, StoreError> {
    let row: Option<(String, i64, String)> =
        query("SELECT file_name, created_at, report FROM import_reports WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(file, at, report)| {
        let stored = match report.as_str() {
            RUNNING => Stored::Running,
            FAILED => Stored::Failed,
            _ => Stored::Report(report),
        };
        (file, at, stored)
    }))
}
