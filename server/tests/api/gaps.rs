//! The gap matrix on fixtures with known answers.

use app::domain::profile::{Eligibility, TraffickingTypes, VictimType};
use app::domain::region::RegionScheme;
use app::domain::taxonomy::CategoryFamily;
use app::store::gaps::gap_matrix;

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec, adults_only, minors_only, open_eligibility};
use crate::helpers::TestApp;

const NOW: i64 = 1_790_000_000;

async fn cells_count_fresh_free_units_and_show_stale_apart(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    // Naugatuck Valley: an adult labor-only shelter with 3 free, a stale open shelter, a minors' host home with 2.
    f.service(ServiceSpec {
        eligibility: Eligibility {
            age_groups: adults_only(),
            trafficking_types: TraffickingTypes::LABOR,
            ..open_eligibility()
        },
        ..ServiceSpec::housing("Waterbury", 6, 3)
    })
    .await;
    f.service(ServiceSpec { age_secs: 60 * 3600, ..ServiceSpec::housing("Shelton", 9, 9) }).await;
    f.service(ServiceSpec {
        category: "host_home",
        eligibility: Eligibility { age_groups: minors_only(), ..open_eligibility() },
        ..ServiceSpec::housing("Naugatuck", 2, 2)
    })
    .await;
    // Legal services do not count toward housing.
    f.service(ServiceSpec { category: "vacatur", ..ServiceSpec::housing("Waterbury", 9, 9) }).await;

    let rows = gap_matrix(&app.db, RegionScheme::Planning, CategoryFamily::Housing, NOW, &app.freshness).await.unwrap();
    assert_eq!(rows.len(), 9, "every region appears, empty ones included");
    let nv = rows.iter().find(|r| r.region_name == "Naugatuck Valley Planning Region").unwrap();
    assert_eq!(nv.cell(VictimType::AdultLabor).available, 3);
    assert_eq!(nv.cell(VictimType::AdultSex).available, 0);
    assert_eq!(nv.cell(VictimType::MinorSex).available, 2);
    assert_eq!(nv.cell(VictimType::MinorLabor).available, 2);
    for v in VictimType::ALL {
        assert_eq!(nv.cell(*v).unknown_services, 1, "the stale shelter serves everyone: unknown for {v:?}");
    }
    let capitol = rows.iter().find(|r| r.region_name == "Capitol Planning Region").unwrap();
    assert!(capitol.cells.iter().all(|c| c.available == 0 && c.unknown_services == 0));

    let counties =
        gap_matrix(&app.db, RegionScheme::County, CategoryFamily::Housing, NOW, &app.freshness).await.unwrap();
    assert_eq!(counties.len(), 8);
    let new_haven = counties.iter().find(|r| r.region_name == "New Haven County").unwrap();
    assert_eq!(new_haven.cell(VictimType::AdultLabor).available, 3, "Waterbury and Naugatuck are in New Haven County");
    let fairfield = counties.iter().find(|r| r.region_name == "Fairfield County").unwrap();
    assert_eq!(fairfield.cell(VictimType::AdultSex).unknown_services, 1, "Shelton is in Fairfield County");
}

async fn held_units_are_not_counted_as_free(app: TestApp) {
    // The wall clock, not NOW: the server's sweeper expires holds by real time.
    let now = chrono::Utc::now().timestamp();
    let f = Fixture::new(&app.db, now);
    let s = f.service(ServiceSpec::housing("Hartford", 4, 3)).await;
    app::store::holds::place(
        &app.db,
        s,
        app::domain::hold::HoldRequest::new(2, None).unwrap(),
        None,
        None,
        now,
        &app.freshness,
    )
    .await
    .unwrap()
    .unwrap();
    let rows = gap_matrix(&app.db, RegionScheme::Planning, CategoryFamily::Housing, now, &app.freshness).await.unwrap();
    let capitol = rows.iter().find(|r| r.region_name == "Capitol Planning Region").unwrap();
    assert_eq!(capitol.cell(VictimType::AdultSex).available, 1);
}

async fn funders_read_the_gap_matrix_and_map_as_the_public_does(app: TestApp) {
    // The attack: funders saw the exact small numbers that /public hides.
    let now = chrono::Utc::now().timestamp();
    let f = Fixture::new(&app.db, now);
    f.service(ServiceSpec::housing("Hartford", 4, 3)).await;
    f.service(ServiceSpec::housing("Waterbury", 20, 12)).await;
    let funder = app.signed_in(app::domain::account::Role::Funder, &[]).await;
    let coordinator = app.signed_in(app::domain::account::Role::Coordinator, &[]).await;
    let matrix = |session: &crate::accounts::Session| {
        let cookie = session.cookie.clone();
        let app = &app;
        async move {
            let response = app
                .client
                .post(format!("{}/api/gaps", app.address))
                .header("cookie", format!("__Host-session={cookie}"))
                .json(&serde_json::json!({"scheme": "planning", "family": "housing"}))
                .send()
                .await
                .unwrap();
            response.json::<Vec<app::domain::gaps::GapRow>>().await.unwrap()
        }
    };
    let capitol = |rows: Vec<app::domain::gaps::GapRow>| {
        rows.into_iter().find(|r| r.region_name.starts_with("Capitol")).unwrap().cell(VictimType::AdultSex)
    };
    assert_eq!(capitol(matrix(&coordinator).await).available, 3, "coordinators place people: they see every number");
    let published = capitol(matrix(&funder).await);
    assert!(published.hidden && published.available == 0, "{published:?}");
    let map = app
        .call(
            "/api/region_map",
            Some(&funder),
            &[("scheme", "planning"), ("family", "housing"), ("victim", "adult_sex")],
        )
        .await
        .text()
        .await
        .unwrap();
    let map: serde_json::Value = serde_json::from_str(&map).unwrap();
    let hidden = map["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["shape"]["name"].as_str().unwrap().starts_with("Capitol"))
        .unwrap();
    assert_eq!(hidden["hidden"], true);
    assert_eq!(hidden["available"], 0);
    // Funders cannot search, so their matrix and map link to no search.
    for page in ["/gaps?family=housing", "/map?family=housing"] {
        let funders = app.page(page, Some(&funder)).await.text().await.unwrap();
        assert!(funders.contains("Capitol") && !funders.contains("href=\"/search"), "{page}");
        let coordinators = app.page(page, Some(&coordinator)).await.text().await.unwrap();
        assert!(coordinators.contains("href=\"/search"), "{page}");
    }
}

both_backends!(
    cells_count_fresh_free_units_and_show_stale_apart,
    held_units_are_not_counted_as_free,
    funders_read_the_gap_matrix_and_map_as_the_public_does,
);
