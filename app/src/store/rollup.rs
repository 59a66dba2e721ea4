//! Daily capacity rollups: the capacity of every place and family at the end of each local day, kept in
//! `capacity_rollup` so that oversight reads a few hundred rows instead of replaying the whole history.
//!
//! A day is rolled up once it has ended and is listed in `capacity_rollup_days` for the freshness policy in
//! force (the bands depend on it). The sweeper keeps the recent days current ([`catch_up`]); a dashboard read
//! builds any day it needs that is missing ([`capacity_on`]); `continuum rollup rebuild` builds them all again
//! ([`rebuild`]). A history line dated on or before a rolled-up day (demo data, a back-dated fixture) or a
//! service retired then unlists those days ([`invalidate_from`]) inside the writer's own transaction, so
//! the next read builds them again. A day that has not ended yet is read live from the capacity rows.
//!
//! A rolled-up day keeps the places and families its services had when it was built: moving a site later
//! does not rewrite the past.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::domain::freshness::FreshnessPolicy;
use crate::domain::local_time::{date, midnight_utc};
use crate::domain::region::RegionScheme;
use crate::domain::taxonomy::CategoryFamily;

use super::series::{CapacityPoint, DailyCapacity, Place};
use super::{Db, StoreError, WriteTx, query};

/// How many ended days the sweeper keeps rolled up: the dashboard's default 13 weeks and then some.
pub const KEPT_DAYS: i64 = 120;

/// The most days one build transaction covers: writers of history wait for a build (see [`build`]), so a long
/// range is built a quarter at a time, each a short wait.
const SPAN_DAYS: i64 = 92;

/// Rollup rows written per statement (eleven values each, inside both drivers' limits).
const ROWS_PER_STATEMENT: usize = 400;

/// A service as the rollups count it.
#[derive(sqlx::FromRow)]
struct ServiceMeta {
    id: i64,
    family: String,
    region: String,
    county: String,
    organization_id: i64,
    retired_at: Option<i64>,
}

/// A service with its capacity row now: latest total, free units and when its history last moved.
#[derive(sqlx::FromRow)]
struct LiveRow {
    family: String,
    region: String,
    county: String,
    organization_id: i64,
    retired_at: Option<i64>,
    total: i64,
    vacant: i64,
    at: i64,
}

#[derive(sqlx::FromRow)]
struct RollupRow {
    day: String,
    region: String,
    county: String,
    family: String,
    total: i64,
    countable_available: i64,
    services: i64,
    fresh_services: i64,
    stale_services: i64,
    organization_ids: String,
}

const SERVICES: &str = "SELECT s.id, cat.family, r.name AS region, c.name AS county, si.organization_id, s.retired_at
    FROM services s JOIN categories cat ON cat.code = s.category JOIN sites si ON si.id = s.site_id
    JOIN town_regions tr ON tr.town_id = si.town_id AND tr.scheme = $1 JOIN regions r ON r.id = tr.region_id
    JOIN town_regions tc ON tc.town_id = si.town_id AND tc.scheme = $2 JOIN regions c ON c.id = tc.region_id";

