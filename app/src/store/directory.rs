//! Keeping the directory current: editing and retiring organizations and sites, renaming and moving services.
//! Retiring keeps every row and its history; from that instant the services involved leave search, the gap
//! matrix and every total, and take no more changes. Every change is audited (addresses never are).

use super::audit::{self, AuditEntry};
use super::providers::SiteInfo;
use super::{Db, StoreError, WriteTx, query};
use crate::domain::taxonomy::CategoryCode;

/// What an administrator may change about an organization.
#[derive(Debug, Clone)]
pub struct OrganizationEdit<'a> {
    /// Name (unique).
    pub name: &'a str,
    /// Description.
    pub description: &'a str,
    /// Website.
    pub website: Option<&'a str>,
    /// Main phone.
    pub phone: Option<&'a str>,
    /// Whether an administrator has verified it.
    pub verified: bool,
}

/// Why an edit or a retirement changed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryRefusal {
    /// No such row.
    NotFound,
    /// Retired already.
    Retired,
    /// Another organization has that name.
    NameTaken,
}

/// The outcome of an edit or a retirement.
pub type DirectoryOutcome = Result<(), DirectoryRefusal>;

/// Whether the row exists and is not retired (`table` is one of ours, never input).
pub(crate) async fn live_row(tx: &mut WriteTx, table: &str, id: i64) -> Result<DirectoryOutcome, StoreError> {
    let row: Option<(Option<i64>,)> =
        query(format!("SELECT retired_at FROM {table} WHERE id = $1")).bind(id).fetch_optional(&mut *tx).await?;
    Ok(match row {
        None => Err(DirectoryRefusal::NotFound),
        Some((Some(_),)) => Err(DirectoryRefusal::Retired),
        Some((None,)) => Ok(()),
    })
}

