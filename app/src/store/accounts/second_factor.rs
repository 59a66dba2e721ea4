//! Second factors: TOTP steps accepted once, enrolment, recovery codes.

use crate::store::audit::AuditEntry;
use crate::store::{Db, StoreError, WriteTx, query};

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
