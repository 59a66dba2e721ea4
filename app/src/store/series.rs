//! Time series for oversight charts: needs as facts, and capacity replayed from its history day by day.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::freshness::{FreshnessBand, FreshnessPolicy};
use crate::domain::local_time::midnight_utc;
use crate::domain::need::{Outcome, UnmetReason};
use crate::domain::profile::{AgeGroup, TraffickingType};
use crate::domain::region::RegionScheme;
use crate::domain::series::{Bucket, NeedFact};
use crate::domain::taxonomy::CategoryFamily;

use super::{Db, StoreError, query};

/// A need id with one of its categories or reasons.
type Tagged = (i64, String);

/// One capacity history row: service, time, total, vacant.
type HistoryPoint = (i64, i64, i64, i64);

#[derive(sqlx::FromRow)]
struct NeedRow {
    id: i64,
    created_at: i64,
    closed_at: Option<i64>,
    outcome: Option<String>,
    region: String,
    county: Option<String>,
    age_group: String,
    trafficking_type: String,
}

/// Needs created in `[from, to)` (UTC seconds), with their planning region and county, the families of the categories
/// they named (as the taxonomy in the database has them) and reasons.
#[tracing::instrument(skip(db), fields(backend = db.backend()))]
pub async fn need_facts(db: &Db, from: i64, to: i64) -> Result<Vec<NeedFact>, StoreError> {
    const NEEDS: &str = "SELECT n.id, n.created_at, n.closed_at, n.outcome, r.name AS region, c.name AS county,
            n.age_group, n.trafficking_type
        FROM needs n JOIN regions r ON r.id = n.region_id LEFT JOIN regions c ON c.id = n.county_id WHERE n.created_at >= $1 AND n.created_at < $2 ORDER BY n.id";
    const FAMILIES: &str = "SELECT DISTINCT nc.need_id, cat.family FROM need_categories nc
        JOIN categories cat ON cat.code = nc.category JOIN needs n ON n.id = nc.need_id
        WHERE n.created_at >= $1 AND n.created_at < $2";
    const REASONS: &str = "SELECT nr.need_id, nr.reason FROM need_reasons nr JOIN needs n ON n.id = nr.need_id
        WHERE n.created_at >= $1 AND n.created_at < $2";
    let (rows, families, reasons): (Vec<NeedRow>, Vec<Tagged>, Vec<Tagged>) = {
        let rows = query(NEEDS).bind(from).bind(to).fetch_all(db).await?;
        let families = query(FAMILIES).bind(from).bind(to).fetch_all(db).await?;
        let reasons = query(REASONS).bind(from).bind(to).fetch_all(db).await?;
        (rows, families, reasons)
    };
    let mut by_need_families: HashMap<i64, Vec<CategoryFamily>> = HashMap::new();
    for (need, family) in families {
        let family = CategoryFamily::parse(&family).ok_or_else(|| StoreError::Corrupt(format!("family {family}")))?;
        by_need_families.entry(need).or_default().push(family);
    }
    let mut by_need_reasons: HashMap<i64, Vec<UnmetReason>> = HashMap::new();
    for (need, reason) in reasons {
        if let Some(r) = UnmetReason::parse(&reason) {
            by_need_reasons.entry(need).or_default().push(r);
        }
    }
    rows.into_iter()
        .map(|r| {
            let corrupt = |what: &str| StoreError::Corrupt(format!("need {}: {what}", r.id));
            Ok(NeedFact {
                created_at: r.created_at,
                closed_at: r.closed_at,
                outcome: r
                    .outcome
                    .as_deref()
                    .map(|o| Outcome::parse(o).ok_or_else(|| corrupt("outcome")))
                    .transpose()?,
                region: r.region,
                county: r.county,
                age_group: AgeGroup::parse(&r.age_group).ok_or_else(|| corrupt("age group"))?,
                trafficking_type: TraffickingType::parse(&r.trafficking_type)
                    .ok_or_else(|| corrupt("trafficking type"))?,
                families: by_need_families.remove(&r.id).unwrap_or_default(),
                reasons: by_need_reasons.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Capacity of one region and family at the end of one local day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CapacityPoint {
    /// Baseline units of services that existed.
    pub total: i64,
    /// Free units whose counts were not stale.
    pub countable_available: i64,
    /// Services that existed.
    pub services: i64,
    /// Services whose counts were fresh (confirmed within the fresh threshold): freshness compliance.
    pub fresh_services: i64,
    /// Services whose counts were stale (unknown).
    pub stale_services: i64,
    /// The organizations behind these services (published figures need several: see `oversight`).
    pub organization_ids: std::collections::BTreeSet<i64>,
}

#[derive(sqlx::FromRow)]
struct ServiceMeta {
    id: i64,
    family: String,
    region: String,
    county: String,
    organization_id: i64,
    retired_at: Option<i64>,
}

/// A place: the planning region and county its towns share.
pub type Place = (String, String);

/// Capacity per bucket, place and family: the same as [`capacity_series`], keyed by each place's planning
/// region and county (the towns the two schemes group alike), for figures published by both at once.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn capacity_by_place(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    bucket: Bucket,
    policy: &FreshnessPolicy,
) -> Result<BTreeMap<(NaiveDate, Place, CategoryFamily), CapacityPoint>, StoreError> {
    replay(db, from, to, bucket, policy, |s| (s.region.clone(), s.county.clone())).await
}

/// Capacity per bucket (the state at the end of its last day), region and family, replayed from history.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn capacity_series(
    db: &Db,
    scheme: RegionScheme,
    from: NaiveDate,
    to: NaiveDate,
    bucket: Bucket,
    policy: &FreshnessPolicy,
) -> Result<BTreeMap<(NaiveDate, String, CategoryFamily), CapacityPoint>, StoreError> {
    replay(db, from, to, bucket, policy, |s| match scheme {
        RegionScheme::Planning => s.region.clone(),
        RegionScheme::County => s.county.clone(),
    })
    .await
}

/// Replays capacity history into buckets, each service counted under `key` of its site's regions.
async fn replay<K: Ord + Clone>(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    bucket: Bucket,
    policy: &FreshnessPolicy,
    key: impl Fn(&ServiceMeta) -> K,
) -> Result<BTreeMap<(NaiveDate, K, CategoryFamily), CapacityPoint>, StoreError> {
    const SERVICES: &str = "SELECT s.id, cat.family, r.name AS region, c.name AS county, si.organization_id,
            s.retired_at
        FROM services s JOIN categories cat ON cat.code = s.category JOIN sites si ON si.id = s.site_id
        JOIN town_regions tr ON tr.town_id = si.town_id AND tr.scheme = $1 JOIN regions r ON r.id = tr.region_id
        JOIN town_regions tc ON tc.town_id = si.town_id AND tc.scheme = $2 JOIN regions c ON c.id = tc.region_id";
    const HISTORY: &str = "SELECT service_id, at, new_total, new_vacant FROM capacity_history
        WHERE at < $1 ORDER BY service_id, at, id";
    let end_utc = midnight_utc(to.succ_opt().unwrap_or(to));
    let (services, history): (Vec<ServiceMeta>, Vec<HistoryPoint>) = {
        let services =
            query(SERVICES).bind(RegionScheme::Planning.code()).bind(RegionScheme::County.code()).fetch_all(db).await?;
        let history = query(HISTORY).bind(end_utc).fetch_all(db).await?;
        (services, history)
    };
    // Bucket ends: the local midnight after the last day of each bucket.
    let mut ends = Vec::new();
    let mut start = bucket.start_of(midnight_utc(from));
    while start <= to {
        let next = bucket.next(start);
        ends.push((start, midnight_utc(next.min(to.succ_opt().unwrap_or(to)))));
        start = next;
    }
    let meta: HashMap<i64, (CategoryFamily, K, i64, Option<i64>)> = services
        .iter()
        .filter_map(|s| {
            let family = CategoryFamily::parse(&s.family)?;
            Some((s.id, (family, key(s), s.organization_id, s.retired_at)))
        })
        .collect();
    let mut out: BTreeMap<(NaiveDate, K, CategoryFamily), CapacityPoint> = BTreeMap::new();
    for events in history.chunk_by(|a, b| a.0 == b.0) {
        let Some((family, region, organization_id, retired_at)) = meta.get(&events[0].0) else { continue };
        let (family, organization_id, retired_at) = (*family, *organization_id, *retired_at);
        let thresholds = policy.for_family(family);
        let mut i = 0;
        let mut state: Option<(i64, i64, i64)> = None; // (at, total, vacant)
        for &(start, end) in &ends {
            while i < events.len() && events[i].1 < end {
                state = Some((events[i].1, events[i].2, events[i].3));
                i += 1;
            }
            let Some((at, total, vacant)) = state else { continue };
            if retired_at.is_some_and(|retired| retired < end) {
                // Retired before this bucket ended: it counts in no total from that moment on.
                continue;
            }
            let band = thresholds.band(end - at);
            let p = out.entry((start, region.clone(), family)).or_default();
            p.total += total;
            p.services += 1;
            p.organization_ids.insert(organization_id);
            match band {
                FreshnessBand::Fresh => {
                    p.fresh_services += 1;
                    p.countable_available += vacant;
                }
                FreshnessBand::Aging => p.countable_available += vacant,
                FreshnessBand::Stale => p.stale_services += 1,
            }
        }
    }
    Ok(out)
}
