//! Builds the oversight dashboard's aggregates from needs and capacity history, suppressed for publication.
//! Shared by the dashboard's server function and the CSV export.

use std::collections::BTreeMap;

use crate::domain::capacity_web::{CapacityCell, SuppressedCapacity};
use crate::domain::freshness::FreshnessPolicy;
use crate::domain::local_time::midnight_utc;
use crate::domain::oversight::{OversightFilter, OversightView, WeeklyValue};
use crate::domain::region::RegionScheme;
use crate::domain::series::{Bucket, NeedFact};
use crate::domain::suppression::DEFAULT_K;
use crate::domain::taxonomy::CategoryFamily;
use crate::store::{Db, StoreError, regions, series};

mod needs;

/// Builds every aggregate for `filter`.
pub async fn build(
    db: &Db,
    filter: &OversightFilter,
    now: i64,
    policy: &FreshnessPolicy,
) -> Result<OversightView, StoreError> {
    let k = DEFAULT_K;
    let from = midnight_utc(filter.from);
    let to = midnight_utc(filter.to.succ_opt().unwrap_or(filter.to));
    let planning = regions::summaries(db, RegionScheme::Planning).await?;
    let region_name = filter.region_id.and_then(|id| planning.iter().find(|r| r.id == id).map(|r| r.name.clone()));
    let region_names: Vec<String> = planning.into_iter().map(|r| r.name).collect();
    // Every need of the period, unfiltered: each week is suppressed as a whole, then filtered.
    let facts: Vec<NeedFact> = series::need_facts(db, from, to).await?;

    // Weeks in range, so empty weeks still appear.
    let mut weeks = Vec::new();
    let mut week = Bucket::Week.start_of(from);
    while week <= filter.to {
        weeks.push(week);
        week = Bucket::Week.next(week);
    }
    let tables = needs::build(&facts, &weeks, &region_names, region_name.as_deref(), filter, k);

    // Capacity and compliance, replayed from history at the end of each week.
    let points =
        series::capacity_series(db, RegionScheme::Planning, filter.from, filter.to, Bucket::Week, policy).await?;
    let families = CategoryFamily::ALL.len();
    let mut by_week: BTreeMap<chrono::NaiveDate, (i64, i64)> = BTreeMap::new();
    let mut cells_by_week: BTreeMap<chrono::NaiveDate, Vec<CapacityCell>> = BTreeMap::new();
    let mut by_region_last: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let last_week = weeks.last().copied();
    for ((week, region, family), p) in &points {
        // Every region and family of the week goes into its capacity web, whatever the filter.
        let cells =
            cells_by_week.entry(*week).or_insert_with(|| vec![CapacityCell::default(); region_names.len() * families]);
        if let (Some(r), Some(f)) =
            (region_names.iter().position(|n| n == region), CategoryFamily::ALL.iter().position(|x| x == family))
        {
            let cell = &mut cells[r * families + f];
            cell.total += p.total;
            cell.free += p.countable_available;
            cell.organizations.extend(&p.organization_ids);
        }
        if region_name.as_ref().is_some_and(|r| r != region) || filter.family.is_some_and(|f| f != *family) {
            continue;
        }
        let e = by_week.entry(*week).or_default();
        e.0 += p.services;
        e.1 += p.fresh_services;
        if Some(*week) == last_week {
            let r = by_region_last.entry(region.clone()).or_default();
            r.0 += p.services;
            r.1 += p.fresh_services;
        }
    }
    // Total minus free is how many people are housed: each week's figures for every region and family are
    // suppressed together (enough organizations behind each, no small number in use, nothing recoverable
    // by subtraction), and the filter reads its own.
    let position = |i: Option<usize>| i.map_or(0, |i| i + 1);
    let at_region = position(region_name.as_ref().and_then(|n| region_names.iter().position(|r| r == n)));
    let at_family = position(filter.family.and_then(|f| CategoryFamily::ALL.iter().position(|x| *x == f)));
    let capacity = cells_by_week
        .iter()
        .map(|(w, cells)| {
            let figure = SuppressedCapacity::build(region_names.len(), families, cells, k).figure(at_region, at_family);
            WeeklyValue { week: *w, values: vec![figure.map(|f| f.0 as f64), figure.map(|f| f.1 as f64)] }
        })
        .collect();
    let compliance = by_week
        .iter()
        .map(|(w, v)| WeeklyValue {
            week: *w,
            values: vec![Some(if v.0 == 0 { 0.0 } else { v.1 as f64 / v.0 as f64 })],
        })
        .collect();
    let compliance_by_organization = crate::store::organizations::freshness_by_organization(db, now, policy).await?;
    Ok(OversightView {
        needs: tables.needs,
        not_placed: tables.not_placed,
        placement_hours: tables.placement_hours,
        capacity,
        compliance,
        compliance_by_region: by_region_last.into_iter().map(|(r, (s, f))| (r, s, f)).collect(),
        compliance_by_organization,
        k,
    })
}
