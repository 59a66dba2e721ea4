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

/// Something changed; pages refetch what they show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// `capacity`, `hold`, `service` or `resync` (refetch everything: a connection was lost).
    pub kind: String,
    /// The service concerned, if any.
    pub service_id: Option<i64>,
}

impl LiveEvent {
    /// A change to one service's capacity or holds.
    pub fn service(kind: &str, service_id: i64) -> Self {
        Self { kind: kind.to_owned(), service_id: Some(service_id) }
    }

    /// Tells clients to refetch everything.
    pub fn resync() -> Self {
        Self { kind: "resync".into(), service_id: None }
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