/// The key a policy's rollups are stored under: its thresholds, so a changed policy starts afresh.
fn policy_key(policy: &FreshnessPolicy) -> String {
    CategoryFamily::ALL
        .iter()
        .map(|f| {
            let t = policy.for_family(*f);
            format!("{}:{}-{}", f.code(), t.fresh_secs, t.stale_secs)
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The UTC instant a local day ends.
fn end_of(day: NaiveDate) -> i64 {
    midnight_utc(day.succ_opt().unwrap_or(day))
}

/// Capacity by place and family at the end of each of `days`: ended days from the rollups (built first where
/// missing), a day still running from the capacity rows as they are at `now`.
#[tracing::instrument(skip(db, policy), fields(backend = db.backend()))]
pub async fn capacity_on(
    db: &Db,
    days: &[NaiveDate],
    policy: &FreshnessPolicy,
    now: i64,
) -> Result<DailyCapacity, StoreError> {
    let (ended, running): (Vec<NaiveDate>, Vec<NaiveDate>) = days.iter().partition(|d| end_of(**d) <= now);
    ensure(db, &ended, policy).await?;
    let mut out = read(db, &ended, policy).await?;
    for day in running {
        out.append(&mut live(db, day, policy).await?);
    }
    Ok(out)
}

/// Rolls up the ended days of the last [`KEPT_DAYS`] that are missing; returns how many days were built.
pub async fn catch_up(db: &Db, policy: &FreshnessPolicy, now: i64) -> Result<usize, StoreError> {
    let today = date(now);
    let days: Vec<NaiveDate> =
        (1..=KEPT_DAYS).filter_map(|back| today.checked_sub_days(chrono::Days::new(back as u64))).collect();
    ensure(db, &days, policy).await
}

/// Forgets every rollup and builds every ended day from the first history line on; returns the days built.
pub async fn rebuild(db: &Db, policy: &FreshnessPolicy, now: i64) -> Result<usize, StoreError> {
    let mut tx = db.write().await?;
    query("DELETE FROM capacity_rollup_days").execute(&mut tx).await?;
    query("DELETE FROM capacity_rollup").execute(&mut tx).await?;
    tx.commit().await?;
    let (first,): (Option<i64>,) = query("SELECT MIN(at) FROM capacity_history").fetch_one(db).await?;
    let Some(first) = first else { return Ok(0) };
    let yesterday = date(now).pred_opt().unwrap_or(date(now));
    let days: Vec<NaiveDate> = date(first).iter_days().take_while(|d| *d <= yesterday).collect();
    ensure(db, &days, policy).await
}

/// Unlists every rolled-up day from the one `at` falls on: called by every writer of a history line or a
/// retirement, in its transaction. A write dated today finds nothing to unlist (only ended days are listed).
pub(crate) async fn invalidate_from(tx: &mut WriteTx, at: i64) -> Result<(), StoreError> {
    query("DELETE FROM capacity_rollup_days WHERE day >= $1").bind(date(at).to_string()).execute(tx).await?;
    Ok(())
}

/// Builds the days of `days` that are not listed yet (and every day between them), at most [`SPAN_DAYS`] days
/// to a transaction.
async fn ensure(db: &Db, days: &[NaiveDate], policy: &FreshnessPolicy) -> Result<usize, StoreError> {
    if days.is_empty() {
        return Ok(0);
    }
    let key = policy_key(policy);
    let missing = missing(db, days, &key).await?;
    let mut built = 0;
    let mut rest = missing.as_slice();
    while let Some(first) = rest.first() {
        let span_end = *first + chrono::Days::new(SPAN_DAYS as u64 - 1);
        let (window, later) = rest.split_at(rest.partition_point(|d| *d <= span_end));
        built += build(db, window, &key, policy).await?;
        rest = later;
    }
    Ok(built)
}

/// Builds one window of missing days in one write transaction.
async fn build(db: &Db, days: &[NaiveDate], key: &str, policy: &FreshnessPolicy) -> Result<usize, StoreError> {
    let mut tx = db.write().await?;
    if tx.is_postgres() {
        // Writers unlisting days wait for this build, and it waits for those already unlisting: a day is never
        // listed from history read before a line that unlisted it. Builders wait for each other.
        query("LOCK TABLE capacity_rollup_days IN SHARE ROW EXCLUSIVE MODE").execute(&mut tx).await?;
    }
    // Another builder may have finished while this one waited.
    let missing = missing(&mut tx, days, key).await?;
    let (Some(first), Some(last)) = (missing.first().copied(), missing.last().copied()) else { return Ok(0) };
    let built = replay(&mut tx, first, last, policy).await?;
    let span: Vec<String> = first.iter_days().take_while(|d| *d <= last).map(|d| d.to_string()).collect();
    let mut clear = query("DELETE FROM capacity_rollup WHERE policy = $1 AND day IN ").bind(key);
    clear.push_bind_list(span.iter().map(String::as_str));
    clear.execute(&mut tx).await?;
    let rows: Vec<_> = built.iter().collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut q = query(
            "INSERT INTO capacity_rollup (policy, day, region, county, family, total, countable_available, services,
                fresh_services, stale_services, organization_ids) VALUES ",
        );
        for (i, ((day, (region, county), family), p)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            let organizations: Vec<String> = p.organization_ids.iter().map(i64::to_string).collect();
            q.push("(").push_bind(key).push(", ").push_bind(day.to_string()).push(", ").push_bind(region);
            q.push(", ").push_bind(county).push(", ").push_bind(family.code()).push(", ").push_bind(p.total);
            q.push(", ").push_bind(p.countable_available).push(", ").push_bind(p.services).push(", ");
            q.push_bind(p.fresh_services).push(", ").push_bind(p.stale_services).push(", ");
            q.push_bind(organizations.join(",")).push(")");
        }
        q.execute(&mut tx).await?;
    }
    for chunk in span.chunks(ROWS_PER_STATEMENT) {
        let mut q = query("INSERT INTO capacity_rollup_days (policy, day) VALUES ");
        for (i, day) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").push_bind(key).push(", ").push_bind(day).push(")");
        }
        q.push(" ON CONFLICT (policy, day) DO NOTHING");
        q.execute(&mut tx).await?;
    }
    tx.commit().await?;
    tracing::info!(days = span.len(), from = %first, to = %last, "rolled up daily capacity");
    Ok(span.len())
}

