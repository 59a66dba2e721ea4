//! Administration of organizations and the taxonomy, and the per-organization freshness view.

use crate::domain::taxonomy::CategoryCode;

use super::providers::NewOrganization;
use super::{Db, StoreError, WriteTx, query};

/// Organizations with their numbers of sites and services, by name.
pub async fn list_organizations(db: &Db) -> Result<Vec<crate::api::views::OrganizationView>, StoreError> {
    const SQL: &str = "SELECT o.id, o.name, o.verified,
            (SELECT COUNT(*) FROM sites si WHERE si.organization_id = o.id) AS sites,
            (SELECT COUNT(*) FROM services s JOIN sites si ON si.id = s.site_id WHERE si.organization_id = o.id) AS services
        FROM organizations o ORDER BY o.name";
    let rows: Vec<(i64, String, bool, i64, i64)> = query(SQL).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, verified, sites, services)| crate::api::views::OrganizationView {
            id,
            name,
            verified,
            sites,
            services,
        })
        .collect())
}

/// Creates an organization on an administrator's behalf, audited; false when the name is taken.
pub async fn create_organization_audited(
    db: &Db,
    org: &NewOrganization<'_>,
    actor: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.write().await?;
    let out = create_organization_audited_in(&mut tx, org, actor, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn create_organization_audited_in(
    tx: &mut WriteTx,
    org: &NewOrganization<'_>,
    actor: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let taken: Option<(i64,)> =
        query("SELECT id FROM organizations WHERE name = $1").bind(org.name).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Ok(false);
    }
    let (id,): (i64,) = query(
        "INSERT INTO organizations (name, description, victim_service_provider, verified, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org.name)
    .bind(org.description)
    .bind(org.victim_service_provider)
    .bind(org.verified)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let entry = crate::store::audit::AuditEntry {
        actor_id: Some(actor),
        action: "organization.create",
        entity: "organization",
        entity_id: Some(id),
        old_value: None,
        new_value: Some(format!("name={} verified={}", org.name, org.verified)),
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(true)
}

/// The taxonomy, by family then name.
pub async fn list_categories(db: &Db) -> Result<Vec<crate::api::views::CategoryView>, StoreError> {
    let rows: Vec<(String, String, String, String)> =
        query("SELECT code, family, name, unit FROM categories ORDER BY family, name").fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(code, family, name, unit)| crate::api::views::CategoryView { code, family, name, unit })
        .collect())
}

/// Whether the taxonomy has a category with this code.
pub async fn has_category(db: &Db, code: &str) -> Result<bool, StoreError> {
    let found: Option<(String,)> =
        query("SELECT code FROM categories WHERE code = $1").bind(code).fetch_optional(db).await?;
    Ok(found.is_some())
}

/// Adds a category, audited; false when the code exists.
pub async fn add_category(
    db: &Db,
    code: &CategoryCode,
    family: crate::domain::taxonomy::CategoryFamily,
    name: &str,
    unit: &str,
    actor: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.write().await?;
    let out = add_category_in(&mut tx, code, family, name, unit, actor, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn add_category_in(
    tx: &mut WriteTx,
    code: &CategoryCode,
    family: crate::domain::taxonomy::CategoryFamily,
    name: &str,
    unit: &str,
    actor: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let done = query(
        "INSERT INTO categories (code, family, name, unit) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING",
    )
    .bind(code.as_str())
    .bind(family.code())
    .bind(name)
    .bind(unit)
    .execute(&mut *tx)
    .await?;
    if done == 0 {
        return Ok(false);
    }
    let entry = crate::store::audit::AuditEntry {
        actor_id: Some(actor),
        action: "taxonomy.add",
        entity: "category",
        entity_id: None,
        old_value: None,
        new_value: Some(format!("{} ({}) {name} per {unit}", code.as_str(), family.code())),
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(true)
}

/// Services per organization and how many are fresh now (the accountability view).
pub async fn freshness_by_organization(
    db: &Db,
    now: i64,
    policy: &crate::domain::freshness::FreshnessPolicy,
) -> Result<Vec<(String, i64, i64)>, StoreError> {
    let mut sql = query("SELECT o.name, CAST(COUNT(*) AS BIGINT), CAST(SUM(CASE WHEN ");
    crate::store::search::band_sql(&mut sql, policy, now);
    sql.push(
        " = 0 THEN 1 ELSE 0 END) AS BIGINT)
         FROM services s JOIN categories cat ON cat.code = s.category JOIN sites si ON si.id = s.site_id
         JOIN organizations o ON o.id = si.organization_id JOIN capacity c ON c.service_id = s.id
         WHERE s.status = 'active' GROUP BY o.name ORDER BY o.name",
    );
    sql.fetch_all(db).await
}
