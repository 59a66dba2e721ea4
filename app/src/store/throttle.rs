//! Sign-in and link-redemption attempts: checked and recorded in one locked transaction, so parallel
//! guesses cannot all slip under the limit, then settled once the password has been checked.

use crate::domain::throttle::{RecentFailures, ThrottleLimits};
use crate::store::audit::AuditEntry;

use super::{Db, StoreError, WriteTx, query};

/// Attempts older than this are deleted by the sweeper (the audit log keeps the record).
pub const KEEP_SECS: i64 = 2 * 24 * 3600;

/// The answer to "may this attempt be evaluated?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Yes: the attempt is recorded as a failure until [`settle`] says otherwise.
    Admitted(i64),
    /// No: try again after this many seconds. Nothing was recorded.
    Throttled(i64),
}

/// Counts recent failures of `account` and `client` and, unless a limit is reached, records this attempt
/// as a failure, all under one lock (`BEGIN IMMEDIATE` on SQLite, a table lock on PostgreSQL).
pub async fn reserve(
    db: &Db,
    limits: &ThrottleLimits,
    account: &str,
    client: &str,
    now: i64,
) -> Result<Attempt, StoreError> {
    let mut tx = db.write().await?;
    let out = reserve_in(&mut tx, limits, account, client, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn reserve_in(
    tx: &mut WriteTx,
    limits: &ThrottleLimits,
    account: &str,
    client: &str,
    now: i64,
) -> Result<Attempt, StoreError> {
    if tx.is_postgres() {
        query("LOCK TABLE sign_in_attempts IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await?;
    }
    let (last_success,): (Option<i64>,) =
        query("SELECT MAX(at) FROM sign_in_attempts WHERE account = $1 AND succeeded = TRUE")
            .bind(account)
            .fetch_one(&mut *tx)
            .await?;
    let reset = last_success.unwrap_or(0).max(now - 24 * 3600);
    let (account_last_minute, client_last_minute, account_since_reset, account_last_failure_at): (
        i64,
        i64,
        i64,
        Option<i64>,
    ) = query(
        "SELECT
                (SELECT COUNT(*) FROM sign_in_attempts WHERE account = $1 AND at > $3 AND succeeded = FALSE),
                (SELECT COUNT(*) FROM sign_in_attempts WHERE client = $2 AND at > $3 AND succeeded = FALSE),
                (SELECT COUNT(*) FROM sign_in_attempts WHERE account = $1 AND at >= $4 AND succeeded = FALSE),
                (SELECT MAX(at) FROM sign_in_attempts WHERE account = $1 AND at >= $4 AND succeeded = FALSE)",
    )
    .bind(account)
    .bind(client)
    .bind(now - 60)
    .bind(reset)
    .fetch_one(&mut *tx)
    .await?;
    let recent =
        RecentFailures { account_last_minute, client_last_minute, account_since_reset, account_last_failure_at };
    if let Some(wait) = limits.wait(&recent, now) {
        return Ok(Attempt::Throttled(wait));
    }
    let (id,): (i64,) =
        query("INSERT INTO sign_in_attempts (at, account, client, succeeded) VALUES ($1, $2, $3, FALSE) RETURNING id")
            .bind(now)
            .bind(account)
            .bind(client)
            .fetch_one(&mut *tx)
            .await?;
    Ok(Attempt::Admitted(id))
}

/// Settles an admitted attempt: a success stops counting as a failure. Both are audited.
pub async fn settle(
    db: &Db,
    attempt: i64,
    user_id: Option<i64>,
    succeeded: bool,
    action: &'static str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    if succeeded {
        query("UPDATE sign_in_attempts SET succeeded = TRUE WHERE id = $1").bind(attempt).execute(&mut tx).await?;
    }
    let entry = AuditEntry { actor_id: user_id, action, entity: "user", entity_id: user_id, ..Default::default() };
    crate::store::audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Lets an account sign in again at once (an administrator's unlock): its recorded failures are removed.
pub async fn unlock(db: &Db, actor: i64, user_id: i64, account: &str, now: i64) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query("DELETE FROM sign_in_attempts WHERE account = $1 AND succeeded = FALSE")
        .bind(account)
        .execute(&mut tx)
        .await?;
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: "user.sign_in_unlocked",
        entity: "user",
        entity_id: Some(user_id),
        ..Default::default()
    };
    crate::store::audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes attempts older than [`KEEP_SECS`]; returns how many.
pub async fn prune(db: &Db, now: i64) -> Result<u64, StoreError> {
    let mut tx = db.write().await?;
    let done = query("DELETE FROM sign_in_attempts WHERE at < $1").bind(now - KEEP_SECS).execute(&mut tx).await?;
    tx.commit().await?;
    Ok(done)
}
