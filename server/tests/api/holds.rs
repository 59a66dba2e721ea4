//! Holds: never more than is free, expiry without a sweeper, confirm and release.

use app::domain::capacity::Version;
use app::domain::hold::{HoldError, HoldRequest, HoldState};
use app::store::{capacity, holds};

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

/// Holds are timed against the wall clock: the server's own sweeper expires holds by real time, so a hold
/// placed at a fixed past instant could be swept by it in the middle of a test.
fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn units(n: i64) -> HoldRequest {
    HoldRequest::new(n, None).unwrap()
}

async fn a_hold_moves_units_from_available_to_on_hold(app: TestApp) {
    let now = now();
    let f = Fixture::new(&app.db, now);
    let service = f.service(ServiceSpec::housing("Waterbury", 6, 3)).await;
    let hold = holds::place(&app.db, service, units(2), None, None, now, &app.freshness).await.unwrap().unwrap();
    assert_eq!(hold.state, HoldState::Held);
    assert_eq!(hold.expires_at.timestamp(), now + 2 * 3600);
    let s = capacity::snapshot(&app.db, service, now, &app.freshness).await.unwrap();
    assert_eq!((s.available, s.on_hold, s.total), (1, 2, 6));
}

async fn a_hold_larger_than_what_is_free_is_refused(app: TestApp) {
    let now = now();
    let f = Fixture::new(&app.db, now);
    let service = f.service(ServiceSpec::housing("Waterbury", 6, 1)).await;
    let outcome = holds::place(&app.db, service, units(2), None, None, now, &app.freshness).await.unwrap();
    assert_eq!(outcome, Err(HoldError::NoLongerAvailable));
}

async fn stale_capacity_cannot_be_held(app: TestApp) {
    let now = now();
    let f = Fixture::new(&app.db, now);
    let service = f.service(ServiceSpec { age_secs: 3 * 86_400, ..ServiceSpec::housing("Waterbury", 6, 4) }).await;
    let outcome = holds::place(&app.db, service, units(1), None, None, now, &app.freshness).await.unwrap();
    assert_eq!(outcome, Err(HoldError::NoLongerAvailable));
}

async fn an_expired_hold_frees_its_units_before_any_sweep(app: TestApp) {
    let now = now();
    let f = Fixture::new(&app.db, now);
    let service = f.service(ServiceSpec::housing("Waterbury", 6, 3)).await;
    let hold = holds::place(&app.db, service, HoldRequest::new(3, Some(30)).unwrap(), None, None, now, &app.freshness)
        .await
        .unwrap()
        .unwrap();
    let later = now + 31 * 60;
    let s = capacity::snapshot(&app.db, service, later, &app.freshness).await.unwrap();
    assert_eq!((s.available, s.on_hold), (3, 0));
    assert_eq!(holds::get(&app.db, hold.id, later).await.unwrap().state, HoldState::Expired);
    assert_eq!(holds::sweep_expired(&app.db, later).await.unwrap(), 1);
    assert_eq!(holds::sweep_expired(&app.db, later).await.unwrap(), 0);
    let confirm = holds::finish(&app.db, hold.id, HoldState::Confirmed, None, later, &app.freshness).await.unwrap();
    assert_eq!(confirm, Err(HoldError::AlreadyEnded(HoldState::Expired)));
}

async fn arrival_uses_the_units_and_release_gives_them_back(app: TestApp) {
    let now = now();
    let f = Fixture::new(&app.db, now);
    let service = f.service(ServiceSpec::housing("Waterbury", 6, 4)).await;
    let a = holds::place(&app.db, service, units(1), None, None, now, &app.freshness).await.unwrap().unwrap();
    let b = holds::place(&app.db, service, units(2), None, None, now, &app.freshness).await.unwrap().unwrap();
    holds::finish(&app.db, a.id, HoldState::Confirmed, None, now + 10, &app.freshness).await.unwrap().unwrap();
    let s = capacity::snapshot(&app.db, service, now + 10, &app.freshness).await.unwrap();
    assert_eq!((s.total, s.available, s.on_hold, s.version), (6, 1, 2, Version(2)));
    holds::finish(&app.db, b.id, HoldState::Released, None, now + 20, &app.freshness).await.unwrap().unwrap();
    let s = capacity::snapshot(&app.db, service, now + 20, &app.freshness).await.unwrap();
    assert_eq!((s.available, s.on_hold), (3, 0));
    let again = holds::finish(&app.db, b.id, HoldState::Released, None, now + 30, &app.freshness).await.unwrap();
    assert_eq!(again, Err(HoldError::AlreadyEnded(HoldState::Released)));
    assert_eq!(capacity::history(&app.db, service, 10).await.unwrap()[0].kind, "arrival");
}

async fn a_closed_service_cannot_be_held(app: TestApp) {
    let now = now();
    let f = Fixture::new(&app.db, now);
    let service = f.service(ServiceSpec::housing("Waterbury", 6, 4)).await;
    app::store::providers::set_service_status(&app.db, service, "temporarily_closed").await.unwrap();
    let outcome = holds::place(&app.db, service, units(1), None, None, now, &app.freshness).await.unwrap();
    assert_eq!(outcome, Err(HoldError::NotAccepting));
}

async fn the_total_cannot_drop_below_what_is_held(app: TestApp) {
    let now = now();
    let f = Fixture::new(&app.db, now);
    let service = f.service(ServiceSpec::housing("Waterbury", 6, 4)).await;
    holds::place(&app.db, service, units(3), None, None, now, &app.freshness).await.unwrap().unwrap();
    let change = app::domain::capacity::CapacityChange {
        total: 2,
        available: 0,
        accepting_referrals: true,
        expected_version: Version(1),
    };
    let outcome = capacity::update(&app.db, service, change, None, now, &app.freshness).await.unwrap();
    assert_eq!(
        outcome,
        app::domain::capacity::UpdateOutcome::Invalid(app::domain::capacity::CapacityError::TotalBelowHeld {
            total: 2,
            on_hold: 3
        })
    );
}

/// The SQL that counts units on hold agrees with the domain's rule ([`HoldState::as_of`]) one second
/// before a hold's expiry and at it.
async fn the_database_counts_a_hold_exactly_as_long_as_the_domain_rule_calls_it_held(app: TestApp) {
    let placed = now();
    let service = Fixture::new(&app.db, placed).service(ServiceSpec::housing("Hartford", 6, 4)).await;
    let hold =
        holds::place(&app.db, service, HoldRequest::new(2, Some(60)).unwrap(), None, None, placed, &app.freshness)
            .await
            .unwrap()
            .unwrap();
    let expiry = hold.expires_at.timestamp();
    for at in [expiry - 1, expiry] {
        let state = holds::get(&app.db, hold.id, at).await.unwrap().state;
        assert_eq!(state, HoldState::Held.as_of(expiry, at), "the store reads states by the domain rule");
        let on_hold = capacity::snapshot(&app.db, service, at, &app.freshness).await.unwrap().on_hold;
        assert_eq!(on_hold, if state == HoldState::Held { 2 } else { 0 }, "at {} s before expiry", expiry - at);
    }
}

both_backends!(
    the_database_counts_a_hold_exactly_as_long_as_the_domain_rule_calls_it_held,
    a_hold_moves_units_from_available_to_on_hold,
    a_hold_larger_than_what_is_free_is_refused,
    stale_capacity_cannot_be_held,
    an_expired_hold_frees_its_units_before_any_sweep,
    arrival_uses_the_units_and_release_gives_them_back,
    a_closed_service_cannot_be_held,
    the_total_cannot_drop_below_what_is_held,
);
