//! Needs as profiles, and their outcomes.

use app::domain::need::{NeedClosing, NeedError, NeedInput, NeedPlace, Outcome, UnmetReason, Urgency};
use app::domain::profile::{AgeGroup, TraffickingType};
use app::domain::region::RegionScheme;
use app::domain::taxonomy::CategoryCode;
use app::store::{needs, regions};

use crate::both_backends;
use crate::helpers::TestApp;

const NOW: i64 = 1_790_000_000;

async fn input(db: &app::store::Db) -> NeedInput {
    let region = regions::summaries(db, RegionScheme::Planning).await.unwrap()[0].id;
    NeedInput {
        place: NeedPlace::Region(region),
        age_group: AgeGroup::Minor,
        trafficking_type: TraffickingType::Labor,
        gender: None,
        household_size: 1,
        languages: vec![],
        wheelchair: false,
        categories: vec![CategoryCode::parse("host_home").unwrap()],
        urgency: Urgency::Emergency,
    }
}

async fn a_need_is_recorded_and_closed_with_reasons_once(app: TestApp) {
    let need = needs::create(&app.db, &input(&app.db).await, None, NOW).await.unwrap().unwrap();
    let closing =
        NeedClosing { outcome: Outcome::NotPlaced, reasons: vec![UnmetReason::NoCapacity, UnmetReason::Language] };
    assert_eq!(needs::close(&app.db, need, &closing, None, None, NOW + 60).await.unwrap(), Ok(()));
    assert_eq!(
        needs::close(&app.db, need, &closing, None, None, NOW + 90).await.unwrap(),
        Err(NeedError::AlreadyClosed)
    );
    let (reasons,): (i64,) = app::store::query("SELECT COUNT(*) FROM need_reasons WHERE need_id = $1")
        .bind(need)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(reasons, 2);
}

async fn unknown_categories_towns_or_regions_write_nothing(app: TestApp) {
    let mut bad = input(&app.db).await;
    bad.categories = vec![CategoryCode::parse("teleportation").unwrap()];
    assert_eq!(needs::create(&app.db, &bad, None, NOW).await.unwrap(), Err(NeedError::NotFound));
    let mut bad = input(&app.db).await;
    bad.place = NeedPlace::Region(999_999);
    assert_eq!(needs::create(&app.db, &bad, None, NOW).await.unwrap(), Err(NeedError::NotFound));
    bad.place = NeedPlace::Town(999_999);
    assert_eq!(needs::create(&app.db, &bad, None, NOW).await.unwrap(), Err(NeedError::NotFound), "no such town");
    let county = regions::summaries(&app.db, RegionScheme::County).await.unwrap()[0].id;
    bad.place = NeedPlace::Region(county);
    assert_eq!(
        needs::create(&app.db, &bad, None, NOW).await.unwrap(),
        Err(NeedError::NotFound),
        "a county is not a planning region: the need's planning region would be unknown"
    );
    let (count,): (i64,) = app::store::query("SELECT COUNT(*) FROM needs").fetch_one(&app.db).await.unwrap();
    assert_eq!(count, 0);
}

async fn the_schema_has_no_column_for_identity_or_narrative(app: TestApp) {
    let columns: Vec<(String,)> = match &app.db {
        app::store::Db::Sqlite { pool, .. } => {
            sqlx::query_as("SELECT name FROM pragma_table_info('needs')").fetch_all(pool).await.unwrap()
        }
        app::store::Db::Postgres(pool) => {
            sqlx::query_as("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'needs'")
                .fetch_all(pool)
                .await
                .unwrap()
        }
    };
    let columns: Vec<String> = columns.into_iter().map(|(c,)| c).collect();
    assert!(columns.contains(&"age_group".to_owned()));
    for forbidden in
        ["name", "birth", "dob", "phone", "email", "address", "note", "narrative", "comment", "description"]
    {
        assert!(!columns.iter().any(|c| c.contains(forbidden)), "{forbidden} in {columns:?}");
    }
}

both_backends!(
    a_need_is_recorded_and_closed_with_reasons_once,
    unknown_categories_towns_or_regions_write_nothing,
    the_schema_has_no_column_for_identity_or_narrative,
);
