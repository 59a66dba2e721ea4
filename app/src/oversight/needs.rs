//! The dashboard's need tables: each week's needs counted once, into a [`SuppressedWeek`] that every filter
//! and table reads from, so that no combination of views reveals a count another hides.

use std::sync::Arc;

use chrono::NaiveDate;

use super::Geography;
use super::kept::Kept;
use crate::domain::need_web::{NeedAtom, OUTCOMES, Shape, SuppressedWeek};
use crate::domain::oversight::{LabelledTable, OversightFilter, WeeklyValue};
use crate::domain::profile::{AgeGroup, VictimType};
use crate::domain::series::{Bucket, NeedFact, NeedSplit, hours_to_placement};
use crate::domain::suppression::{Cell, by_week};
use crate::domain::taxonomy::CategoryFamily;

/// The need tables of the dashboard.
pub struct NeedTables {
    /// Needs by week and outcome.
    pub needs: LabelledTable,
    /// Needs not placed, by week, split as asked.
    pub not_placed: LabelledTable,
    /// Median hours from recording to placement, by the week recorded.
    pub placement_hours: Vec<WeeklyValue>,
}

/// Victim classes, in the order of [`NeedSplit::series`]: the four headline types, then the two age groups
/// whose trafficking type is both or not screened.
fn victim_class(fact: &NeedFact) -> usize {
    match VictimType::of(fact.age_group, fact.trafficking_type) {
        Some(v) => 1 + VictimType::ALL.iter().position(|x| *x == v).unwrap_or(0),
        None => 1 + VictimType::ALL.len() + AgeGroup::ALL.iter().position(|a| *a == fact.age_group).unwrap_or(0),
    }
}

fn families_of(fact: &NeedFact) -> u32 {
    CategoryFamily::ALL.iter().enumerate().fold(
        0,
        |bits, (i, family)| {
            if fact.families.contains(family) { bits | (1 << i) } else { bits }
        },
    )
}

/// The week's counts as [`NeedAtom`]s (needs closed with an outcome the tables count; others are left out).
fn atom(fact: &NeedFact, geography: &Geography) -> Option<NeedAtom> {
    let outcome = 1 + OUTCOMES.iter().position(|o| Some(*o) == fact.outcome)?;
    let place = geography.place_of(&fact.region, fact.county.as_deref())?;
    Some(NeedAtom { place, victim: victim_class(fact), outcome, families: families_of(fact) })
}

/// Which counts of a week a filter reads: family selector, region coordinate and victim class (0 for all).
#[derive(Debug, Clone, Copy)]
struct Selection {
    family: usize,
    region: usize,
    victim: usize,
}

impl Selection {
    fn of(filter: &OversightFilter, shape: &Shape, geography: &Geography, region: Option<&str>) -> Self {
        let position = |i: Option<usize>| i.map_or(0, |i| i + 1);
        Self {
            family: position(filter.family.and_then(|f| CategoryFamily::ALL.iter().position(|x| *x == f))),
            region: shape.region(Geography::index(filter.scheme), geography.position(filter.scheme, region)),
            victim: position(filter.victim.and_then(|v| VictimType::ALL.iter().position(|x| *x == v))),
        }
    }

    fn matches(self, shape: &Shape, atom: &NeedAtom) -> bool {
        (self.family == 0 || atom.families & (1 << (self.family - 1)) != 0)
            && shape.in_region(atom, self.region)
            && (self.victim == 0 || atom.victim == self.victim)
    }
}

/// The outcome coordinate of "not placed".
const NOT_PLACED: usize = 2;

