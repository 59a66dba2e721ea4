//! Region look-ups.

use crate::domain::region::{RegionScheme, RegionSummary};

use super::{Db, StoreError, query};

#[derive(sqlx::FromRow)]
struct RegionRow {
    id: i64,
    code: String,
    name: String,
    town_count: i64,
}

/// Every region of a scheme with its number of towns, by name.
#[tracing::instrument(skip(db), fields(backend = db.backend()))]
pub async fn summaries(db: &Db, scheme: RegionScheme) -> Result<Vec<RegionSummary>, StoreError> {
    const SQL: &str = "SELECT r.id, r.code, r.name, COUNT(tr.town_id) AS town_count
        FROM regions r LEFT JOIN town_regions tr ON tr.region_id = r.id
        WHERE r.scheme = $1 GROUP BY r.id, r.code, r.name ORDER BY r.name";
    let rows: Vec<RegionRow> = query(SQL).bind(scheme.code()).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| RegionSummary { id: r.id, code: r.code, name: r.name, town_count: r.town_count })
        .collect())
}

/// The id of a town by exact name.
pub async fn town_id(db: &Db, name: &str) -> Result<Option<i64>, StoreError> {
    let row: Option<(i64,)> = query("SELECT id FROM towns WHERE name = $1").bind(name).fetch_optional(db).await?;
    Ok(row.map(|(id,)| id))
}

/// All town names with their ids, by name.
pub async fn towns(db: &Db) -> Result<Vec<(i64, String)>, StoreError> {
    query("SELECT id, name FROM towns ORDER BY name").fetch_all(db).await
}

/// Whether `town_id` is one of Connecticut's towns.
pub async fn has_town(db: &Db, town_id: i64) -> Result<bool, StoreError> {
    let found: Option<(i64,)> = query("SELECT id FROM towns WHERE id = $1").bind(town_id).fetch_optional(db).await?;
    Ok(found.is_some())
}
