//! Benchmark: search, gap matrix and capacity update on both backends at several sizes. Each API-level time is
//! reported as a ratio to the bare SQL of the same operation, measured in the same run.
//!
//! `cargo bench -p server --bench api -- [--sizes 1000,10000] [--backends sqlite,postgres] [--iterations 50]`
//! PostgreSQL comes from `TEST_DATABASE_URL` (default the local server `scripts/postgres.sh` prepares).

use std::time::{Duration, Instant};

use app::domain::capacity::{CapacityChange, UpdateOutcome};
use app::domain::freshness::FreshnessPolicy;
use app::domain::profile::{AgeGroup, ProfileFilter, TraffickingType};
use app::domain::region::RegionScheme;
use app::domain::search::SearchQuery;
use app::domain::taxonomy::CategoryFamily;
use app::store::{Arg, Db, Query, capacity, gaps, search};
use server::config::Config;
use server::startup::Application;

mod common;

struct Args {
    sizes: Vec<u32>,
    backends: Vec<String>,
    iterations: usize,
}

fn args() -> Args {
    let mut a = Args { sizes: vec![1000, 10_000], backends: vec!["sqlite".into(), "postgres".into()], iterations: 50 };
    let argv: Vec<String> = std::env::args().collect();
    for pair in argv.windows(2) {
        match pair[0].as_str() {
            "--sizes" => a.sizes = pair[1].split(',').filter_map(|s| s.parse().ok()).collect(),
            "--backends" => a.backends = pair[1].split(',').map(str::to_owned).collect(),
            "--iterations" => a.iterations = pair[1].parse().unwrap_or(50),
            _ => {}
        }
    }
    a
}

/// p50 and p99 of a sample, in microseconds.
fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e6;
    (at(0.5), at(0.99))
}

async fn time<F, Fut>(iterations: usize, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..3 {
        f().await;
    }
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = Instant::now();
        f().await;
        samples.push(start.elapsed());
    }
    percentiles(samples)
}

fn row(op: &str, backend: &str, n: u32, api: (f64, f64), bare: (f64, f64)) {
    println!(
        "| {op} | {backend} | {n} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {:.2} |",
        api.0,
        api.1,
        bare.0,
        bare.1,
        api.0 / bare.0,
        api.1 / bare.1
    );
}

/// The same statement as `q`, bound and fetched by sqlx directly: the baseline the query layer is divided by.
async fn bare_rows(db: &Db, q: &Query) -> usize {
    match db {
        Db::Sqlite { pool, .. } => bind_native(sqlx::query(q.text()), q.args()).fetch_all(pool).await.unwrap().len(),
        Db::Postgres(pool) => bind_native(sqlx::query(q.text()), q.args()).fetch_all(pool).await.unwrap().len(),
    }
}

fn bind_native<'q, DB: sqlx::Database>(
    mut query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for arg in args {
        query = match arg {
            Arg::Bool(v) => query.bind(*v),
            Arg::Int(v) => query.bind(*v),
            Arg::MaybeInt(v) => query.bind(*v),
            Arg::Text(v) => query.bind(v.as_str()),
            Arg::MaybeText(v) => query.bind(v.as_deref()),
        };
    }
    query
}

/// Only the `UPDATE capacity` and the history `INSERT` of an update, in one sqlx transaction.
async fn bare_update(db: &Db, service: i64, available: i64, now: i64) {
    match db {
        Db::Sqlite { pool, .. } => {
            let mut tx = pool.begin().await.unwrap();
            bare_update_statement(service, available, now).execute(&mut *tx).await.unwrap();
            bare_history_statement(service, available, now).execute(&mut *tx).await.unwrap();
            tx.commit().await.unwrap();
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await.unwrap();
            bare_update_statement(service, available, now).execute(&mut *tx).await.unwrap();
            bare_history_statement(service, available, now).execute(&mut *tx).await.unwrap();
            tx.commit().await.unwrap();
        }
    }
}

fn bare_update_statement<'q, DB: sqlx::Database>(
    service: i64,
    available: i64,
    now: i64,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    sqlx::query(
        "UPDATE capacity SET total = $1, vacant = $2, last_changed_at = $3, last_confirmed_at = $3,
            version = version + 1 WHERE service_id = $4",
    )
    .bind(40_i64)
    .bind(available)
    .bind(now)
    .bind(service)
}

