//! Capacity updates: optimistic concurrency, validation, confirmations, history.

use app::domain::capacity::{CapacityChange, CapacityError, UpdateOutcome, Version};
use app::domain::freshness::FreshnessBand;
use app::store::capacity;

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

const NOW: i64 = 1_790_000_000;

fn change(total: i64, available: i64, version: i64) -> CapacityChange {
    CapacityChange { total, available, accepting_referrals: true, expected_version: Version(version) }
}

async fn an_update_saves_bumps_the_version_and_appends_history(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let service = f.service(ServiceSpec::housing("Waterbury", 10, 3)).await;
    let outcome = capacity::update(&app.db, service, change(12, 5, 1), None, NOW + 60, &app.freshness).await.unwrap();
    let UpdateOutcome::Saved(s) = outcome else { panic!("expected saved, got {outcome:?}") };
    assert_eq!((s.total, s.available, s.on_hold, s.version), (12, 5, 0, Version(2)));
    let history = capacity::history(&app.db, service, 10).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!((history[0].kind.as_str(), history[0].old_vacant, history[0].new_vacant), ("change", Some(3), 5));
}

async fn two_editors_on_one_version_one_wins_and_the_other_sees_the_current_state(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let service = f.service(ServiceSpec::housing("Hartford", 10, 3)).await;
    let (a, b) = tokio::join!(
        capacity::update(&app.db, service, change(10, 4, 1), None, NOW, &app.freshness),
        capacity::update(&app.db, service, change(10, 7, 1), None, NOW, &app.freshness),
    );
    let outcomes = [a.unwrap(), b.unwrap()];
    let saved: Vec<_> = outcomes
        .iter()
        .filter_map(|o| match o {
            UpdateOutcome::Saved(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let conflicts: Vec<_> = outcomes
        .iter()
        .filter_map(|o| match o {
            UpdateOutcome::Conflict(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(saved.len(), 1, "{outcomes:?}");
    assert_eq!(conflicts.len(), 1, "{outcomes:?}");
    assert_eq!(conflicts[0].available, saved[0].available, "the loser sees the winner's numbers");
    assert_eq!(conflicts[0].version, Version(2));
}

async fn invalid_counts_are_refused_and_change_nothing(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let service = f.service(ServiceSpec::housing("Hartford", 5, 2)).await;
    let outcome = capacity::update(&app.db, service, change(5, 6, 1), None, NOW, &app.freshness).await.unwrap();
    assert_eq!(
        outcome,
        UpdateOutcome::Invalid(CapacityError::AvailableAboveTotal { available: 6, on_hold: 0, total: 5 })
    );
    let after = capacity::snapshot(&app.db, service, NOW, &app.freshness).await.unwrap();
    assert_eq!((after.total, after.available, after.version), (5, 2, Version(1)));
    assert_eq!(capacity::history(&app.db, service, 10).await.unwrap().len(), 1);
}

async fn still_accurate_refreshes_the_age_without_changing_counts(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let service = f.service(ServiceSpec { age_secs: 50 * 3600, ..ServiceSpec::housing("Norwich", 4, 1) }).await;
    let before = capacity::snapshot(&app.db, service, NOW, &app.freshness).await.unwrap();
    assert_eq!(before.freshness, FreshnessBand::Stale);
    assert_eq!(before.countable_available(), None, "stale counts are unknown, never available");
    let UpdateOutcome::Saved(after) =
        capacity::confirm(&app.db, service, Version(1), None, NOW, &app.freshness).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(after.freshness, FreshnessBand::Fresh);
    assert_eq!((after.total, after.available), (4, 1));
    assert_eq!(capacity::history(&app.db, service, 10).await.unwrap()[0].kind, "confirm");
}

async fn confirming_an_outdated_version_is_a_conflict(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let service = f.service(ServiceSpec::housing("Norwich", 4, 1)).await;
    capacity::update(&app.db, service, change(4, 2, 1), None, NOW, &app.freshness).await.unwrap();
    let outcome = capacity::confirm(&app.db, service, Version(1), None, NOW, &app.freshness).await.unwrap();
    assert!(matches!(outcome, UpdateOutcome::Conflict(s) if s.available == 2));
}

async fn history_cannot_be_rewritten(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    f.service(ServiceSpec::housing("Norwich", 4, 1)).await;
    let result = app::store::query("UPDATE capacity_history SET new_vacant = 99").execute(&app.db).await;
    assert!(result.is_err());
    let result = app::store::query("DELETE FROM capacity_history").execute(&app.db).await;
    assert!(result.is_err());
}

async fn an_unknown_service_is_not_found(app: TestApp) {
    let result = capacity::update(&app.db, 999_999, change(1, 1, 1), None, NOW, &app.freshness).await;
    assert!(matches!(result, Err(app::store::StoreError::NotFound)));
}

both_backends!(
    an_update_saves_bumps_the_version_and_appends_history,
    two_editors_on_one_version_one_wins_and_the_other_sees_the_current_state,
    invalid_counts_are_refused_and_change_nothing,
    still_accurate_refreshes_the_age_without_changing_counts,
    confirming_an_outdated_version_is_a_conflict,
    history_cannot_be_rewritten,
    an_unknown_service_is_not_found,
);
