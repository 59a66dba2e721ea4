//! The audit log: append-only, written in the same transaction as the change it records, each entry
//! authenticated together with its predecessor (HMAC-SHA-256 with a key held outside the database), so that
//! editing or deleting any row breaks the chain and nobody who can only write the database can repair it.
//!
//! Entries written before keys existed carry a plain SHA-256 chain; they may only come first, and a keyed
//! chain always ends with a keyed entry (start-up appends `audit.keyed` when it does not), so a forger cannot
//! downgrade the log to the plain form.

use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Db, StoreError, WriteTx, query};

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

/// The key of this process's audit chain, set once at start-up.
static KEY: OnceLock<Vec<u8>> = OnceLock::new();

/// The shortest key accepted, in bytes.
pub const MIN_KEY_LEN: usize = 32;

/// Why an audit key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Too short to resist guessing.
    #[error("the audit key must be at least 32 characters")]
    TooShort,
    /// This process already uses another key.
    #[error("this process already uses a different audit key")]
    Conflict,
}

/// Sets the key every entry is authenticated with (once per process; the same key again is fine).
pub fn use_key(key: &str) -> Result<(), KeyError> {
    if key.len() < MIN_KEY_LEN {
        return Err(KeyError::TooShort);
    }
    let stored = KEY.get_or_init(|| key.as_bytes().to_vec());
    if stored.as_slice() == key.as_bytes() { Ok(()) } else { Err(KeyError::Conflict) }
}

fn key() -> &'static [u8] {
    KEY.get().map_or(DEVELOPMENT_KEY.as_bytes(), Vec::as_slice)
}

/// The key used when none is configured: for development and tests only (start-up refuses it where the
/// public address is https).
pub const DEVELOPMENT_KEY: &str = "continuum development audit key: never use in production";

/// The fields of an entry, in chain order, separated so no two entries share an encoding.
fn feed(prev: &str, at: i64, e: &AuditEntry<'_>, mut update: impl FnMut(&[u8])) {
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
        update(part.as_bytes());
        update(&[0x1f]);
    }
}

/// The keyed link from an entry to its predecessor.
fn chain_hash(prev: &str, at: i64, e: &AuditEntry<'_>) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key()).expect("HMAC takes keys of any length");
    feed(prev, at, e, |b| mac.update(b));
    hex(&mac.finalize().into_bytes())
}

/// The unkeyed link of entries written before keys existed (and of a forger without the key).
pub fn unkeyed_hash(prev: &str, at: i64, e: &AuditEntry<'_>) -> String {
    let mut h = Sha256::new();
    feed(prev, at, e, |b| h.update(b));
    hex(&h.finalize())
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry inside the caller's transaction, serializing on the chain's head row.
pub async fn append(tx: &mut WriteTx, entry: &AuditEntry<'_>, now: i64) -> Result<(), StoreError> {
    query("UPDATE audit_head SET id = id WHERE id = 1").execute(&mut *tx).await?;
    let (prev,): (String,) = query("SELECT last_hash FROM audit_head WHERE id = 1").fetch_one(&mut *tx).await?;
    let hash = chain_hash(&prev, now, entry);
    query(
        "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now)
    .bind(entry.actor_id)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.old_value.as_deref())
    .bind(entry.new_value.as_deref())
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    query("UPDATE audit_head SET last_hash = $1 WHERE id = 1").bind(hash).execute(tx).await?;
    Ok(())
}

/// Appends one entry in its own transaction (for events that change nothing else, such as a denial).
pub async fn record(db: &Db, entry: AuditEntry<'_>, now: i64) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    append(&mut tx, &entry, now).await?;
    tx.commit().await
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
    query(SQL).bind(prefix).bind(limit).fetch_all(db).await
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

impl ChainRow {
    fn entry(&self) -> AuditEntry<'_> {
        AuditEntry {
            actor_id: self.actor_id,
            action: &self.action,
            entity: &self.entity,
            entity_id: self.entity_id,
            old_value: self.old_value.clone(),
            new_value: self.new_value.clone(),
        }
    }
}

/// Recomputes the whole chain; returns the number of entries, or where it breaks. Plain (pre-key) entries
/// may only come first, and a chain with any entry must end with a keyed one.
pub async fn verify(db: &Db) -> Result<Result<u64, ChainBroken>, StoreError> {
    const SQL: &str = "SELECT id, at, actor_id, action, entity, entity_id, old_value, new_value, prev_hash, hash
        FROM audit_log ORDER BY id";
    let rows: Vec<ChainRow> = query(SQL).fetch_all(db).await?;
    let (head,): (String,) = query("SELECT last_hash FROM audit_head WHERE id = 1").fetch_one(db).await?;
    let mut prev = "genesis".to_owned();
    let mut keyed_seen = false;
    for r in &rows {
        let entry = r.entry();
        let keyed = chain_hash(&prev, r.at, &entry) == r.hash;
        let plain = !keyed_seen && unkeyed_hash(&prev, r.at, &entry) == r.hash;
        if r.prev_hash != prev || !(keyed || plain) {
            return Ok(Err(ChainBroken { id: r.id }));
        }
        keyed_seen |= keyed;
        prev.clone_from(&r.hash);
    }
    if prev != head || (!rows.is_empty() && !keyed_seen) {
        // The newest entries were deleted, or the whole log was rewritten without the key.
        return Ok(Err(ChainBroken { id: rows.last().map_or(0, |r| r.id) }));
    }
    Ok(Ok(rows.len() as u64))
}

/// Makes sure the chain ends with a keyed entry (start-up calls this after setting the key): a log written
/// before keys existed is sealed by appending `audit.keyed`.
pub async fn seal(db: &Db, now: i64) -> Result<(), StoreError> {
    const LAST: &str = "SELECT id, at, actor_id, action, entity, entity_id, old_value, new_value, prev_hash, hash
        FROM audit_log ORDER BY id DESC LIMIT 1";
    let last: Option<ChainRow> = query(LAST).fetch_optional(db).await?;
    let sealed = last.as_ref().is_some_and(|r| chain_hash(&r.prev_hash, r.at, &r.entry()) == r.hash);
    if last.is_some() && !sealed {
        let entry = AuditEntry { action: "audit.keyed", entity: "audit_log", ..Default::default() };
        record(db, entry, now).await?;
    }
    Ok(())
}
