//! The storage layer: one set of queries for SQLite and PostgreSQL.
//!
//! Every statement is written once as a [`Query`], with `$1`-style placeholders that both drivers accept, and
//! run by plain async methods on the pool ([`Db`]) or inside a write transaction ([`WriteTx`], from
//! [`Db::write`]). Timestamps are UTC Unix seconds. Write transactions take the write lock up front
//! (`BEGIN IMMEDIATE` on SQLite, a row lock on PostgreSQL), so concurrent writers queue instead of failing.

pub mod accounts;
pub mod alerts;
pub mod audit;
pub mod bulk;
pub mod capacity;
mod connect;
pub mod directory;
pub mod gaps;
mod group_commit;
pub mod holds;
pub mod hsds;
pub mod import;
pub mod import_reports;
pub mod needs;
pub mod organizations;
pub mod providers;
mod query;
pub mod reference;
pub mod regions;
pub mod rollup;
pub mod search;
pub mod series;
pub mod sessions;
pub mod sites;
pub mod throttle;

use std::sync::Arc;

use sqlx::{PgPool, SqlitePool};

pub use connect::{ConnectError, WAIT_LIMIT, connect, migrate};
pub use query::{Arg, On, Query, Row, WriteTx, query};

/// A connection pool to one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    /// The embedded default.
    Sqlite {
        /// The pool.
        pool: SqlitePool,
        /// Queues this process's writers fairly in Rust instead of SQLite's busy handler, and lets writers
        /// queued together share one commit ([`group_commit`]). `BEGIN IMMEDIATE` still guards against other
        /// processes.
        writer: Arc<group_commit::Writer>,
    },
    /// The production, scale-out backend.
    Postgres(PgPool),
}

impl Db {
    /// On SQLite, how many commits this pool made and how many writes they made durable (several writers
    /// queued together share one: see [`group_commit`]); `None` on PostgreSQL, which groups commits itself.
    pub fn commit_counts(&self) -> Option<(u64, u64)> {
        match self {
            Db::Sqlite { writer, .. } => Some(writer.commit_counts()),
            Db::Postgres(_) => None,
        }
    }

    /// On SQLite, how many writers of this process wait for their turn; `None` on PostgreSQL.
    pub fn writers_queued(&self) -> Option<usize> {
        match self {
            Db::Sqlite { writer, .. } => Some(writer.queued()),
            Db::Postgres(_) => None,
        }
    }

    /// Which backend this is, for logs and tests.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Closes the pool, waiting for connections to return.
    pub async fn close(&self) {
        match self {
            Db::Sqlite { pool, .. } => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// Failures of the storage layer that callers cannot fix by changing their input.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed the operation.
    #[error("database operation failed")]
    Database(#[from] sqlx::Error),
    /// The row addressed does not exist.
    #[error("not found")]
    NotFound,
    /// A stored value breaks a domain rule (a bug or a hand edit).
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// Another write held the lock longer than [`connect::WAIT_LIMIT`].
    #[error("timed out waiting for another write to finish")]
    Busy,
    /// The commit that would have made this write durable (shared with the writers queued with it) failed:
    /// nothing of it was kept.
    #[error("the write could not be made durable")]
    NotDurable(String),
}

impl From<crate::domain::profile::InvalidMask> for StoreError {
    fn from(e: crate::domain::profile::InvalidMask) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// Converts a stored Unix timestamp.
pub fn from_unix(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default()
}
