//! Users, one-time links (invitations and password resets), second factors, and sign-in attempts.
//! Secrets arrive here already hashed; every change is audited in its own transaction.

use crate::domain::account::{Email, Role, Viewer};
use crate::store::audit::AuditEntry;

use super::{Db, StoreError, WriteTx, query};

/// What sign-in needs to know about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    /// User id.
    pub id: i64,
    /// Argon2id PHC string, if a password was set.
    pub password_hash: Option<String>,
    /// TOTP secret (base32), if set up.
    pub totp_secret: Option<String>,
    /// Whether the second factor is active.
    pub totp_enabled: bool,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// Role code.
    pub role: String,
}

/// Looks an account up by normalized email.
pub async fn credentials(db: &Db, email: &Email) -> Result<Option<Credentials>, StoreError> {
    const SQL: &str = "SELECT id, password_hash, totp_secret, totp_enabled, disabled, role FROM users WHERE email = $1";
    query(SQL).bind(email.as_str()).fetch_optional(db).await
}

/// Credentials by id.
pub async fn credentials_by_id(db: &Db, user_id: i64) -> Result<Option<Credentials>, StoreError> {
    const SQL: &str = "SELECT id, password_hash, totp_secret, totp_enabled, disabled, role FROM users WHERE id = $1";
    query(SQL).bind(user_id).fetch_optional(db).await
}

#[derive(sqlx::FromRow)]
struct ViewerRow {
    id: i64,
    display_name: String,
    email: String,
    role: String,
    totp_enabled: bool,
    disabled: bool,
}

/// The viewer for a user id, unless the account is disabled.
pub async fn viewer(db: &Db, user_id: i64) -> Result<Option<Viewer>, StoreError> {
    const USER: &str = "SELECT id, display_name, email, role, totp_enabled, disabled FROM users WHERE id = $1";
    const ORGS: &str = "SELECT organization_id FROM user_organizations WHERE user_id = $1 ORDER BY organization_id";
    let (row, orgs): (Option<ViewerRow>, Vec<(i64,)>) = {
        let row = query(USER).bind(user_id).fetch_optional(db).await?;
        let orgs = query(ORGS).bind(user_id).fetch_all(db).await?;
        (row, orgs)
    };
    let Some(row) = row.filter(|r| !r.disabled) else { return Ok(None) };
    let role = Role::parse(&row.role).ok_or_else(|| StoreError::Corrupt(format!("role {}", row.role)))?;
    Ok(Some(Viewer {
        id: row.id,
        display_name: row.display_name,
        email: row.email,
        role,
        organization_ids: orgs.into_iter().map(|(o,)| o).collect(),
        totp_enabled: row.totp_enabled,
        // Known only from a session: see `auth::session::check`.
        second_factor: false,
    }))
}

/// One user as administrators list them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct UserRow {
    /// Id.
    pub id: i64,
    /// Email.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Disabled.
    pub disabled: bool,
    /// Second factor set up.
    pub totp_enabled: bool,
    /// Whether a password was set (false while an invitation is pending).
    pub active: bool,
}

/// Users, by email; `organization_id` limits to one organization's people.
pub async fn list_users(db: &Db, organization_id: Option<i64>) -> Result<Vec<UserRow>, StoreError> {
    const SQL: &str = "SELECT u.id, u.email, u.display_name, u.role, u.disabled, u.totp_enabled,
            (u.password_hash IS NOT NULL) AS active
        FROM users u
        WHERE $1 = 0 OR EXISTS (SELECT 1 FROM user_organizations uo WHERE uo.user_id = u.id AND uo.organization_id = $1)
        ORDER BY u.email";
    query(SQL).bind(organization_id.unwrap_or(0)).fetch_all(db).await
}

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

/// Accepts TOTP time step `step` for an account once: true only when it is later than every step accepted
/// before, so a code (or an older one) never signs in twice.
pub async fn claim_totp_step(db: &Db, user_id: i64, step: i64) -> Result<bool, StoreError> {
    let mut tx = db.write().await?;
    let done =
        query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
            .bind(step)
            .bind(user_id)
            .execute(&mut tx)
            .await?;
    tx.commit().await?;
    Ok(done == 1)
}

/// What switching a second factor on changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolment {
    /// On, with new recovery codes; the account's other sessions (these hashes) were ended.
    On {
        /// Sessions ended, so their event streams can be closed.
        ended_sessions: Vec<String>,
    },
    /// The code's time step was already used (a replayed code): nothing changed.
    Replayed,
}

