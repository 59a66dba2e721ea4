//! Current capacity, optimistic-concurrency updates, "still accurate" confirmations and the history.

use crate::domain::capacity::{CapacityChange, CapacityCounts, CapacitySnapshot, UpdateOutcome, Version};
use crate::domain::freshness::FreshnessPolicy;
use crate::domain::taxonomy::CategoryFamily;
use crate::{on_db, write_tx};

use super::{Db, StoreError, from_unix};

/// Sum of units on active holds of service `$1` at time `$2`: a hold past its expiry no longer counts, whether
/// or not the sweeper has run.
pub(crate) const ON_HOLD_SQL: &str = "COALESCE((SELECT CAST(SUM(h.units) AS BIGINT) FROM holds h
    WHERE h.service_id = c.service_id AND h.state = 'held' AND h.expires_at > $2), 0)";

#[derive(sqlx::FromRow)]
pub(crate) struct CapacityRow {
    service_id: i64,
    total: i64,
    vacant: i64,
    on_hold: i64,
    accepting_referrals: bool,
    version: i64,
    last_changed_at: i64,
    last_changed_by: Option<String>,
    last_confirmed_at: i64,
    last_confirmed_by: Option<String>,
    family: String,
}

pub(crate) fn snapshot_sql() -> String {
    format!(
        "SELECT c.service_id, c.total, c.vacant, {ON_HOLD_SQL} AS on_hold, c.accepting_referrals, c.version,
            c.last_changed_at, cu.display_name AS last_changed_by, c.last_confirmed_at,
            fu.display_name AS last_confirmed_by, cat.family
         FROM capacity c
         JOIN services s ON s.id = c.service_id
         JOIN categories cat ON cat.code = s.category
         LEFT JOIN users cu ON cu.id = c.last_changed_by
         LEFT JOIN users fu ON fu.id = c.last_confirmed_by
         WHERE c.service_id = $1"
    )
}

impl CapacityRow {
    pub(crate) fn into_snapshot(self, now: i64, policy: &FreshnessPolicy) -> Result<CapacitySnapshot, StoreError> {
        let family = CategoryFamily::parse(&self.family).ok_or_else(|| StoreError::Corrupt(self.family.clone()))?;
        Ok(CapacitySnapshot {
            service_id: self.service_id,
            total: self.total,
            available: self.vacant - self.on_hold,
            on_hold: self.on_hold,
            accepting_referrals: self.accepting_referrals,
            version: Version(self.version),
            last_changed_at: from_unix(self.last_changed_at),
            last_changed_by: self.last_changed_by,
            last_confirmed_at: from_unix(self.last_confirmed_at),
            last_confirmed_by: self.last_confirmed_by,
            freshness: policy.band(family, now - self.last_confirmed_at),
        })
    }
}

/// The current capacity of a service.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn snapshot(
    db: &Db,
    service_id: i64,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<CapacitySnapshot, StoreError> {
    let sql = snapshot_sql();
    let row: Option<CapacityRow> =
        on_db!(db, |pool| sqlx::query_as(&sql).bind(service_id).bind(now).fetch_optional(pool).await)?;
    row.ok_or(StoreError::NotFound)?.into_snapshot(now, policy)
}

/// Takes the service's capacity row lock for the rest of the transaction (a no-op on SQLite, where
/// `BEGIN IMMEDIATE` already serializes writers). Returns false when the service has no capacity row.
macro_rules! lock_capacity {
    ($tx:ident, $service_id:expr) => {
        sqlx::query("UPDATE capacity SET hold_seq = hold_seq + 1 WHERE service_id = $1")
            .bind($service_id)
            .execute(&mut *$tx)
            .await?
            .rows_affected()
            == 1
    };
}
pub(crate) use lock_capacity;

/// Reads the snapshot inside a transaction.
macro_rules! snapshot_in_tx {
    ($tx:ident, $service_id:expr, $now:expr, $policy:expr) => {{
        let sql = snapshot_sql();
        let row: CapacityRow = sqlx::query_as(&sql).bind($service_id).bind($now).fetch_one(&mut *$tx).await?;
        row.into_snapshot($now, $policy)?
    }};
}
pub(crate) use snapshot_in_tx;

