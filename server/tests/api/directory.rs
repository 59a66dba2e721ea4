//! The directory: a provider admin adds a site and a service to their own organization, over HTTP; bad input
//! is refused by its code and writes nothing; nobody adds to another organization; a retired service leaves
//! search, the matrix and later totals, keeps its history and takes no changes.

use app::api::AppError;
use app::domain::account::Role;
use app::domain::search::SearchQuery;

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

const CANARY: &str = "CANARY-DIRECTORY 7 Hidden Way";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn count(app: &TestApp, table: &'static str) -> i64 {
    let sql = match table {
        "sites" => "SELECT COUNT(*) FROM sites",
        "services" => "SELECT COUNT(*) FROM services",
        _ => unreachable!("a table this test counts"),
    };
    let (n,): (i64,) = app::store::query(sql).fetch_one(&app.db).await.unwrap();
    n
}

async fn town(app: &TestApp, name: &str) -> String {
    app::store::regions::town_id(&app.db, name).await.unwrap().expect("a Connecticut town").to_string()
}

async fn a_provider_admin_adds_a_confidential_site_and_a_service_that_coordinators_find_by_town_only(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 2, 1)).await;
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let new_haven = town(&app, "New Haven").await;
    let organization = mine.organization.to_string();
    let site = app
        .call(
            "/api/add_site",
            Some(&admin),
            &[
                ("organization_id", organization.as_str()),
                ("name", "Harbor House"),
                ("town_id", new_haven.as_str()),
                ("street_address", CANARY),
                ("confidential", "on"),
                ("intake_phone", "203-555-0100"),
            ],
        )
        .await;
    assert_eq!(site.status(), 200);
    let site: i64 = site.json().await.unwrap();
    let service = app
        .call(
            "/api/add_service",
            Some(&admin),
            &[
                ("site_id", &site.to_string()),
                ("category", "safe_house"),
                ("name", "Harbor House beds"),
                ("total", "6"),
                ("available", "2"),
                ("accepting", "on"),
            ],
        )
        .await;
    assert_eq!(service.status(), 200);
    let service: i64 = service.json().await.unwrap();

    let snapshot = app::store::capacity::snapshot(&app.db, service, now(), &app.freshness).await.unwrap();
    assert_eq!((snapshot.total, snapshot.available, snapshot.on_hold), (6, 2, 0), "the counts typed, fresh");
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let query = SearchQuery { available_now: true, page: 1, page_size: 50, ..SearchQuery::default() };
    let found = crate::coordinator::search(&app, &coordinator, serde_json::json!(query)).await.text().await.unwrap();
    let page: app::domain::search::SearchPage = serde_json::from_str(&found).unwrap();
    let hit = page.hits.iter().find(|h| h.service_id == service).expect("the new service is found at once");
    assert_eq!((hit.town.as_str(), hit.available), ("New Haven", Some(2)));
    assert!(!found.contains("CANARY"), "a confidential address never reaches a coordinator");

    let audit = app::store::audit::list(&app.db, None, 20).await.unwrap();
    for action in ["site.create", "service.create"] {
        let entry = audit.iter().find(|a| a.action == action).unwrap_or_else(|| panic!("{action} is audited"));
        assert_eq!(entry.actor_id, Some(admin.user_id));
    }
    assert!(!format!("{audit:?}").contains("CANARY"), "the audit names the site, not its address");
}

