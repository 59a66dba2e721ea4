//! Keeping the directory current over HTTP: administrators edit and retire organizations, provider admins
//! edit and retire sites and rename services or move them to a category an administrator added. Retiring
//! takes everything below it out of search at once and keeps its history; bad input changes nothing.

use app::api::AppError;
use app::domain::account::Role;
use app::domain::capacity::CapacityCounts;
use app::domain::profile::Eligibility;
use app::domain::search::{SearchPage, SearchQuery};
use app::domain::taxonomy::CategoryCode;

use crate::both_backends;
use crate::fixtures::{Fixture, Owned, ServiceSpec};
use crate::helpers::TestApp;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The services a coordinator finds statewide, stale ones included.
async fn found(app: &TestApp) -> Vec<i64> {
    let q = SearchQuery { page: 1, page_size: 100, include_stale: true, ..SearchQuery::default() };
    app::store::search::search(&app.db, &q, now(), &app.freshness)
        .await
        .unwrap()
        .hits
        .iter()
        .map(|h| h.service_id)
        .collect()
}

/// A second service at the fixture's site.
async fn second_service(app: &TestApp, at: &Owned) -> i64 {
    let category = CategoryCode::parse("case_management").unwrap();
    let service = app::store::providers::NewService {
        site_id: at.site,
        category: &category,
        name: "Case management",
        eligibility: &Eligibility::everyone(),
        counts: CapacityCounts::new(5, 3, 0).unwrap(),
        accepting_referrals: true,
    };
    app::store::providers::create_service(&app.db, &service, None, now()).await.unwrap()
}

async fn error_of(response: reqwest::Response) -> (u16, AppError) {
    let status = response.status().as_u16();
    (status, response.json::<AppError>().await.unwrap())
}

async fn an_administrator_retires_an_organization_and_all_its_services_leave_search_at_once(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    let theirs = f.owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    let other = f.owned(ServiceSpec::housing("Norwich", 4, 2)).await;
    let second = second_service(&app, &theirs).await;
    let admin = app.signed_in(Role::Administrator, &[]).await;
    let provider = app.signed_in(Role::ProviderAdmin, &[theirs.organization]).await;
    let org = theirs.organization.to_string();

    let unconfirmed = app.call("/api/admin_retire_organization", Some(&admin), &[("organization_id", &org)]).await;
    assert_eq!(error_of(unconfirmed).await, (422, AppError::ConfirmRetire), "retiring asks for its confirmation");
    assert!(found(&app).await.contains(&second), "and changed nothing");
    let by_provider = app
        .call("/api/admin_retire_organization", Some(&provider), &[("organization_id", &org), ("confirm", "on")])
        .await;
    assert_eq!(by_provider.status(), 403, "only administrators retire organizations");

    let confirmed = [("organization_id", org.as_str()), ("confirm", "on")];
    assert_eq!(app.call("/api/admin_retire_organization", Some(&admin), &confirmed).await.status(), 200);
    let now_found = found(&app).await;
    assert!(!now_found.contains(&theirs.service) && !now_found.contains(&second), "every service left search");
    assert!(now_found.contains(&other.service), "other organizations stay");
    assert!(app::store::providers::owned_services(&app.db, &[theirs.organization]).await.unwrap().is_empty());
    assert!(app::store::sites::of_organizations(&app.db, &[theirs.organization]).await.unwrap().is_empty());
    let choices: app::api::directory::DirectoryOptions =
        app.call("/api/directory_choices", Some(&provider), &[]).await.json().await.unwrap();
    assert!(choices.organizations.is_empty() && choices.sites.is_empty(), "nothing retired is offered to add to");
    let history = app::store::capacity::history(&app.db, theirs.service, 10).await.unwrap();
    assert!(!history.is_empty(), "history is kept");

    let again = app.call("/api/admin_retire_organization", Some(&admin), &confirmed).await;
    assert_eq!(error_of(again).await, (409, AppError::Retired));
    let hartford = app::store::regions::town_id(&app.db, "Hartford").await.unwrap().unwrap().to_string();
    let site_form = [("organization_id", org.as_str()), ("name", "New house"), ("town_id", hartford.as_str())];
    let add = app.call("/api/add_site", Some(&provider), &site_form).await;
    assert_eq!(error_of(add).await, (409, AppError::Retired), "a retired organization takes no new sites");
    let edit =
        app.call("/api/admin_edit_organization", Some(&admin), &[("organization_id", &org), ("name", "X")]).await;
    assert_eq!(error_of(edit).await, (409, AppError::Retired));
    let audit = app::store::audit::list(&app.db, Some("organization.retire"), 5).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].new_value.as_deref(), Some("sites=1 services=2"));
    assert_eq!(audit[0].actor_id, Some(admin.user_id));
}

