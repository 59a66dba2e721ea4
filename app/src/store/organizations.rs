//! Administration of organizations and the taxonomy, and the per-organization freshness view.

use crate::domain::taxonomy::CategoryCode;

use super::providers::NewOrganization;
use super::{Db, StoreError, WriteTx, query};
use crate::api::views::{CategoryView, OrganizationView};

/// Organizations with their numbers of live sites and services: live ones first, each group by name.
pub async fn list_organizations(db: &Db) -> Result<Vec<OrganizationView>, StoreError> {
    organizations_where(db, None).await
}

/// One organization, retired or not.
pub async fn organization(db: &Db, id: i64) -> Result<Option<OrganizationView>, StoreError> {
    Ok(organizations_where(db, Some(id)).await?.pop())
}

#[derive(sqlx::FromRow)]
struct OrganizationRow {
    id: i64,
    name: String,
    description: String,
    website: Option<String>,
    phone: Option<String>,
    verified: bool,
    retired_at: Option<i64>,
    sites: i64,
    services: i64,
}

async fn organizations_where(db: &Db, id: Option<i64>) -> Result<Vec<OrganizationView>, StoreError> {
    let mut q = query(
        "SELECT o.id, o.name, o.description, o.website, o.phone, o.verified, o.retired_at,
            (SELECT COUNT(*) FROM sites si WHERE si.organization_id = o.id AND si.retired_at IS NULL) AS sites,
            (SELECT COUNT(*) FROM services s JOIN sites si ON si.id = s.site_id
                WHERE si.organization_id = o.id AND s.retired_at IS NULL) AS services
        FROM organizations o",
    );
    if let Some(id) = id {
        q.push(" WHERE o.id = ").push_bind(id);
    }
    q.push(" ORDER BY CASE WHEN o.retired_at IS NULL THEN 0 ELSE 1 END, o.name");
    let rows: Vec<OrganizationRow> = q.fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| OrganizationView {
            id: r.id,
            name: r.name,
            description: r.description,
            website: r.website,
            phone: r.phone,
            verified: r.verified,
            retired: r.retired_at.is_some(),
            sites: r.sites,
            services: r.services,
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
pub async fn list_categories(db: &Db) -> Result<Vec<CategoryView>, StoreError> {
    let rows: Vec<(String, String, String, String, Option<String>)> =
        query("SELECT code, family, name, unit, taxonomy_term FROM categories ORDER BY family, name")
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, family, name, unit, taxonomy_term)| CategoryView { code, family, name, unit, taxonomy_term })
        .collect())
}

/// Whether the taxonomy has a category with this code.
pub async fn has_category(db: &Db, code: &str) -> Result<bool, StoreError> {
    let found: Option<(String,)> =
        query("SELECT code FROM categories WHERE code = $1").bind(code).fetch_optional(db).await?;
    Ok(found.is_some())
}

/// A category an administrator adds.
#[derive(Debug, Clone)]
pub struct NewCategory<'a> {
    /// Code.
    pub code: &'a CategoryCode,
    /// Family.
    pub family: crate::domain::taxonomy::CategoryFamily,
    /// Display name.
    pub name: &'a str,
    /// Unit of capacity (singular).
    pub unit: &'a str,
    /// The term it stands for in the state's shared taxonomy, if any.
    pub taxonomy_term: Option<&'a str>,
}

/// Adds a category, audited; false when the code exists.
pub async fn add_category(db: &Db, category: &NewCategory<'_>, actor: i64, now: i64) -> Result<bool, StoreError> {
    let mut tx = db.write().await?;
    let done = query(
        "INSERT INTO categories (code, family, name, unit, taxonomy_term) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (code) DO NOTHING",
    )
    .bind(category.code.as_str())
    .bind(category.family.code())
    .bind(category.name)
    .bind(category.unit)
    .bind(category.taxonomy_term)
    .execute(&mut tx)
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
        new_value: Some(format!(
            "{} ({}) {} per {} term={}",
            category.code.as_str(),
            category.family.code(),
            category.name,
            category.unit,
            category.taxonomy_term.unwrap_or("-")
        )),
    };
    crate::store::audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Each category's family, by code (for tables that group needs by family).
pub async fn category_families(
    db: &Db,
) -> Result<std::collections::HashMap<String, crate::domain::taxonomy::CategoryFamily>, StoreError> {
    let rows: Vec<(String, String)> = query("SELECT code, family FROM categories").fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, family)| Some((code, crate::domain::taxonomy::CategoryFamily::parse(&family)?)))
        .collect())
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
