//! Applying a read package to the database in one transaction: each organization, site and service matched
//! by its HSDS id, added or changed only where it differs, and every earlier import's row that the package no
//! longer names retired. A dry run, or any problem found on the way, rolls everything back.

use std::collections::{HashMap, HashSet};

use super::{Db, StoreError, WriteTx, query};
pub use crate::domain::import::Counts;
use crate::hsds::import::{Package, Problem, Reference};

mod rows;
use rows::{organization, service, site};

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
            crate::store::directory::retire_in(tx, table, *id, self.now).await?;
        }
        Ok(gone.len())
    }
}
