//! Authentication on the server: password hashing, secrets, TOTP, sessions and the guards every server
//! function calls before it does anything.

pub mod guard;
pub mod password;
pub mod secret;
pub mod session;
pub mod totp;

pub use guard::{optional_viewer, require};

/// Invitation links last 72 hours.
pub const LINK_LIFETIME_SECS: i64 = 72 * 3600;

/// Creates an invited account and returns the one-time token for its link (`/welcome/{token}`).
pub async fn invite(
    db: &crate::store::Db,
    email: &crate::domain::account::Email,
    role: crate::domain::account::Role,
    organization_ids: &[i64],
    invited_by: Option<i64>,
    now: i64,
) -> Result<Result<String, crate::store::accounts::LinkError>, crate::store::StoreError> {
    let token = secret::new_token();
    let hash = secret::token_hash(&token);
    let created = crate::store::accounts::invite(
        db,
        email,
        role,
        organization_ids,
        invited_by,
        &hash,
        now,
        now + LINK_LIFETIME_SECS,
    )
    .await?;
    Ok(created.map(|_| token))
}

/// Creates a one-time password-reset link (72 hours) for an existing account; returns the token for
/// `/welcome/{token}`. Using it sets a new password and ends the account's sessions.
pub async fn reset_link(
    db: &crate::store::Db,
    user_id: i64,
    created_by: Option<i64>,
    now: i64,
) -> Result<String, crate::store::StoreError> {
    let token = secret::new_token();
    crate::store::accounts::create_reset_link(
        db,
        user_id,
        created_by,
        &secret::token_hash(&token),
        now,
        now + LINK_LIFETIME_SECS,
    )
    .await?;
    Ok(token)
}
