//! The coordinator workflow through its server functions: search (with "near"), holds racing for the last
//! bed, needs as profiles only, alerts, confidential addresses kept out of every answer, and live updates
//! across two instances.

use std::time::Duration;

use app::api::coordinator::HoldResult;
use app::domain::account::Role;
use app::domain::region::RegionScheme;
use app::domain::search::SearchPage;
use app::store::regions;
use futures_util::StreamExt;

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;
use crate::helpers::{Backend, second_instance, spawn_app};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn region(app: &crate::helpers::TestApp, name: &str) -> i64 {
    regions::summaries(&app.db, RegionScheme::Planning).await.unwrap().into_iter().find(|r| r.name == name).unwrap().id
}

/// `POST /api/search` with `query` (JSON), as `session`.
pub(crate) async fn search(
    app: &crate::helpers::TestApp,
    session: &crate::accounts::Session,
    query: serde_json::Value,
) -> reqwest::Response {
    app.client
        .post(format!("{}/api/search", app.address))
        .header("cookie", format!("__Host-session={}", session.cookie))
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await
        .unwrap()
}

fn query(regions: &[i64], near: bool) -> serde_json::Value {
    serde_json::json!({
        "scheme": "planning", "region_ids": regions, "profile": { "age_group": null, "trafficking_type": null, "gender": null,
        "household_size": null, "languages": [], "wheelchair": false, "pets": false }, "categories": [], "family": null,
        "available_now": false, "include_stale": false, "near": near, "page": 1, "page_size": 50
    })
}

async fn near_adds_the_bordering_regions(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    f.service(ServiceSpec::housing("Waterbury", 4, 2)).await;
    f.service(ServiceSpec::housing("Bridgeport", 4, 2)).await;
    f.service(ServiceSpec::housing("Putnam", 4, 2)).await;
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let naugatuck = region(&app, "Naugatuck Valley Planning Region").await;
    let only: SearchPage = search(&app, &coordinator, query(&[naugatuck], false)).await.json().await.unwrap();
    let near: SearchPage = search(&app, &coordinator, query(&[naugatuck], true)).await.json().await.unwrap();
    assert_eq!(only.total_found, 1);
    assert_eq!(near.total_found, 2, "Bridgeport borders Naugatuck Valley; Putnam does not");
}

async fn near_works_for_counties_too_and_the_map_draws_them(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    let vernon = f.service(ServiceSpec::housing("Vernon", 4, 2)).await;
    let hartford = f.service(ServiceSpec::housing("Hartford", 4, 2)).await;
    f.service(ServiceSpec::housing("Bridgeport", 4, 2)).await;
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let counties = regions::summaries(&app.db, RegionScheme::County).await.unwrap();
    let tolland = counties.iter().find(|r| r.name == "Tolland County").unwrap().id;
    let in_county = |near: bool| {
        let mut q = query(&[tolland], near);
        q["scheme"] = "county".into();
        q
    };
    let only: SearchPage = search(&app, &coordinator, in_county(false)).await.json().await.unwrap();
    let near: SearchPage = search(&app, &coordinator, in_county(true)).await.json().await.unwrap();
    assert_eq!(only.hits.iter().map(|h| h.service_id).collect::<Vec<_>>(), vec![vernon], "Vernon is in Tolland");
    let mut found: Vec<i64> = near.hits.iter().map(|h| h.service_id).collect();
    found.sort_unstable();
    assert_eq!(found, vec![vernon, hartford], "Hartford County borders Tolland; Fairfield County does not");

    let form = [("scheme", "county"), ("family", "housing"), ("victim", "adult_sex")];
    let map: app::api::map::MapView =
        app.call("/api/region_map", Some(&coordinator), &form).await.json().await.unwrap();
    let names: Vec<&str> = map.regions.iter().map(|r| r.shape.name.as_str()).collect();
    assert_eq!(names.len(), 8, "{names:?}");
    let shaded = map.regions.iter().find(|r| r.shape.name == "Tolland County").unwrap();
    assert_eq!((shaded.region_id, shaded.available), (tolland, 2));
}

