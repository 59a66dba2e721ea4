//! Bulk loading for demo and benchmark data: many rows per statement, one transaction per call.

use crate::write_tx;

use super::sql::{Arg, Sql, bind_all_execute};
use super::{Db, StoreError};

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
    write_tx!(db, |tx| {
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let mut sql = Sql::default();
            sql.push(
                "INSERT INTO capacity_history (service_id, at, user_id, kind, old_total, new_total, old_vacant,
                    new_vacant, old_accepting, new_accepting) VALUES ",
            );
            for (i, r) in chunk.iter().enumerate() {
                sql.push(if i == 0 { "(" } else { ", (" });
                sql.bind(Arg::Int(r.service_id)).push(", ").bind(Arg::Int(r.at)).push(", ");
                sql.bind(Arg::MaybeInt(r.user_id)).push(", ").bind(Arg::Text(r.kind.to_owned())).push(", ");
                sql.bind(Arg::Int(r.total.0)).push(", ").bind(Arg::Int(r.total.1)).push(", ");
                sql.bind(Arg::Int(r.vacant.0)).push(", ").bind(Arg::Int(r.vacant.1));
                let accepting = if r.accepting { "TRUE" } else { "FALSE" };
                sql.push(&format!(", {accepting}, {accepting})"));
            }
            let query = bind_all_execute(sqlx::query(&sql.text), &sql.args);
            query.execute(&mut *tx).await?;
        }
        Ok(())
    })
}

/// Sets capacity rows to their imported final state.
pub async fn set_capacity(db: &Db, rows: &[CapacityState]) -> Result<(), StoreError> {
    write_tx!(db, |tx| {
        for r in rows {
            sqlx::query(
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
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    })
}