fn bare_history_statement<'q, DB: sqlx::Database>(
    service: i64,
    available: i64,
    now: i64,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    sqlx::query(
        "INSERT INTO capacity_history (service_id, at, kind, old_total, new_total, old_vacant, new_vacant,
            old_accepting, new_accepting) VALUES ($1, $2, 'change', 40, 40, 0, $3, TRUE, TRUE)",
    )
    .bind(service)
    .bind(now)
    .bind(available)
}

/// A coordinator account with a second factor, signed in over HTTP; returns the `Cookie` header value.
async fn sign_in_coordinator(client: &reqwest::Client, address: &str, db: &Db) -> String {
    sign_in_as(client, address, db, app::domain::account::Role::Coordinator, &[]).await
}

/// An account of `role` (with a second factor where the role needs one), signed in over HTTP.
async fn sign_in_as(
    client: &reqwest::Client,
    address: &str,
    db: &Db,
    role: app::domain::account::Role,
    orgs: &[i64],
) -> String {
    use app::store::providers::{self, NewUser};
    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let email = format!("bench-{}@example.test", role.code());
    let email = email.as_str();
    let id = providers::create_user(db, &NewUser { email, display_name: "Bench", role, organization_ids: orgs }, 0)
        .await
        .unwrap();
    let hash = app::auth::password::hash("bench passphrase 2026".into()).await.unwrap();
    providers::set_demo_credentials(db, id, &hash, role.requires_second_factor().then_some(SECRET)).await.unwrap();
    let code = app::auth::totp::code_at(SECRET, chrono::Utc::now().timestamp()).unwrap();
    let response = client
        .post(format!("{address}/api/sign_in"))
        .form(&[("email", email), ("password", "bench passphrase 2026"), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    let set_cookie = response.headers().get("set-cookie").expect("signed in").to_str().unwrap().to_owned();
    set_cookie.split(';').next().unwrap().to_owned()
}

/// Opens 100 event streams as a coordinator, makes 20 capacity updates through HTTP as a provider, and
/// reports how long each update took to reach each stream (p50, p99) in milliseconds.
async fn live_latency(client: &reqwest::Client, address: &str, db: &Db, cookie: &str, backend: &str, n: u32) {
    use futures_util::StreamExt;
    let service: (i64, i64) = app::store::query(
        "SELECT s.id, si.organization_id FROM services s JOIN sites si ON si.id = s.site_id ORDER BY s.id LIMIT 1",
    )
    .fetch_one(db)
    .await
    .unwrap();
    let provider = sign_in_as(client, address, db, app::domain::account::Role::ProviderStaff, &[service.1]).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let response = client.get(format!("{address}/events")).header("cookie", cookie).send().await.unwrap();
        let tx = tx.clone();
        let mut stream = response.bytes_stream();
        tasks.push(tokio::spawn(async move {
            while let Some(Ok(chunk)) = stream.next().await {
                if String::from_utf8_lossy(&chunk).contains("event: capacity") {
                    let _ = tx.send(Instant::now());
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut samples = Vec::new();
    for i in 0..20 {
        let s = capacity::snapshot(
            db,
            service.0,
            chrono::Utc::now().timestamp(),
            &app::domain::freshness::FreshnessPolicy::default(),
        )
        .await
        .unwrap();
        let started = Instant::now();
        let form = [
            ("service_id", service.0.to_string()),
            ("version", s.version.0.to_string()),
            ("total", s.total.to_string()),
            ("available", ((i % 2) + s.available.min(s.total - s.on_hold - 1).max(0)).to_string()),
            ("accepting", "on".into()),
        ];
        client
            .post(format!("{address}/api/update_capacity"))
            .header("cookie", &provider)
            .form(&form)
            .send()
            .await
            .unwrap();
        for _ in 0..100 {
            match tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
                Ok(Some(at)) => samples.push(at.duration_since(started)),
                _ => break,
            }
        }
    }
    for t in tasks {
        t.abort();
    }
    if samples.is_empty() {
        println!("| update-to-screen, 100 streams | {backend} | {n} | no events received | | | | | |");
        return;
    }
    let (p50, p99) = percentiles(samples);
    println!(
        "| update-to-screen, 100 event streams (ms) | {backend} | {n} | {:.1} | {:.1} | — | — | — | — |",
        p50 / 1000.0,
        p99 / 1000.0
    );
}

#[tokio::main]
async fn main() {
    let args = args();
    println!(
        "| operation | backend | services | API p50 µs | API p99 µs | bare SQL p50 µs | bare SQL p99 µs | ratio p50 | ratio p99 |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut durable = Vec::new();
    for backend in &args.backends {
        for &n in &args.sizes {
            let url = common::database_url(backend, &n.to_string()).await;
            let config = Config {
                database_url: url,
                bind: "127.0.0.1:0".parse().unwrap(),
                log: "warn".into(),
                // No sweep while measuring: the rollups are built once, below, right after the data.
                hold_sweep_secs: 86_400,
                ..Config::default()
            };
            let app = Application::build(&config).await.expect("server starts");
            let address = format!("http://{}", app.addr());
            let db = app.state().db.clone();
            let policy = app.state().freshness;
            tokio::spawn(app.run_until(std::future::pending()));
            let now = chrono::Utc::now().timestamp();
            let started = Instant::now();
            server::seed::scale::generate_scale(&db, n, now).await.expect("scale data");
            eprintln!("{backend}: {n} services generated in {:.1} s", started.elapsed().as_secs_f64());
            // The daily capacity rollups, built once from the whole history (the sweeper then adds a day a day);
            // the oversight dashboard, below, reads them.
            let (history,): (i64,) =
                app::store::query("SELECT COUNT(*) FROM capacity_history").fetch_one(&db).await.unwrap();
            let started = Instant::now();
            let days = app::store::rollup::rebuild(&db, &policy, now).await.unwrap();
            println!(
                "| capacity rollups rebuilt: {days} days from {history} history rows, once (ms) | {backend} | {n} | {:.0} | — | — | — | — | — |",
                started.elapsed().as_secs_f64() * 1e3
            );
            let client = reqwest::Client::new();
            let cookie = sign_in_coordinator(&client, &address, &db).await;
            let iterations = args.iterations;

            let query = SearchQuery {
                scheme: RegionScheme::Planning,
                profile: ProfileFilter {
                    age_group: Some(AgeGroup::Adult),
                    trafficking_type: Some(TraffickingType::Sex),
                    ..Default::default()
                },
                family: Some(CategoryFamily::Housing),
                available_now: true,
                page: 1,
                page_size: 20,
                ..SearchQuery::default()
            };
            let sql = search::search_sql(&query, now, &policy);
            let bare = time(iterations, || async { assert!(bare_rows(&db, &sql).await > 0) }).await;
            let store = time(iterations, || async {
                assert!(!search::search(&db, &query, now, &policy).await.unwrap().hits.is_empty())
            })
            .await;
            let body = serde_json::json!({ "query": query });
            let http = time(iterations, || async {
                let r = client
                    .post(format!("{address}/api/search"))
                    .header("cookie", &cookie)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success());
                r.bytes().await.unwrap();
            })
            .await;
            row("search (query layer)", backend, n, store, bare);
            row("search (HTTP server function)", backend, n, http, bare);

            let sql = gaps::gap_sql(RegionScheme::Planning, CategoryFamily::Housing, now, &policy);
            let bare = time(iterations, || async { assert_eq!(bare_rows(&db, &sql).await, 9) }).await;
            let store = time(iterations, || async {
                gaps::gap_matrix(&db, RegionScheme::Planning, CategoryFamily::Housing, now, &policy).await.unwrap();
            })
            .await;
            let body = serde_json::json!({ "scheme": "planning", "family": "housing" });
            let http = time(iterations, || async {
                let r = client
                    .post(format!("{address}/api/gaps"))
                    .header("cookie", &cookie)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success());
                r.bytes().await.unwrap();
            })
            .await;
            row("gap matrix (query layer)", backend, n, store, bare);
            row("gap matrix (HTTP server function)", backend, n, http, bare);

            // Capacity updates, one service per provider, 8 providers at once.
            let services: Vec<i64> = (1..=8).collect();
            let run_concurrent = |bare: bool| {
                let db = db.clone();
                let services = services.clone();
                async move {
                    let tasks: Vec<_> = services
                        .into_iter()
                        .map(|service| {
                            let db = db.clone();
                            tokio::spawn(async move {
                                let mut samples = Vec::new();
                                for i in 0..iterations {
                                    let available = (i % 10) as i64;
                                    let start = Instant::now();
                                    if bare {
                                        bare_update(&db, service, available, now).await;
                                    } else {
                                        let s = capacity::snapshot(&db, service, now, &policy).await.unwrap();
                                        let change = CapacityChange {
                                            total: s.total,
                                            available: available.min(s.total - s.on_hold),
                                            accepting_referrals: true,
                                            expected_version: s.version,
                                        };
                                        let outcome =
                                            capacity::update(&db, service, change, None, now, &policy).await.unwrap();
                                        assert!(matches!(outcome, UpdateOutcome::Saved(_)));
                                    }
                                    samples.push(start.elapsed());
                                }
                                samples
                            })
                        })
                        .collect();
                    let mut all = Vec::new();
                    for t in tasks {
                        all.extend(t.await.unwrap());
                    }
                    percentiles(all)
                }
            };
            let bare = run_concurrent(true).await;
            let api = run_concurrent(false).await;
            row("capacity update, 8 concurrent providers (read + checked write)", backend, n, api, bare);

            // Server-rendered search page vs a bare axum handler, same client, same run.
            let page = time(iterations, || async {
                let r = client
                    .get(format!("{address}/search?family=housing&age=adult&type=sex&available=1"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success());
                r.bytes().await.unwrap();
            })
            .await;
            let bare_handler = time(iterations, || async {
                client.get(format!("{address}/health")).send().await.unwrap().bytes().await.unwrap();
            })
            .await;
            row("search page, server-rendered (vs bare axum handler)", backend, n, page, bare_handler);

            // The oversight dashboard over its default 13 weeks.
            let funder = sign_in_as(&client, &address, &db, app::domain::account::Role::Funder, &[]).await;
            let dashboard = time(iterations.min(10), || async {
                let r = client.get(format!("{address}/oversight")).header("cookie", &funder).send().await.unwrap();
                assert!(r.status().is_success());
                r.bytes().await.unwrap();
            })
            .await;
            row(
                "oversight dashboard, 13 weeks from rollups, server-rendered (vs bare axum handler)",
                backend,
                n,
                dashboard,
                bare_handler,
            );

            // Update-to-screen latency with 100 open event streams.
            live_latency(&client, &address, &db, &cookie, backend, n).await;
            durable.push(durable_rates(&db, &policy, backend, n).await);
            db.close().await;
        }
    }
    println!();
    println!(
        "| backend | services | fsync loop per s | 1 writer: updates per s | ratio | 64 writers: updates per s | ratio |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for line in durable {
        println!("{line}");
    }
}

/// How long each durable-write measurement runs.
const RATE_WINDOW: Duration = Duration::from_secs(5);

/// Durable capacity updates per second with one writer and with 64 (each on its own service, through the full
/// update path), against a plain loop that writes 4 KB and `fdatasync`s it on the same disk, in the same run.
async fn durable_rates(db: &Db, policy: &FreshnessPolicy, backend: &str, n: u32) -> String {
    let fsync = tokio::task::spawn_blocking(|| {
        use std::io::{Seek, Write};
        let path = std::env::temp_dir().join(format!("continuum-bench-fsync-{}", std::process::id()));
        let mut file = std::fs::File::create(&path).unwrap();
        let block = [7_u8; 4096];
        let (start, mut count) = (Instant::now(), 0_u64);
        while start.elapsed() < RATE_WINDOW {
            file.seek(std::io::SeekFrom::Start(0)).unwrap();
            file.write_all(&block).unwrap();
            file.sync_data().unwrap();
            count += 1;
        }
        let _ = std::fs::remove_file(path);
        count as f64 / start.elapsed().as_secs_f64()
    })
    .await
    .unwrap();
    let rate = |writers: i64| {
        let db = db.clone();
        let policy = *policy;
        async move {
            let start = Instant::now();
            let tasks: Vec<_> = (0..writers)
                .map(|w| {
                    let db = db.clone();
                    tokio::spawn(async move {
                        let service = 100 + w;
                        let mut count = 0_u64;
                        while start.elapsed() < RATE_WINDOW {
                            let now = chrono::Utc::now().timestamp();
                            let s = capacity::snapshot(&db, service, now, &policy).await.unwrap();
                            let change = CapacityChange {
                                total: s.total,
                                available: (count as i64 % 2).min(s.total - s.on_hold),
                                accepting_referrals: true,
                                expected_version: s.version,
                            };
                            let outcome = capacity::update(&db, service, change, None, now, &policy).await.unwrap();
                            assert!(matches!(outcome, UpdateOutcome::Saved(_)));
                            count += 1;
                        }
                        count
                    })
                })
                .collect();
            let mut total = 0;
            for t in tasks {
                total += t.await.unwrap();
            }
            total as f64 / start.elapsed().as_secs_f64()
        }
    };
    let one = rate(1).await;
    let many = rate(64).await;
    format!("| {backend} | {n} | {fsync:.0} | {one:.0} | {:.2} | {many:.0} | {:.2} |", one / fsync, many / fsync)
}
