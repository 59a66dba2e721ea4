//! Needs (profiles, never people) and their outcomes.

use crate::domain::need::{NeedClosing, NeedError, NeedInput, NeedPlace};
use crate::domain::region::RegionScheme;
use crate::store::audit::AuditEntry;

use super::{Db, StoreError, WriteTx, query};

/// Records a need; unknown town, region or category is a [`NeedError::NotFound`] and nothing is written.
#[tracing::instrument(skip(db, input), fields(backend = db.backend()))]
pub async fn create(
    db: &Db,
    input: &NeedInput,
    user_id: Option<i64>,
    now: i64,
) -> Result<Result<i64, NeedError>, StoreError> {
    if let Err(e) = input.validate() {
        return Ok(Err(e));
    }
    let mut tx = db.write().await?;
    let out = create_in(&mut tx, input, user_id, now).await?;
    tx.commit().await?;
    Ok(out)
}

/// The planning region and county a need is recorded in: both from a town, or a planning region alone.
/// `None` when the town or region is not one of Connecticut's (or the region is not a planning region).
async fn regions_of(tx: &mut WriteTx, place: NeedPlace) -> Result<Option<(i64, Option<i64>)>, StoreError> {
    match place {
        NeedPlace::Town(town) => {
            let found: Option<(i64, i64)> = query(
                "SELECT p.region_id, c.region_id FROM town_regions p
                 JOIN town_regions c ON c.town_id = p.town_id AND c.scheme = $2
                 WHERE p.town_id = $1 AND p.scheme = $3",
            )
            .bind(town)
            .bind(RegionScheme::County.code())
            .bind(RegionScheme::Planning.code())
            .fetch_optional(&mut *tx)
            .await?;
            Ok(found.map(|(region, county)| (region, Some(county))))
        }
        NeedPlace::Region(region) => {
            let found: Option<(i64,)> = query("SELECT id FROM regions WHERE id = $1 AND scheme = $2")
                .bind(region)
                .bind(RegionScheme::Planning.code())
                .fetch_optional(&mut *tx)
                .await?;
            Ok(found.map(|(region,)| (region, None)))
        }
    }
}

async fn create_in(
    tx: &mut WriteTx,
    input: &NeedInput,
    user_id: Option<i64>,
    now: i64,
) -> Result<Result<i64, NeedError>, StoreError> {
    let region = regions_of(tx, input.place).await?;
    let mut known_categories = 0;
    for category in &input.categories {
        let found: Option<(String,)> = query("SELECT code FROM categories WHERE code = $1")
            .bind(category.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        known_categories += usize::from(found.is_some());
    }
    let (Some((region_id, county_id)), true) = (region, known_categories == input.categories.len()) else {
        return Ok(Err(NeedError::NotFound));
    };
    let (id,): (i64,) = query(
        "INSERT INTO needs (created_at, created_by, region_id, county_id, age_group, trafficking_type, gender,
                household_size, wheelchair, urgency)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(now)
    .bind(user_id)
    .bind(region_id)
    .bind(county_id)
    .bind(input.age_group.code())
    .bind(input.trafficking_type.code())
    .bind(input.gender.map(|g| g.code()))
    .bind(i64::from(input.household_size))
    .bind(input.wheelchair)
    .bind(input.urgency.code())
    .fetch_one(&mut *tx)
    .await?;
    for language in &input.languages {
        query("INSERT INTO need_languages (need_id, language) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(language.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for category in &input.categories {
        query("INSERT INTO need_categories (need_id, category) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(category.as_str())
            .execute(&mut *tx)
            .await?;
    }
    let entry = AuditEntry {
        actor_id: user_id,
        action: "need.record",
        entity: "need",
        entity_id: Some(id),
        ..Default::default()
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(Ok(id))
}

/// Closes an open need with its outcome and reasons; `placed_region_id` records where it was met.
#[tracing::instrument(skip(db), fields(backend = db.backend()))]
pub async fn close(
    db: &Db,
    need_id: i64,
    closing: &NeedClosing,
    user_id: Option<i64>,
    placed_region_id: Option<i64>,
    now: i64,
) -> Result<Result<(), NeedError>, StoreError> {
    if let Err(e) = closing.validate() {
        return Ok(Err(e));
    }
    let mut tx = db.write().await?;
    let out = close_in(&mut tx, need_id, closing, user_id, placed_region_id, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn close_in(
    tx: &mut WriteTx,
    need_id: i64,
    closing: &NeedClosing,
    user_id: Option<i64>,
    placed_region_id: Option<i64>,
    now: i64,
) -> Result<Result<(), NeedError>, StoreError> {
    let found: Option<(Option<i64>,)> =
        query("SELECT closed_at FROM needs WHERE id = $1").bind(need_id).fetch_optional(&mut *tx).await?;
    match found {
        None => Ok(Err(NeedError::NotFound)),
        Some((Some(_),)) => Ok(Err(NeedError::AlreadyClosed)),
        Some((None,)) => {
            query("UPDATE needs SET closed_at = $1, outcome = $2, placed_region_id = $3 WHERE id = $4")
                .bind(now)
                .bind(closing.outcome.code())
                .bind(placed_region_id)
                .bind(need_id)
                .execute(&mut *tx)
                .await?;
            for reason in &closing.reasons {
                query("INSERT INTO need_reasons (need_id, reason) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(need_id)
                    .bind(reason.code())
                    .execute(&mut *tx)
                    .await?;
            }
            let entry = AuditEntry {
                actor_id: user_id,
                action: "need.close",
                entity: "need",
                entity_id: Some(need_id),
                old_value: None,
                new_value: Some(closing.outcome.code().to_owned()),
            };
            crate::store::audit::append(tx, &entry, now).await?;
            Ok(Ok(()))
        }
    }
}

/// A need as its coordinator lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct NeedRow {
    /// Id.
    pub id: i64,
    /// Created.
    pub created_at: i64,
    /// Region name.
    pub region: String,
    /// Age group code.
    pub age_group: String,
    /// Trafficking type code.
    pub trafficking_type: String,
    /// Urgency code.
    pub urgency: String,
    /// Outcome code once closed.
    pub outcome: Option<String>,
}

/// A coordinator's needs, open first, newest first.
pub async fn for_coordinator(db: &Db, user_id: i64, limit: i64) -> Result<Vec<NeedRow>, StoreError> {
    const SQL: &str =
        "SELECT n.id, n.created_at, r.name AS region, n.age_group, n.trafficking_type, n.urgency, n.outcome
        FROM needs n JOIN regions r ON r.id = n.region_id WHERE n.created_by = $1
        ORDER BY CASE WHEN n.closed_at IS NULL THEN 0 ELSE 1 END, n.created_at DESC LIMIT $2";
    query(SQL).bind(user_id).bind(limit).fetch_all(db).await
}

/// Who recorded a need, if it exists.
pub async fn owner(db: &Db, need_id: i64) -> Result<Option<Option<i64>>, StoreError> {
    let row: Option<(Option<i64>,)> =
        query("SELECT created_by FROM needs WHERE id = $1").bind(need_id).fetch_optional(db).await?;
    Ok(row.map(|(o,)| o))
}