async fn bad_directory_input_is_refused_by_its_code_and_writes_nothing(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 2, 1)).await;
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let (sites, services) = (count(&app, "sites").await, count(&app, "services").await);
    let organization = mine.organization.to_string();
    let hartford = town(&app, "Hartford").await;
    for (form, expected) in [
        (vec![("name", ""), ("town_id", hartford.as_str())], AppError::SiteName),
        (vec![("name", "A house"), ("town_id", "999999")], AppError::Town),
        (vec![("name", "A house"), ("town_id", hartford.as_str()), ("intake_phone", "call me")], AppError::Phone),
    ] {
        let mut form = form.clone();
        form.push(("organization_id", organization.as_str()));
        let response = app.call("/api/add_site", Some(&admin), &form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        assert_eq!(response.json::<AppError>().await.unwrap(), expected, "{form:?}");
    }
    let site = mine.site.to_string();
    for (form, expected) in [
        (vec![("category", "safe_house"), ("name", " "), ("total", "2"), ("available", "1")], AppError::ServiceName),
        (vec![("category", "spa_day"), ("name", "Beds"), ("total", "2"), ("available", "1")], AppError::Category),
        (
            vec![("category", "safe_house"), ("name", "Beds"), ("total", "2"), ("available", "3")],
            AppError::ServiceCounts,
        ),
        (
            vec![("category", "safe_house"), ("name", "Beds"), ("total", "two"), ("available", "1")],
            AppError::ServiceCounts,
        ),
    ] {
        let mut form = form.clone();
        form.push(("site_id", site.as_str()));
        let response = app.call("/api/add_service", Some(&admin), &form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        assert_eq!(response.json::<AppError>().await.unwrap(), expected, "{form:?}");
    }
    assert_eq!((count(&app, "sites").await, count(&app, "services").await), (sites, services), "nothing written");
}

async fn nobody_adds_a_site_or_service_to_another_organization(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    let theirs = f.owned(ServiceSpec::housing("Hartford", 2, 1)).await;
    let mine = f.owned(ServiceSpec::housing("Norwich", 2, 1)).await;
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let staff = app.signed_in(Role::ProviderStaff, &[theirs.organization]).await;
    let (sites, services) = (count(&app, "sites").await, count(&app, "services").await);
    let hartford = town(&app, "Hartford").await;
    let their_org = theirs.organization.to_string();
    let their_site = theirs.site.to_string();
    let site_form = [("organization_id", their_org.as_str()), ("name", "Ours now"), ("town_id", hartford.as_str())];
    let service_form = [
        ("site_id", their_site.as_str()),
        ("category", "safe_house"),
        ("name", "Ours"),
        ("total", "1"),
        ("available", "1"),
    ];
    for session in [&admin, &staff] {
        assert_eq!(app.call("/api/add_site", Some(session), &site_form).await.status(), 403);
        assert_eq!(app.call("/api/add_service", Some(session), &service_form).await.status(), 403);
    }
    assert_eq!((count(&app, "sites").await, count(&app, "services").await), (sites, services), "nothing written");
    let denials = app::store::audit::list(&app.db, Some("authorization.denied"), 10).await.unwrap();
    assert!(denials.iter().any(|d| d.actor_id == Some(admin.user_id)), "the attempt is audited");
}

async fn a_retired_service_leaves_search_the_matrix_and_later_totals_and_takes_no_changes(app: TestApp) {
    use app::domain::region::RegionScheme;
    use app::domain::series::Bucket;
    use app::domain::taxonomy::CategoryFamily;
    // Created on a Monday, retired the next Monday: the first week counts it, the second does not.
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let created = monday.and_hms_opt(15, 0, 0).unwrap().and_utc().timestamp();
    let retired = created + 7 * 86_400;
    let mine = Fixture::new(&app.db, created).owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let id = mine.service.to_string();
    assert_eq!(app.call("/api/retire_service", Some(&staff), &[("service_id", &id)]).await.status(), 403);

    let series = |db: app::store::Db| async move {
        let to = monday + chrono::Days::new(13);
        let weeks = app::store::series::capacity_series(
            &db,
            RegionScheme::Planning,
            monday,
            to,
            Bucket::Week,
            &app::domain::freshness::FreshnessPolicy::default(),
            now(),
        )
        .await
        .unwrap();
        let services_in = |week: chrono::NaiveDate| {
            weeks
                .iter()
                .filter(|((w, _, f), _)| *w == week && *f == CategoryFamily::Housing)
                .map(|(_, p)| p.services)
                .sum::<i64>()
        };
        (services_in(monday), services_in(monday + chrono::Days::new(7)))
    };
    assert_eq!(series(app.db.clone()).await, (1, 1), "before retiring, both weeks count it");
    app::store::directory::retire_service(&app.db, mine.service, admin.user_id, retired).await.unwrap().unwrap();
    assert_eq!(series(app.db.clone()).await, (1, 0), "its history stays; from that moment it counts no more");

    let q = SearchQuery { page: 1, page_size: 50, include_stale: true, ..SearchQuery::default() };
    let found = app::store::search::search(&app.db, &q, now(), &app.freshness).await.unwrap();
    assert!(found.hits.iter().all(|h| h.service_id != mine.service), "gone from search");
    let matrix =
        app::store::gaps::gap_matrix(&app.db, RegionScheme::Planning, CategoryFamily::Housing, now(), &app.freshness)
            .await
            .unwrap();
    assert!(matrix.iter().all(|r| r.cells.iter().all(|c| c.unknown_services == 0)), "and from the matrix");
    let update = [("service_id", id.as_str()), ("version", "1"), ("total", "5"), ("available", "5")];
    let refused = app.call("/api/update_capacity", Some(&staff), &update).await;
    assert_eq!(refused.status(), 409);
    assert_eq!(refused.json::<AppError>().await.unwrap(), AppError::Retired);
    let again = app.call("/api/retire_service", Some(&admin), &[("service_id", &id)]).await;
    assert_eq!(again.json::<AppError>().await.unwrap(), AppError::Retired, "retiring twice changes nothing");
    let mine_now = app::store::providers::owned_services(&app.db, &[mine.organization]).await.unwrap();
    assert!(mine_now.is_empty(), "and gone from the provider's own list");
    let audit = app::store::audit::list(&app.db, Some("service.retire"), 10).await.unwrap();
    assert_eq!(audit.len(), 1);
}

async fn a_provider_admin_retires_a_service_over_http_and_it_leaves_search_at_once(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let id = mine.service.to_string();
    assert_eq!(app.call("/api/retire_service", Some(&admin), &[("service_id", &id)]).await.status(), 200);
    let q = SearchQuery { page: 1, page_size: 50, include_stale: true, ..SearchQuery::default() };
    let found = app::store::search::search(&app.db, &q, now(), &app.freshness).await.unwrap();
    assert!(found.hits.iter().all(|h| h.service_id != mine.service));
    let s = app::store::capacity::snapshot(&app.db, mine.service, now(), &app.freshness).await.unwrap();
    assert_eq!((s.total, s.available), (4, 2), "its last counts stay in its history");
}

both_backends!(
    a_retired_service_leaves_search_the_matrix_and_later_totals_and_takes_no_changes,
    a_provider_admin_retires_a_service_over_http_and_it_leaves_search_at_once,
    a_provider_admin_adds_a_confidential_site_and_a_service_that_coordinators_find_by_town_only,
    bad_directory_input_is_refused_by_its_code_and_writes_nothing,
    nobody_adds_a_site_or_service_to_another_organization,
);
