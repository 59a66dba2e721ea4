//! Chart aggregations on fixtures with known answers, including local week boundaries and freshness over time.

use app::domain::capacity::{CapacityChange, Version};
use app::domain::need::{NeedClosing, NeedInput, NeedPlace, Outcome, UnmetReason, Urgency};
use app::domain::profile::{AgeGroup, TraffickingType};
use app::domain::region::RegionScheme;
use app::domain::series::{Bucket, NeedCounts, NeedSplit, count_needs};
use app::domain::taxonomy::{CategoryCode, CategoryFamily};
use app::store::{capacity, needs, regions, series};
use chrono::NaiveDate;

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc().timestamp()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn weekly_needs_use_connecticut_weeks_not_utc_weeks(app: TestApp) {
    let region = regions::summaries(&app.db, RegionScheme::Planning).await.unwrap()[0].clone();
    let input = NeedInput {
        place: NeedPlace::Region(region.id),
        age_group: AgeGroup::Adult,
        trafficking_type: TraffickingType::Labor,
        gender: None,
        household_size: 1,
        languages: vec![],
        wheelchair: false,
        categories: vec![CategoryCode::parse("safe_house").unwrap()],
        urgency: Urgency::Urgent,
    };
    // Sunday 1 Nov 2026, 21:30 EST = Monday 02:30 UTC: the week of 26 October locally.
    let sunday_evening = utc(2026, 11, 2, 2) + 1800;
    let monday_morning = utc(2026, 11, 2, 14);
    let a = needs::create(&app.db, &input, None, sunday_evening).await.unwrap().unwrap();
    let b = needs::create(&app.db, &input, None, monday_morning).await.unwrap().unwrap();
    needs::close(
        &app.db,
        a,
        &NeedClosing { outcome: Outcome::NotPlaced, reasons: vec![UnmetReason::NoCapacity] },
        None,
        None,
        monday_morning,
    )
    .await
    .unwrap()
    .unwrap();
    needs::close(
        &app.db,
        b,
        &NeedClosing { outcome: Outcome::PlacedInRegion, reasons: vec![] },
        None,
        Some(region.id),
        monday_morning + 7200,
    )
    .await
    .unwrap()
    .unwrap();

    let facts = series::need_facts(&app.db, utc(2026, 10, 1, 0), utc(2026, 12, 1, 0)).await.unwrap();
    assert_eq!(facts.len(), 2);
    let weekly = count_needs(&facts, Bucket::Week, NeedSplit::None);
    assert_eq!(weekly[&(date(2026, 10, 26), "All needs".to_owned())], NeedCounts { recorded: 1, met: 0, unmet: 1 });
    assert_eq!(weekly[&(date(2026, 11, 2), "All needs".to_owned())], NeedCounts { recorded: 1, met: 1, unmet: 0 });
    let by_region = count_needs(&facts, Bucket::Week, NeedSplit::Region);
    assert!(by_region.keys().all(|(_, r)| *r == region.name));
}

async fn capacity_over_time_counts_stale_days_as_unknown(app: TestApp) {
    let day1 = utc(2026, 6, 1, 20); // 16:00 EDT
    let f = Fixture::new(&app.db, day1);
    let service = f.service(ServiceSpec::housing("Hartford", 8, 3)).await;
    // One update on 2 June, then silence: fresh for 12 h, aging until 48 h, stale after.
    let UpdateOutcome::Saved(_) = capacity::update(
        &app.db,
        service,
        CapacityChange { total: 8, available: 5, accepting_referrals: true, expected_version: Version(1) },
        None,
        utc(2026, 6, 2, 20),
        &app.freshness,
    )
    .await
    .unwrap() else {
        panic!()
    };
    let points = series::capacity_series(
        &app.db,
        RegionScheme::Planning,
        date(2026, 6, 1),
        date(2026, 6, 5),
        Bucket::Day,
        &app.freshness,
        chrono::Utc::now().timestamp(),
    )
    .await
    .unwrap();
    let at = |d| points[&(date(2026, 6, d), "Capitol Planning Region".to_owned(), CategoryFamily::Housing)].clone();
    assert_eq!((at(1).total, at(1).countable_available, at(1).fresh_services), (8, 3, 1), "end of 1 June: 8 h old");
    assert_eq!((at(2).countable_available, at(2).fresh_services), (5, 1), "end of 2 June: 8 h old");
    assert_eq!(
        (at(3).countable_available, at(3).fresh_services, at(3).stale_services),
        (5, 0, 0),
        "aging still counts"
    );
    assert_eq!((at(4).countable_available, at(4).stale_services), (0, 1), "56 h: stale, unknown");
    assert_eq!(at(5).services, 1);
}

both_backends!(weekly_needs_use_connecticut_weeks_not_utc_weeks, capacity_over_time_counts_stale_days_as_unknown,);

use app::domain::capacity::UpdateOutcome;
