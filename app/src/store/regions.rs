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

/// Every region of `scheme` with its towns (id and name), both by name.
pub async fn towns_by_region(db: &Db, scheme: RegionScheme) -> Result<Vec<(String, Vec<(i64, String)>)>, StoreError> {
    const SQL: &str = "SELECT r.name, t.id, t.name FROM regions r
        JOIN town_regions tr ON tr.region_id = r.id JOIN towns t ON t.id = tr.town_id
        WHERE r.scheme = $1 ORDER BY r.name, t.name";
    let rows: Vec<(String, i64, String)> = query(SQL).bind(scheme.code()).fetch_all(db).await?;
    let mut out: Vec<(String, Vec<(i64, String)>)> = Vec::new();
    for (region, id, town) in rows {
        match out.last_mut() {
            Some((name, towns)) if *name == region => towns.push((id, town)),
            _ => out.push((region, vec![(id, town)])),
        }
    }
    Ok(out)
}

/// The places where regions of the two schemes overlap: each planning region and county that share a
/// town, by name, once each.
pub async fn places(db: &Db) -> Result<Vec<(String, String)>, StoreError> {
    const SQL: &str = "SELECT DISTINCT p.name, c.name FROM town_regions tp
        JOIN regions p ON p.id = tp.region_id
        JOIN town_regions tc ON tc.town_id = tp.town_id AND tc.scheme = $2 JOIN regions c ON c.id = tc.region_id
        WHERE tp.scheme = $1 ORDER BY p.name, c.name";
    query(SQL).bind(RegionScheme::Planning.code()).bind(RegionScheme::County.code()).fetch_all(db).await
}
