//! The gap matrix query: regions x victim types for one category family.

use crate::domain::freshness::FreshnessPolicy;
use crate::domain::gaps::{GapCell, GapRow};
use crate::domain::profile::VictimType;
use crate::domain::region::RegionScheme;
use crate::domain::taxonomy::CategoryFamily;

use super::search::{band_sql, held_cte};
use super::{Db, Query, StoreError};

#[derive(sqlx::FromRow)]
struct GapSqlRow {
    region_id: i64,
    region_name: String,
    a0: i64,
    u0: i64,
    a1: i64,
    u1: i64,
    a2: i64,
    u2: i64,
    a3: i64,
    u3: i64,
}

/// Fresh free units per region and victim type (services accepting referrals, active), with the number of
/// services whose counts are stale shown apart. Every region of the scheme appears, zero rows included.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn gap_matrix(
    db: &Db,
    scheme: RegionScheme,
    family: CategoryFamily,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<Vec<GapRow>, StoreError> {
    let sql = gap_sql(scheme, family, now, policy);
    let rows: Vec<GapSqlRow> = sql.fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let cell = |available, unknown_services| GapCell { available, unknown_services, hidden: false };
            GapRow {
                region_id: r.region_id,
                region_name: r.region_name,
                cells: [cell(r.a0, r.u0), cell(r.a1, r.u1), cell(r.a2, r.u2), cell(r.a3, r.u3)],
            }
        })
        .collect())
}

/// The SQL of the gap matrix, exposed so benchmarks can time the bare query against [`gap_matrix`].
pub fn gap_sql(scheme: RegionScheme, family: CategoryFamily, now: i64, policy: &FreshnessPolicy) -> Query {
    let mut sql = Query::default();
    held_cte(&mut sql, now);
    sql.push(
        ", svc AS (SELECT tr.region_id, s.age_groups, s.trafficking_types, c.accepting_referrals,
             c.vacant - COALESCE(h.on_hold, 0) AS available, ",
    );
    band_sql(&mut sql, policy, now);
    sql.push(
        " AS band FROM services s
           JOIN categories cat ON cat.code = s.category
           JOIN sites si ON si.id = s.site_id
           JOIN town_regions tr ON tr.town_id = si.town_id AND tr.scheme = ",
    )
    .push_bind(scheme.code());
    sql.push(
        " JOIN capacity c ON c.service_id = s.id
           LEFT JOIN held h ON h.service_id = s.id
           WHERE s.status = 'active' AND cat.family = ",
    )
    .push_bind(family.code());
    sql.push(") SELECT r.id AS region_id, r.name AS region_name");
    for (i, victim) in VictimType::ALL.iter().enumerate() {
        let serves = format!(
            "(svc.age_groups & {}) <> 0 AND (svc.trafficking_types & {}) <> 0",
            victim.age_group().bit(),
            victim.trafficking_type().required_bits()
        );
        sql.push(&format!(
            ", CAST(COALESCE(SUM(CASE WHEN svc.band < 2 AND svc.accepting_referrals = TRUE AND {serves}
                 THEN svc.available ELSE 0 END), 0) AS BIGINT) AS a{i}
               , CAST(COALESCE(SUM(CASE WHEN svc.band = 2 AND {serves} THEN 1 ELSE 0 END), 0) AS BIGINT) AS u{i}"
        ));
    }
    sql.push(" FROM regions r LEFT JOIN svc ON svc.region_id = r.id WHERE r.scheme = ")
        .push_bind(scheme.code())
        .push(" GROUP BY r.id, r.name ORDER BY r.name");
    sql
}
