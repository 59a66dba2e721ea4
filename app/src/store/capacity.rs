//! Current capacity, optimistic-concurrency updates, "still accurate" confirmations and the history.

use crate::domain::capacity::{CapacityChange, CapacityCounts, CapacitySnapshot, UpdateOutcome, Version};
use crate::domain::freshness::FreshnessPolicy;
use crate::domain::taxonomy::CategoryFamily;
use crate::store::audit::{self, AuditEntry};

use super::{Db, Query, StoreError, WriteTx, from_unix, query};

/// Sum of units on active holds of service `c.service_id` at time `$1`: a hold past its expiry no longer
/// counts, whether or not the sweeper has run ([`HoldState::as_of`](crate::domain::hold::HoldState::as_of) is
/// the same rule in Rust; a test holds them equal).
pub(crate) const ON_HOLD_SQL: &str = "COALESCE((SELECT CAST(SUM(h.units) AS BIGINT) FROM holds h
    WHERE h.service_id = c.service_id AND h.state = 'held' AND h.expires_at > $1), 0)";

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

/// The snapshot columns of every capacity row, `now` bound as `$1`; callers append the `WHERE` clause.
fn snapshot_query(now: i64) -> Query {
    query(format!(
        "SELECT c.service_id, c.total, c.vacant, {ON_HOLD_SQL} AS on_hold, c.accepting_referrals, c.version,
            c.last_changed_at, cu.display_name AS last_changed_by, c.last_confirmed_at,
            fu.display_name AS last_confirmed_by, cat.family
         FROM capacity c
         JOIN services s ON s.id = c.service_id
         JOIN categories cat ON cat.code = s.category
         LEFT JOIN users cu ON cu.id = c.last_changed_by
         LEFT JOIN users fu ON fu.id = c.last_confirmed_by
         WHERE "
    ))
    .bind(now)
}

/// The snapshot of one service.
fn snapshot_of(service_id: i64, now: i64) -> Query {
    let mut q = snapshot_query(now);
    q.push("c.service_id = ").push_bind(service_id);
    q
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
    let row: CapacityRow = snapshot_of(service_id, now).fetch_one(db).await?;
    row.into_snapshot(now, policy)
}

/// Takes the service's capacity row lock for the rest of the transaction (a no-op on SQLite, where
/// `BEGIN IMMEDIATE` already serializes writers). Returns false when the service has no capacity row.
pub(crate) async fn lock(tx: &mut WriteTx, service_id: i64) -> Result<bool, StoreError> {
    let changed =
        query("UPDATE capacity SET hold_seq = hold_seq + 1 WHERE service_id = $1").bind(service_id).execute(tx).await?;
    Ok(changed == 1)
}

/// The snapshot as this transaction sees it.
pub(crate) async fn snapshot_in(
    tx: &mut WriteTx,
    service_id: i64,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<CapacitySnapshot, StoreError> {
    let row: CapacityRow = snapshot_of(service_id, now).fetch_one(tx).await?;
    row.into_snapshot(now, policy)
}

/// One line of a service's capacity history, as every writer of that history records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HistoryLine {
    /// Service.
    pub service_id: i64,
    /// When.
    pub at: i64,
    /// Who, if a person.
    pub user_id: Option<i64>,
    /// `created`, `change`, `confirm` or `arrival`.
    pub kind: &'static str,
    /// Total before (none for `created`) and after.
    pub total: (Option<i64>, i64),
    /// Vacant (free including held) before and after.
    pub vacant: (Option<i64>, i64),
    /// Accepting referrals before and after.
    pub accepting: (Option<bool>, bool),
}

/// The statement that appends history lines, without its `VALUES` rows.
pub(crate) const HISTORY_INSERT: &str = "INSERT INTO capacity_history (service_id, at, user_id, kind, old_total,
    new_total, old_vacant, new_vacant, old_accepting, new_accepting) VALUES ";

impl HistoryLine {
    /// Appends this line's `(...)` values to an insert begun with [`HISTORY_INSERT`].
    pub(crate) fn push_values(&self, q: &mut Query) {
        q.push("(").push_bind(self.service_id).push(", ").push_bind(self.at).push(", ").push_bind(self.user_id);
        q.push(", ").push_bind(self.kind).push(", ").push_bind(self.total.0).push(", ").push_bind(self.total.1);
        q.push(", ").push_bind(self.vacant.0).push(", ").push_bind(self.vacant.1).push(", ");
        match self.accepting.0 {
            Some(before) => q.push_bind(before),
            None => q.push("NULL"),
        };
        q.push(", ").push_bind(self.accepting.1).push(")");
    }

