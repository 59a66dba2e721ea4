//! Holds: placing one never takes more than is free at that instant; expired holds free their units by
//! themselves (reads ignore them) and a sweeper records them as expired.

use crate::domain::freshness::{FreshnessBand, FreshnessPolicy};
use crate::domain::hold::{Hold, HoldError, HoldRequest, HoldState};
use crate::{on_db, write_tx};

use super::capacity::{CapacityRow, lock_capacity, snapshot_in_tx, snapshot_sql};
use super::{Db, StoreError, from_unix};

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
        let state = if stored == HoldState::Held && self.expires_at <= now { HoldState::Expired } else { stored };
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

/// Places a hold if that many fresh units are free right now and the service accepts referrals.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn place(
    db: &Db,
    service_id: i64,
    request: HoldRequest,
    user_id: Option<i64>,
    need_id: Option<i64>,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<Result<Hold, HoldError>, StoreError> {
    write_tx!(db, |tx| {
        if !lock_capacity!(tx, service_id) {
            return Ok(Err(HoldError::NotFound));
        }
        let current = snapshot_in_tx!(tx, service_id, now, policy);
        let (status,): (String,) =
            sqlx::query_as("SELECT status FROM services WHERE id = $1").bind(service_id).fetch_one(&mut *tx).await?;
        if status != "active" || !current.accepting_referrals {
            Ok(Err(HoldError::NotAccepting))
        } else if current.freshness == FreshnessBand::Stale || current.available < request.units() {
            Ok(Err(HoldError::NoLongerAvailable))
        } else {
            let row: HoldRow = sqlx::query_as(&format!(
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
            Ok(Ok(row.into_hold(now)?))
        }
    })
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
    write_tx!(db, |tx| {
        let found: Option<HoldRow> = sqlx::query_as(&format!("SELECT {HOLD_COLUMNS} FROM holds WHERE id = $1"))
            .bind(hold_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(found) = found else { return Ok(Err(HoldError::NotFound)) };
        let _locked = lock_capacity!(tx, found.service_id);
        // Re-read under the lock: another request may have ended it meanwhile.
        let row: HoldRow = sqlx::query_as(&format!("SELECT {HOLD_COLUMNS} FROM holds WHERE id = $1"))
            .bind(hold_id)
            .fetch_one(&mut *tx)
            .await?;
        let hold = row.into_hold(now)?;
        if hold.state != HoldState::Held {
            return Ok(Err(HoldError::AlreadyEnded(hold.state)));
        }
        sqlx::query("UPDATE holds SET state = $1, ended_at = $2 WHERE id = $3")
            .bind(outcome.code())
            .bind(now)
            .bind(hold_id)
            .execute(&mut *tx)
            .await?;
        if outcome == HoldState::Confirmed {
            let before = snapshot_in_tx!(tx, hold.service_id, now, policy);
            // The held units leave both `vacant` and `on_hold`, so `available` is unchanged.
            let old_vacant = before.available + before.on_hold;
            let new_vacant = old_vacant - hold.units;
            sqlx::query(
                "UPDATE capacity SET vacant = $1, last_changed_at = $2, last_changed_by = $3, version = version + 1
                 WHERE service_id = $4",
            )
            .bind(new_vacant)
            .bind(now)
            .bind(user_id)
            .bind(hold.service_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO capacity_history (service_id, at, user_id, kind, old_total, new_total, old_vacant,
                    new_vacant, old_accepting, new_accepting)
                 VALUES ($1, $2, $3, 'arrival', $4, $4, $5, $6, $7, $7)",
            )
            .bind(hold.service_id)
            .bind(now)
            .bind(user_id)
            .bind(before.total)
            .bind(old_vacant)
            .bind(new_vacant)
            .bind(before.accepting_referrals)
            .execute(&mut *tx)
            .await?;
        }
        Ok(Ok(Hold { state: outcome, ..hold }))
    })
}

/// Marks holds past their expiry as expired; returns how many. Reads never depend on this having run.
#[tracing::instrument(skip(db), fields(backend = db.backend()))]
pub async fn sweep_expired(db: &Db, now: i64) -> Result<u64, StoreError> {
    Ok(write_tx!(db, |tx| {
        sqlx::query(
            "UPDATE holds SET state = 'expired', ended_at = expires_at WHERE state = 'held' AND expires_at <= $1",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    }))
}

/// One hold by id.
pub async fn get(db: &Db, hold_id: i64, now: i64) -> Result<Hold, StoreError> {
    let sql = format!("SELECT {HOLD_COLUMNS} FROM holds WHERE id = $1");
    let row: Option<HoldRow> = on_db!(db, |pool| sqlx::query_as(&sql).bind(hold_id).fetch_optional(pool).await)?;
    row.ok_or(StoreError::NotFound)?.into_hold(now)
}

/// Holds on a service, newest first.
pub async fn for_service(db: &Db, service_id: i64, now: i64) -> Result<Vec<Hold>, StoreError> {
    let sql = format!("SELECT {HOLD_COLUMNS} FROM holds WHERE service_id = $1 ORDER BY created_at DESC, id DESC");
    let rows: Vec<HoldRow> = on_db!(db, |pool| sqlx::query_as(&sql).bind(service_id).fetch_all(pool).await)?;
    rows.into_iter().map(|r| r.into_hold(now)).collect()
}
