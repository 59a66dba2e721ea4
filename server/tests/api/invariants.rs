//! Property test: random sequences of updates, holds, confirmations, releases and expiries keep
//! `0 <= available` and `available + on_hold <= total`, and match a simple model, after every step.

use app::domain::capacity::{CapacityChange, UpdateOutcome};
use app::domain::hold::{HoldRequest, HoldState};
use app::store::{capacity, holds};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::{Backend, spawn_app};

#[derive(Debug, Clone)]
enum Op {
    Update { total: i64, available: i64 },
    Confirm,
    Hold { units: i64, minutes: i64 },
    Arrive(usize),
    Release(usize),
    Wait { minutes: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0i64..12, 0i64..12).prop_map(|(total, available)| Op::Update { total, available }),
        Just(Op::Confirm),
        (1i64..4, 5i64..120).prop_map(|(units, minutes)| Op::Hold { units, minutes }),
        (0usize..8).prop_map(Op::Arrive),
        (0usize..8).prop_map(Op::Release),
        (1i64..90).prop_map(|minutes| Op::Wait { minutes }),
    ]
}

async fn run(backend: Backend, cases: Vec<Vec<Op>>) {
    let Some(app) = spawn_app(backend).await else { return };
    let policy = app.freshness;
    for ops in cases {
        // From the wall clock on: the server's sweeper expires holds by real time, never ahead of this test.
        let mut now = chrono::Utc::now().timestamp();
        let f = Fixture::new(&app.db, now);
        let service = f.service(ServiceSpec::housing("Bristol", 6, 4)).await;
        let mut placed = Vec::new();
        for op in ops {
            let before = capacity::snapshot(&app.db, service, now, &policy).await.unwrap();
            match op {
                Op::Update { total, available } => {
                    let change = CapacityChange {
                        total,
                        available,
                        accepting_referrals: true,
                        expected_version: before.version,
                    };
                    let outcome = capacity::update(&app.db, service, change, None, now, &policy).await.unwrap();
                    let valid = available + before.on_hold <= total;
                    assert_eq!(matches!(outcome, UpdateOutcome::Saved(_)), valid, "{outcome:?}");
                }
                Op::Confirm => {
                    capacity::confirm(&app.db, service, before.version, None, now, &policy).await.unwrap();
                }
                Op::Hold { units, minutes } => {
                    let result = holds::place(
                        &app.db,
                        service,
                        HoldRequest::new(units, Some(minutes)).unwrap(),
                        None,
                        None,
                        now,
                        &policy,
                    )
                    .await
                    .unwrap();
                    let holdable =
                        units <= before.available && before.freshness != app::domain::freshness::FreshnessBand::Stale;
                    assert_eq!(result.is_ok(), holdable, "{result:?} with {before:?}");
                    if let Ok(h) = result {
                        placed.push(h.id);
                    }
                }
                Op::Arrive(i) | Op::Release(i) if !placed.is_empty() => {
                    let end = if matches!(op, Op::Arrive(_)) { HoldState::Confirmed } else { HoldState::Released };
                    let id = placed[i % placed.len()];
                    let _ = holds::finish(&app.db, id, end, None, now, &policy).await.unwrap();
                }
                Op::Arrive(_) | Op::Release(_) => {}
                Op::Wait { minutes } => {
                    now += minutes * 60;
                    if minutes % 3 == 0 {
                        holds::sweep_expired(&app.db, now).await.unwrap();
                    }
                }
            }
            let s = capacity::snapshot(&app.db, service, now, &policy).await.unwrap();
            assert!(s.available >= 0, "available below zero after {op:?}: {s:?}");
            assert!(s.available + s.on_hold <= s.total, "over total after {op:?}: {s:?}");
            let active: i64 = holds::for_service(&app.db, service, now)
                .await
                .unwrap()
                .iter()
                .filter(|h| h.state == HoldState::Held)
                .map(|h| h.units)
                .sum();
            assert_eq!(active, s.on_hold, "on_hold matches the active holds");
        }
    }
}

fn cases() -> Vec<Vec<Op>> {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 24, ..ProptestConfig::default() });
    let strategy = proptest::collection::vec(op(), 1..40);
    (0..24).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_operation_sequences_keep_the_capacity_invariants_on_sqlite() {
    run(Backend::Sqlite, cases()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_operation_sequences_keep_the_capacity_invariants_on_postgres() {
    run(Backend::Postgres, cases()).await;
}
