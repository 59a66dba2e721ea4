//! The audit log: append-only, written in the same transaction as the change it records, each entry hashed
//! together with its predecessor so that editing or deleting any row breaks the chain.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::on_db;

use super::{Db, StoreError};

/// What to record. Values are short JSON or text, never passwords, tokens or addresses.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry<'a> {
    /// Who acted (none for anonymous sign-in failures).
    pub actor_id: Option<i64>,
    /// What happened, e.g. `capacity.update`, `sign_in.failure`, `address.view`.
    pub action: &'a str,
    /// Kind of thing acted on, e.g. `service`, `user`.
    pub entity: &'a str,
    /// Its id.
    pub entity_id: Option<i64>,
    /// Value before.
    pub old_value: Option<String>,
    /// Value after.
    pub new_value: Option<String>,
}

/// The hash that links an entry to its predecessor.
fn chain_hash(prev: &str, at: i64, e: &AuditEntry<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &at.to_string(),
        &e.actor_id.map(|i| i.to_string()).unwrap_or_default(),
        e.action,
        e.entity,
        &e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
        e.old_value.as_deref().unwrap_or("\u{0}"),
        e.new_value.as_deref().unwrap_or("\u{0}"),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex(&h.finalize())
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry inside the caller's transaction `$tx`, serializing on the chain's head row.
#[macro_export]
macro_rules! audit_in_tx {
    ($tx:ident, $entry:expr, $now:expr) => {{
        let entry: &$crate::store::audit::AuditEntry<'_> = &$entry;
        sqlx::query("UPDATE audit_head SET id = id WHERE id = 1").execute(&mut *$tx).await?;
        let (prev,): (String,) =
            sqlx::query_as("SELECT last_hash FROM audit_head WHERE id = 1").fetch_one(&mut *$tx).await?;
        let hash = $crate::store::audit::next_hash(&prev, $now, entry);
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind($now)
        .bind(entry.actor_id)
        .bind(entry.action)
        .bind(entry.entity)
        .bind(entry.entity_id)
        .bind(entry.old_value.as_deref())
        .bind(entry.new_value.as_deref())
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1").bind(&hash).execute(&mut *$tx).await?;
    }};
}

/// The hash of the entry that follows `prev` (used by [`audit_in_tx!`]).
pub fn next_hash(prev: &str, at: i64, entry: &AuditEntry<'_>) -> String {
    chain_hash(prev, at, entry)
}

/// Appends one entry in its own transaction (for events that change nothing else, such as a denial).
pub async fn record(db: &Db, entry: AuditEntry<'_>, now: i64) -> Result<(), StoreError> {
    crate::write_tx!(db, |tx| {
        audit_in_tx!(tx, entry, now);
        Ok(())
    })
}

/// One entry as administrators browse it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AuditRow {
    /// Id.
    pub id: i64,
    /// When.
    pub at: i64,
    /// Actor's id.
    pub actor_id: Option<i64>,
    /// Actor's name.
    pub actor: Option<String>,
    /// What happened.
    pub action: String,
    /// Kind of thing.
    pub entity: String,
    /// Its id.
    pub entity_id: Option<i64>,
    /// Before.
    pub old_value: Option<String>,
    /// After.
    pub new_value: Option<String>,
}

/// The newest entries, optionally only actions starting with `action_prefix`.
pub async fn list(db: &Db, action_prefix: Option<&str>, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
    const SQL: &str = "SELECT a.id, a.at, a.actor_id, u.display_name AS actor, a.action, a.entity, a.entity_id,
            a.old_value, a.new_value
        FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        WHERE ($1 = '' OR a.action LIKE $1 || '%') ORDER BY a.id DESC LIMIT $2";
    let prefix = action_prefix.unwrap_or_default();
    Ok(on_db!(db, |pool| sqlx::query_as(SQL).bind(prefix).bind(limit).fetch_all(pool).await)?)
}

/// A break in the chain: the first entry whose hash or link does not match.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit log entry {id} does not match the chain: it was edited, or an entry before it was deleted")]
pub struct ChainBroken {
    /// The entry id.
    pub id: i64,
}

#[derive(sqlx::FromRow)]
struct ChainRow {
    id: i64,
    at: i64,
    actor_id: Option<i64>,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    old_value: Option<String>,
    new_value: Option<String>,
    prev_hash: String,
    hash: String,
}

/// Recomputes the whole chain; returns the number of entries, or where it breaks.
pub async fn verify(db: &Db) -> Result<Result<u64, ChainBroken>, StoreError> {
    const SQL: &str = "SELECT id, at, actor_id, action, entity, entity_id, old_value, new_value, prev_hash, hash
        FROM audit_log ORDER BY id";
    let rows: Vec<ChainRow> = on_db!(db, |pool| sqlx::query_as(SQL).fetch_all(pool).await)?;
    let (head,): (String,) =
        on_db!(db, |pool| sqlx::query_as("SELECT last_hash FROM audit_head WHERE id = 1").fetch_one(pool).await)?;
    let mut prev = "genesis".to_owned();
    for r in &rows {
        let entry = AuditEntry {
            actor_id: r.actor_id,
            action: &r.action,
            entity: &r.entity,
            entity_id: r.entity_id,
            old_value: r.old_value.clone(),
            new_value: r.new_value.clone(),
        };
        if r.prev_hash != prev || chain_hash(&prev, r.at, &entry) != r.hash {
            return Ok(Err(ChainBroken { id: r.id }));
        }
        prev.clone_from(&r.hash);
    }
    if prev != head {
        // The newest entries were deleted.
        return Ok(Err(ChainBroken { id: rows.last().map_or(0, |r| r.id) }));
    }
    Ok(Ok(rows.len() as u64))
}