async fn two_coordinators_racing_for_the_last_bed_get_one_hold_and_one_clear_refusal(app: TestApp) {
    let s = Fixture::new(&app.db, now()).service(ServiceSpec::housing("Hartford", 4, 1)).await.to_string();
    let a = app.signed_in(Role::Coordinator, &[]).await;
    let b = app.signed_in(Role::Coordinator, &[]).await;
    let form = [("service_id", s.as_str()), ("units", "1")];
    let (ra, rb) =
        tokio::join!(app.call("/api/place_hold", Some(&a), &form), app.call("/api/place_hold", Some(&b), &form));
    let results: Vec<HoldResult> = vec![ra.json().await.unwrap(), rb.json().await.unwrap()];
    assert_eq!(results.iter().filter(|r| matches!(r, HoldResult::Held { .. })).count(), 1, "{results:?}");
    let refusal = results
        .iter()
        .find_map(|r| match r {
            HoldResult::Refused { reason, .. } => Some(reason.message()),
            _ => None,
        })
        .unwrap();
    assert!(refusal.contains("No longer available"), "{refusal}");
}

async fn needs_are_profiles_and_anything_else_is_refused(app: TestApp) {
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let region = region(&app, "Capitol Planning Region").await.to_string();
    let base = vec![
        ("need[region]", region.as_str()),
        ("need[age]", "minor"),
        ("need[type]", "labor"),
        ("need[urgency]", "emergency"),
        ("need[category_host_home]", "on"),
    ];
    let mut with_name = base.clone();
    with_name.push(("need[name]", "Jane Doe"));
    assert_eq!(app.call("/api/record_need", Some(&coordinator), &with_name).await.status(), 422);
    let (count,): (i64,) = app::store::query("SELECT COUNT(*) FROM needs").fetch_one(&app.db).await.unwrap();
    assert_eq!(count, 0, "nothing was saved");
    let id: i64 = app.call("/api/record_need", Some(&coordinator), &base).await.json().await.unwrap();
    let id = id.to_string();
    let no_reason = app
        .call("/api/close_need", Some(&coordinator), &[("need_id", id.as_str()), ("close[outcome]", "not_placed")])
        .await;
    assert_eq!(no_reason.status(), 422);
    let closed = app
        .call(
            "/api/close_need",
            Some(&coordinator),
            &[("need_id", id.as_str()), ("close[outcome]", "not_placed"), ("close[reason_no_capacity]", "on")],
        )
        .await;
    assert_eq!(closed.status(), 200);
    let other = app.signed_in(Role::Coordinator, &[]).await;
    let theirs =
        app.call("/api/close_need", Some(&other), &[("need_id", id.as_str()), ("close[outcome]", "withdrawn")]).await;
    assert_eq!(theirs.status(), 403);
}

async fn a_need_recorded_by_town_keeps_its_planning_region_and_county_but_not_the_town(app: TestApp) {
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let shelton = regions::town_id(&app.db, "Shelton").await.unwrap().unwrap().to_string();
    let form = [
        ("need[town]", shelton.as_str()),
        ("need[age]", "adult"),
        ("need[type]", "sex"),
        ("need[urgency]", "urgent"),
        ("need[category_safe_house]", "on"),
    ];
    let id: i64 = app.call("/api/record_need", Some(&coordinator), &form).await.json().await.unwrap();
    let (planning, county): (String, String) = app::store::query(
        "SELECT r.name, c.name FROM needs n JOIN regions r ON r.id = n.region_id JOIN regions c ON c.id = n.county_id
         WHERE n.id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((planning.as_str(), county.as_str()), ("Naugatuck Valley Planning Region", "Fairfield County"));
    let town_columns: (i64,) = match &app.db {
        app::store::Db::Sqlite { .. } => {
            app::store::query("SELECT COUNT(*) FROM pragma_table_info('needs') WHERE name LIKE '%town%'")
        }
        app::store::Db::Postgres(_) => app::store::query(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'needs' AND column_name LIKE '%town%'",
        ),
    }
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(town_columns.0, 0, "the town is not kept");
    let missing = [("need[age]", "adult"), ("need[type]", "sex"), ("need[urgency]", "urgent")];
    let refused = app.call("/api/record_need", Some(&coordinator), &missing).await;
    assert_eq!(refused.status(), 422);
    let error = refused.json::<app::api::AppError>().await.unwrap();
    assert_eq!(error, app::api::AppError::NeedFields, "neither town nor region");
    assert!(error.message().starts_with("Choose a town (or, if it is not known, a planning region)"));
}

async fn a_saved_alert_notifies_when_matching_fresh_capacity_appears(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Norwich", 5, 0)).await;
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let region = region(&app, "Southeastern Connecticut Planning Region").await;
    let q = format!("region={region}&family=housing");
    assert_eq!(app.call("/api/save_alert", Some(&coordinator), &[("query", q.as_str())]).await.status(), 200);
    let mut events = app.open_events(&coordinator).await.bytes_stream();
    crate::hardening::read_until(&mut events, "resync").await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let id = mine.service.to_string();
    app.call(
        "/api/update_capacity",
        Some(&staff),
        &[("service_id", id.as_str()), ("version", "1"), ("total", "5"), ("available", "2"), ("accepting", "on")],
    )
    .await;
    // Alerts are matched after the save has answered; the `alert` event says they are in.
    crate::hardening::read_until(&mut events, "event: alert").await;
    let notes: Vec<app::api::coordinator::NotificationView> =
        app.call("/api/my_notifications", Some(&coordinator), &[]).await.json().await.unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].what.contains("Norwich"));
}