/// The days of `days` not listed for the policy `key`, in order.
async fn missing<'c>(
    on: impl Into<super::On<'c>>,
    days: &[NaiveDate],
    key: &str,
) -> Result<Vec<NaiveDate>, StoreError> {
    let wanted: BTreeSet<NaiveDate> = days.iter().copied().collect();
    let mut q = query("SELECT day FROM capacity_rollup_days WHERE policy = $1 AND day IN ").bind(key);
    q.push_bind_list(wanted.iter().map(|d| d.to_string()));
    let listed: Vec<(String,)> = q.fetch_all(on).await?;
    let listed: BTreeSet<String> = listed.into_iter().map(|(d,)| d).collect();
    Ok(wanted.into_iter().filter(|d| !listed.contains(&d.to_string())).collect())
}

/// The stored rollups of `days`.
async fn read(db: &Db, days: &[NaiveDate], policy: &FreshnessPolicy) -> Result<DailyCapacity, StoreError> {
    let mut out = DailyCapacity::new();
    if days.is_empty() {
        return Ok(out);
    }
    let mut q = query(
        "SELECT day, region, county, family, total, countable_available, services, fresh_services, stale_services,
            organization_ids FROM capacity_rollup WHERE policy = $1 AND day IN ",
    )
    .bind(policy_key(policy));
    q.push_bind_list(days.iter().map(|d| d.to_string()));
    let rows: Vec<RollupRow> = q.fetch_all(db).await?;
    for r in rows {
        let corrupt = |what: &str| StoreError::Corrupt(format!("capacity rollup {} {}: {what}", r.day, r.region));
        let day = NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").map_err(|_| corrupt("day"))?;
        let family = CategoryFamily::parse(&r.family).ok_or_else(|| corrupt("family"))?;
        let organization_ids = r
            .organization_ids
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<i64>().map_err(|_| corrupt("organizations")))
            .collect::<Result<_, _>>()?;
        let point = CapacityPoint {
            total: r.total,
            countable_available: r.countable_available,
            services: r.services,
            fresh_services: r.fresh_services,
            stale_services: r.stale_services,
            organization_ids,
        };
        out.insert((day, (r.region, r.county), family), point);
    }
    Ok(out)
}

