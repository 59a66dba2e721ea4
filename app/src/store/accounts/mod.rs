//! Users, one-time links (invitations and password resets), second factors, and sign-in attempts.
//! Secrets arrive here already hashed; every change is audited in its own transaction.

mod links;
mod second_factor;

pub use links::{LinkError, create_reset_link, create_with_password, invite, link_is_usable, redeem_link};
pub use second_factor::{Enrolment, claim_totp_step, enable_totp, use_recovery_code};

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