async fn a_provider_admin_retires_a_site_and_its_services_take_no_more_changes(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    let mine = f.owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    let theirs = f.owned(ServiceSpec::housing("Norwich", 4, 2)).await;
    let second = second_service(&app, &mine).await;
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let their_site = theirs.site.to_string();
    let other = app.call("/api/retire_site", Some(&admin), &[("site_id", &their_site), ("confirm", "on")]).await;
    assert_eq!(other.status(), 403, "not another organization's site");
    let site = mine.site.to_string();
    let by_staff = app.call("/api/retire_site", Some(&staff), &[("site_id", &site), ("confirm", "on")]).await;
    assert_eq!(by_staff.status(), 403, "staff update counts; admins retire sites");
    assert_eq!(
        app.call("/api/retire_site", Some(&admin), &[("site_id", &site), ("confirm", "on")]).await.status(),
        200
    );

    let now_found = found(&app).await;
    assert!(!now_found.contains(&mine.service) && !now_found.contains(&second));
    assert!(now_found.contains(&theirs.service));
    let update = [("service_id", &*second.to_string()), ("version", "1"), ("total", "5"), ("available", "5")];
    let refused = app.call("/api/update_capacity", Some(&staff), &update).await;
    assert_eq!(error_of(refused).await, (409, AppError::Retired), "its services take no more changes");
    let service_form = [
        ("site_id", site.as_str()),
        ("category", "safe_house"),
        ("name", "More beds"),
        ("total", "1"),
        ("available", "1"),
    ];
    let add = app.call("/api/add_service", Some(&admin), &service_form).await;
    assert_eq!(error_of(add).await, (409, AppError::Retired), "a retired site takes no new services");
    let audit = app::store::audit::list(&app.db, Some("site.retire"), 5).await.unwrap();
    assert_eq!(audit[0].new_value.as_deref(), Some("sites=0 services=2"));
}

async fn a_service_moves_to_a_category_an_administrator_added_and_is_found_under_it(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    let administrator = app.signed_in(Role::Administrator, &[]).await;
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let category = [
        ("code", "youth_drop_in"),
        ("family", "housing"),
        ("name", "Youth drop-in bed"),
        ("unit", "bed"),
        ("taxonomy_term", "<script>"),
    ];
    let bad_term = app.call("/api/admin_add_category", Some(&administrator), &category).await;
    assert_eq!(error_of(bad_term).await, (422, AppError::TaxonomyTerm));
    let mut category = category.to_vec();
    category[4].1 = "BH-1800.1900";
    assert_eq!(app.call("/api/admin_add_category", Some(&administrator), &category).await.status(), 200);
    let listed: Vec<app::api::views::CategoryView> = app.call("/api/categories", None, &[]).await.json().await.unwrap();
    let added = listed.iter().find(|c| c.code == "youth_drop_in").expect("the taxonomy lists it");
    assert_eq!(added.taxonomy_term.as_deref(), Some("BH-1800.1900"));

    let id = mine.service.to_string();
    for (form, expected) in [
        (vec![("name", "Beds"), ("category", "spa_day")], AppError::Category),
        (vec![("name", " "), ("category", "youth_drop_in")], AppError::ServiceName),
    ] {
        let mut form = form.clone();
        form.push(("service_id", id.as_str()));
        assert_eq!(error_of(app.call("/api/edit_service", Some(&admin), &form).await).await, (422, expected));
    }
    let unchanged = app::store::providers::owned_service(&app.db, mine.service).await.unwrap().unwrap();
    assert_eq!(unchanged.category, "safe_house", "bad input changed nothing");
    let form = [("service_id", id.as_str()), ("name", "Drop-in beds"), ("category", "youth_drop_in")];
    assert_eq!(app.call("/api/edit_service", Some(&admin), &form).await.status(), 200);

    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let categories = vec![CategoryCode::parse("youth_drop_in").unwrap()];
    let query = SearchQuery { categories, include_stale: true, page: 1, page_size: 20, ..SearchQuery::default() };
    let page: SearchPage =
        crate::coordinator::search(&app, &coordinator, serde_json::json!(query)).await.json().await.unwrap();
    assert_eq!(page.hits.len(), 1, "found under its new category");
    assert_eq!(
        (page.hits[0].service_name.as_str(), page.hits[0].category_name.as_str()),
        ("Drop-in beds", "Youth drop-in bed")
    );
    let audit = app::store::audit::list(&app.db, Some("service.edit"), 5).await.unwrap();
    assert_eq!(audit[0].old_value.as_deref(), Some("category=safe_house"));

    // A need for the new category is recorded, and oversight counts it in the family the database gives it.
    let regions = app::store::regions::summaries(&app.db, app::domain::region::RegionScheme::Planning).await.unwrap();
    let region = regions[0].id.to_string();
    let need = [
        ("need[region]", region.as_str()),
        ("need[age]", "minor"),
        ("need[type]", "sex"),
        ("need[urgency]", "urgent"),
        ("need[category_youth_drop_in]", "on"),
    ];
    assert_eq!(app.call("/api/record_need", Some(&coordinator), &need).await.status(), 200);
    let facts = app::store::series::need_facts(&app.db, now() - 60, now() + 60).await.unwrap();
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].families, vec![app::domain::taxonomy::CategoryFamily::Housing]);
}

