//! Live updates: capacity and hold changes fan out to every open page within a second.
//!
//! On SQLite (one instance) events go through an in-process channel. On PostgreSQL every instance publishes
//! with `pg_notify` and listens on the same channel, so a change made through instance A reaches pages
//! served by instance B. Events carry only ids and a kind: never an address or anything about a person.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::store::Db;

/// The PostgreSQL channel name.
pub const CHANNEL: &str = "continuum_events";

/// Something changed; pages refetch what they show. Kinds `session_ended` and `user_ended` are between
/// instances only: they end the matching event streams and never reach a browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// `capacity`, `hold`, `service`, `alert`, `resync` (refetch everything: a connection was lost),
    /// `session_ended` or `user_ended`.
    pub kind: String,
    /// The service concerned, if any.
    pub service_id: Option<i64>,
    /// The ended session (the SHA-256 of its token, never the token), for `session_ended`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The account whose sessions ended, for `user_ended`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
}

impl LiveEvent {
    /// A change to one service's capacity or holds.
    pub fn service(kind: &str, service_id: i64) -> Self {
        Self { kind: kind.to_owned(), service_id: Some(service_id), session: None, user_id: None }
    }

    /// Tells clients to refetch everything.
    pub fn resync() -> Self {
        Self { kind: "resync".into(), service_id: None, session: None, user_id: None }
    }

    /// One session ended (signed out): its event streams end on every instance.
    pub fn session_ended(session_hash: &str) -> Self {
        Self { kind: "session_ended".into(), service_id: None, session: Some(session_hash.to_owned()), user_id: None }
    }

    /// Every session of an account ended (disabled, role changed): its event streams end on every instance.
    pub fn user_ended(user_id: i64) -> Self {
        Self { kind: "user_ended".into(), service_id: None, session: None, user_id: Some(user_id) }
    }

    /// Whether this event ends the stream of `session_hash`, belonging to `user_id`.
    pub fn ends(&self, session_hash: &str, user_id: i64) -> bool {
        (self.kind == "session_ended" && self.session.as_deref() == Some(session_hash))
            || (self.kind == "user_ended" && self.user_id == Some(user_id))
    }
}

/// The fan-out hub of one server instance.
#[derive(Clone, Debug)]
pub struct Events {
    sender: broadcast::Sender<LiveEvent>,
}

impl Default for Events {
    fn default() -> Self {
        Self { sender: broadcast::channel(1024).0 }
    }
}

impl Events {
    /// A receiver of every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    /// Delivers an event to this instance's subscribers only (the PostgreSQL listener uses this).
    pub fn deliver_locally(&self, event: LiveEvent) {
        let _ = self.sender.send(event);
    }

    /// Publishes to every instance. Failures are logged, never returned: the write already succeeded and
    /// clients resynchronize on reconnect.
    pub async fn publish(&self, db: &Db, event: LiveEvent) {
        match db {
            Db::Sqlite { .. } => self.deliver_locally(event),
            Db::Postgres(pool) => {
                let payload = serde_json::to_string(&event).unwrap_or_default();
                if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(pool).await
                {
                    tracing::warn!(error = ?e, "could not publish a live event");
                }
            }
        }
    }
}
