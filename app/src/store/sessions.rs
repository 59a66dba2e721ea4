//! Server-side sessions, stored by the SHA-256 of their token so a database leak reveals no usable cookie.

use super::{Db, StoreError, query};

/// A stored session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    /// Whose.
    pub user_id: i64,
    /// Created.
    pub created_at: i64,
    /// Last request.
    pub last_seen_at: i64,
    /// Absolute end.
    pub expires_at: i64,
    /// Whether this session passed its own second factor.
    pub second_factor: bool,
}

/// Stores a new session; `second_factor` when it was opened with a second factor.
pub async fn create(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    second_factor: bool,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, second_factor)
             VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .bind(second_factor)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Finds a session.
pub async fn find(db: &Db, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
    const SQL: &str =
        "SELECT user_id, created_at, last_seen_at, expires_at, second_factor FROM sessions WHERE token_hash = $1";
    query(SQL).bind(token_hash).fetch_optional(db).await
}

/// The second-factor secret this session is setting up, creating it with `new_secret` if there is none yet.
/// It belongs to this session alone: another session of the same account never sees it.
pub async fn pending_totp_secret(db: &Db, token_hash: &str, new_secret: String) -> Result<String, StoreError> {
    let mut tx = db.write().await?;
    query("UPDATE sessions SET pending_totp_secret = $1 WHERE token_hash = $2 AND pending_totp_secret IS NULL")
        .bind(&new_secret)
        .bind(token_hash)
        .execute(&mut tx)
        .await?;
    let (secret,): (Option<String>,) = query("SELECT pending_totp_secret FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_one(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(secret.unwrap_or(new_secret))
}

/// The secret this session started setting up, if any (without creating one).
pub async fn find_pending_totp_secret(db: &Db, token_hash: &str) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT pending_totp_secret FROM sessions WHERE token_hash = $1";
    let row: Option<(Option<String>,)> = query(SQL).bind(token_hash).fetch_optional(db).await?;
    Ok(row.and_then(|(s,)| s))
}

/// Records activity (callers skip this when the last touch is recent, to spare writes).
pub async fn touch(db: &Db, token_hash: &str, now: i64) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends one session.
pub async fn delete(db: &Db, token_hash: &str) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Flashes can hold a one-time link: none outlives this many seconds, read or not.
pub const FLASH_SECS: i64 = 120;

/// Removes sessions past their idle or absolute limit, and flashes older than [`FLASH_SECS`] whether or not
/// anyone read them; returns how many sessions ended.
pub async fn sweep(db: &Db, now: i64, idle_secs: i64) -> Result<u64, StoreError> {
    let mut tx = db.write().await?;
    let done = query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - idle_secs)
        .execute(&mut tx)
        .await?;
    query("DELETE FROM flashes WHERE created_at <= $1").bind(now - FLASH_SECS).execute(&mut tx).await?;
    tx.commit().await?;
    Ok(done)
}

/// Leaves a message for one session, shown once.
pub async fn push_flash(db: &Db, session_hash: &str, body: &str, now: i64) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query("INSERT INTO flashes (session_hash, body, created_at) VALUES ($1, $2, $3)")
        .bind(session_hash)
        .bind(body)
        .bind(now)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A session's messages from the last two minutes; older ones are deleted. Reading does not consume them,
/// so a page that renders its data twice (or a quick reload) still shows the message to the same session.
pub async fn take_flashes(db: &Db, session_hash: &str, now: i64) -> Result<Vec<String>, StoreError> {
    let mut tx = db.write().await?;
    query("DELETE FROM flashes WHERE created_at <= $1").bind(now - FLASH_SECS).execute(&mut tx).await?;
    let rows: Vec<(String,)> = query("SELECT body FROM flashes WHERE session_hash = $1 ORDER BY created_at")
        .bind(session_hash)
        .fetch_all(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(|(b,)| b).collect())
}
