//! One-time links: invitations and password resets, each used once before it expires.

use crate::domain::account::{Email, Role};
use crate::store::audit::AuditEntry;
use crate::store::{Db, StoreError, WriteTx, query};

/// Why a one-time link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum LinkError {
    /// Unknown, used or expired: all look the same to the visitor.
    #[error("This link is invalid, expired or already used. Ask for a new one.")]
    Invalid,
    /// The email is already taken.
    #[error("An account with that email already exists.")]
    EmailTaken,
}

/// Creates an account without a password and an invitation link for it; returns the new user's id.
pub async fn invite(
    db: &Db,
    email: &Email,
    role: Role,
    organization_ids: &[i64],
    invited_by: Option<i64>,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<Result<i64, LinkError>, StoreError> {
    let mut tx = db.write().await?;
    let out = invite_in(&mut tx, email, role, organization_ids, invited_by, token_hash, now, expires_at).await?;
    tx.commit().await?;
    Ok(out)
}

async fn invite_in(
    tx: &mut WriteTx,
    email: &Email,
    role: Role,
    organization_ids: &[i64],
    invited_by: Option<i64>,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<Result<i64, LinkError>, StoreError> {
    let taken: Option<(i64,)> =
        query("SELECT id FROM users WHERE email = $1").bind(email.as_str()).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Ok(Err(LinkError::EmailTaken));
    }
    let (id,): (i64,) =
        query("INSERT INTO users (email, display_name, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(email.as_str())
            .bind(email.as_str().split('@').next().unwrap_or_default())
            .bind(role.code())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
    for org in organization_ids {
        query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
    }
    query(
        "INSERT INTO one_time_links (token_hash, kind, user_id, created_by, created_at, expires_at)
             VALUES ($1, 'invite', $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(id)
    .bind(invited_by)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    let entry = AuditEntry {
        actor_id: invited_by,
        action: "user.invite",
        entity: "user",
        entity_id: Some(id),
        old_value: None,
        new_value: Some(format!("role={} organizations={organization_ids:?}", role.code())),
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(Ok(id))
}

/// Creates a password-reset link for an existing user; any older unused link of theirs stops working.
pub async fn create_reset_link(
    db: &Db,
    user_id: i64,
    created_by: Option<i64>,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    query("UPDATE one_time_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut tx)
        .await?;
    query(
        "INSERT INTO one_time_links (token_hash, kind, user_id, created_by, created_at, expires_at)
             VALUES ($1, 'reset', $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(created_by)
    .bind(now)
    .bind(expires_at)
    .execute(&mut tx)
    .await?;
    let entry = AuditEntry {
        actor_id: created_by,
        action: "user.reset_link",
        entity: "user",
        entity_id: Some(user_id),
        ..Default::default()
    };
    crate::store::audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `token_hash` names an unused, unexpired link (checked before any password is hashed).
pub async fn link_is_usable(db: &Db, token_hash: &str, now: i64) -> Result<bool, StoreError> {
    const SQL: &str =
        "SELECT COUNT(*) FROM one_time_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
    let (n,): (i64,) = query(SQL).bind(token_hash).bind(now).fetch_one(db).await?;
    Ok(n > 0)
}

/// Uses a one-time link once: sets the password (and name, for invitations) and ends existing sessions.
pub async fn redeem_link(
    db: &Db,
    token_hash: &str,
    password_hash: &str,
    display_name: Option<&str>,
    now: i64,
) -> Result<Result<i64, LinkError>, StoreError> {
    let mut tx = db.write().await?;
    let out = redeem_link_in(&mut tx, token_hash, password_hash, display_name, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn redeem_link_in(
    tx: &mut WriteTx,
    token_hash: &str,
    password_hash: &str,
    display_name: Option<&str>,
    now: i64,
) -> Result<Result<i64, LinkError>, StoreError> {
    let link: Option<(i64, i64, Option<i64>)> =
        query("SELECT user_id, expires_at, used_at FROM one_time_links WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((user_id, expires_at, None)) = link else { return Ok(Err(LinkError::Invalid)) };
    if expires_at <= now {
        return Ok(Err(LinkError::Invalid));
    }
    let used = query("UPDATE one_time_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now)
        .bind(token_hash)
        .execute(&mut *tx)
        .await?;
    if used != 1 {
        return Ok(Err(LinkError::Invalid));
    }
    query("UPDATE users SET password_hash = $1, display_name = COALESCE($2, display_name) WHERE id = $3")
        .bind(password_hash)
        .bind(display_name)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    // A new password retires every other outstanding link of the account.
    query("UPDATE one_time_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let entry = AuditEntry {
        actor_id: Some(user_id),
        action: "user.password_set",
        entity: "user",
        entity_id: Some(user_id),
        ..Default::default()
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(Ok(user_id))
}

/// Sets a password directly (the `create-admin` bootstrap); returns the user id.
pub async fn create_with_password(
    db: &Db,
    email: &Email,
    display_name: &str,
    role: Role,
    password_hash: &str,
    now: i64,
) -> Result<Result<i64, LinkError>, StoreError> {
    let mut tx = db.write().await?;
    let out = create_with_password_in(&mut tx, email, display_name, role, password_hash, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn create_with_password_in(
    tx: &mut WriteTx,
    email: &Email,
    display_name: &str,
    role: Role,
    password_hash: &str,
    now: i64,
) -> Result<Result<i64, LinkError>, StoreError> {
    let taken: Option<(i64,)> =
        query("SELECT id FROM users WHERE email = $1").bind(email.as_str()).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Ok(Err(LinkError::EmailTaken));
    }
    let (id,): (i64,) = query(
            "INSERT INTO users (email, display_name, role, created_at, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(email.as_str())
        .bind(display_name)
        .bind(role.code())
        .bind(now)
        .bind(password_hash)
        .fetch_one(&mut *tx)
        .await?;
    let entry = AuditEntry {
        actor_id: None,
        action: "user.create",
        entity: "user",
        entity_id: Some(id),
        new_value: Some(format!("role={}", role.code())),
        ..Default::default()
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(Ok(id))
}
