//! The oversight dashboard's aggregates on fixtures with known answers, and its exports.

use app::domain::account::Role;
use app::domain::need::{NeedClosing, NeedInput, NeedPlace, Outcome, UnmetReason, Urgency};
use app::domain::oversight::OversightFilter;
use app::domain::profile::{AgeGroup, TraffickingType, VictimType};
use app::domain::region::RegionScheme;
use app::domain::suppression::Cell;
use app::domain::taxonomy::CategoryCode;
use app::store::{needs, regions};
use chrono::NaiveDate;

use crate::both_backends;
use crate::helpers::TestApp;

fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc().timestamp()
}

async fn need(app: &crate::helpers::TestApp, region: i64, kind: TraffickingType, at: i64, outcome: Outcome) {
    need_at(app, NeedPlace::Region(region), kind, at, outcome).await;
}

/// A need recorded by town: it keeps the town's planning region and county.
async fn need_in(app: &crate::helpers::TestApp, town: &str, at: i64, outcome: Outcome) {
    let town = regions::town_id(&app.db, town).await.unwrap().unwrap();
    need_at(app, NeedPlace::Town(town), TraffickingType::Sex, at, outcome).await;
}

async fn need_at(app: &crate::helpers::TestApp, place: NeedPlace, kind: TraffickingType, at: i64, outcome: Outcome) {
    let input = NeedInput {
        place,
        age_group: AgeGroup::Adult,
        trafficking_type: kind,
        gender: None,
        household_size: 1,
        languages: vec![],
        wheelchair: false,
        categories: vec![CategoryCode::parse("safe_house").unwrap()],
        urgency: Urgency::Urgent,
    };
    let id = needs::create(&app.db, &input, None, at).await.unwrap().unwrap();
    let reasons = if outcome == Outcome::NotPlaced { vec![UnmetReason::NoCapacity] } else { vec![] };
    needs::close(&app.db, id, &NeedClosing { outcome, reasons }, None, None, at + 5 * 3600).await.unwrap().unwrap();
}

async fn weekly_needs_are_counted_by_outcome_and_small_counts_are_suppressed(app: TestApp) {
    let capitol = regions::summaries(&app.db, RegionScheme::Planning)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name.starts_with("Capitol"))
        .unwrap()
        .id;
    // Sunday 1 Nov 2026 at 21:00 EST is Monday 02:00 UTC: five needs that belong to the week of 26 October.
    for i in 0..5 {
        need(&app, capitol, TraffickingType::Sex, utc(2026, 11, 2, 2) + i, Outcome::PlacedInRegion).await;
    }
    // Week of 2 November: 6 placed, 5 not placed (labor), 2 placed outside the region.
    for i in 0..6 {
        need(&app, capitol, TraffickingType::Sex, utc(2026, 11, 3, 15) + i, Outcome::PlacedInRegion).await;
    }
    for i in 0..5 {
        need(&app, capitol, TraffickingType::Labor, utc(2026, 11, 4, 15) + i, Outcome::NotPlaced).await;
    }
    for i in 0..2 {
        need(&app, capitol, TraffickingType::Sex, utc(2026, 11, 5, 15) + i, Outcome::PlacedOutsideRegion).await;
    }
    // Monday 9 November: the two weeks before have ended.
    let filter = OversightFilter::last_weeks(NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(), 2);
    let view = app::oversight::build(&app.db, &filter, utc(2026, 11, 9, 12), &app.freshness).await.unwrap();
    assert_eq!(view.needs.rows, vec!["2026-10-26", "2026-11-02"]);
    assert_eq!(
        view.needs.table.cells[0],
        vec![Cell::Shown(5), Cell::Shown(0), Cell::Shown(0)],
        "Sunday evening in Connecticut is the week before"
    );
    assert_eq!(view.needs.table.cells[1][2], Cell::Suppressed, "two placed outside: a small cell");
    let hidden = view.needs.table.cells[1].iter().filter(|c| **c == Cell::Suppressed).count();
    assert!(hidden >= 2, "and a partner, so the row total reveals neither");
    assert_eq!(view.needs.table.row_totals[1], Cell::Shown(13));
    assert_eq!(view.needs.table.column_totals[2], Cell::Suppressed, "a total across weeks never adds a hidden cell");
    let adult_labor = OversightFilter { victim: Some(VictimType::AdultLabor), ..filter.clone() };
    let labor = app::oversight::build(&app.db, &adult_labor, utc(2026, 11, 9, 12), &app.freshness).await.unwrap();
    assert_eq!(labor.needs.table.cells[1][0], Cell::Shown(0), "only labor needs");
    assert_eq!(
        labor.needs.table.cells[1][1],
        Cell::Suppressed,
        "five labor needs not placed would give away the statewide count beside it, and so the two placed outside"
    );
    assert_eq!(view.placement_hours[0].values, vec![Some(5.0)], "the median over five placements");
    assert_eq!(view.placement_hours[1].values, vec![None], "no median where the placed counts are hidden");
    for cell in view.needs.table.cells.iter().flatten() {
        assert!(!matches!(cell, Cell::Shown(n) if (1..5).contains(n)));
    }
}

