//! Server-rendered pages and the first server function, over HTTP.

use crate::both_backends;
use crate::helpers::TestApp;

async fn the_home_page_lists_the_nine_planning_regions_in_server_rendered_html(app: TestApp) {
    let (status, body) = app.get("/").await;
    assert_eq!(status, 200);
    for region in [
        "Capitol",
        "Greater Bridgeport",
        "Lower Connecticut River Valley",
        "Naugatuck Valley",
        "Northeastern Connecticut",
        "Northwest Hills",
        "South Central Connecticut",
        "Southeastern Connecticut",
        "Western Connecticut",
    ] {
        assert!(body.contains(&format!("{region} Planning Region")), "{region} missing");
    }
    assert!(body.contains("38 towns"), "Capitol has 38 towns");
    assert!(!body.contains("Loading regions"), "the page is complete without JavaScript");
}

async fn the_region_filter_works_as_a_plain_get_form(app: TestApp) {
    let (status, body) = app.get("/?q=valley").await;
    assert_eq!(status, 200);
    assert!(body.contains("Naugatuck Valley Planning Region"));
    assert!(body.contains("2 regions"));
}

async fn an_unknown_address_is_a_404_page(app: TestApp) {
    let (status, body) = app.get("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
}

async fn the_regions_server_function_answers_json(app: TestApp) {
    let response = app.client.post(format!("{}/api/regions", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let regions: Vec<app::domain::region::RegionSummary> = response.json().await.unwrap();
    assert_eq!(regions.len(), 9);
    assert_eq!(regions.iter().map(|r| r.town_count).sum::<i64>(), 169);
}

both_backends!(
    the_home_page_lists_the_nine_planning_regions_in_server_rendered_html,
    the_region_filter_works_as_a_plain_get_form,
    an_unknown_address_is_a_404_page,
    the_regions_server_function_answers_json,
);
