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
    /// Town id.
    pub town_id: i64,
    /// Town.
    pub town: String,
    /// Street address (confidential or not).
    pub street_address: Option<String>,
    /// Whether the address is confidential.
    pub address_confidential: bool,
    /// Intake phone.
    pub intake_phone: Option<String>,
    /// When it is open, in words.
    pub hours: Option<String>,
    /// Wheelchair accessible.
    pub wheelchair_accessible: bool,
    /// When it was retired, if it was.
    pub retired_at: Option<i64>,
}

/// A site with its address. Callers must have checked the viewer may see it; confidential views are audited.
pub async fn site_details(db: &Db, site_id: i64, viewer: i64, now: i64) -> Result<Option<SiteDetails>, StoreError> {
    const SQL: &str =
        "SELECT si.id, si.organization_id, si.name, si.town_id, t.name AS town, si.street_address,
        si.address_confidential, si.intake_phone, si.hours, si.wheelchair_accessible, si.retired_at FROM sites si JOIN towns t ON t.id = si.town_id WHERE si.id = $1";
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

/// The sites of the given organizations that are not retired: id and "name · town", by name.
pub async fn of_organizations(db: &Db, organization_ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    if organization_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = query(
        "SELECT si.id, si.name, t.name FROM sites si JOIN towns t ON t.id = si.town_id WHERE si.retired_at IS NULL AND si.organization_id IN ",
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
