//! Builds the oversight dashboard's aggregates from needs and capacity history, suppressed for publication.
//! Shared by the dashboard's server function and the CSV export.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::freshness::FreshnessPolicy;
use crate::domain::need::Outcome;
use crate::domain::oversight::{LabelledTable, OversightFilter, OversightView, WeeklyValue};
use crate::domain::profile::VictimType;
use crate::domain::region::RegionScheme;
use crate::domain::series::{Bucket, NeedFact, count_needs, eastern_midnight_utc, hours_to_placement};
use crate::domain::suppression::{DEFAULT_K, occupancy_is_publishable, suppress_by_week};
use crate::domain::taxonomy::{CategoryFamily, seed_category};
use crate::store::{Db, StoreError, regions, series};

fn in_family(fact: &NeedFact, family: Option<CategoryFamily>) -> bool {
    family.is_none_or(|f| fact.categories.iter().any(|c| seed_category(c).is_some_and(|s| s.family == f)))
}

/// Builds every aggregate for `filter`.
pub async fn build(
    db: &Db,
    filter: &OversightFilter,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<OversightView, StoreError> {
    let k = DEFAULT_K;
    let from = eastern_midnight_utc(filter.from);
    let to = eastern_midnight_utc(filter.to.succ_opt().unwrap_or(filter.to));
    let region_name = match filter.region_id {
        Some(id) => {
            regions::summaries(db, RegionScheme::Planning).await?.into_iter().find(|r| r.id == id).map(|r| r.name)
        }
        None => None,
    };
    let facts: Vec<NeedFact> = series::need_facts(db, from, to)
        .await?
        .into_iter()
        .filter(|f| region_name.as_ref().is_none_or(|r| &f.region == r))
        .filter(|f| filter.victim.is_none_or(|v| VictimType::of(f.age_group, f.trafficking_type) == Some(v)))
        .filter(|f| in_family(f, filter.family))
        .collect();

    // Weeks in range, so empty weeks still appear.
    let mut weeks = Vec::new();
    let mut week = Bucket::Week.start_of(from);
    while week <= filter.to {
        weeks.push(week);
        week = Bucket::Week.next(week);
    }
    let week_labels: Vec<String> = weeks.iter().map(|w| w.format("%Y-%m-%d").to_string()).collect();

    // Needs per week: placed in region, not placed, placed outside region. Each week is suppressed on its
    // own, so it reads the same in every period that contains it.
    let mut needs_counts = vec![vec![0i64; 3]; weeks.len()];
    for f in &facts {
        let Some(i) = weeks.iter().position(|w| *w == Bucket::Week.start_of(f.created_at)) else { continue };
        match f.outcome {
            Some(Outcome::PlacedInRegion) => needs_counts[i][0] += 1,
            Some(Outcome::NotPlaced) => needs_counts[i][1] += 1,
            Some(Outcome::PlacedOutsideRegion) => needs_counts[i][2] += 1,
            _ => {}
        }
    }
    let needs = LabelledTable {
        title: "Needs by week: met and unmet".into(),
        rows: week_labels.clone(),
        columns: vec!["Placed in region".into(), "Not placed".into(), "Placed outside region".into()],
        table: suppress_by_week(&needs_counts, k),
    };

    // Unmet needs split as asked: rows are every possible series (present whether or not the data has them,
    // so a row's presence reveals nothing), columns weeks, each week suppressed on its own.
    let split =
        count_needs(&facts.iter().filter(|f| f.is_unmet()).cloned().collect::<Vec<_>>(), Bucket::Week, filter.split);
    let region_names: Vec<String> =
        regions::summaries(db, RegionScheme::Planning).await?.into_iter().map(|r| r.name).collect();
    let keys = filter.split.series(&region_names);
    let by_week: Vec<Vec<i64>> = weeks
        .iter()
        .map(|w| keys.iter().map(|key| split.get(&(*w, key.clone())).map_or(0, |c| c.unmet)).collect())
        .collect();
    let unmet_split = LabelledTable {
        title: "Unmet needs by week".into(),
        rows: keys,
        columns: week_labels.clone(),
        table: suppress_by_week(&by_week, k).transposed(),
    };

    // Time to placement, by the week each need was recorded in.
    let buckets =
        [("Under 4 hours", 0, 4), ("4 to 24 hours", 4, 24), ("1 to 3 days", 24, 72), ("Over 3 days", 72, i64::MAX)];
    let placement_counts: Vec<Vec<i64>> = weeks
        .iter()
        .map(|w| {
            let placed: Vec<NeedFact> =
                facts.iter().filter(|f| Bucket::Week.start_of(f.created_at) == *w).cloned().collect();
            let hours = hours_to_placement(&placed);
            buckets.iter().map(|(_, lo, hi)| hours.iter().filter(|h| **h >= *lo && **h < *hi).count() as i64).collect()
        })
        .collect();
    let time_to_placement = LabelledTable {
        title: "Time from recording to placement, by week recorded".into(),
        rows: week_labels.clone(),
        columns: buckets.iter().map(|(l, _, _)| (*l).to_owned()).collect(),
        table: suppress_by_week(&placement_counts, k),
    };

    // Capacity and compliance, replayed from history at the end of each week.
    let points =
        series::capacity_series(db, RegionScheme::Planning, filter.from, filter.to, Bucket::Week, policy).await?;
    let mut by_week: BTreeMap<chrono::NaiveDate, (i64, i64, i64, i64, BTreeSet<i64>)> = BTreeMap::new();
    let mut by_region_last: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let last_week = weeks.last().copied();
    for ((week, region, family), p) in &points {
        if region_name.as_ref().is_some_and(|r| r != region) || filter.family.is_some_and(|f| f != *family) {
            continue;
        }
        let e = by_week.entry(*week).or_default();
        e.0 += p.total;
        e.1 += p.countable_available;
        e.2 += p.services;
        e.3 += p.fresh_services;
        e.4.extend(&p.organization_ids);
        if Some(*week) == last_week {
            let r = by_region_last.entry(region.clone()).or_default();
            r.0 += p.services;
            r.1 += p.fresh_services;
        }
    }
    // Total minus free is how many people are housed: published only with enough organizations behind it
    // and enough units in use that nobody is singled out.
    let capacity = by_week
        .iter()
        .map(|(w, v)| {
            let safe = occupancy_is_publishable(v.0, v.1, v.4.len(), k);
            WeeklyValue { week: *w, values: vec![safe.then_some(v.0 as f64), safe.then_some(v.1 as f64)] }
        })
        .collect();
    let compliance = by_week
        .iter()
        .map(|(w, v)| WeeklyValue {
            week: *w,
            values: vec![Some(if v.2 == 0 { 0.0 } else { v.3 as f64 / v.2 as f64 })],
        })
        .collect();
    let compliance_by_organization = crate::store::organizations::freshness_by_organization(db, now, policy).await?;
    Ok(OversightView {
        needs,
        unmet_split,
        time_to_placement,
        capacity,
        compliance,
        compliance_by_region: by_region_last.into_iter().map(|(r, (s, f))| (r, s, f)).collect(),
        compliance_by_organization,
        k,
    })
}