/// Applies a provider's change if nobody changed the service since `change.expected_version`.
///
/// A stale version is a [`UpdateOutcome::Conflict`] carrying the current state; counts that break a rule
/// given the current holds are [`UpdateOutcome::Invalid`]. Either way nothing is written.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn update(
    db: &Db,
    service_id: i64,
    change: CapacityChange,
    user_id: Option<i64>,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<UpdateOutcome, StoreError> {
    write_tx!(db, |tx| {
        if !lock_capacity!(tx, service_id) {
            return Err(StoreError::NotFound);
        }
        let current = snapshot_in_tx!(tx, service_id, now, policy);
        if current.version != change.expected_version {
            Ok(UpdateOutcome::Conflict(current))
        } else {
            match CapacityCounts::new(change.total, change.available, current.on_hold) {
                Err(invalid) => Ok(UpdateOutcome::Invalid(invalid)),
                Ok(counts) => {
                    sqlx::query(
                        "UPDATE capacity SET total = $1, vacant = $2, accepting_referrals = $3,
                            last_changed_at = $4, last_changed_by = $5, last_confirmed_at = $4, last_confirmed_by = $5,
                            version = version + 1
                         WHERE service_id = $6",
                    )
                    .bind(counts.total())
                    .bind(counts.vacant())
                    .bind(change.accepting_referrals)
                    .bind(now)
                    .bind(user_id)
                    .bind(service_id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO capacity_history (service_id, at, user_id, kind, old_total, new_total,
                            old_vacant, new_vacant, old_accepting, new_accepting)
                         VALUES ($1, $2, $3, 'change', $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(service_id)
                    .bind(now)
                    .bind(user_id)
                    .bind(current.total)
                    .bind(counts.total())
                    .bind(current.available + current.on_hold)
                    .bind(counts.vacant())
                    .bind(current.accepting_referrals)
                    .bind(change.accepting_referrals)
                    .execute(&mut *tx)
                    .await?;
                    let entry = crate::store::audit::AuditEntry {
                        actor_id: user_id,
                        action: "capacity.update",
                        entity: "service",
                        entity_id: Some(service_id),
                        old_value: Some(format!(
                            "total={} available={} accepting={}",
                            current.total, current.available, current.accepting_referrals
                        )),
                        new_value: Some(format!(
                            "total={} available={} accepting={}",
                            counts.total(),
                            counts.available(),
                            change.accepting_referrals
                        )),
                    };
                    crate::audit_in_tx!(tx, entry, now);
                    Ok(UpdateOutcome::Saved(snapshot_in_tx!(tx, service_id, now, policy)))
                }
            }
        }
    })
}

/// Confirms the counts are still accurate, without changing them. The version named must be current.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn confirm(
    db: &Db,
    service_id: i64,
    expected_version: Version,
    user_id: Option<i64>,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<UpdateOutcome, StoreError> {
    write_tx!(db, |tx| {
        if !lock_capacity!(tx, service_id) {
            return Err(StoreError::NotFound);
        }
        let current = snapshot_in_tx!(tx, service_id, now, policy);
        if current.version != expected_version {
            Ok(UpdateOutcome::Conflict(current))
        } else {
            sqlx::query("UPDATE capacity SET last_confirmed_at = $1, last_confirmed_by = $2 WHERE service_id = $3")
                .bind(now)
                .bind(user_id)
                .bind(service_id)
                .execute(&mut *tx)
                .await?;
            let vacant = current.available + current.on_hold;
            sqlx::query(
                "INSERT INTO capacity_history (service_id, at, user_id, kind, old_total, new_total, old_vacant,
                    new_vacant, old_accepting, new_accepting)
                 VALUES ($1, $2, $3, 'confirm', $4, $4, $5, $5, $6, $6)",
            )
            .bind(service_id)
            .bind(now)
            .bind(user_id)
            .bind(current.total)
            .bind(vacant)
            .bind(current.accepting_referrals)
            .execute(&mut *tx)
            .await?;
            let entry = crate::store::audit::AuditEntry {
                actor_id: user_id,
                action: "capacity.confirm",
                entity: "service",
                entity_id: Some(service_id),
                ..Default::default()
            };
            crate::audit_in_tx!(tx, entry, now);
            Ok(UpdateOutcome::Saved(snapshot_in_tx!(tx, service_id, now, policy)))
        }
    })
}

/// One entry of a service's history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct HistoryEntry {
    /// When.
    pub at: i64,
    /// Who (display name), if known.
    pub who: Option<String>,
    /// `created`, `change`, `confirm` or `arrival`.
    pub kind: String,
    /// Total before.
    pub old_total: Option<i64>,
    /// Total after.
    pub new_total: i64,
    /// Vacant (free including held) before.
    pub old_vacant: Option<i64>,
    /// Vacant after.
    pub new_vacant: i64,
}

/// The most recent `limit` history entries of a service.
pub async fn history(db: &Db, service_id: i64, limit: i64) -> Result<Vec<HistoryEntry>, StoreError> {
    const SQL: &str = "SELECT h.at, u.display_name AS who, h.kind, h.old_total, h.new_total, h.old_vacant, h.new_vacant
        FROM capacity_history h LEFT JOIN users u ON u.id = h.user_id
        WHERE h.service_id = $1 ORDER BY h.at DESC, h.id DESC LIMIT $2";
    Ok(on_db!(db, |pool| sqlx::query_as(SQL).bind(service_id).bind(limit).fetch_all(pool).await)?)
}

/// Current capacity of many services at once (one query), keyed by service id.
pub async fn snapshots(
    db: &Db,
    service_ids: &[i64],
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<std::collections::HashMap<i64, CapacitySnapshot>, StoreError> {
    if service_ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let mut sql = crate::store::sql::Sql::default();
    // Keeps $1 (a service id no row has) and $2 (now) where the single-service query has them.
    sql.push(&snapshot_sql().replace("WHERE c.service_id = $1", "WHERE c.service_id <> $1 AND c.service_id IN "));
    sql.args.push(crate::store::sql::Arg::Int(-1));
    sql.args.push(crate::store::sql::Arg::Int(now));
    sql.bind_list(service_ids.iter().map(|id| crate::store::sql::Arg::Int(*id)));
    let rows: Vec<CapacityRow> =
        on_db!(db, |pool| crate::store::sql::bind_all(sqlx::query_as(&sql.text), &sql.args).fetch_all(pool).await)?;
    rows.into_iter().map(|r| r.into_snapshot(now, policy).map(|s| (s.service_id, s))).collect()
}

/// When any service's counts were last confirmed.
pub async fn last_confirmed(db: &Db) -> Result<Option<i64>, StoreError> {
    let (at,): (Option<i64>,) =
        on_db!(db, |pool| sqlx::query_as("SELECT MAX(last_confirmed_at) FROM capacity").fetch_one(pool).await)?;
    Ok(at)
}
