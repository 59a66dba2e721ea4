//! Sites: where services are delivered. A site's street address may be confidential: it is read only here,
//! for people entitled to it, and each read of a confidential one is audited.

use super::{Db, StoreError, query};

/// A site as its own organization and administrators see it, address included.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct SiteDetails {
    /// Site id.
    pub id: i64,
    /// Owning organization.
    pub organization_id: i64,
    /// Name.
    pub name: String,
    /// Town.
    pub town: String,
    /// Street address (confidential or not).
    pub street_address: Option<String>,
    /// Whether the address is confidential.
    pub address_confidential: bool,
    /// Intake phone.
    pub intake_phone: Option<String>,
    /// Wheelchair accessible.
    pub wheelchair_accessible: bool,
}

/// A site with its address. Callers must have checked the viewer may see it; confidential views are audited.
pub async fn site_details(db: &Db, site_id: i64, viewer: i64, now: i64) -> Result<Option<SiteDetails>, StoreError> {
    const SQL: &str =
        "SELECT si.id, si.organization_id, si.name, t.name AS town, si.street_address, si.address_confidential,
        si.intake_phone, si.wheelchair_accessible FROM sites si JOIN towns t ON t.id = si.town_id WHERE si.id = $1";
    let site: Option<SiteDetails> = query(SQL).bind(site_id).fetch_optional(db).await?;
    if let Some(s) = &site
        && s.address_confidential
    {
        let entry = crate::store::audit::AuditEntry {
            actor_id: Some(viewer),
            action: "address.view",
            entity: "site",
            entity_id: Some(s.id),
            ..Default::default()
        };
        crate::store::audit::record(db, entry, now).await?;
    }
    Ok(site)
}

/// The sites of the given organizations: id and "name · town", by name.
pub async fn of_organizations(db: &Db, organization_ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    if organization_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = query(
        "SELECT si.id, si.name, t.name FROM sites si JOIN towns t ON t.id = si.town_id WHERE si.organization_id IN ",
    );
    q.push_bind_list(organization_ids.iter().copied()).push(" ORDER BY si.name, si.id");
    let rows: Vec<(i64, String, String)> = q.fetch_all(db).await?;
    Ok(rows.into_iter().map(|(id, name, town)| (id, format!("{name} · {town}"))).collect())
}

/// The organization owning a site.
pub async fn site_owner(db: &Db, site_id: i64) -> Result<Option<i64>, StoreError> {
    let row: Option<(i64,)> =
        query("SELECT organization_id FROM sites WHERE id = $1").bind(site_id).fetch_optional(db).await?;
    Ok(row.map(|(o,)| o))
}

/// Edits what a provider admin may change about a site (not its organization or town), audited without the
/// address itself.
pub async fn update_site(
    db: &Db,
    site_id: i64,
    name: &str,
    street_address: Option<&str>,
    address_confidential: bool,
    intake_phone: Option<&str>,
    wheelchair_accessible: bool,
    actor: i64,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query(
        "UPDATE sites SET name = $1, street_address = $2, address_confidential = $3, intake_phone = $4,
                wheelchair_accessible = $5 WHERE id = $6",
    )
    .bind(name)
    .bind(street_address)
    .bind(address_confidential)
    .bind(intake_phone)
    .bind(wheelchair_accessible)
    .bind(site_id)
    .execute(&mut tx)
    .await?;
    let entry = crate::store::audit::AuditEntry {
        actor_id: Some(actor),
        action: "site.edit",
        entity: "site",
        entity_id: Some(site_id),
        old_value: None,
        new_value: Some(format!(
            "confidential={address_confidential} wheelchair={wheelchair_accessible} (address not logged)"
        )),
    };
    crate::store::audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}