async fn an_administrator_edits_an_organization_and_a_provider_admin_edits_a_site(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    let mine = f.owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    let theirs = f.owned(ServiceSpec::housing("Norwich", 4, 2)).await;
    let administrator = app.signed_in(Role::Administrator, &[]).await;
    let org = mine.organization.to_string();
    let taken = app::store::organizations::organization(&app.db, theirs.organization).await.unwrap().unwrap().name;
    for (form, expected) in [
        (vec![("name", taken.as_str())], (409, AppError::Taken)),
        (vec![("name", "Harbor"), ("website", "javascript:alert(1)")], (422, AppError::Website)),
        (vec![("name", "Harbor"), ("phone", "call us")], (422, AppError::Phone)),
        (vec![("name", "")], (422, AppError::OrganizationName)),
    ] {
        let mut form = form.clone();
        form.push(("organization_id", org.as_str()));
        let response = app.call("/api/admin_edit_organization", Some(&administrator), &form).await;
        assert_eq!(error_of(response).await, expected, "{form:?}");
    }
    let form = [
        ("organization_id", org.as_str()),
        ("name", "Harbor Network"),
        ("website", "https://harbor.example.org"),
        ("phone", "860-555-0111"),
        ("verified", "on"),
    ];
    assert_eq!(app.call("/api/admin_edit_organization", Some(&administrator), &form).await.status(), 200);
    let edited = app::store::organizations::organization(&app.db, mine.organization).await.unwrap().unwrap();
    assert_eq!(
        (edited.name.as_str(), edited.website.as_deref()),
        ("Harbor Network", Some("https://harbor.example.org"))
    );

    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let site = mine.site.to_string();
    let new_haven = app::store::regions::town_id(&app.db, "New Haven").await.unwrap().unwrap().to_string();
    let long_hours = "9".repeat(121);
    let too_long = [("site_id", site.as_str()), ("name", "Main"), ("town_id", &new_haven), ("hours", &long_hours)];
    assert_eq!(error_of(app.call("/api/edit_site", Some(&admin), &too_long).await).await, (422, AppError::Hours));
    let no_town = [("site_id", site.as_str()), ("name", "Main"), ("town_id", "999999")];
    assert_eq!(error_of(app.call("/api/edit_site", Some(&admin), &no_town).await).await, (422, AppError::Town));
    let form = [("site_id", site.as_str()), ("name", "Main"), ("town_id", &new_haven), ("hours", "24/7")];
    assert_eq!(app.call("/api/edit_site", Some(&admin), &form).await.status(), 200);
    let details = app::store::sites::site_details(&app.db, mine.site, admin.user_id, now()).await.unwrap().unwrap();
    assert_eq!((details.town.as_str(), details.hours.as_deref()), ("New Haven", Some("24/7")));
    let page: SearchPage = {
        let coordinator = app.signed_in(Role::Coordinator, &[]).await;
        let q = SearchQuery { page: 1, page_size: 50, include_stale: true, ..SearchQuery::default() };
        crate::coordinator::search(&app, &coordinator, serde_json::json!(q)).await.json().await.unwrap()
    };
    let hit = page.hits.iter().find(|h| h.service_id == mine.service).unwrap();
    assert_eq!(hit.town, "New Haven", "search follows the site to its new town");
}

both_backends!(
    an_administrator_retires_an_organization_and_all_its_services_leave_search_at_once,
    a_provider_admin_retires_a_site_and_its_services_take_no_more_changes,
    a_service_moves_to_a_category_an_administrator_added_and_is_found_under_it,
    an_administrator_edits_an_organization_and_a_provider_admin_edits_a_site,
);
