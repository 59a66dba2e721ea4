//! Search on hand-built fixtures with known answers: eligibility edge cases, stale exclusion, regions in
//! either scheme, sorting and paging. Results never carry a street address.

use app::domain::profile::{AgeGroup, Gender, Genders, LanguageCode, ProfileFilter, TraffickingType, TraffickingTypes};
use app::domain::region::RegionScheme;
use app::domain::search::{SearchPage, SearchQuery};
use app::domain::taxonomy::{CategoryCode, CategoryFamily};
use app::store::{regions, search};

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec, adults_only, minors_only, open_eligibility};
use crate::helpers::TestApp;

const NOW: i64 = 1_790_000_000;

fn query() -> SearchQuery {
    SearchQuery { page: 1, page_size: 50, ..SearchQuery::default() }
}

fn ids(page: &SearchPage) -> Vec<i64> {
    let mut ids: Vec<_> = page.hits.iter().map(|h| h.service_id).collect();
    ids.sort_unstable();
    ids
}

async fn region_id(db: &app::store::Db, scheme: RegionScheme, name: &str) -> i64 {
    regions::summaries(db, scheme).await.unwrap().into_iter().find(|r| r.name == name).unwrap().id
}

async fn trafficking_types_both_and_unknown_need_unrestricted_services(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let sex_only = f
        .service(ServiceSpec {
            eligibility: app::domain::profile::Eligibility {
                trafficking_types: TraffickingTypes::SEX,
                ..open_eligibility()
            },
            ..ServiceSpec::housing("Hartford", 5, 2)
        })
        .await;
    let labor_only = f
        .service(ServiceSpec {
            eligibility: app::domain::profile::Eligibility {
                trafficking_types: TraffickingTypes::LABOR,
                ..open_eligibility()
            },
            ..ServiceSpec::housing("Hartford", 5, 2)
        })
        .await;
    let open = f.service(ServiceSpec::housing("Hartford", 5, 2)).await;
    let with =
        |t| SearchQuery { profile: ProfileFilter { trafficking_type: Some(t), ..Default::default() }, ..query() };
    let run = |q: SearchQuery| {
        let db = app.db.clone();
        async move { search::search(&db, &q, NOW, &app.freshness).await.unwrap() }
    };
    assert_eq!(ids(&run(with(TraffickingType::Sex)).await), vec![sex_only, open]);
    assert_eq!(ids(&run(with(TraffickingType::Labor)).await), vec![labor_only, open]);
    assert_eq!(ids(&run(with(TraffickingType::Both)).await), vec![open]);
    assert_eq!(ids(&run(with(TraffickingType::Unknown)).await), vec![open]);
}

async fn age_gender_household_language_and_access_filters_apply(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let minors = f
        .service(ServiceSpec {
            category: "host_home",
            eligibility: app::domain::profile::Eligibility { age_groups: minors_only(), ..open_eligibility() },
            ..ServiceSpec::housing("Waterbury", 4, 2)
        })
        .await;
    let women_spanish_family = f
        .service(ServiceSpec {
            eligibility: app::domain::profile::Eligibility {
                age_groups: adults_only(),
                genders: Genders::of(&[Gender::Female]).unwrap(),
                accepts_children: true,
                wheelchair_accessible: true,
                languages: vec![LanguageCode::parse("en").unwrap(), LanguageCode::parse("es").unwrap()],
                ..open_eligibility()
            },
            ..ServiceSpec::housing("Waterbury", 4, 2)
        })
        .await;
    let db = &app.db;
    let find = |p: ProfileFilter| async move {
        ids(&search::search(db, &SearchQuery { profile: p, ..query() }, NOW, &app.freshness).await.unwrap())
    };
    assert_eq!(find(ProfileFilter { age_group: Some(AgeGroup::Minor), ..Default::default() }).await, vec![minors]);
    assert_eq!(find(ProfileFilter { gender: Some(Gender::Male), ..Default::default() }).await, vec![minors]);
    assert_eq!(find(ProfileFilter { household_size: Some(3), ..Default::default() }).await, vec![women_spanish_family]);
    assert_eq!(
        find(ProfileFilter { languages: vec![LanguageCode::parse("es").unwrap()], ..Default::default() }).await,
        vec![women_spanish_family]
    );
    assert_eq!(find(ProfileFilter { wheelchair: true, ..Default::default() }).await, vec![women_spanish_family]);
    assert_eq!(find(ProfileFilter { pets: true, ..Default::default() }).await, Vec::<i64>::new());
}

