//! Search for placements: eligibility, region, category, language and freshness filters, sorted by fresh
//! availability, paginated. The same SQL runs on both backends.

use crate::domain::freshness::{FreshnessBand, FreshnessPolicy};
use crate::domain::profile::{AgeGroups, Genders, TraffickingTypes};
use crate::domain::search::{SearchHit, SearchPage, SearchQuery};
use crate::domain::taxonomy::CategoryFamily;

use super::{Db, Query, StoreError, from_unix};

#[derive(sqlx::FromRow)]
struct HitRow {
    service_id: i64,
    service_name: String,
    category: String,
    category_name: String,
    unit: String,
    organization_name: String,
    town: String,
    region_name: String,
    intake_phone: Option<String>,
    total: i64,
    available: i64,
    on_hold: i64,
    accepting_referrals: bool,
    band: i64,
    last_confirmed_at: i64,
    age_groups: i64,
    trafficking_types: i64,
    genders: i64,
    total_found: i64,
}

/// `CASE` expression giving 0 (fresh), 1 (aging) or 2 (stale) for a row with `cat.family` and
/// `c.last_confirmed_at`, from cut-off timestamps bound now.
pub(crate) fn band_sql(sql: &mut Query, policy: &FreshnessPolicy, now: i64) {
    sql.push("CAST(CASE");
    for family in CategoryFamily::ALL {
        let t = policy.for_family(family);
        sql.push(" WHEN cat.family = ").push_bind(family.code());
        sql.push(" THEN (CASE WHEN c.last_confirmed_at <= ").push_bind(now - t.stale_secs);
        sql.push(" THEN 2 WHEN c.last_confirmed_at <= ").push_bind(now - t.fresh_secs);
        sql.push(" THEN 1 ELSE 0 END)");
    }
    sql.push(" ELSE 2 END AS BIGINT)");
}

/// Active holds per service at `now`.
pub(crate) fn held_cte(sql: &mut Query, now: i64) {
    sql.push("WITH held AS (SELECT service_id, CAST(SUM(units) AS BIGINT) AS on_hold FROM holds WHERE state = 'held' AND expires_at > ")
        .push_bind(now)
        .push(" GROUP BY service_id) ");
}

/// Runs a search.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn search(db: &Db, q: &SearchQuery, now: i64, policy: &FreshnessPolicy) -> Result<SearchPage, StoreError> {
    let (page, page_size) = q.paging();
    let sql = search_sql(q, now, policy);
    let rows: Vec<HitRow> = sql.fetch_all(db).await?;
    into_page(rows, page, page_size)
}

/// The SQL of a search, exposed so benchmarks can time the bare query against [`search`].
pub fn search_sql(q: &SearchQuery, now: i64, policy: &FreshnessPolicy) -> Query {
    let (_, page_size) = q.paging();
    let mut sql = Query::default();
    held_cte(&mut sql, now);
    sql.push(
        "SELECT x.*, COUNT(*) OVER () AS total_found FROM (
           SELECT s.id AS service_id, s.name AS service_name, s.category, cat.name AS category_name, cat.unit,
             o.name AS organization_name, t.name AS town, r.name AS region_name, si.intake_phone,
             c.total, c.vacant - COALESCE(h.on_hold, 0) AS available, COALESCE(h.on_hold, 0) AS on_hold,
             c.accepting_referrals, c.last_confirmed_at, s.age_groups, s.trafficking_types, s.genders, ",
    );
    band_sql(&mut sql, policy, now);
    sql.push(
        " AS band
           FROM services s
           JOIN categories cat ON cat.code = s.category
           JOIN sites si ON si.id = s.site_id
           JOIN organizations o ON o.id = si.organization_id
           JOIN towns t ON t.id = si.town_id
           JOIN town_regions tr ON tr.town_id = t.id AND tr.scheme = ",
    )
    .push_bind(q.scheme.code());
    sql.push(
        " JOIN regions r ON r.id = tr.region_id
           JOIN capacity c ON c.service_id = s.id
           LEFT JOIN held h ON h.service_id = s.id
           WHERE s.status = 'active'",
    );
    if !q.region_ids.is_empty() {
        sql.push(" AND r.id IN ").push_bind_list(q.region_ids.iter().copied());
    }
    if !q.categories.is_empty() {
        sql.push(" AND s.category IN ").push_bind_list(q.categories.iter().map(|c| c.as_str()));
    }
    if let Some(family) = q.family {
        sql.push(" AND cat.family = ").push_bind(family.code());
    }
    let p = &q.profile;
    if let Some(age) = p.age_group {
        sql.push(" AND (s.age_groups & ").push_bind(age.bit()).push(") <> 0");
    }
    if let Some(kind) = p.trafficking_type {
        let bits = kind.required_bits();
        sql.push(" AND (s.trafficking_types & ").push_bind(bits).push(") = ").push_bind(bits);
    }
    if let Some(gender) = p.gender {
        sql.push(" AND (s.genders & ").push_bind(gender.bit()).push(") <> 0");
    }
    if p.household_size.unwrap_or(1) > 1 {
        sql.push(" AND s.accepts_children = TRUE");
    }
    if p.wheelchair {
        sql.push(" AND s.wheelchair_accessible = TRUE");
    }
    if p.pets {
        sql.push(" AND s.pets_allowed = TRUE");
    }
    for language in &p.languages {
        sql.push(" AND EXISTS (SELECT 1 FROM service_languages sl WHERE sl.service_id = s.id AND sl.language = ")
            .push_bind(language.as_str())
            .push(")");
    }
    sql.push(") x WHERE 1 = 1");
    if !q.include_stale {
        sql.push(" AND x.band < 2");
    }
    if q.available_now {
        sql.push(" AND x.band < 2 AND x.accepting_referrals = TRUE AND x.available > 0");
    }
    // Fresh availability first: countable free units, most first, freshest first; unknown last.
    sql.push(
        " ORDER BY CASE WHEN x.band < 2 AND x.accepting_referrals = TRUE AND x.available > 0 THEN 0 ELSE 1 END,
            CASE WHEN x.band < 2 THEN x.available ELSE 0 END DESC, x.band, x.last_confirmed_at DESC, x.service_id
          LIMIT ",
    )
    .push_bind(i64::from(page_size))
    .push(" OFFSET ")
    .push_bind(q.offset());
    sql
}

fn into_page(rows: Vec<HitRow>, page: u32, page_size: u32) -> Result<SearchPage, StoreError> {
    let total_found = rows.first().map_or(0, |r| r.total_found);
    let hits = rows
        .into_iter()
        .map(|r| -> Result<SearchHit, StoreError> {
            let freshness = match r.band {
                0 => FreshnessBand::Fresh,
                1 => FreshnessBand::Aging,
                _ => FreshnessBand::Stale,
            };
            Ok(SearchHit {
                service_id: r.service_id,
                service_name: r.service_name,
                category: r.category,
                category_name: r.category_name,
                unit: r.unit,
                organization_name: r.organization_name,
                town: r.town,
                region_name: r.region_name,
                intake_phone: r.intake_phone,
                total: r.total,
                available: (freshness != FreshnessBand::Stale).then_some(r.available),
                on_hold: r.on_hold,
                accepting_referrals: r.accepting_referrals,
                freshness,
                last_confirmed_at: from_unix(r.last_confirmed_at),
                age_groups: AgeGroups::from_bits(r.age_groups)?,
                trafficking_types: TraffickingTypes::from_bits(r.trafficking_types)?,
                genders: Genders::from_bits(r.genders)?,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(SearchPage { hits, total_found, page, page_size })
}