/// Switches the second factor on for the session `session_hash` with the secret it set up and the time step
/// its code proved: stores the secret, replaces the recovery codes with `recovery_code_hashes`, marks this
/// session as having passed its second factor and ends every other session of the account.
pub async fn enable_totp(
    db: &Db,
    user_id: i64,
    session_hash: &str,
    secret: &str,
    step: i64,
    recovery_code_hashes: &[String],
    now: i64,
) -> Result<Enrolment, StoreError> {
    let mut tx = db.write().await?;
    let out = enable_totp_in(&mut tx, user_id, session_hash, secret, step, recovery_code_hashes, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn enable_totp_in(
    tx: &mut WriteTx,
    user_id: i64,
    session_hash: &str,
    secret: &str,
    step: i64,
    recovery_code_hashes: &[String],
    now: i64,
) -> Result<Enrolment, StoreError> {
    let claimed = query(
        "UPDATE users SET totp_secret = $1, totp_enabled = TRUE, totp_last_step = $2
             WHERE id = $3 AND (totp_last_step IS NULL OR totp_last_step < $2)",
    )
    .bind(secret)
    .bind(step)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if claimed != 1 {
        return Ok(Enrolment::Replayed);
    }
    query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    for hash in recovery_code_hashes {
        query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
    }
    let ended: Vec<(String,)> =
        query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 RETURNING token_hash")
            .bind(user_id)
            .bind(session_hash)
            .fetch_all(&mut *tx)
            .await?;
    let ended: Vec<String> = ended.into_iter().map(|(h,)| h).collect();
    query("UPDATE sessions SET second_factor = TRUE, pending_totp_secret = NULL WHERE token_hash = $1")
        .bind(session_hash)
        .execute(&mut *tx)
        .await?;
    let entry = AuditEntry {
        actor_id: Some(user_id),
        action: "user.totp_enabled",
        entity: "user",
        entity_id: Some(user_id),
        new_value: Some(format!("other sessions ended: {}", ended.len())),
        ..Default::default()
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(Enrolment::On { ended_sessions: ended })
}

/// Uses a recovery code once. When it matched an unused code, every session of the account is ended (the
/// device may be in someone else's hands) and their hashes returned; `None` when it matched nothing.
pub async fn use_recovery_code(
    db: &Db,
    user_id: i64,
    code_hash: &str,
    now: i64,
) -> Result<Option<Vec<String>>, StoreError> {
    let mut tx = db.write().await?;
    let out = use_recovery_code_in(&mut tx, user_id, code_hash, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn use_recovery_code_in(
    tx: &mut WriteTx,
    user_id: i64,
    code_hash: &str,
    now: i64,
) -> Result<Option<Vec<String>>, StoreError> {
    let done =
        query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
            .bind(now)
            .bind(user_id)
            .bind(code_hash)
            .execute(&mut *tx)
            .await?;
    if done != 1 {
        return Ok(None);
    }
    let ended: Vec<(String,)> =
        query("DELETE FROM sessions WHERE user_id = $1 RETURNING token_hash").bind(user_id).fetch_all(&mut *tx).await?;
    let ended: Vec<String> = ended.into_iter().map(|(h,)| h).collect();
    let entry = AuditEntry {
        actor_id: Some(user_id),
        action: "user.recovery_code_used",
        entity: "user",
        entity_id: Some(user_id),
        new_value: Some(format!("sessions ended: {}", ended.len())),
        ..Default::default()
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(Some(ended))
}

/// Changes a role; returns false for an unknown user.
pub async fn set_role(db: &Db, actor: i64, user_id: i64, role: Role, now: i64) -> Result<bool, StoreError> {
    let mut tx = db.write().await?;
    let out = set_role_in(&mut tx, actor, user_id, role, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn set_role_in(tx: &mut WriteTx, actor: i64, user_id: i64, role: Role, now: i64) -> Result<bool, StoreError> {
    let old: Option<(String,)> =
        query("SELECT role FROM users WHERE id = $1").bind(user_id).fetch_optional(&mut *tx).await?;
    let Some((old,)) = old else { return Ok(false) };
    query("UPDATE users SET role = $1 WHERE id = $2").bind(role.code()).bind(user_id).execute(&mut *tx).await?;
    // A new role is a new trust level: sign the person in again.
    query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: "user.role",
        entity: "user",
        entity_id: Some(user_id),
        old_value: Some(old),
        new_value: Some(role.code().to_owned()),
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(true)
}

/// Disables or re-enables an account; disabling ends its sessions at once.
pub async fn set_disabled(db: &Db, actor: i64, user_id: i64, disabled: bool, now: i64) -> Result<bool, StoreError> {
    let mut tx = db.write().await?;
    let out = set_disabled_in(&mut tx, actor, user_id, disabled, now).await?;
    tx.commit().await?;
    Ok(out)
}

async fn set_disabled_in(
    tx: &mut WriteTx,
    actor: i64,
    user_id: i64,
    disabled: bool,
    now: i64,
) -> Result<bool, StoreError> {
    let done =
        query("UPDATE users SET disabled = $1 WHERE id = $2").bind(disabled).bind(user_id).execute(&mut *tx).await?;
    if done != 1 {
        return Ok(false);
    }
    if disabled {
        query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    }
    let entry = AuditEntry {
        actor_id: Some(actor),
        action: if disabled { "user.disable" } else { "user.enable" },
        entity: "user",
        entity_id: Some(user_id),
        ..Default::default()
    };
    crate::store::audit::append(tx, &entry, now).await?;
    Ok(true)
}
