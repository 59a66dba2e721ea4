//! Holds: placing one never takes more than is free at that instant; expired holds free their units by
//! themselves (reads ignore them) and a sweeper records them as expired.

use crate::domain::freshness::{FreshnessBand, FreshnessPolicy};
use crate::domain::hold::{Hold, HoldError, HoldRequest, HoldState};
use crate::store::audit::{self, AuditEntry};

use super::capacity::{self, HistoryLine};
use super::{Db, StoreError, WriteTx, from_unix, query};

#[derive(sqlx::FromRow)]
struct HoldRow {
    id: i64,
    service_id: i64,
    units: i64,
    state: String,
    created_at: i64,
    expires_at: i64,
    need_id: Option<i64>,
}

impl HoldRow {
    fn into_hold(self, now: i64) -> Result<Hold, StoreError> {
        let stored = HoldState::parse(&self.state).ok_or_else(|| StoreError::Corrupt(self.state.clone()))?;
        let state = stored.as_of(self.expires_at, now);
        Ok(Hold {
            id: self.id,
            service_id: self.service_id,
            units: self.units,
            state,
            created_at: from_unix(self.created_at),
            expires_at: from_unix(self.expires_at),
            need_id: self.need_id,
        })
    }
}

const HOLD_COLUMNS: &str = "id, service_id, units, state, created_at, expires_at, need_id";

/// Who places a hold, and how many units they may hold at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    /// The coordinator.
    pub user_id: i64,
    /// Their limit on units in active holds.
    pub max_held_units: i64,
}

/// Places a hold if that many fresh units are free right now, the service accepts referrals, and the
/// coordinator (`by`) stays within their limit of held units.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn place(
    db: &Db,
    service_id: i64,
    request: HoldRequest,
    by: Option<Holder>,
    need_id: Option<i64>,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<Result<Hold, HoldError>, StoreError> {
    let mut tx = db.write().await?;
    let placed = place_in(&mut tx, service_id, request, by, need_id, now, policy).await?;
    tx.commit().await?;
    Ok(placed)
}

