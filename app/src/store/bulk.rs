//! Bulk loading for demo and benchmark data: many rows per statement, one transaction per call.

use super::capacity::{HISTORY_INSERT, HistoryLine};
use super::{Db, StoreError, query};

/// One history row to import.
#[derive(Debug, Clone)]
pub struct HistoryRecord {
    /// Service.
    pub service_id: i64,
    /// When.
    pub at: i64,
    /// Who.
    pub user_id: Option<i64>,
    /// `change` or `confirm`.
    pub kind: &'static str,
    /// Total before and after.
    pub total: (i64, i64),
    /// Vacant before and after.
    pub vacant: (i64, i64),
    /// Accepting referrals (unchanged by imports).
    pub accepting: bool,
}

/// The state a service's capacity row ends in after an import.
#[derive(Debug, Clone)]
pub struct CapacityState {
    /// Service.
    pub service_id: i64,
    /// Total.
    pub total: i64,
    /// Vacant.
    pub vacant: i64,
    /// Last change time.
    pub changed_at: i64,
    /// Last confirmation time.
    pub confirmed_at: i64,
    /// Who did both.
    pub user_id: Option<i64>,
    /// Number of changes made (the version grows by this much).
    pub changes: i64,
}

const ROWS_PER_STATEMENT: usize = 1000;

/// Appends history rows.
pub async fn insert_history(db: &Db, rows: &[HistoryRecord]) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut q = query(HISTORY_INSERT);
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            HistoryLine {
                service_id: r.service_id,
                at: r.at,
                user_id: r.user_id,
                kind: r.kind,
                total: (Some(r.total.0), r.total.1),
                vacant: (Some(r.vacant.0), r.vacant.1),
                accepting: (Some(r.accepting), r.accepting),
            }
            .push_values(&mut q);
        }
        q.execute(&mut tx).await?;
    }
    if let Some(first) = rows.iter().map(|r| r.at).min() {
        super::rollup::invalidate_from(&mut tx, first).await?;
    }
    tx.commit().await
}

/// Sets capacity rows to their imported final state.
pub async fn set_capacity(db: &Db, rows: &[CapacityState]) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    for r in rows {
        query(
            "UPDATE capacity SET total = $1, vacant = $2, last_changed_at = $3, last_changed_by = $4,
                    last_confirmed_at = $5, last_confirmed_by = $4, version = version + $6
                 WHERE service_id = $7",
        )
        .bind(r.total)
        .bind(r.vacant)
        .bind(r.changed_at)
        .bind(r.user_id)
        .bind(r.confirmed_at)
        .bind(r.changes)
        .bind(r.service_id)
        .execute(&mut tx)
        .await?;
    }
    tx.commit().await
}
