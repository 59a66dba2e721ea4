//! Reference data: region schemes, regions, the 169 towns and the seeded taxonomy. Loaded after migrations,
//! idempotently, on both backends.

use super::{Db, StoreError, query};
use crate::domain::region::{COUNTIES, RegionScheme, TOWN_CROSSWALK_CSV, parse_crosswalk};
use crate::domain::taxonomy::SEED_CATEGORIES;

/// Loads anything missing; a database that already has all 169 towns is left alone.
#[tracing::instrument(skip(db), fields(backend = db.backend()))]
pub async fn load(db: &Db) -> Result<(), StoreError> {
    let towns = parse_crosswalk(TOWN_CROSSWALK_CSV).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut tx = db.write().await?;
    for category in SEED_CATEGORIES {
        query(
            "INSERT INTO categories (code, family, name, unit) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING",
        )
        .bind(category.code)
        .bind(category.family.code())
        .bind(category.name)
        .bind(category.unit)
        .execute(&mut tx)
        .await?;
    }
    let (loaded,): (i64,) = query("SELECT COUNT(*) FROM town_regions").fetch_one(&mut tx).await?;
    if loaded < (towns.len() * RegionScheme::ALL.len()) as i64 {
        for scheme in RegionScheme::ALL {
            query(
                "INSERT INTO region_schemes (code, name, is_default) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING",
            )
            .bind(scheme.code())
            .bind(scheme.label())
            .bind(scheme == RegionScheme::default())
            .execute(&mut tx)
            .await?;
        }
        let mut regions: Vec<(RegionScheme, String, String)> = COUNTIES
            .iter()
            .map(|(fips, name)| (RegionScheme::County, (*fips).to_owned(), (*name).to_owned()))
            .collect();
        for t in &towns {
            let r = (RegionScheme::Planning, t.planning_region_fips.clone(), t.planning_region_name.clone());
            if !regions.contains(&r) {
                regions.push(r);
            }
        }
        for (scheme, code, name) in &regions {
            query("INSERT INTO regions (scheme, code, name) VALUES ($1, $2, $3) ON CONFLICT (scheme, code) DO NOTHING")
                .bind(scheme.code())
                .bind(code)
                .bind(name)
                .execute(&mut tx)
                .await?;
        }
        for t in &towns {
            query("INSERT INTO towns (name, fips) VALUES ($1, $2) ON CONFLICT (fips) DO NOTHING")
                .bind(&t.name)
                .bind(&t.fips_2022)
                .execute(&mut tx)
                .await?;
            for (scheme, code) in
                [(RegionScheme::Planning, &t.planning_region_fips), (RegionScheme::County, &t.county_fips)]
            {
                query(
                    "INSERT INTO town_regions (town_id, region_id, scheme)
                         SELECT t.id, r.id, r.scheme FROM towns t, regions r
                         WHERE t.fips = $1 AND r.scheme = $2 AND r.code = $3
                         ON CONFLICT (town_id, scheme) DO NOTHING",
                )
                .bind(&t.fips_2022)
                .bind(scheme.code())
                .bind(code)
                .execute(&mut tx)
                .await?;
            }
        }
    }
    tx.commit().await
}