async fn place_in(
    tx: &mut WriteTx,
    service_id: i64,
    request: HoldRequest,
    by: Option<Holder>,
    need_id: Option<i64>,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<Result<Hold, HoldError>, StoreError> {
    let user_id = by.map(|h| h.user_id);
    if let Some(holder) = by {
        // One coordinator's holds at a time (SQLite's write lock already serializes everyone).
        if tx.is_postgres() {
            query("SELECT id FROM users WHERE id = $1 FOR UPDATE").bind(holder.user_id).execute(&mut *tx).await?;
        }
        let (held,): (i64,) = query(
            "SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) FROM holds
             WHERE created_by = $1 AND state = 'held' AND expires_at > $2",
        )
        .bind(holder.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if held + request.units() > holder.max_held_units {
            return Ok(Err(HoldError::LimitReached));
        }
    }
    if !capacity::lock(tx, service_id).await? {
        return Ok(Err(HoldError::NotFound));
    }
    let current = capacity::snapshot_in(tx, service_id, now, policy).await?;
    let (status,): (String,) =
        query("SELECT status FROM services WHERE id = $1").bind(service_id).fetch_one(&mut *tx).await?;
    if status != "active" || !current.accepting_referrals {
        return Ok(Err(HoldError::NotAccepting));
    }
    if current.freshness == FreshnessBand::Stale || current.available < request.units() {
        return Ok(Err(HoldError::NoLongerAvailable));
    }
    let row: HoldRow = query(format!(
        "INSERT INTO holds (service_id, units, state, created_at, created_by, expires_at, need_id)
         VALUES ($1, $2, 'held', $3, $4, $5, $6) RETURNING {HOLD_COLUMNS}"
    ))
    .bind(service_id)
    .bind(request.units())
    .bind(now)
    .bind(user_id)
    .bind(now + request.minutes() * 60)
    .bind(need_id)
    .fetch_one(&mut *tx)
    .await?;
    let entry = AuditEntry {
        actor_id: user_id,
        action: "hold.place",
        entity: "hold",
        entity_id: Some(row.id),
        old_value: None,
        new_value: Some(format!("service={service_id} units={}", request.units())),
    };
    audit::append(tx, &entry, now).await?;
    Ok(Ok(row.into_hold(now)?))
}

/// Ends a held hold as confirmed (the survivor arrived: the units are used) or released.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn finish(
    db: &Db,
    hold_id: i64,
    outcome: HoldState,
    user_id: Option<i64>,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<Result<Hold, HoldError>, StoreError> {
    debug_assert!(matches!(outcome, HoldState::Confirmed | HoldState::Released));
    let mut tx = db.write().await?;
    let finished = finish_in(&mut tx, hold_id, outcome, user_id, now, policy).await?;
    tx.commit().await?;
    Ok(finished)
}

async fn finish_in(
    tx: &mut WriteTx,
    hold_id: i64,
    outcome: HoldState,
    user_id: Option<i64>,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<Result<Hold, HoldError>, StoreError> {
    let by_id = || query(format!("SELECT {HOLD_COLUMNS} FROM holds WHERE id = $1")).bind(hold_id);
    let Some(found): Option<HoldRow> = by_id().fetch_optional(&mut *tx).await? else {
        return Ok(Err(HoldError::NotFound));
    };
    capacity::lock(tx, found.service_id).await?;
    // Re-read under the lock: another request may have ended it meanwhile.
    let row: HoldRow = by_id().fetch_one(&mut *tx).await?;
    let hold = row.into_hold(now)?;
    if hold.state != HoldState::Held {
        return Ok(Err(HoldError::AlreadyEnded(hold.state)));
    }
    query("UPDATE holds SET state = $1, ended_at = $2 WHERE id = $3")
        .bind(outcome.code())
        .bind(now)
        .bind(hold_id)
        .execute(&mut *tx)
        .await?;
    if outcome == HoldState::Confirmed {
        let before = capacity::snapshot_in(tx, hold.service_id, now, policy).await?;
        // The held units leave both `vacant` and `on_hold`, so `available` is unchanged.
        let old_vacant = before.available + before.on_hold;
        let new_vacant = old_vacant - hold.units;
        query(
            "UPDATE capacity SET vacant = $1, last_changed_at = $2, last_changed_by = $3, version = version + 1
             WHERE service_id = $4",
        )
        .bind(new_vacant)
        .bind(now)
        .bind(user_id)
        .bind(hold.service_id)
        .execute(&mut *tx)
        .await?;
        HistoryLine {
            service_id: hold.service_id,
            at: now,
            user_id,
            kind: "arrival",
            total: (Some(before.total), before.total),
            vacant: (Some(old_vacant), new_vacant),
            accepting: (Some(before.accepting_referrals), before.accepting_referrals),
        }
        .record(tx)
        .await?;
    }
    let entry = AuditEntry {
        actor_id: user_id,
        action: if outcome == HoldState::Confirmed { "hold.arrived" } else { "hold.release" },
        entity: "hold",
        entity_id: Some(hold_id),
        ..Default::default()
    };
    audit::append(tx, &entry, now).await?;
    Ok(Ok(Hold { state: outcome, ..hold }))
}

/// Marks holds past their expiry as expired; returns how many. Reads never depend on this having run.
#[tracing::instrument(skip(db), fields(backend = db.backend()))]
pub async fn sweep_expired(db: &Db, now: i64) -> Result<u64, StoreError> {
    let mut tx = db.write().await?;
    let expired: Vec<(i64,)> =
        query("SELECT id FROM holds WHERE state = 'held' AND expires_at <= $1").bind(now).fetch_all(&mut tx).await?;
    for (id,) in &expired {
        query("UPDATE holds SET state = 'expired', ended_at = expires_at WHERE id = $1")
            .bind(id)
            .execute(&mut tx)
            .await?;
        let entry = AuditEntry { action: "hold.expire", entity: "hold", entity_id: Some(*id), ..Default::default() };
        audit::append(&mut tx, &entry, now).await?;
    }
    tx.commit().await?;
    Ok(expired.len() as u64)
}

/// One hold by id.
pub async fn get(db: &Db, hold_id: i64, now: i64) -> Result<Hold, StoreError> {
    let row: HoldRow =
        query(format!("SELECT {HOLD_COLUMNS} FROM holds WHERE id = $1")).bind(hold_id).fetch_one(db).await?;
    row.into_hold(now)
}

/// Holds on a service, newest first.
pub async fn for_service(db: &Db, service_id: i64, now: i64) -> Result<Vec<Hold>, StoreError> {
    let sql = format!("SELECT {HOLD_COLUMNS} FROM holds WHERE service_id = $1 ORDER BY created_at DESC, id DESC");
    let rows: Vec<HoldRow> = query(sql).bind(service_id).fetch_all(db).await?;
    rows.into_iter().map(|r| r.into_hold(now)).collect()
}

/// A hold as the provider's inbox and the coordinator's list show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HoldListing {
    /// The hold.
    pub hold: Hold,
    /// Service name.
    pub service_name: String,
    /// Organization running the service.
    pub organization_name: String,
    /// Town of the site.
    pub town: String,
    /// Who placed it.
    pub placed_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ListingRow {
    id: i64,
    service_id: i64,
    units: i64,
    state: String,
    created_at: i64,
    expires_at: i64,
    need_id: Option<i64>,
    service_name: String,
    organization_name: String,
    town: String,
    placed_by: Option<String>,
}

/// Active holds on services of the given organizations (`by_organizations`) or placed by a user, soonest
/// expiry first.
pub async fn active_listings(
    db: &Db,
    organization_ids: &[i64],
    placed_by: Option<i64>,
    now: i64,
) -> Result<Vec<HoldListing>, StoreError> {
    let mut q = query(
        "SELECT h.id, h.service_id, h.units, h.state, h.created_at, h.expires_at, h.need_id, s.name AS service_name,
            o.name AS organization_name, t.name AS town, u.display_name AS placed_by
         FROM holds h JOIN services s ON s.id = h.service_id JOIN sites si ON si.id = s.site_id
         JOIN organizations o ON o.id = si.organization_id JOIN towns t ON t.id = si.town_id
         LEFT JOIN users u ON u.id = h.created_by
         WHERE h.state = 'held' AND h.expires_at > ",
    );
    q.push_bind(now);
    match placed_by {
        Some(user) => {
            q.push(" AND h.created_by = ").push_bind(user);
        }
        None if organization_ids.is_empty() => return Ok(Vec::new()),
        None => {
            q.push(" AND si.organization_id IN ").push_bind_list(organization_ids.iter().copied());
        }
    }
    q.push(" ORDER BY h.expires_at, h.id");
    let rows: Vec<ListingRow> = q.fetch_all(db).await?;
    rows.into_iter()
        .map(|r| {
            let hold = HoldRow {
                id: r.id,
                service_id: r.service_id,
                units: r.units,
                state: r.state,
                created_at: r.created_at,
                expires_at: r.expires_at,
                need_id: r.need_id,
            }
            .into_hold(now)?;
            Ok(HoldListing {
                hold,
                service_name: r.service_name,
                organization_name: r.organization_name,
                town: r.town,
                placed_by: r.placed_by,
            })
        })
        .collect()
}
