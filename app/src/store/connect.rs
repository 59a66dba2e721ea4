//! Opening and migrating the database named by a URL.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{Db, reference};

/// Why the database could not be opened or prepared. Each message says what to fix, never a password.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Neither `sqlite:` nor `postgres:`.
    #[error("DATABASE_URL must start with sqlite: or postgres:// (got {0:?})")]
    UnsupportedUrl(String),
    /// Malformed URL or unreachable server.
    #[error("cannot open the database at {url}: {reason}. Check DATABASE_URL and that the server is running")]
    Unreachable {
        /// The URL without its password.
        url: String,
        /// The driver's explanation.
        reason: String,
    },
    /// A migration failed.
    #[error("cannot migrate the database at {url}: {reason}")]
    Migration {
        /// The URL without its password.
        url: String,
        /// The migrator's explanation.
        reason: String,
    },
}

/// The URL with any password replaced by `***`, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// The longest a query waits for a connection from the pool or for a lock another writer holds, before it
/// fails with an error (well inside the server's 30 s request limit, so the cause is logged, not a time-out).
pub const WAIT_LIMIT: Duration = Duration::from_secs(10);

/// Opens a pool for `url` (`sqlite:path` or `postgres://...`), with SQLite set up for durability:
/// WAL, `synchronous=FULL`, foreign keys, busy timeout.
pub async fn connect(url: &str) -> Result<Db, ConnectError> {
    let unreachable = |e: sqlx::Error| ConnectError::Unreachable { url: redact(url), reason: e.to_string() };
    if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(unreachable)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(WAIT_LIMIT);
        if let Some(parent) = options.get_filename().parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)
                .map_err(|e| ConnectError::Unreachable { url: redact(url), reason: e.to_string() })?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(WAIT_LIMIT)
            .connect_with(options)
            .await
            .map_err(unreachable)?;
        Ok(Db::Sqlite { pool, writer: Arc::default() })
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let lock_timeout = format!("{}ms", WAIT_LIMIT.as_millis());
        let options =
            PgConnectOptions::from_str(url).map_err(unreachable)?.options([("lock_timeout", lock_timeout.as_str())]);
        // One direct connection first: the pool would only report a time-out, this says why.
        PgConnection::connect_with(&options).await.map_err(unreachable)?.close().await.map_err(unreachable)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(WAIT_LIMIT)
            .connect_with(options)
            .await
            .map_err(unreachable)?;
        Ok(Db::Postgres(pool))
    } else {
        Err(ConnectError::UnsupportedUrl(url.split(':').next().unwrap_or_default().to_owned() + ":..."))
    }
}

/// Applies the migrations for the backend, then loads the reference data (regions, towns, taxonomy).
pub async fn migrate(db: &Db, url_for_messages: &str) -> Result<(), ConnectError> {
    let failed = |reason: String| ConnectError::Migration { url: redact(url_for_messages), reason };
    match db {
        Db::Sqlite { pool, .. } => sqlx::migrate!("../migrations/sqlite").run(pool).await,
        Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await,
    }
    .map_err(|e| failed(e.to_string()))?;
    reference::load(db).await.map_err(|e| failed(format!("{e}: {:?}", e)))
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/x"), "postgres://app:***@db:5432/x");
        assert_eq!(redact("sqlite:data/continuum.db"), "sqlite:data/continuum.db");
    }
}
