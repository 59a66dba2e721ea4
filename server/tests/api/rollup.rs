//! Daily capacity rollups: ended days are read from them, they agree with the history, and a back-dated line,
//! a retirement, a line dated ahead or another freshness policy never leaves a wrong day behind.

use app::domain::account::Role;
use app::domain::capacity::{CapacityChange, UpdateOutcome, Version};
use app::domain::freshness::{FreshnessPolicy, Thresholds};
use app::domain::region::RegionScheme;
use app::domain::series::Bucket;
use app::domain::taxonomy::CategoryFamily;
use app::store::{capacity, query, rollup, series};
use chrono::NaiveDate;

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

const CAPITOL: &str = "Capitol Planning Region";

fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc().timestamp()
}

fn june(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, d).unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Housing in the Capitol region at the end of each day of `[from, to]`: (total, countable available, stale).
async fn housing(app: &TestApp, from: NaiveDate, to: NaiveDate, policy: &FreshnessPolicy) -> Vec<(i64, i64, i64)> {
    let points =
        series::capacity_series(&app.db, RegionScheme::Planning, from, to, Bucket::Day, policy, now()).await.unwrap();
    from.iter_days()
        .take_while(|d| *d <= to)
        .map(|d| {
            points
                .get(&(d, CAPITOL.to_owned(), CategoryFamily::Housing))
                .map_or((0, 0, 0), |p| (p.total, p.countable_available, p.stale_services))
        })
        .collect()
}

async fn update(app: &TestApp, service: i64, version: i64, total: i64, available: i64, at: i64) {
    let change = CapacityChange { total, available, accepting_referrals: true, expected_version: Version(version) };
    let outcome = capacity::update(&app.db, service, change, None, at, &app.freshness).await.unwrap();
    assert!(matches!(outcome, UpdateOutcome::Saved(_)), "{outcome:?}");
}

async fn listed_days(app: &TestApp, from: &str, to: &str) -> i64 {
    let (n,): (i64,) = query("SELECT COUNT(*) FROM capacity_rollup_days WHERE day >= $1 AND day <= $2")
        .bind(from)
        .bind(to)
        .fetch_one(&app.db)
        .await
        .unwrap();
    n
}

async fn ended_days_are_read_from_their_rollups_and_a_rebuild_restores_them(app: TestApp) {
    // Created 1 June 16:00 EDT with 3 of 8 free: fresh at the end of 1 June, aging on the 2nd, stale on the 3rd.
    Fixture::new(&app.db, utc(2026, 6, 1, 20)).service(ServiceSpec::housing("Hartford", 8, 3)).await;
    let policy = app.freshness;
    let expected = vec![(8, 3, 0), (8, 3, 0), (8, 0, 1)];
    assert_eq!(housing(&app, june(1), june(3), &policy).await, expected);
    assert_eq!(listed_days(&app, "2026-06-01", "2026-06-03").await, 3, "the three ended days are rolled up");

    // Proof that the read comes from the rollup and not the history: a tampered row shows.
    query("UPDATE capacity_rollup SET total = 999 WHERE day = '2026-06-02'").execute(&app.db).await.unwrap();
    assert_eq!(housing(&app, june(1), june(3), &policy).await[1].0, 999);

    let built = rollup::rebuild(&app.db, &policy, now()).await.unwrap();
    assert!(built >= 3, "every ended day since the first line: {built}");
    assert_eq!(housing(&app, june(1), june(3), &policy).await, expected, "rebuilt from the history");
}

async fn a_back_dated_line_or_a_retirement_rebuilds_the_days_from_it_on(app: TestApp) {
    let mine = Fixture::new(&app.db, utc(2026, 6, 1, 20)).owned(ServiceSpec::housing("Hartford", 8, 3)).await;
    let policy = app.freshness;
    assert_eq!(
        housing(&app, june(1), june(5), &policy).await,
        vec![(8, 3, 0), (8, 3, 0), (8, 0, 1), (8, 0, 1), (8, 0, 1)]
    );

    // 3 June 08:00 EDT: 6 free. The days before keep their figures; from the 3rd on they follow the new line.
    update(&app, mine.service, 1, 8, 6, utc(2026, 6, 3, 12)).await;
    assert_eq!(
        housing(&app, june(1), june(5), &policy).await,
        vec![(8, 3, 0), (8, 3, 0), (8, 6, 0), (8, 6, 0), (8, 0, 1)]
    );

    // Retired 4 June 08:00 EDT: it counts in no day that ends after that.
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    app::store::directory::retire_service(&app.db, mine.service, admin.user_id, utc(2026, 6, 4, 12))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        housing(&app, june(1), june(5), &policy).await,
        vec![(8, 3, 0), (8, 3, 0), (8, 6, 0), (0, 0, 0), (0, 0, 0)]
    );
}

async fn the_running_day_is_read_live_and_a_line_dated_ahead_does_not_leak_into_it(app: TestApp) {
    let today = app::domain::local_time::date(now());
    let service = Fixture::new(&app.db, now() - 60).service(ServiceSpec::housing("Hartford", 8, 3)).await;
    let policy = app.freshness;
    assert_eq!(housing(&app, today, today, &policy).await, vec![(8, 3, 0)]);
    update(&app, service, 1, 8, 5, now()).await;
    assert_eq!(housing(&app, today, today, &policy).await, vec![(8, 5, 0)], "a change shows at once");
    // A line two days ahead has not happened by the end of today.
    update(&app, service, 2, 8, 7, now() + 2 * 86_400).await;
    assert_eq!(housing(&app, today, today, &policy).await, vec![(8, 5, 0)]);
    assert_eq!(listed_days(&app, &today.to_string(), "9999-12-31").await, 0, "a running day is never rolled up");
}

async fn each_freshness_policy_gets_its_own_rollups(app: TestApp) {
    Fixture::new(&app.db, utc(2026, 6, 1, 20)).service(ServiceSpec::housing("Hartford", 8, 3)).await;
    let strict = app.freshness;
    let lenient = FreshnessPolicy { housing: Thresholds::new(12 * 3600, 96 * 3600).unwrap(), ..strict };
    assert_eq!(housing(&app, june(3), june(3), &strict).await, vec![(8, 0, 1)], "56 hours: stale");
    assert_eq!(housing(&app, june(3), june(3), &lenient).await, vec![(8, 3, 0)], "56 hours: aging");
    assert_eq!(housing(&app, june(3), june(3), &strict).await, vec![(8, 0, 1)]);
}

async fn the_sweeper_keeps_the_recent_days_rolled_up(app: TestApp) {
    Fixture::new(&app.db, now() - 30 * 86_400).service(ServiceSpec::housing("Hartford", 8, 3)).await;
    rollup::catch_up(&app.db, &app.freshness, now()).await.unwrap();
    let today = app::domain::local_time::date(now());
    let first = today - chrono::Days::new(rollup::KEPT_DAYS as u64);
    let yesterday = today.pred_opt().unwrap();
    let listed = listed_days(&app, &first.to_string(), &yesterday.to_string()).await;
    assert_eq!(listed, rollup::KEPT_DAYS);
    assert_eq!(rollup::catch_up(&app.db, &app.freshness, now()).await.unwrap(), 0, "nothing left to build");
}

both_backends!(
    ended_days_are_read_from_their_rollups_and_a_rebuild_restores_them,
    a_back_dated_line_or_a_retirement_rebuilds_the_days_from_it_on,
    the_running_day_is_read_live_and_a_line_dated_ahead_does_not_leak_into_it,
    each_freshness_policy_gets_its_own_rollups,
    the_sweeper_keeps_the_recent_days_rolled_up,
);
