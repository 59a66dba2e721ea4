//! Reference data on both backends: 169 towns, each in one region per scheme.

use app::domain::region::RegionScheme;
use app::store::regions;

use crate::both_backends;
use crate::helpers::TestApp;

async fn every_town_is_in_one_planning_region_and_one_county(app: TestApp) {
    let planning = regions::summaries(&app.db, RegionScheme::Planning).await.unwrap();
    let counties = regions::summaries(&app.db, RegionScheme::County).await.unwrap();
    assert_eq!(planning.len(), 9);
    assert_eq!(counties.len(), 8);
    assert_eq!(planning.iter().map(|r| r.town_count).sum::<i64>(), 169);
    assert_eq!(counties.iter().map(|r| r.town_count).sum::<i64>(), 169);
    assert_eq!(regions::towns(&app.db).await.unwrap().len(), 169);
}

async fn loading_reference_data_twice_changes_nothing(app: TestApp) {
    app::store::reference::load(&app.db).await.unwrap();
    let planning = regions::summaries(&app.db, RegionScheme::Planning).await.unwrap();
    assert_eq!(planning.iter().map(|r| r.town_count).sum::<i64>(), 169);
}

both_backends!(every_town_is_in_one_planning_region_and_one_county, loading_reference_data_twice_changes_nothing,);
