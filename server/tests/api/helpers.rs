//! `spawn_app`: a real server on port 0 over a brand-new database, dropped when the test ends.

use std::sync::atomic::{AtomicU32, Ordering};

use app::domain::freshness::FreshnessPolicy;
use app::store::Db;
use server::config::Config;
use server::startup::Application;
use sqlx::Connection;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and a handle on its database.
pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub freshness: FreshnessPolicy,
    pub client: reqwest::Client,
    pub database_url: String,
    /// The running server's record of its uploaded imports' progress.
    pub imports: app::api::import::ImportProgress,
    _database: TestDatabase,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    format!("continuum_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst))
}

/// The admin URL of the PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://continuum:continuum@127.0.0.1:5432/continuum".into())
}

fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("database URL has a path");
    format!("{base}/{name}")
}

/// A database that exists for one test.
pub enum TestDatabase {
    /// The folder holding the database file, removed on drop.
    Sqlite {
        _dir: tempdir::TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
    /// Owned by another test app (a second instance): nothing to drop.
    Shared,
}

impl TestDatabase {
    /// Creates the database; `None` when PostgreSQL is unreachable outside CI.
    pub async fn create(backend: Backend) -> Option<(Self, String)> {
        match backend {
            Backend::Sqlite => {
                let dir = tempdir::TempDir::new();
                let url = format!("sqlite:{}", dir.path().join("test.db").display());
                Some((TestDatabase::Sqlite { _dir: dir }, url))
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
                    Ok(c) => c,
                    // Skipped only when nobody asked for PostgreSQL: a named server that is down fails.
                    Err(e) if std::env::var_os("CI").is_none() && std::env::var_os("TEST_DATABASE_URL").is_none() => {
                        eprintln!("skipping a PostgreSQL test: {e} (set TEST_DATABASE_URL or run scripts/postgres.sh)");
                        return None;
                    }
                    Err(e) => panic!("PostgreSQL is required (CI or TEST_DATABASE_URL is set) but unreachable: {e}"),
                };
                let name = unique_name();
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let url = with_database(&admin_url, &name);
                Some((TestDatabase::Postgres { admin_url, name }, url))
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime: do the async clean-up on a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async {
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut admin)
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// A temporary folder removed on drop (no extra crate needed).
pub(crate) mod tempdir {
    pub struct TempDir(std::path::PathBuf);
    impl TempDir {
        pub fn new() -> Self {
            let path = std::env::temp_dir().join(super::unique_name());
            std::fs::create_dir_all(&path).expect("temp dir");
            Self(path)
        }
        pub fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Starts the server on port 0 over a fresh database of `backend`.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// As [`spawn_app`], adjusting the config first.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let (database, url) = TestDatabase::create(backend).await?;
    Some(spawn_on(database, url, adjust).await)
}

/// A second server instance on the same database as `app` (scale-out on PostgreSQL).
pub async fn second_instance(app: &TestApp) -> TestApp {
    spawn_on(TestDatabase::Shared, app.database_url.clone(), |_| {}).await
}

async fn spawn_on(database: TestDatabase, url: String, adjust: impl FnOnce(&mut Config)) -> TestApp {
    // `RUST_LOG=… cargo test` shows the servers' own logs beside the tests'.
    if std::env::var_os("RUST_LOG").is_some() {
        server::telemetry::init("warn");
    }
    let mut config = Config { database_url: url.clone(), bind: "127.0.0.1:0".parse().unwrap(), ..Config::default() };
    config.site_root = std::env::temp_dir();
    adjust(&mut config);
    let app = Application::build(&config).await.expect("server starts");
    let address = format!("http://{}", app.addr());
    let db = app.state().db.clone();
    let freshness = config.freshness;
    let imports = app.state().imports.clone();
    // Never `run()`: that would install signal handlers, and Ctrl-C or SIGTERM would no longer end the tests.
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp { address, db, freshness, client: test_client(), database_url: url, imports, _database: database }
}

/// Longest any test request may take: a hung request fails the test in seconds, naming its URL.
pub const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(20);

/// The HTTP client every test uses: no redirects followed, every request bounded by [`REQUEST_LIMIT`].
pub fn test_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_LIMIT)
        .build()
        .expect("HTTP client")
}

impl TestApp {
    /// The backend this app runs on.
    pub fn backend(&self) -> Backend {
        if self.database_url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite }
    }

    /// A handle on a server running elsewhere (a `continuum serve` process) over `url`, which it migrated.
    pub async fn attach(address: String, url: String, database: TestDatabase) -> Self {
        let db = app::store::connect(&url).await.expect("open the served database");
        TestApp {
            address,
            db,
            freshness: FreshnessPolicy::default(),
            client: test_client(),
            database_url: url,
            imports: Default::default(),
            _database: database,
        }
    }

    /// A client without the request limit, for event streams that are meant to stay open.
    pub fn client_without_limit(&self) -> reqwest::Client {
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("HTTP client")
    }

    /// GET a path; returns status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self.client.get(format!("{}{path}", self.address)).send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }
}

/// Runs each named test function (`async fn name(app: TestApp)`) twice, as `name::sqlite` and
/// `name::postgres`: the bodies stay ordinary functions that rustfmt and clippy see.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $crate::helpers::on_backend($crate::helpers::Backend::Sqlite, super::$name).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $crate::helpers::on_backend($crate::helpers::Backend::Postgres, super::$name).await;
                }
            }
        )*
    };
}

/// Runs `test` against a fresh server on `backend` (skipped, as [`spawn_app`] says, when PostgreSQL is
/// neither asked for nor reachable).
pub async fn on_backend<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    if let Some(app) = spawn_app(backend).await {
        test(app).await;
    }
}