async fn stale_services_are_hidden_unless_asked_for_and_then_show_unknown(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let fresh = f.service(ServiceSpec::housing("Hartford", 5, 2)).await;
    let stale = f.service(ServiceSpec { age_secs: 49 * 3600, ..ServiceSpec::housing("Hartford", 9, 9) }).await;
    let legal_two_days = f
        .service(ServiceSpec { category: "vacatur", age_secs: 49 * 3600, ..ServiceSpec::housing("Hartford", 3, 1) })
        .await;
    let page = search::search(&app.db, &query(), NOW, &app.freshness).await.unwrap();
    assert_eq!(ids(&page), vec![fresh, legal_two_days], "legal stays countable for 7 days");
    let page =
        search::search(&app.db, &SearchQuery { include_stale: true, ..query() }, NOW, &app.freshness).await.unwrap();
    let stale_hit = page.hits.iter().find(|h| h.service_id == stale).unwrap();
    assert_eq!(stale_hit.available, None, "stale is unknown, never available");
    assert_eq!(page.hits.last().unwrap().service_id, stale, "unknown sorts last");
    let page = search::search(
        &app.db,
        &SearchQuery { include_stale: true, available_now: true, ..query() },
        NOW,
        &app.freshness,
    )
    .await
    .unwrap();
    assert!(!ids(&page).contains(&stale));
}

async fn regions_filter_in_either_scheme(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let shelton = f.service(ServiceSpec::housing("Shelton", 5, 2)).await;
    let bridgeport = f.service(ServiceSpec::housing("Bridgeport", 5, 2)).await;
    let waterbury = f.service(ServiceSpec::housing("Waterbury", 5, 2)).await;
    let fairfield_county = region_id(&app.db, RegionScheme::County, "Fairfield County").await;
    let naugatuck = region_id(&app.db, RegionScheme::Planning, "Naugatuck Valley Planning Region").await;
    let bridgeport_region = region_id(&app.db, RegionScheme::Planning, "Greater Bridgeport Planning Region").await;
    let county = SearchQuery { scheme: RegionScheme::County, region_ids: vec![fairfield_county], ..query() };
    assert_eq!(ids(&search::search(&app.db, &county, NOW, &app.freshness).await.unwrap()), vec![shelton, bridgeport]);
    let planning = SearchQuery { region_ids: vec![naugatuck], ..query() };
    assert_eq!(ids(&search::search(&app.db, &planning, NOW, &app.freshness).await.unwrap()), vec![shelton, waterbury]);
    let two = SearchQuery { region_ids: vec![naugatuck, bridgeport_region], ..query() };
    assert_eq!(search::search(&app.db, &two, NOW, &app.freshness).await.unwrap().total_found, 3);
}

