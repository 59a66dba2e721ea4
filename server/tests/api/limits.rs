//! Every wait is bounded: a stuck request ends with `503` instead of hanging, and SIGTERM ends a served
//! instance with open event streams within 10 seconds.

use std::io::BufRead;
use std::time::{Duration, Instant};

use app::domain::account::Role;
use futures_util::StreamExt;
use sqlx::Connection;

use crate::accounts::Session;
use crate::helpers::{Backend, TestApp, TestDatabase, spawn_app_with};

/// Holds the database's write lock (SQLite) or an exclusive lock on the sessions table (PostgreSQL), as a
/// stuck migration, backup or other instance would, until dropped.
enum HeldLock {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl HeldLock {
    async fn take(app: &TestApp) -> Self {
        if app.database_url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&app.database_url).await.unwrap();
            sqlx::query("BEGIN IMMEDIATE").execute(&mut c).await.unwrap();
            HeldLock::Sqlite(c)
        } else {
            let mut c = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
            sqlx::query("BEGIN").execute(&mut c).await.unwrap();
            sqlx::query("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE").execute(&mut c).await.unwrap();
            HeldLock::Postgres(c)
        }
    }

    async fn release(self) {
        match self {
            HeldLock::Sqlite(mut c) => sqlx::query("ROLLBACK").execute(&mut c).await.map(drop),
            HeldLock::Postgres(mut c) => sqlx::query("ROLLBACK").execute(&mut c).await.map(drop),
        }
        .unwrap();
    }
}

async fn a_stuck_request_ends_with_503_and_the_server_recovers(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |c| c.request_timeout_secs = 1).await else { return };
    // A session made directly: signing in (Argon2 in a debug build) could itself outlast a 1 s limit.
    let (user_id, email) = app.create_user(Role::Funder, &[]).await;
    let token = app::auth::secret::new_token();
    let now = chrono::Utc::now().timestamp();
    app::store::sessions::create(&app.db, &app::auth::secret::token_hash(&token), user_id, false, now, now + 3600)
        .await
        .unwrap();
    let session = Session { cookie: token, user_id, email };
    let lock = HeldLock::take(&app).await;
    let started = Instant::now();
    // Signing out deletes the session: a write the held lock blocks.
    let response = app.call("/api/sign_out", Some(&session), &[]).await;
    let waited = started.elapsed();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "5");
    assert!(response.headers().contains_key("x-content-type-options"), "the security headers are still set");
    let body = response.text().await.unwrap();
    assert!(body.contains("took too long"), "{body}");
    for internal in ["sql", "SQL", "lock", "sessions", "/api/"] {
        assert!(!body.contains(internal), "the answer reveals {internal:?}: {body}");
    }
    assert!(waited < Duration::from_secs(5), "ended after {waited:?}, not at the 1 s limit");
    lock.release().await;
    // Nothing stays wedged: the same request now completes, and the session is gone.
    let response = app.call("/api/sign_out", Some(&session), &[]).await;
    assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());
    let (status, _) = app.get("/health").await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_request_ends_with_503_and_the_server_recovers_sqlite() {
    a_stuck_request_ends_with_503_and_the_server_recovers(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_request_ends_with_503_and_the_server_recovers_postgres() {
    a_stuck_request_ends_with_503_and_the_server_recovers(Backend::Postgres).await;
}

/// A `continuum serve` process over a test database; killed if the test ends early.
pub struct Served {
    pub child: std::process::Child,
    pub app: TestApp,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `continuum serve` over a new database of `backend`, with extra environment variables.
pub async fn serve_process(backend: Backend, env: &[(&str, &str)]) -> Option<Served> {
    let (database, url) = TestDatabase::create(backend).await?;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_continuum"))
        .arg("serve")
        .envs(env.iter().copied())
        .env("DATABASE_URL", &url)
        .env("CONTINUUM_BIND", "127.0.0.1:0")
        .env("CONTINUUM_SECURE_COOKIES", "true")
        .env("CONTINUUM_LOG", "warn")
        .env("CONTINUUM_SITE_ROOT", std::env::temp_dir())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start continuum");
    let stdout = child.stdout.take().unwrap();
    let address = tokio::task::spawn_blocking(move || {
        std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| line.strip_prefix("Continuum is running at ").map(str::to_owned))
    })
    .await
    .unwrap()
    .expect("the server prints its address");
    let app = TestApp::attach(address, url, database).await;
    Some(Served { child, app })
}

async fn sigterm_ends_a_served_instance_with_open_event_streams_within_10_s(backend: Backend) {
    let Some(mut served) = serve_process(backend, &[]).await else { return };
    let session = served.app.signed_in(Role::Coordinator, &[]).await;
    let mut streams = Vec::new();
    for _ in 0..3 {
        let response = served
            .app
            .client_without_limit()
            .get(format!("{}/events", served.app.address))
            .header("cookie", format!("__Host-session={}", session.cookie))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let mut body = response.bytes_stream();
        let first = tokio::time::timeout(Duration::from_secs(5), body.next()).await.expect("a first event").unwrap();
        assert!(String::from_utf8_lossy(&first.unwrap()).contains("resync"));
        streams.push(body);
    }
    let started = Instant::now();
    let status = std::process::Command::new("kill").args(["-TERM", &served.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = loop {
        if let Some(exit) = served.child.try_wait().unwrap() {
            break exit;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "still running 10 s after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "a graceful stop exits 0: {exit:?}");
    // Streams ended when shutdown began: the server did not have to wait out its grace period.
    assert!(started.elapsed() < server::shutdown::GRACE, "stopped only after {:?}", started.elapsed());
    for mut stream in streams {
        // Each stream ends (cleanly or cut), rather than waiting forever.
        let ended =
            tokio::time::timeout(Duration::from_secs(2), async { while let Some(Ok(_)) = stream.next().await {} })
                .await;
        assert!(ended.is_ok(), "an event stream stayed open after the server stopped");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_a_served_instance_with_open_event_streams_within_10_s_sqlite() {
    sigterm_ends_a_served_instance_with_open_event_streams_within_10_s(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_a_served_instance_with_open_event_streams_within_10_s_postgres() {
    sigterm_ends_a_served_instance_with_open_event_streams_within_10_s(Backend::Postgres).await;
}
