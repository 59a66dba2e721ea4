//! Time series for oversight charts: needs as facts, and capacity at the end of each bucket (from the daily
//! rollups in [`super::rollup`], which replay the capacity history day by day).

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

/// A place: the planning region and county its towns share.
pub type Place = (String, String);

/// Capacity of every place and family at the end of each day.
pub(super) type DailyCapacity = BTreeMap<(NaiveDate, Place, CategoryFamily), CapacityPoint>;

impl CapacityPoint {
    /// Counts one service whose count was `band` when the day ended.
    pub(super) fn count(&mut self, total: i64, vacant: i64, band: FreshnessBand, organization_id: i64) {
        self.total += total;
        self.services += 1;
        self.organization_ids.insert(organization_id);
        match band {
            FreshnessBand::Fresh => {
                self.fresh_services += 1;
                self.countable_available += vacant;
            }
            FreshnessBand::Aging => self.countable_available += vacant,
            FreshnessBand::Stale => self.stale_services += 1,
        }
    }

    /// Adds another point's services (organizations counted once).
    fn merge(&mut self, other: &CapacityPoint) {
        self.total += other.total;
        self.countable_available += other.countable_available;
        self.services += other.services;
        self.fresh_services += other.fresh_services;
        self.stale_services += other.stale_services;
        self.organization_ids.extend(&other.organization_ids);
    }
}

/// Capacity per bucket, place and family: the same as [`capacity_series`], keyed by each place's planning
/// region and county (the towns the two schemes group alike), for figures published by both at once.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn capacity_by_place(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    bucket: Bucket,
    policy: &FreshnessPolicy,
    now: i64,
) -> Result<BTreeMap<(NaiveDate, Place, CategoryFamily), CapacityPoint>, StoreError> {
    let buckets = last_days(from, to, bucket);
    let days: Vec<NaiveDate> = buckets.iter().map(|(_, last)| *last).collect();
    let start_of: HashMap<NaiveDate, NaiveDate> = buckets.into_iter().map(|(start, last)| (last, start)).collect();
    let daily = super::rollup::capacity_on(db, &days, policy, now).await?;
    Ok(daily
        .into_iter()
        .filter_map(|((day, place, family), p)| Some(((*start_of.get(&day)?, place, family), p)))
        .collect())
}

/// Capacity per bucket (the state at the end of its last day), region and family.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn capacity_series(
    db: &Db,
    scheme: RegionScheme,
    from: NaiveDate,
    to: NaiveDate,
    bucket: Bucket,
    policy: &FreshnessPolicy,
    now: i64,
) -> Result<BTreeMap<(NaiveDate, String, CategoryFamily), CapacityPoint>, StoreError> {
    let mut out: BTreeMap<(NaiveDate, String, CategoryFamily), CapacityPoint> = BTreeMap::new();
    for ((start, (planning, county), family), p) in capacity_by_place(db, from, to, bucket, policy, now).await? {
        let region = match scheme {
            RegionScheme::Planning => planning,
            RegionScheme::County => county,
        };
        out.entry((start, region, family)).or_default().merge(&p);
    }
    Ok(out)
}

/// Each bucket of `[from, to]` with the last of its days inside the range (a bucket's figure is the state at
/// the end of that day).
fn last_days(from: NaiveDate, to: NaiveDate, bucket: Bucket) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = bucket.start_of(midnight_utc(from));
    while start <= to {
        let next = bucket.next(start);
        out.push((start, next.pred_opt().unwrap_or(next).min(to)));
        start = next;
    }
    out
}
