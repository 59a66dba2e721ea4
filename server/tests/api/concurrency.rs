//! Concurrency: the last beds go to exactly as many coordinators as there are beds, and many writers at
//! once never see "database is locked" or a serialization failure.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use app::domain::capacity::{CapacityChange, UpdateOutcome};
use app::domain::hold::{HoldError, HoldRequest, HoldState};
use app::store::{capacity, holds};

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// How long the writers run: two seconds in the suite (enough for thousands of contended writes), longer
/// when `CONTINUUM_SOAK_SECS` asks (`make soak`).
fn soak_duration() -> Duration {
    let secs = std::env::var("CONTINUUM_SOAK_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    Duration::from_secs(secs)
}

async fn sixty_four_coordinators_racing_for_three_beds_get_three_holds(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    let service = f.service(ServiceSpec::housing("Waterbury", 10, 3)).await;
    let db = Arc::new(app.db.clone());
    let policy = app.freshness;
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                holds::place(&db, service, HoldRequest::new(1, None).unwrap(), None, None, now(), &policy).await
            })
        })
        .collect();
    let mut won = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap().expect("no database error reaches a caller") {
            Ok(_) => won += 1,
            Err(HoldError::NoLongerAvailable) => refused += 1,
            Err(other) => panic!("unexpected refusal {other:?}"),
        }
    }
    assert_eq!((won, refused), (3, 61));
    let s = capacity::snapshot(&app.db, service, now(), &app.freshness).await.unwrap();
    assert_eq!((s.available, s.on_hold), (0, 3));
}

async fn sixty_four_writers_never_see_a_database_error(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    let mut services = Vec::new();
    for town in ["Hartford", "New Haven", "Stamford", "Norwich"] {
        services.push(f.service(ServiceSpec::housing(town, 40, 20)).await);
    }
    let deadline = Instant::now() + soak_duration();
    let operations = Arc::new(AtomicU64::new(0));
    let policy = app.freshness;
    let tasks: Vec<_> = (0..64u64)
        .map(|w| {
            let db = app.db.clone();
            let services = services.clone();
            let operations = operations.clone();
            tokio::spawn(async move {
                let mut i = w;
                while Instant::now() < deadline {
                    i = i.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    let service = services[(i >> 33) as usize % services.len()];
                    let s = capacity::snapshot(&db, service, now(), &policy).await?;
                    match (i >> 40) % 4 {
                        0 => {
                            let available = ((i >> 45) % 20) as i64;
                            let change = CapacityChange {
                                total: 40,
                                available: available.min(40 - s.on_hold),
                                accepting_referrals: true,
                                expected_version: s.version,
                            };
                            let outcome = capacity::update(&db, service, change, None, now(), &policy).await?;
                            assert!(matches!(
                                outcome,
                                UpdateOutcome::Saved(_) | UpdateOutcome::Conflict(_) | UpdateOutcome::Invalid(_)
                            ));
                        }
                        1 => {
                            capacity::confirm(&db, service, s.version, None, now(), &policy).await?;
                        }
                        _ => {
                            if let Ok(hold) = holds::place(
                                &db,
                                service,
                                HoldRequest::new(1, Some(5)).unwrap(),
                                None,
                                None,
                                now(),
                                &policy,
                            )
                            .await?
                            {
                                let end = if i % 2 == 0 { HoldState::Released } else { HoldState::Confirmed };
                                let _ = holds::finish(&db, hold.id, end, None, now(), &policy).await?;
                            }
                        }
                    }
                    operations.fetch_add(1, Ordering::Relaxed);
                }
                Ok::<(), app::store::StoreError>(())
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("no database error reaches a caller");
    }
    assert!(operations.load(Ordering::Relaxed) > 64, "the writers made progress");
    for service in services {
        let s = capacity::snapshot(&app.db, service, now(), &app.freshness).await.unwrap();
        assert!(s.available >= 0 && s.available + s.on_hold <= s.total, "{s:?}");
    }
}

both_backends!(
    sixty_four_coordinators_racing_for_three_beds_get_three_holds,
    sixty_four_writers_never_see_a_database_error,
);
