//! Benchmark: importing an HSDS 3.1 package of N services into an empty database, against a bare bulk insert
//! of the same rows (one transaction, plain INSERTs, no parsing, checking or matching), in the same run.
//!
//! `cargo bench -p server --bench import -- [--sizes 10000] [--backends sqlite,postgres]`
//! PostgreSQL comes from `TEST_DATABASE_URL` (default the local server `scripts/postgres.sh` prepares).

use std::time::Instant;

use app::store::{Db, query};
use server::config::Config;

mod common;

async fn fresh(backend: &str, name: &str) -> Db {
    let url = common::database_url(backend, &format!("import_{name}")).await;
    let config = Config { database_url: url, log: "warn".into(), ..Config::default() };
    server::startup::open_database(&config).await.expect("database opens")
}

/// The same organizations, sites and services written with nothing but INSERTs in one transaction.
async fn bare_insert(db: &Db, organizations: usize, sites: usize, services: usize, now: i64) {
    let mut tx = db.write().await.unwrap();
    let (town,): (i64,) = query("SELECT MIN(id) FROM towns").fetch_one(&mut tx).await.unwrap();
    for o in 0..organizations {
        query("INSERT INTO organizations (name, created_at, external_id) VALUES ($1, $2, $3)")
            .bind(format!("Bare organization {o}"))
            .bind(now)
            .bind(format!("org-{o}"))
            .execute(&mut tx)
            .await
            .unwrap();
    }
    for s in 0..sites {
        query("INSERT INTO sites (organization_id, name, town_id, external_id) VALUES ($1, $2, $3, $4)")
            .bind((s % organizations) as i64 + 1)
            .bind(format!("Bare site {s}"))
            .bind(town)
            .bind(format!("site-{s}"))
            .execute(&mut tx)
            .await
            .unwrap();
    }
    for s in 0..services {
        query(
            "INSERT INTO services (site_id, category, name, age_groups, trafficking_types, genders, external_id)
             VALUES ($1, 'safe_house', $2, 3, 3, 15, $3)",
        )
        .bind((s % sites) as i64 + 1)
        .bind(format!("Bare service {s}"))
        .bind(format!("service-{s}"))
        .execute(&mut tx)
        .await
        .unwrap();
        query(
            "INSERT INTO capacity (service_id, total, vacant, last_changed_at, last_confirmed_at)
             VALUES ($1, 4, 2, $2, $2)",
        )
        .bind(s as i64 + 1)
        .bind(now)
        .execute(&mut tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::main]
async fn main() {
    let argv: Vec<String> = std::env::args().collect();
    let mut sizes = vec![10_000usize];
    let mut backends = vec!["sqlite".to_owned(), "postgres".to_owned()];
    for pair in argv.windows(2) {
        match pair[0].as_str() {
            "--sizes" => sizes = pair[1].split(',').filter_map(|s| s.parse().ok()).collect(),
            "--backends" => backends = pair[1].split(',').map(str::to_owned).collect(),
            _ => {}
        }
    }
    println!("| backend | services | import s | bare bulk insert s | ratio | re-import (no-op) s |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for backend in &backends {
        for &n in &sizes {
            let now = chrono::Utc::now().timestamp();
            let source = fresh(backend, &format!("{n}_source")).await;
            let spec = server::seed::generate::Spec {
                seed: 99,
                organizations: n.div_ceil(3),
                services: n,
                days: 1,
                name_style: server::seed::generate::NameStyle::Scale,
                spread: server::seed::generate::Spread::Even,
            };
            server::seed::generate::generate(&source, &spec, now, &|_, _| {}).await.unwrap();
            let dir = std::env::temp_dir().join(format!("continuum-import-bench-{}-{backend}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            server::hsds::export(&source, &app::domain::freshness::FreshnessPolicy::default(), &dir).await.unwrap();

            let target = fresh(backend, &format!("{n}_target")).await;
            let started = Instant::now();
            let report = server::import::import(&target, &dir, Default::default(), &mut |_, _| {}).await.unwrap();
            let import = started.elapsed().as_secs_f64();
            let server::import::Report::Planned(plan) = report else { panic!("the package has problems") };
            assert_eq!(plan.services.added, n);
            let started = Instant::now();
            server::import::import(&target, &dir, Default::default(), &mut |_, _| {}).await.unwrap();
            let again = started.elapsed().as_secs_f64();

            let bare = fresh(backend, &format!("{n}_bare")).await;
            let started = Instant::now();
            bare_insert(&bare, plan.organizations.added, plan.sites.added, n, now).await;
            let bulk = started.elapsed().as_secs_f64();
            println!("| {backend} | {n} | {import:.2} | {bulk:.2} | {:.1} | {again:.2} |", import / bulk);
            for db in [source, target, bare] {
                db.close().await;
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
