//! The oversight dashboard's aggregates on fixtures with known answers, and its exports.

use app::domain::account::Role;
use app::domain::need::{NeedClosing, NeedInput, Outcome, UnmetReason, Urgency};
use app::domain::oversight::OversightFilter;
use app::domain::profile::{AgeGroup, TraffickingType, VictimType};
use app::domain::region::RegionScheme;
use app::domain::suppression::Cell;
use app::domain::taxonomy::CategoryCode;
use app::store::{needs, regions};
use chrono::NaiveDate;

use crate::both_backends;

fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc().timestamp()
}

async fn need(app: &crate::helpers::TestApp, region: i64, kind: TraffickingType, at: i64, outcome: Outcome) {
    let input = NeedInput {
        region_id: region,
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

both_backends! {
    async fn weekly_needs_are_counted_by_outcome_and_small_counts_are_suppressed(app) {
        let capitol = regions::summaries(&app.db, RegionScheme::Planning).await.unwrap().into_iter().find(|r| r.name.starts_with("Capitol")).unwrap().id;
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
        let today = NaiveDate::from_ymd_opt(2026, 11, 8).unwrap();
        let filter = OversightFilter { from: NaiveDate::from_ymd_opt(2026, 10, 26).unwrap(), ..OversightFilter::last_days(today, 14) };
        let view = app::oversight::build(&app.db, &filter, utc(2026, 11, 9, 12), &app.freshness).await.unwrap();
        assert_eq!(view.needs.rows, vec!["2026-10-26", "2026-11-02"]);
        assert_eq!(view.needs.table.cells[0][0], Cell::Shown(5), "Sunday evening in Connecticut is the week before");
        assert_eq!(view.needs.table.cells[1][0], Cell::Shown(6));
        assert_eq!(view.needs.table.cells[1][2], Cell::Suppressed, "two placed outside: a small cell");
        assert_eq!(view.needs.table.cells[1][1], Cell::Suppressed, "its partner, so the row total reveals neither");
        assert_eq!(view.needs.table.row_totals[1], Cell::Shown(13));
        let adult_labor = OversightFilter { victim: Some(VictimType::AdultLabor), ..filter.clone() };
        let labor = app::oversight::build(&app.db, &adult_labor, utc(2026, 11, 9, 12), &app.freshness).await.unwrap();
        assert_eq!(labor.needs.table.cells[1], vec![Cell::Shown(0), Cell::Shown(5), Cell::Shown(0)], "only labor needs");
        assert_eq!(view.time_to_placement.table.cells[0][1], Cell::Shown(13), "all placements took 4 to 24 hours");
        for cell in view.needs.table.cells.iter().flatten() {
            assert!(!matches!(cell, Cell::Shown(n) if (1..5).contains(n)));
        }
    }

    async fn a_funder_downloads_a_csv_named_by_its_filters_and_cannot_see_per_need_records(app) {
        let funder = app.signed_in(Role::Funder, &[]).await;
        let response = app.client.get(format!("{}/oversight/export.csv?table=needs&from=2026-09-01&to=2026-11-28&family=housing", app.address))
            .header("cookie", format!("__Host-session={}", funder.cookie)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers().get("content-disposition").unwrap(), "attachment; filename=\"continuum-needs-2026-09-01_2026-11-28_statewide_all-victims_housing.csv\"");
        let csv = response.text().await.unwrap();
        assert!(csv.starts_with("\"\",\"Placed in region\",\"Not placed\",\"Placed outside region\",\"Total\""));
        for path in ["/api/my_needs", "/api/close_need", "/api/site_details", "/api/my_capacity"] {
            let status = app.call(path, Some(&funder), &[("need_id", "1"), ("site_id", "1"), ("close[outcome]", "withdrawn")]).await.status();
            assert_eq!(status, 403, "{path}");
        }
    }
}