async fn results_sort_by_fresh_availability_and_page(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let none_free = f.service(ServiceSpec::housing("Hartford", 5, 0)).await;
    let two_free = f.service(ServiceSpec::housing("Hartford", 5, 2)).await;
    let four_free_aging =
        f.service(ServiceSpec { age_secs: 20 * 3600, ..ServiceSpec::housing("Hartford", 5, 4) }).await;
    let page1 = search::search(&app.db, &SearchQuery { page_size: 2, ..query() }, NOW, &app.freshness).await.unwrap();
    assert_eq!(page1.hits.iter().map(|h| h.service_id).collect::<Vec<_>>(), vec![four_free_aging, two_free]);
    assert_eq!(page1.total_found, 3);
    let page2 =
        search::search(&app.db, &SearchQuery { page: 2, page_size: 2, ..query() }, NOW, &app.freshness).await.unwrap();
    assert_eq!(page2.hits.iter().map(|h| h.service_id).collect::<Vec<_>>(), vec![none_free]);
    let available =
        search::search(&app.db, &SearchQuery { available_now: true, ..query() }, NOW, &app.freshness).await.unwrap();
    assert_eq!(ids(&available), vec![two_free, four_free_aging]);
}

async fn categories_and_families_filter(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let house = f.service(ServiceSpec::housing("Hartford", 5, 2)).await;
    let legal =
        f.service(ServiceSpec { category: "immigration_legal", ..ServiceSpec::housing("Hartford", 5, 2) }).await;
    let by_family = SearchQuery { family: Some(CategoryFamily::Legal), ..query() };
    assert_eq!(ids(&search::search(&app.db, &by_family, NOW, &app.freshness).await.unwrap()), vec![legal]);
    let by_category = SearchQuery { categories: vec![CategoryCode::parse("safe_house").unwrap()], ..query() };
    assert_eq!(ids(&search::search(&app.db, &by_category, NOW, &app.freshness).await.unwrap()), vec![house]);
}

async fn a_confidential_address_never_appears_in_results(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    f.service(ServiceSpec {
        confidential_address: Some("CANARY-7731 Hidden Lane"),
        ..ServiceSpec::housing("Hartford", 5, 2)
    })
    .await;
    let page = search::search(&app.db, &query(), NOW, &app.freshness).await.unwrap();
    assert_eq!(page.hits.len(), 1);
    assert_eq!(page.hits[0].town, "Hartford");
    let json = serde_json::to_string(&page).unwrap();
    assert!(!json.contains("CANARY-7731"));
}

/// The SQL that bands freshness (`store::search::band_sql`) agrees with the domain's rule
/// (`FreshnessPolicy::band`) for every family, one second either side of each threshold.
async fn the_database_bands_freshness_exactly_as_the_domain_rule_does(app: TestApp) {
    let f = Fixture::new(&app.db, NOW);
    let mut expected = std::collections::HashMap::new();
    for (category, family) in [
        ("safe_house", CategoryFamily::Housing),
        ("civil_legal", CategoryFamily::Legal),
        ("counseling", CategoryFamily::Specialist),
    ] {
        let t = app.freshness.for_family(family);
        for age in
            [0, t.fresh_secs - 1, t.fresh_secs, t.fresh_secs + 1, t.stale_secs - 1, t.stale_secs, t.stale_secs + 1]
        {
            let id = f.service(ServiceSpec { category, age_secs: age, ..ServiceSpec::housing("Hartford", 5, 2) }).await;
            expected.insert(id, app.freshness.band(family, age));
        }
    }
    let q = SearchQuery { include_stale: true, page_size: 100, ..query() };
    let page = search::search(&app.db, &q, NOW, &app.freshness).await.unwrap();
    assert_eq!(page.hits.len(), expected.len());
    for hit in &page.hits {
        assert_eq!(hit.freshness, expected[&hit.service_id], "service {} ({})", hit.service_id, hit.category);
    }
}

both_backends!(
    the_database_bands_freshness_exactly_as_the_domain_rule_does,
    trafficking_types_both_and_unknown_need_unrestricted_services,
    age_gender_household_language_and_access_filters_apply,
    stale_services_are_hidden_unless_asked_for_and_then_show_unknown,
    regions_filter_in_either_scheme,
    results_sort_by_fresh_availability_and_page,
    categories_and_families_filter,
    a_confidential_address_never_appears_in_results,
);