    /// Appends this line inside the caller's transaction.
    pub(crate) async fn record(&self, tx: &mut WriteTx) -> Result<(), StoreError> {
        let mut q = query(HISTORY_INSERT);
        self.push_values(&mut q);
        q.execute(&mut *tx).await?;
        super::rollup::invalidate_from(tx, self.at).await
    }
}

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
    let mut tx = db.write().await?;
    let outcome = update_in(&mut tx, service_id, change, user_id, now, policy).await?;
    tx.commit().await?;
    Ok(outcome)
}

async fn update_in(
    tx: &mut WriteTx,
    service_id: i64,
    change: CapacityChange,
    user_id: Option<i64>,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<UpdateOutcome, StoreError> {
    if !lock(tx, service_id).await? {
        return Err(StoreError::NotFound);
    }
    let current = snapshot_in(tx, service_id, now, policy).await?;
    if current.version != change.expected_version {
        return Ok(UpdateOutcome::Conflict(current));
    }
    let counts = match CapacityCounts::new(change.total, change.available, current.on_hold) {
        Err(invalid) => return Ok(UpdateOutcome::Invalid(invalid)),
        Ok(counts) => counts,
    };
    query(
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
    HistoryLine {
        service_id,
        at: now,
        user_id,
        kind: "change",
        total: (Some(current.total), counts.total()),
        vacant: (Some(current.available + current.on_hold), counts.vacant()),
        accepting: (Some(current.accepting_referrals), change.accepting_referrals),
    }
    .record(tx)
    .await?;
    let entry = AuditEntry {
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
    audit::append(tx, &entry, now).await?;
    Ok(UpdateOutcome::Saved(snapshot_in(tx, service_id, now, policy).await?))
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
    let mut tx = db.write().await?;
    let outcome = confirm_in(&mut tx, service_id, expected_version, user_id, now, policy).await?;
    tx.commit().await?;
    Ok(outcome)
}

async fn confirm_in(
    tx: &mut WriteTx,
    service_id: i64,
    expected_version: Version,
    user_id: Option<i64>,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<UpdateOutcome, StoreError> {
    if !lock(tx, service_id).await? {
        return Err(StoreError::NotFound);
    }
    let current = snapshot_in(tx, service_id, now, policy).await?;
    if current.version != expected_version {
        return Ok(UpdateOutcome::Conflict(current));
    }
    query("UPDATE capacity SET last_confirmed_at = $1, last_confirmed_by = $2 WHERE service_id = $3")
        .bind(now)
        .bind(user_id)
        .bind(service_id)
        .execute(&mut *tx)
        .await?;
    let vacant = current.available + current.on_hold;
    HistoryLine {
        service_id,
        at: now,
        user_id,
        kind: "confirm",
        total: (Some(current.total), current.total),
        vacant: (Some(vacant), vacant),
        accepting: (Some(current.accepting_referrals), current.accepting_referrals),
    }
    .record(tx)
    .await?;
    let entry = AuditEntry {
        actor_id: user_id,
        action: "capacity.confirm",
        entity: "service",
        entity_id: Some(service_id),
        ..Default::default()
    };
    audit::append(tx, &entry, now).await?;
    Ok(UpdateOutcome::Saved(snapshot_in(tx, service_id, now, policy).await?))
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
    query(SQL).bind(service_id).bind(limit).fetch_all(db).await
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
    let mut q = snapshot_query(now);
    q.push("c.service_id IN ").push_bind_list(service_ids.iter().copied());
    let rows: Vec<CapacityRow> = q.fetch_all(db).await?;
    rows.into_iter().map(|r| r.into_snapshot(now, policy).map(|s| (s.service_id, s))).collect()
}

/// When any service's counts were last confirmed.
pub async fn last_confirmed(db: &Db) -> Result<Option<i64>, StoreError> {
    let (at,): (Option<i64>,) = query("SELECT MAX(last_confirmed_at) FROM capacity").fetch_one(db).await?;
    Ok(at)
}