async fn a_funder_downloads_a_csv_named_by_its_filters_and_cannot_see_per_need_records(app: TestApp) {
    let funder = app.signed_in(Role::Funder, &[]).await;
    let response = app
        .client
        .get(format!("{}/oversight/export.csv?table=needs&from=2026-08-31&to=2026-11-22&family=housing", app.address))
        .header("cookie", format!("__Host-session={}", funder.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers().get("content-disposition").unwrap(),
        "attachment; filename=\"continuum-needs-2026-08-31_2026-11-22_statewide_all-victims_housing.csv\""
    );
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with("\"\",\"Placed in region\",\"Not placed\",\"Placed outside region\",\"Total\""));
    for path in ["/api/my_needs", "/api/close_need", "/api/site_details", "/api/my_capacity"] {
        let status = app
            .call(path, Some(&funder), &[("need_id", "1"), ("site_id", "1"), ("close[outcome]", "withdrawn")])
            .await
            .status();
        assert_eq!(status, 403, "{path}");
    }
}

async fn a_day_shifted_period_is_refused_so_two_exports_never_differ_by_a_few_days(app: TestApp) {
    // The attack: exports from Monday and from Tuesday differed by Monday's needs, a count the page hid.
    let funder = app.signed_in(Role::Funder, &[]).await;
    let export = |query: &'static str| {
        let (app, funder) = (&app, &funder);
        async move {
            let response = app
                .client
                .get(format!("{}/oversight/export.csv?table=needs&{query}", app.address))
                .header("cookie", format!("__Host-session={}", funder.cookie))
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    assert_eq!(export("from=2026-11-16&to=2026-11-22").await.0, 200);
    let (status, body) = export("from=2026-11-17&to=2026-11-22").await;
    assert_eq!(status, 400, "a period starts on a Monday");
    assert!(body.contains("whole weeks"), "{body}");
    assert_eq!(export("from=2026-11-16&to=2026-11-21").await.0, 400, "and ends on a Sunday");
    // The week that is still going on would change day by day: it is never published.
    let today = app::domain::local_time::date(chrono::Utc::now().timestamp());
    let sunday =
        today + chrono::Duration::days(6 - i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
    let current = format!("{}/oversight/export.csv?table=needs&to={sunday}", app.address);
    let response =
        app.client.get(current).header("cookie", format!("__Host-session={}", funder.cookie)).send().await.unwrap();
    assert_eq!(response.status(), 400);
}

async fn unmet_needs_have_every_row_whether_or_not_the_data_has_it(app: TestApp) {
    // A row that appears only when a rare profile occurred would itself reveal that it occurred.
    let filter = OversightFilter {
        split: app::domain::series::NeedSplit::Region,
        ..OversightFilter::last_weeks(NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(), 2)
    };
    let view = app::oversight::build(&app.db, &filter, utc(2026, 11, 9, 12), &app.freshness).await.unwrap();
    assert_eq!(view.not_placed.rows.len(), 9, "all nine planning regions, with no needs at all");
    let victims = OversightFilter { split: app::domain::series::NeedSplit::VictimType, ..filter };
    let view = app::oversight::build(&app.db, &victims, utc(2026, 11, 9, 12), &app.freshness).await.unwrap();
    assert_eq!(view.not_placed.rows.len(), 6, "four victim types and two unscreened groups");
    assert!(view.not_placed.table.cells.iter().flatten().all(|c| *c == Cell::Shown(0)));
}

async fn a_region_and_the_state_never_differ_by_a_small_count(app: TestApp) {
    // The attack: the statewide figure minus one region's gives the rest of the state's, here 2.
    let all = regions::summaries(&app.db, RegionScheme::Planning).await.unwrap();
    let capitol = all.iter().find(|r| r.name.starts_with("Capitol")).unwrap().id;
    let western = all.iter().find(|r| r.name.starts_with("Western")).unwrap().id;
    for i in 0..10 {
        need(&app, capitol, TraffickingType::Sex, utc(2026, 11, 3, 15) + i, Outcome::NotPlaced).await;
    }
    for i in 0..2 {
        need(&app, western, TraffickingType::Sex, utc(2026, 11, 4, 15) + i, Outcome::NotPlaced).await;
    }
    let statewide = OversightFilter::last_weeks(NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(), 1);
    let in_capitol = OversightFilter { region_id: Some(capitol), ..statewide.clone() };
    let now = utc(2026, 11, 9, 12);
    let state = app::oversight::build(&app.db, &statewide, now, &app.freshness).await.unwrap();
    let region = app::oversight::build(&app.db, &in_capitol, now, &app.freshness).await.unwrap();
    let (state_cell, region_cell) = (state.needs.table.cells[0][1], region.needs.table.cells[0][1]);
    assert!(
        state_cell == Cell::Suppressed || region_cell == Cell::Suppressed,
        "12 statewide beside 10 in Capitol would show Western Connecticut's 2: {state_cell:?} {region_cell:?}"
    );
    let by_region = OversightFilter { split: app::domain::series::NeedSplit::Region, ..statewide };
    let split = app::oversight::build(&app.db, &by_region, now, &app.freshness).await.unwrap();
    let capitol_row = split.not_placed.rows.iter().position(|r| r.starts_with("Capitol")).unwrap();
    assert_eq!(
        split.not_placed.table.cells[capitol_row][0], region_cell,
        "the split and the filter read the same count"
    );
}

async fn a_line_of_ten_and_two_small_counts_never_gives_their_sum_away(app: TestApp) {
    // The attack: [10, *, *] beside its total 13 says the two hidden counts are 3 between them.
    let capitol = regions::summaries(&app.db, RegionScheme::Planning)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name.starts_with("Capitol"))
        .unwrap()
        .id;
    let week = [(10, Outcome::PlacedInRegion), (2, Outcome::NotPlaced), (1, Outcome::PlacedOutsideRegion)];
    for (n, outcome) in week {
        for i in 0..n {
            need(&app, capitol, TraffickingType::Sex, utc(2026, 11, 3, 15) + i, outcome).await;
        }
    }
    let filter = OversightFilter::last_weeks(NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(), 1);
    let view = app::oversight::build(&app.db, &filter, utc(2026, 11, 9, 12), &app.freshness).await.unwrap();
    let (row, total) = (&view.needs.table.cells[0], view.needs.table.row_totals[0]);
    let hidden = row.iter().filter(|c| **c == Cell::Suppressed).count() as i64;
    assert!(hidden >= 2, "the 2 and the 1 are hidden: {row:?}");
    if let Cell::Shown(total) = total {
        let shown: i64 = row.iter().filter_map(|c| if let Cell::Shown(n) = c { Some(*n) } else { None }).sum();
        assert!(total - shown >= 5 + hidden - 2, "{row:?} with total {total} pins what is hidden");
    }
}

async fn a_region_with_one_house_is_never_the_state_minus_the_others(app: TestApp) {
    // Week of 2 November 2026: three houses in Capitol, three in South Central, one in Western Connecticut.
    let f = crate::fixtures::Fixture::new(&app.db, utc(2026, 11, 2, 15));
    for town in ["Hartford", "Hartford", "Hartford", "New Haven", "New Haven", "New Haven", "Stamford"] {
        f.service(crate::fixtures::ServiceSpec::housing(town, 10, 4)).await;
    }
    let all = regions::summaries(&app.db, RegionScheme::Planning).await.unwrap();
    let id = |prefix: &str| all.iter().find(|r| r.name.starts_with(prefix)).unwrap().id;
    let statewide = OversightFilter::last_weeks(NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(), 1);
    let now = utc(2026, 11, 9, 12);
    let capacity = async |region: Option<i64>| {
        let filter = OversightFilter { region_id: region, ..statewide.clone() };
        let view = app::oversight::build(&app.db, &filter, now, &app.freshness).await.unwrap();
        view.capacity.last().map(|w| w.values.clone()).unwrap()
    };
    let western = capacity(Some(id("Western"))).await;
    assert_eq!(western, vec![None, None], "one organization: its beds, and the people in them, stay hidden");
    let shown = |values: &Vec<Option<f64>>| values.iter().all(Option::is_some);
    let (state, capitol, south) =
        (capacity(None).await, capacity(Some(id("Capitol"))).await, capacity(Some(id("South Central"))).await);
    assert!(
        !(shown(&state) && shown(&capitol) && shown(&south)),
        "the state's {state:?} minus Capitol's {capitol:?} and South Central's {south:?} would be Western's"
    );
}

async fn needs_are_read_by_county_and_one_without_a_county_is_counted_as_not_recorded(app: TestApp) {
    let counties = regions::summaries(&app.db, RegionScheme::County).await.unwrap();
    let fairfield = counties.iter().find(|r| r.name.starts_with("Fairfield")).unwrap().id;
    // Bridgeport and Stamford are in Fairfield County, in two planning regions; Hartford is not.
    for i in 0..6 {
        need_in(&app, "Bridgeport", utc(2026, 11, 3, 15) + i, Outcome::NotPlaced).await;
        need_in(&app, "Stamford", utc(2026, 11, 3, 16) + i, Outcome::NotPlaced).await;
        need_in(&app, "Hartford", utc(2026, 11, 3, 17) + i, Outcome::NotPlaced).await;
    }
    let statewide = OversightFilter {
        scheme: RegionScheme::County,
        split: app::domain::series::NeedSplit::Region,
        ..OversightFilter::last_weeks(NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(), 1)
    };
    let now = utc(2026, 11, 9, 12);
    let view = app::oversight::build(&app.db, &statewide, now, &app.freshness).await.unwrap();
    assert_eq!(view.not_placed.rows.len(), 8, "the eight counties: every need here has one");
    let row = view.not_placed.rows.iter().position(|r| r.starts_with("Fairfield")).unwrap();
    assert_eq!(view.not_placed.table.cells[row][0], Cell::Shown(12), "Bridgeport's and Stamford's");
    let in_fairfield = OversightFilter { region_id: Some(fairfield), ..statewide.clone() };
    let view = app::oversight::build(&app.db, &in_fairfield, now, &app.freshness).await.unwrap();
    assert_eq!(view.needs.table.cells[0][1], Cell::Shown(12), "the county's not placed");

    // A need recorded with its planning region alone has no county.
    let capitol = regions::summaries(&app.db, RegionScheme::Planning).await.unwrap();
    let capitol = capitol.iter().find(|r| r.name.starts_with("Capitol")).unwrap().id;
    for i in 0..5 {
        need(&app, capitol, TraffickingType::Sex, utc(2026, 11, 4, 15) + i, Outcome::NotPlaced).await;
    }
    let view = app::oversight::build(&app.db, &statewide, now, &app.freshness).await.unwrap();
    let unrecorded = view.not_placed.rows.iter().position(|r| r == app::oversight::COUNTY_NOT_RECORDED);
    assert_eq!(unrecorded, Some(8), "a ninth row, last");
    assert_eq!(view.not_placed.table.cells[8][0], Cell::Shown(5));
}

async fn a_county_minus_the_planning_regions_inside_it_never_gives_a_town_away(app: TestApp) {
    // Shelton is in Fairfield County but the Naugatuck Valley region; Bridgeport is in both Fairfield County
    // and the Greater Bridgeport region, which lies wholly inside the county. Fairfield's 12 beside Greater
    // Bridgeport's 10 would say that 2 needs came from Shelton.
    for i in 0..10 {
        need_in(&app, "Bridgeport", utc(2026, 11, 3, 15) + i, Outcome::NotPlaced).await;
    }
    for i in 0..2 {
        need_in(&app, "Shelton", utc(2026, 11, 4, 15) + i, Outcome::NotPlaced).await;
    }
    for i in 0..10 {
        need_in(&app, "Hartford", utc(2026, 11, 4, 16) + i, Outcome::NotPlaced).await;
    }
    let week = OversightFilter::last_weeks(NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(), 1);
    let now = utc(2026, 11, 9, 12);
    let planning = regions::summaries(&app.db, RegionScheme::Planning).await.unwrap();
    let counties = regions::summaries(&app.db, RegionScheme::County).await.unwrap();
    let id = |all: &[app::domain::region::RegionSummary], prefix: &str| {
        all.iter().find(|r| r.name.starts_with(prefix)).unwrap().id
    };
    let not_placed = async |scheme, region| {
        let filter = OversightFilter { scheme, region_id: Some(region), ..week.clone() };
        app::oversight::build(&app.db, &filter, now, &app.freshness).await.unwrap().needs.table.cells[0][1]
    };
    let county = not_placed(RegionScheme::County, id(&counties, "Fairfield")).await;
    let region = not_placed(RegionScheme::Planning, id(&planning, "Greater Bridgeport")).await;
    assert!(
        county == Cell::Suppressed || region == Cell::Suppressed,
        "Fairfield County's {county:?} beside Greater Bridgeport's {region:?} would show Shelton's 2"
    );
    assert_eq!(not_placed(RegionScheme::Planning, id(&planning, "Naugatuck")).await, Cell::Suppressed, "2 is small");
}

async fn one_house_between_a_county_and_its_planning_regions_stays_hidden(app: TestApp) {
    // Fairfield County: three houses in Bridgeport (Greater Bridgeport), three in Stamford (Western
    // Connecticut) and one in Shelton (Naugatuck Valley): the county minus the two regions is the one house.
    let f = crate::fixtures::Fixture::new(&app.db, utc(2026, 11, 2, 15));
    for town in ["Bridgeport", "Bridgeport", "Bridgeport", "Stamford", "Stamford", "Stamford", "Shelton"] {
        f.service(crate::fixtures::ServiceSpec::housing(town, 10, 4)).await;
    }
    let planning = regions::summaries(&app.db, RegionScheme::Planning).await.unwrap();
    let counties = regions::summaries(&app.db, RegionScheme::County).await.unwrap();
    let id = |all: &[app::domain::region::RegionSummary], prefix: &str| {
        all.iter().find(|r| r.name.starts_with(prefix)).unwrap().id
    };
    let week = OversightFilter::last_weeks(NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(), 1);
    let now = utc(2026, 11, 9, 12);
    let capacity = async |scheme, region: i64| {
        let filter = OversightFilter { scheme, region_id: Some(region), ..week.clone() };
        let view = app::oversight::build(&app.db, &filter, now, &app.freshness).await.unwrap();
        view.capacity.last().map(|w| w.values.clone()).unwrap()
    };
    let shown = |values: &Vec<Option<f64>>| values.iter().all(Option::is_some);
    let county = capacity(RegionScheme::County, id(&counties, "Fairfield")).await;
    let bridgeport = capacity(RegionScheme::Planning, id(&planning, "Greater Bridgeport")).await;
    let western = capacity(RegionScheme::Planning, id(&planning, "Western")).await;
    assert!(
        !(shown(&county) && shown(&bridgeport) && shown(&western)),
        "Fairfield's {county:?} minus Greater Bridgeport's {bridgeport:?} and Western's {western:?} is Shelton's house"
    );
}

both_backends!(
    needs_are_read_by_county_and_one_without_a_county_is_counted_as_not_recorded,
    a_county_minus_the_planning_regions_inside_it_never_gives_a_town_away,
    one_house_between_a_county_and_its_planning_regions_stays_hidden,
    a_line_of_ten_and_two_small_counts_never_gives_their_sum_away,
    a_region_with_one_house_is_never_the_state_minus_the_others,
    weekly_needs_are_counted_by_outcome_and_small_counts_are_suppressed,
    a_funder_downloads_a_csv_named_by_its_filters_and_cannot_see_per_need_records,
    a_day_shifted_period_is_refused_so_two_exports_never_differ_by_a_few_days,
    unmet_needs_have_every_row_whether_or_not_the_data_has_it,
    a_region_and_the_state_never_differ_by_a_small_count,
);