/// Edits an organization (administrators), audited.
pub async fn edit_organization(
    db: &Db,
    id: i64,
    edit: &OrganizationEdit<'_>,
    actor: i64,
    now: i64,
) -> Result<DirectoryOutcome, StoreError> {
    let mut tx = db.write().await?;
    if let Err(refusal) = live_row(&mut tx, "organizations", id).await? {
        return Ok(Err(refusal));
    }
    let taken: Option<(i64,)> = query("SELECT id FROM organizations WHERE name = $1 AND id <> $2")
        .bind(edit.name)
        .bind(id)
        .fetch_optional(&mut tx)
        .await?;
    if taken.is_some() {
        return Ok(Err(DirectoryRefusal::NameTaken));
    }
    query(
        "UPDATE organizations SET name = $1, description = $2, website = $3, phone = $4, verified = $5 WHERE id = $6",
    )
    .bind(edit.name)
    .bind(edit.description)
    .bind(edit.website)
    .bind(edit.phone)
    .bind(edit.verified)
    .bind(id)
    .execute(&mut tx)
    .await?;
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: "organization.edit",
        entity: "organization",
        entity_id: Some(id),
        old_value: None,
        new_value: Some(format!("name={} verified={}", edit.name, edit.verified)),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Edits a site, audited without its address.
pub async fn edit_site(
    db: &Db,
    id: i64,
    edit: &SiteInfo<'_>,
    actor: i64,
    now: i64,
) -> Result<DirectoryOutcome, StoreError> {
    let mut tx = db.write().await?;
    if let Err(refusal) = live_row(&mut tx, "sites", id).await? {
        return Ok(Err(refusal));
    }
    query(
        "UPDATE sites SET name = $1, town_id = $2, street_address = $3, address_confidential = $4, intake_phone = $5,
                hours = $6, wheelchair_accessible = $7 WHERE id = $8",
    )
    .bind(edit.name)
    .bind(edit.town_id)
    .bind(edit.street_address)
    .bind(edit.address_confidential)
    .bind(edit.intake_phone)
    .bind(edit.hours)
    .bind(edit.wheelchair_accessible)
    .bind(id)
    .execute(&mut tx)
    .await?;
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: "site.edit",
        entity: "site",
        entity_id: Some(id),
        old_value: None,
        new_value: Some(format!(
            "town={} confidential={} wheelchair={} (address not logged)",
            edit.town_id, edit.address_confidential, edit.wheelchair_accessible
        )),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Renames a service or moves it to another category (the caller checked the category exists), audited with
/// the category before and after.
pub async fn edit_service(
    db: &Db,
    id: i64,
    name: &str,
    category: &CategoryCode,
    actor: i64,
    now: i64,
) -> Result<DirectoryOutcome, StoreError> {
    let mut tx = db.write().await?;
    if let Err(refusal) = live_row(&mut tx, "services", id).await? {
        return Ok(Err(refusal));
    }
    let (old,): (String,) = query("SELECT category FROM services WHERE id = $1").bind(id).fetch_one(&mut tx).await?;
    query("UPDATE services SET name = $1, category = $2 WHERE id = $3")
        .bind(name)
        .bind(category.as_str())
        .bind(id)
        .execute(&mut tx)
        .await?;
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: "service.edit",
        entity: "service",
        entity_id: Some(id),
        old_value: Some(format!("category={old}")),
        new_value: Some(format!("category={} name={name}", category.as_str())),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Closes the services a retirement reaches: `scope` is a fixed condition on `s` (services) and `si` (their
/// sites) with the one parameter `$1`. Returns how many.
async fn retire_services_in(tx: &mut WriteTx, scope: &str, id: i64, now: i64) -> Result<u64, StoreError> {
    let targets: Vec<(i64,)> = query(format!(
        "SELECT s.id FROM services s JOIN sites si ON si.id = s.site_id WHERE s.retired_at IS NULL AND {scope}"
    ))
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    if targets.is_empty() {
        return Ok(0);
    }
    let ids = || targets.iter().map(|(id,)| *id);
    // The capacity row locks order the retirement after any update or hold already in flight.
    let mut lock = query("UPDATE capacity SET hold_seq = hold_seq + 1 WHERE service_id IN ");
    lock.push_bind_list(ids());
    lock.execute(&mut *tx).await?;
    let mut close = query("UPDATE services SET status = 'inactive', retired_at = $1 WHERE id IN ").bind(now);
    close.push_bind_list(ids());
    let closed = close.execute(&mut *tx).await?;
    super::rollup::invalidate_from(tx, now).await?;
    Ok(closed)
}

/// Retires a service at `now`, its history kept, audited.
pub async fn retire_service(db: &Db, service_id: i64, actor: i64, now: i64) -> Result<DirectoryOutcome, StoreError> {
    retire(db, "services", service_id, actor, now).await
}

/// Retires a site and every service at it.
pub async fn retire_site(db: &Db, site_id: i64, actor: i64, now: i64) -> Result<DirectoryOutcome, StoreError> {
    retire(db, "sites", site_id, actor, now).await
}

/// Retires an organization, its sites and every service at them.
pub async fn retire_organization(db: &Db, org_id: i64, actor: i64, now: i64) -> Result<DirectoryOutcome, StoreError> {
    retire(db, "organizations", org_id, actor, now).await
}

async fn retire(db: &Db, table: &'static str, id: i64, actor: i64, now: i64) -> Result<DirectoryOutcome, StoreError> {
    let mut tx = db.write().await?;
    if let Err(refusal) = live_row(&mut tx, table, id).await? {
        return Ok(Err(refusal));
    }
    let (sites, services) = retire_in(&mut tx, table, id, now).await?;
    let entity = table.trim_end_matches('s');
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: match table {
            "organizations" => "organization.retire",
            "sites" => "site.retire",
            _ => "service.retire",
        },
        entity,
        entity_id: Some(id),
        old_value: None,
        new_value: (table != "services").then(|| format!("sites={sites} services={services}")),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Retires a row of `table` (services, sites or organizations) and everything below it, inside `tx`: the
/// services it reaches, an organization's sites, then the row. Returns how many sites and services it closed.
pub(crate) async fn retire_in(tx: &mut WriteTx, table: &str, id: i64, now: i64) -> Result<(u64, u64), StoreError> {
    let scope = match table {
        "organizations" => "si.organization_id = $1",
        "sites" => "si.id = $1",
        _ => "s.id = $1",
    };
    let services = retire_services_in(tx, scope, id, now).await?;
    let sites = match table {
        "organizations" => {
            query("UPDATE sites SET retired_at = $1 WHERE organization_id = $2 AND retired_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
        }
        _ => 0,
    };
    if table != "services" {
        query(format!("UPDATE {table} SET retired_at = $1 WHERE id = $2")).bind(now).bind(id).execute(&mut *tx).await?;
    }
    Ok((sites, services))
}
