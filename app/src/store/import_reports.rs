//! Reports of uploaded imports (`import_reports`): a row kept as an import starts, so the upload page can follow
//! it, and its outcome and whole report once it ends.

use super::{Db, StoreError, query};

/// What an uploaded import's row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Started, not finished.
    Running,
    /// It could not finish: nothing was written.
    Failed,
    /// The report, as JSON.
    Report(String),
}

/// The `report` column of an import still running, and of one that could not finish.
const RUNNING: &str = "";
const FAILED: &str = "failed";

/// Keeps a row for an uploaded import as it starts, so the upload page can follow it. Returns its id.
pub async fn start_report(db: &Db, user_id: i64, now: i64, file: &str) -> Result<i64, StoreError> {
    let mut tx = db.write().await?;
    let (id,): (i64,) = query(
        "INSERT INTO import_reports (user_id, created_at, file_name, outcome, report) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(user_id)
    .bind(now)
    .bind(file)
    .bind("importing")
    .bind(RUNNING)
    .fetch_one(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Keeps import `id`'s outcome (a few words, for the list of recent imports) and its whole report (JSON),
/// or, with `report` `None`, that it could not finish.
pub async fn finish_report(db: &Db, id: i64, outcome: &str, report: Option<&str>) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query("UPDATE import_reports SET outcome = $1, report = $2 WHERE id = $3")
        .bind(outcome)
        .bind(report.unwrap_or(FAILED))
        .bind(id)
        .execute(&mut tx)
        .await?;
    tx.commit().await
}

/// The latest `limit` imports, newest first: id, when, file name and outcome.
pub async fn recent_reports(db: &Db, limit: i64) -> Result<Vec<(i64, i64, String, String)>, StoreError> {
    query("SELECT id, created_at, file_name, outcome FROM import_reports ORDER BY id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(db)
        .await
}

/// Import `id`: its file name, when it started and what it holds, if there is one.
pub async fn report(db: &Db, id: i64) -> Result<Option<(String, i64, Stored)>, StoreError> {
    let row: Option<(String, i64, String)> =
        query("SELECT file_name, created_at, report FROM import_reports WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(file, at, report)| {
        let stored = match report.as_str() {
            RUNNING => Stored::Running,
            FAILED => Stored::Failed,
            _ => Stored::Report(report),
        };
        (file, at, stored)
    }))
}