/// A day that has not ended, from the capacity rows: each service's latest line is its capacity row. If any
/// row already moved past the day's end (a line dated ahead), the day is replayed from history instead.
async fn live(db: &Db, day: NaiveDate, policy: &FreshnessPolicy) -> Result<DailyCapacity, StoreError> {
    const LIVE: &str = "SELECT cat.family, r.name AS region, c.name AS county, si.organization_id, s.retired_at,
            cap.total, cap.vacant,
            CASE WHEN cap.last_changed_at > cap.last_confirmed_at THEN cap.last_changed_at ELSE cap.last_confirmed_at END AS at
        FROM services s JOIN capacity cap ON cap.service_id = s.id JOIN categories cat ON cat.code = s.category
        JOIN sites si ON si.id = s.site_id
        JOIN town_regions tr ON tr.town_id = si.town_id AND tr.scheme = $1 JOIN regions r ON r.id = tr.region_id
        JOIN town_regions tc ON tc.town_id = si.town_id AND tc.scheme = $2 JOIN regions c ON c.id = tc.region_id";
    let end = end_of(day);
    let rows: Vec<LiveRow> =
        query(LIVE).bind(RegionScheme::Planning.code()).bind(RegionScheme::County.code()).fetch_all(db).await?;
    if rows.iter().any(|r| r.at >= end) {
        // Only a write transaction reads inside one; this one writes nothing and is rolled back when dropped.
        return replay(&mut db.write().await?, day, day, policy).await;
    }
    let mut out = DailyCapacity::new();
    for r in rows {
        let Some(family) = CategoryFamily::parse(&r.family) else { continue };
        if r.retired_at.is_some_and(|retired| retired < end) {
            continue;
        }
        let band = policy.band(family, end - r.at);
        out.entry((day, (r.region, r.county), family)).or_default().count(r.total, r.vacant, band, r.organization_id);
    }
    Ok(out)
}

/// Replays the capacity history into the state at the end of each day of `[from, to]`, by place and family.
/// It reads inside `tx`, the builder's own transaction, so a build needs no second connection while writers
/// wait for it.
async fn replay(
    tx: &mut WriteTx,
    from: NaiveDate,
    to: NaiveDate,
    policy: &FreshnessPolicy,
) -> Result<DailyCapacity, StoreError> {
    const HISTORY: &str = "SELECT service_id, at, new_total, new_vacant FROM capacity_history
        WHERE at < $1 ORDER BY service_id, at, id";
    let services: Vec<ServiceMeta> = query(SERVICES)
        .bind(RegionScheme::Planning.code())
        .bind(RegionScheme::County.code())
        .fetch_all(&mut *tx)
        .await?;
    let history: Vec<(i64, i64, i64, i64)> = query(HISTORY).bind(end_of(to)).fetch_all(&mut *tx).await?;
    let days: Vec<(NaiveDate, i64)> = from.iter_days().take_while(|d| *d <= to).map(|d| (d, end_of(d))).collect();
    let meta: HashMap<i64, (CategoryFamily, Place, i64, Option<i64>)> = services
        .into_iter()
        .filter_map(|s| {
            let family = CategoryFamily::parse(&s.family)?;
            Some((s.id, (family, (s.region, s.county), s.organization_id, s.retired_at)))
        })
        .collect();
    let mut out = DailyCapacity::new();
    for events in history.chunk_by(|a, b| a.0 == b.0) {
        let Some((family, place, organization_id, retired_at)) = meta.get(&events[0].0) else { continue };
        let thresholds = policy.for_family(*family);
        let mut i = 0;
        let mut state: Option<(i64, i64, i64)> = None; // (at, total, vacant)
        for &(day, end) in &days {
            while i < events.len() && events[i].1 < end {
                state = Some((events[i].1, events[i].2, events[i].3));
                i += 1;
            }
            let Some((at, total, vacant)) = state else { continue };
            if retired_at.is_some_and(|retired| retired < end) {
                // Retired before this day ended: it counts in no total from that moment on.
                continue;
            }
            let band = thresholds.band(end - at);
            out.entry((day, place.clone(), *family)).or_default().count(total, vacant, band, *organization_id);
        }
    }
    Ok(out)
}