/// Builds the need tables of `filter` from every need recorded in `weeks`, unfiltered: each week is
/// suppressed as a whole, by both region schemes at once, and the filter only picks which of its counts to
/// read. `region` is the name of the filter's region (in the filter's scheme), if any.
pub fn build(
    facts: &[NeedFact],
    weeks: &[NaiveDate],
    geography: &Geography,
    region: Option<&str>,
    filter: &OversightFilter,
    k: i64,
) -> NeedTables {
    let victims = VictimType::ALL.len() + AgeGroup::ALL.len();
    let shape = Shape { families: CategoryFamily::ALL.len(), victims, regions: geography.layout() };
    let at = Selection::of(filter, &shape, geography, region);
    let regions = geography.regions(filter.scheme);
    let scheme = Geography::index(filter.scheme);
    // The filter's region within its scheme (1-based, 0 for statewide), for splits by region.
    let chosen = geography.position(filter.scheme, region);
    let series = filter.split.series(regions);
    let mut needs_lines = Vec::new();
    let mut split_lines = Vec::new();
    let mut placement_hours = Vec::new();
    // Each need's week and atom, worked out once.
    let mut needs_of_week: std::collections::BTreeMap<NaiveDate, Vec<(&NeedFact, Option<NeedAtom>)>> =
        Default::default();
    for fact in facts {
        needs_of_week.entry(Bucket::Week.start_of(fact.created_at)).or_default().push((fact, atom(fact, geography)));
    }
    for week in weeks {
        let in_week = needs_of_week.remove(week).unwrap_or_default();
        let atoms: Vec<NeedAtom> = in_week.iter().filter_map(|(_, a)| *a).collect();
        let counts = suppressed(&shape, atoms, k);
        let cell = |s: Selection, outcome: usize| counts.cell(s.family, s.region, s.victim, outcome);
        needs_lines.push(((1..=OUTCOMES.len()).map(|o| cell(at, o)).collect(), cell(at, 0)));
        let split: Vec<Cell> = match filter.split {
            NeedSplit::None => vec![cell(at, NOT_PLACED)],
            NeedSplit::Region => along(shape.regions(scheme), chosen, |r| {
                cell(Selection { region: shape.region(scheme, r), ..at }, NOT_PLACED)
            }),
            NeedSplit::VictimType => {
                along(shape.victims, at.victim, |v| cell(Selection { victim: v, ..at }, NOT_PLACED))
            }
        };
        split_lines.push((split, cell(at, NOT_PLACED)));
        let selected: Vec<NeedFact> = in_week
            .iter()
            .filter(|(_, a)| a.is_some_and(|a| at.matches(&shape, &a)))
            .map(|(f, _)| (*f).clone())
            .collect();
        let median = median_hours(&selected, cell(at, 1), cell(at, 3), k);
        placement_hours.push(WeeklyValue { week: *week, values: vec![median] });
    }
    let labels: Vec<String> = weeks.iter().map(|w| w.format("%Y-%m-%d").to_string()).collect();
    NeedTables {
        needs: LabelledTable {
            title: "Needs by week: met and unmet".into(),
            rows: labels.clone(),
            columns: OUTCOMES.iter().map(|o| o.label().to_owned()).collect(),
            table: by_week(needs_lines),
        },
        not_placed: LabelledTable {
            title: "Needs not placed, by week".into(),
            rows: series,
            columns: labels,
            table: by_week(split_lines).transposed(),
        },
        placement_hours,
    }
}

/// A week's suppression, worked out once for the same needs: every filter, table and export of a week
/// reads the same [`SuppressedWeek`] (a year of weeks for several scales, about 20 KB each, are kept).
fn suppressed(shape: &Shape, mut atoms: Vec<NeedAtom>, k: i64) -> Arc<SuppressedWeek> {
    static KEPT: Kept<(Shape, i64, Vec<NeedAtom>), SuppressedWeek> = Kept::new(512);
    atoms.sort_unstable();
    KEPT.get_or((shape.clone(), k, atoms), |(shape, k, atoms)| SuppressedWeek::build(shape, atoms, *k))
}

/// The counts of one coordinate's values 1 to `n`, read by `read`; zero (and known to be) outside the
/// filter's choice `chosen` (0 when it chose none).
fn along(n: usize, chosen: usize, read: impl Fn(usize) -> Cell) -> Vec<Cell> {
    (1..=n).map(|i| if chosen == 0 || chosen == i { read(i) } else { Cell::Shown(0) }).collect()
}

/// The median hours from recording to placement of `selected` needs, published only where the placed
/// counts it summarises (`inside` and `outside` their region) are themselves shown and add up to at least
/// k: a median says nothing of how many, and is never taken over a handful of people.
fn median_hours(selected: &[NeedFact], inside: Cell, outside: Cell, k: i64) -> Option<f64> {
    let (Cell::Shown(inside), Cell::Shown(outside)) = (inside, outside) else { return None };
    if inside + outside < k {
        return None;
    }
    let mut hours = hours_to_placement(selected);
    hours.sort_unstable();
    hours.get(hours.len() / 2).map(|h| *h as f64)
}