async fn confidential_addresses_never_reach_search_gaps_map_or_events(app: TestApp) {
    let canary = "CANARY-4471 Quiet Hollow Road";
    let mine = Fixture::new(&app.db, now())
        .owned(ServiceSpec { confidential_address: Some(canary), ..ServiceSpec::housing("Hartford", 5, 2) })
        .await;
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let mut stream = app
        .client
        .get(format!("{}/events", app.address))
        .header("cookie", format!("__Host-session={}", coordinator.cookie))
        .send()
        .await
        .unwrap()
        .bytes_stream();
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let id = mine.service.to_string();
    app.call(
        "/api/update_capacity",
        Some(&staff),
        &[("service_id", id.as_str()), ("version", "1"), ("total", "5"), ("available", "3"), ("accepting", "on")],
    )
    .await;
    let mut events = String::new();
    while !events.contains("event: capacity") {
        let chunk = tokio::time::timeout(Duration::from_secs(2), stream.next())
            .await
            .expect("an event within 2 s")
            .unwrap()
            .unwrap();
        events.push_str(&String::from_utf8_lossy(&chunk));
    }
    let search = search(&app, &coordinator, query(&[], false)).await.text().await.unwrap();
    let gaps = app
        .client
        .post(format!("{}/api/gaps", app.address))
        .header("cookie", format!("__Host-session={}", coordinator.cookie))
        .json(&serde_json::json!({"scheme": "planning", "family": "housing"}))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let map = app
        .client
        .post(format!("{}/api/region_map", app.address))
        .header("cookie", format!("__Host-session={}", coordinator.cookie))
        .form(&[("scheme", "county"), ("family", "housing"), ("victim", "adult_sex")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let page = app.page("/search", Some(&coordinator)).await.text().await.unwrap();
    assert!(search.contains("Hartford"), "the town is shown");
    for (what, body) in
        [("search", &search), ("gaps", &gaps), ("map", &map), ("events", &events), ("search page", &page)]
    {
        assert!(!body.contains("CANARY-4471"), "{what} leaked the confidential address");
    }
}

both_backends!(
    near_adds_the_bordering_regions,
    near_works_for_counties_too_and_the_map_draws_them,
    two_coordinators_racing_for_the_last_bed_get_one_hold_and_one_clear_refusal,
    needs_are_profiles_and_anything_else_is_refused,
    a_need_recorded_by_town_keeps_its_planning_region_and_county_but_not_the_town,
    a_saved_alert_notifies_when_matching_fresh_capacity_appears,
    confidential_addresses_never_reach_search_gaps_map_or_events,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_instance_a_reaches_a_live_page_served_by_instance_b() {
    let Some(a) = spawn_app(Backend::Postgres).await else { return };
    let b = second_instance(&a).await;
    let mine = Fixture::new(&a.db, now()).owned(ServiceSpec::housing("Hartford", 5, 2)).await;
    let coordinator = b.signed_in(Role::Coordinator, &[]).await;
    let mut stream = b
        .client
        .get(format!("{}/events", b.address))
        .header("cookie", format!("__Host-session={}", coordinator.cookie))
        .send()
        .await
        .unwrap()
        .bytes_stream();
    // The stream opens with a resync; wait for it so the listener is in place.
    let first = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("resync"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let staff = a.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let id = mine.service.to_string();
    let started = std::time::Instant::now();
    a.call(
        "/api/update_capacity",
        Some(&staff),
        &[("service_id", id.as_str()), ("version", "1"), ("total", "5"), ("available", "4"), ("accepting", "on")],
    )
    .await;
    let mut seen = String::new();
    while !seen.contains(&format!("\"service_id\":{id}")) {
        let chunk = tokio::time::timeout(Duration::from_secs(2), stream.next())
            .await
            .expect("the change reaches instance B")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(started.elapsed() < Duration::from_secs(1), "within a second: {:?}", started.elapsed());
}

#[tokio::test]
async fn the_event_stream_needs_a_session() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    let response = app.client.get(format!("{}/events", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 401);
}
