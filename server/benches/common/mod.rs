//! What the benchmarks share: a fresh, empty database per run.

use sqlx::Connection;

/// The URL of a new, empty database named after `name`: a file in a new temporary folder for SQLite, a new
/// database on the server `TEST_DATABASE_URL` names (default the local one `scripts/postgres.sh` prepares).
pub async fn database_url(backend: &str, name: &str) -> String {
    if backend == "sqlite" {
        let dir = std::env::temp_dir().join(format!("continuum-bench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        format!("sqlite:{}", dir.join("bench.db").display())
    } else {
        let admin = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://continuum:continuum@127.0.0.1:5432/continuum".into());
        let database = format!("continuum_bench_{name}");
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL reachable");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).execute(&mut conn).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {database}")).execute(&mut conn).await.unwrap();
        format!("{}/{database}", admin.rsplit_once('/').unwrap().0)
    }
}
