//! Builds the oversight dashboard's aggregates from needs and capacity history, suppressed for publication.
//! Shared by the dashboard's server function and the CSV export.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::domain::capacity_web::{CapacityCell, SuppressedCapacity};
use crate::domain::freshness::FreshnessPolicy;
use crate::domain::local_time::midnight_utc;
use crate::domain::oversight::{OversightFilter, OversightView, WeeklyValue};
use crate::domain::region_layout::RegionLayout;
use crate::domain::series::{Bucket, NeedFact};
use crate::domain::suppression::DEFAULT_K;
use crate::domain::taxonomy::CategoryFamily;
use crate::store::{Db, StoreError, series};

mod geography;
mod kept;
mod needs;

use kept::Kept;

pub use geography::{COUNTY_NOT_RECORDED, Geography};

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
    // Every need of the period, unfiltered: each week is suppressed as a whole, by both schemes at once,
    // then filtered.
    let facts: Vec<NeedFact> = series::need_facts(db, from, to).await?;
    let geography = Geography::load(db, &facts).await?;
    let region_name = filter.region_id.and_then(|id| geography.region_name(filter.scheme, id)).map(str::to_owned);

    // Weeks in range, so empty weeks still appear.
    let mut weeks = Vec::new();
    let mut week = Bucket::Week.start_of(from);
    while week <= filter.to {
        weeks.push(week);
        week = Bucket::Week.next(week);
    }
    let tables = needs::build(&facts, &weeks, &geography, region_name.as_deref(), filter, k);

    // Capacity and compliance at the end of each week, by place, from the daily rollups.
    let points = series::capacity_by_place(db, filter.from, filter.to, Bucket::Week, policy, now).await?;
    let families = CategoryFamily::ALL.len();
    let scheme = Geography::index(filter.scheme);
    let mut by_week: BTreeMap<chrono::NaiveDate, (i64, i64)> = BTreeMap::new();
    let mut cells_by_week: BTreeMap<chrono::NaiveDate, Vec<CapacityCell>> = BTreeMap::new();
    let mut by_region_last: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let last_week = weeks.last().copied();
    for ((week, (planning, county), family), p) in &points {
        // Every place and family of the week goes into its capacity web, whatever the filter.
        let cells = cells_by_week
            .entry(*week)
            .or_insert_with(|| vec![CapacityCell::default(); geography.place_count() * families]);
        if let (Some(place), Some(f)) =
            (geography.place_of(planning, Some(county)), CategoryFamily::ALL.iter().position(|x| x == family))
        {
            let cell = &mut cells[(place - 1) * families + f];
            cell.total += p.total;
            cell.free += p.countable_available;
            cell.organizations.extend(&p.organization_ids);
        }
        let region = if scheme == 0 { planning } else { county };
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
    // Total minus free is how many people are housed: each week's figures for every region of both schemes
    // and family are suppressed together (enough organizations behind each, no small number in use,
    // nothing recoverable by subtraction, within a scheme or across the two), and the filter reads its own.
    let layout = geography.layout();
    let at_region = layout.region(scheme, geography.position(filter.scheme, region_name.as_deref()));
    let at_family = filter.family.and_then(|f| CategoryFamily::ALL.iter().position(|x| *x == f)).map_or(0, |i| i + 1);
    let capacity = cells_by_week
        .iter()
        .map(|(w, cells)| {
            let figure = suppressed_capacity(&layout, families, cells, k).figure(at_region, at_family);
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

/// A week's capacity suppression, worked out once for the same figures (its cross-scheme audit solves
/// linear programs): every filter and export of the week reads the same one.
fn suppressed_capacity(
    layout: &RegionLayout,
    families: usize,
    cells: &[CapacityCell],
    k: i64,
) -> Arc<SuppressedCapacity> {
    static KEPT: Kept<(RegionLayout, usize, Vec<CapacityCell>, i64), SuppressedCapacity> = Kept::new(512);
    KEPT.get_or((layout.clone(), families, cells.to_vec(), k), |(layout, families, cells, k)| {
        SuppressedCapacity::build_by_place(layout, *families, cells, *k)
    })
}
