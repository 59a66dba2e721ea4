//! The demo directory looks like Connecticut: organizations roughly where people live, few safe houses and host
//! homes beside many legal-aid and case-management services, every site at an address of its own.

use crate::both_backends;
use crate::helpers::TestApp;

async fn counts(app: &TestApp, sql: &'static str) -> std::collections::HashMap<String, i64> {
    app::store::query(sql).fetch_all::<(String, i64)>(&app.db).await.unwrap().into_iter().collect()
}

async fn the_demo_directory_is_spread_like_connecticut(app: TestApp) {
    assert!(server::seed::demo::load_if_empty(&app.db, chrono::Utc::now().timestamp()).await.unwrap());
    let by_region = counts(
        &app,
        "SELECT r.name, CAST(COUNT(DISTINCT si.organization_id) AS BIGINT) FROM sites si
         JOIN town_regions tr ON tr.town_id = si.town_id AND tr.scheme = 'planning'
         JOIN regions r ON r.id = tr.region_id GROUP BY r.name",
    )
    .await;
    let region = |name: &str| by_region.get(&format!("{name} Planning Region")).copied().unwrap_or(0);
    for populous in ["Capitol", "South Central Connecticut", "Western Connecticut"] {
        assert!(region(populous) > 2 * region("Northwest Hills"), "{populous}: {by_region:?}");
    }
    let by_category = counts(&app, "SELECT category, CAST(COUNT(*) AS BIGINT) FROM services GROUP BY category").await;
    let category = |code: &str| by_category.get(code).copied().unwrap_or(0);
    assert!(category("safe_house") + category("host_home") < category("case_management"), "{by_category:?}");
    assert!(category("safe_house") < category("immigration_legal") + category("civil_legal"), "{by_category:?}");
    let (sites, addresses): (i64, i64) = app::store::query(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT street_address || '/' || CAST(town_id AS TEXT)) AS BIGINT)
         FROM sites",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(sites, addresses, "every site has an address of its own");
    let names: Vec<(String,)> = app::store::query("SELECT name FROM organizations").fetch_all(&app.db).await.unwrap();
    assert!(names.iter().all(|(n,)| n.ends_with("(demo)")), "still fictional and marked as demo");
}

both_backends!(the_demo_directory_is_spread_like_connecticut);
