//! One week's capacity as every view of the oversight dashboard reads it, suppressed together.
//!
//! A figure is addressed by a region and a service family, where 0 means "all". Each figure publishes total
//! and free units, so also units in use (total minus free), which count people. A figure is hidden when fewer
//! than [`MIN_CONTRIBUTORS`] organizations are behind it, or its units in use are from 1 to k-1; then every
//! sum it is part of (a region's families add up to the region, the regions to the state) is checked with
//! [`CountWeb`], on units in use and on total units alike, so neither can be recovered by subtraction.

use std::collections::BTreeSet;

use super::disclosure::CountWeb;
use super::disclosure_audit::{Hardening, Seen};
use super::region_layout::RegionLayout;
use super::suppression::MIN_CONTRIBUTORS;

/// One region's capacity in one family: units, and the organizations behind them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CapacityCell {
    /// Total units.
    pub total: i64,
    /// Free units (countable: not stale).
    pub free: i64,
    /// Organizations behind the units.
    pub organizations: BTreeSet<i64>,
}

/// A week's capacity figures after suppression, for every region (and all) and family (and all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressedCapacity {
    families: usize,
    cells: Vec<CapacityCell>,
    /// By figure: whether it is hidden (places are, always).
    hidden: Vec<bool>,
}

impl SuppressedCapacity {
    /// Suppresses `cells`, given by region (0-based, `regions` of them) then family (`families`), with
    /// threshold `k` on units in use.
    pub fn build(regions: usize, families: usize, cells: &[CapacityCell], k: i64) -> Self {
        Self::build_by_place(&RegionLayout::single(regions), families, cells, k)
    }

    /// Suppresses `cells`, given by place of `layout` (0-based) then family, so that every scheme of the
    /// layout can be published at once: a place is never published, and no figure of one scheme beside
    /// those of another gives away a place's units in use, or the units of a place with too few
    /// organizations. After the lines are made safe, a reader holding every shown figure is audited as
    /// for needs ([`Hardening`]).
    pub fn build_by_place(layout: &RegionLayout, families: usize, cells: &[CapacityCell], k: i64) -> Self {
        debug_assert_eq!(cells.len(), layout.places() * families);
        let coordinates = layout.coordinates();
        let index = |r: usize, f: usize| r * (families + 1) + f;
        let mut sums = vec![CapacityCell::default(); coordinates * (families + 1)];
        let mut members = vec![Vec::new(); sums.len()];
        for p in 1..=layout.places() {
            for f in 0..families {
                let atom = (p - 1) * families + f;
                let cell = &cells[atom];
                for r in layout.regions_of(p) {
                    for i in [index(r, f + 1), index(r, 0)] {
                        sums[i].total += cell.total;
                        sums[i].free += cell.free;
                        sums[i].organizations.extend(&cell.organizations);
                        members[i].push(atom);
                    }
                }
            }
        }
        let published: Vec<bool> = (0..sums.len()).map(|i| i / (families + 1) <= layout.published()).collect();
        // Figures with too few organizations behind them: never shown, never to be worked out.
        let few: Vec<usize> =
            (0..sums.len()).filter(|&i| (1..MIN_CONTRIBUTORS).contains(&sums[i].organizations.len())).collect();
        let web = |value: fn(&CapacityCell) -> i64| {
            let mut web = CountWeb::new();
            for (cell, published) in sums.iter().zip(&published) {
                web.count(value(cell), *published);
            }
            for &i in &few {
                web.protect(i);
            }
            for f in 0..=families {
                for (whole, parts) in layout.parts() {
                    web.sum(index(whole, f), parts.iter().map(|&r| index(r, f)).collect());
                }
            }
            for r in 0..coordinates {
                web.sum(index(r, 0), (1..=families).map(|f| index(r, f)).collect());
            }
            web
        };
        let in_use = web(|c| c.total - c.free);
        // Total units count no one: only subtraction is guarded against (k = 1 hides nothing small).
        let totals = web(|c| c.total);
        // Both webs safe, starting from `also` hidden: each pass hides no less than the one before.
        let settle = |also: &[usize]| {
            let mut hidden: Vec<usize> = also.iter().copied().filter(|&i| published[i]).collect();
            loop {
                let by_use = in_use.suppress_also(k, &hidden);
                let by_total = totals.suppress_also(1, &(0..sums.len()).filter(|&i| by_use[i]).collect::<Vec<_>>());
                let next: Vec<usize> = (0..sums.len()).filter(|&i| by_total[i]).collect();
                if next == hidden {
                    return by_total;
                }
                hidden = next;
            }
        };
        // A figure nobody is behind is a zero anyone can tell from the directory: shown, as zeros are.
        let mut hidden = settle(&few);
        if layout.coordinates() > 1 + layout.published() {
            // Across schemes a place can follow from several figures at once: audit as a reader would.
            let values = |value: fn(&CapacityCell) -> i64| sums.iter().map(value).collect::<Vec<i64>>();
            let (use_values, total_values) = (values(|c| c.total - c.free), values(|c| c.total));
            let atoms = |value: fn(&CapacityCell) -> i64| cells.iter().map(value).collect::<Vec<i64>>();
            let (use_truth, total_truth) = (atoms(|c| c.total - c.free), atoms(|c| c.total));
            let guarded = |values: &[i64], seen: &[Seen], small_below: i64| -> Vec<Vec<usize>> {
                let unknown = |i: usize| seen[i] != Seen::Shown(values[i]);
                (0..values.len())
                    .filter(|&i| values[i] > 0 && unknown(i) && (values[i] < small_below || few.contains(&i)))
                    .map(|i| vec![i])
                    .collect()
            };
            loop {
                let before = hidden.clone();
                let by_use = Hardening::new(&members, &use_truth, &use_values, &published);
                hidden = by_use.harden(hidden, |seen| guarded(&use_values, seen, k), |also| settle(also));
                let by_total = Hardening::new(&members, &total_truth, &total_values, &published);
                hidden = by_total.harden(hidden, |seen| guarded(&total_values, seen, 1), |also| settle(also));
                if hidden == before {
                    break;
                }
            }
        }
        Self { families, cells: sums, hidden }
    }

    /// Total and free units of `region` and `family` (0 for all, else 1-based), or `None` when hidden.
    /// `region` is a coordinate of the layout the figures were built with ([`RegionLayout::region`]).
    pub fn figure(&self, region: usize, family: usize) -> Option<(i64, i64)> {
        let i = region * (self.families + 1) + family;
        (!self.hidden[i]).then(|| (self.cells[i].total, self.cells[i].free))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(total: i64, free: i64, organizations: std::ops::Range<i64>) -> CapacityCell {
        CapacityCell { total, free, organizations: organizations.collect() }
    }

    #[test]
    fn a_region_with_one_house_cannot_be_recovered_from_the_state_minus_the_others() {
        // Three regions, one family: the third has a single organization.
        let cells = [cell(10, 4, 0..3), cell(8, 2, 3..6), cell(5, 3, 6..7)];
        let week = SuppressedCapacity::build(3, 1, &cells, 5);
        assert_eq!(week.figure(3, 1), None, "one organization");
        let shown = (1..=2).filter(|&r| week.figure(r, 1).is_some()).count();
        assert!(
            shown < 2 || week.figure(0, 1).is_none(),
            "the state's 23 beside the other regions' 10 and 8 would give the third region's 5"
        );
        assert_eq!(week.figure(3, 0), None, "and its all-families figure, which is the same");
    }

    #[test]
    fn one_safe_house_or_a_few_people_in_use_is_hidden_and_nobody_housed_is_shown() {
        let alone = |cell| SuppressedCapacity::build(1, 1, &[cell], 5).figure(1, 1);
        assert_eq!(alone(cell(12, 10, 0..1)), None, "one safe house: 12 - 10 would be its residents");
        assert_eq!(alone(cell(40, 37, 0..5)), None, "three people in use");
        assert_eq!(alone(cell(40, 30, 0..3)), Some((40, 30)));
        assert_eq!(alone(cell(40, 40, 0..3)), Some((40, 40)), "nobody housed reveals no one");
    }

    #[test]
    fn an_empty_region_is_a_shown_zero_so_it_cannot_pad_a_hidden_line() {
        // Were the empty second region hidden, "two hidden counts" would seem safe while the state minus the
        // first region still gives the third's 5 beds: the empty one is a known zero.
        let cells = [cell(10, 4, 0..3), CapacityCell::default(), cell(5, 3, 3..4)];
        let week = SuppressedCapacity::build(3, 1, &cells, 5);
        assert_eq!(week.figure(2, 1), Some((0, 0)));
        assert!(week.figure(1, 1).is_none() || week.figure(0, 1).is_none());
    }

    #[test]
    fn one_house_between_two_schemes_cannot_be_recovered_from_a_county_minus_a_region() {
        // Scheme A: regions 1 and 2; scheme B: regions 1 and 2. Place 2 (A's 2 inside B's 1) is one house.
        let layout = RegionLayout::crossed(vec![2, 2], vec![vec![1, 1], vec![2, 1], vec![2, 2]]);
        let cells = [cell(10, 4, 0..3), cell(6, 2, 3..4), cell(9, 3, 4..7)];
        let week = SuppressedCapacity::build_by_place(&layout, 1, &cells, 5);
        let (a1, b1) = (week.figure(layout.region(0, 1), 1), week.figure(layout.region(1, 1), 1));
        assert!(a1.is_none() || b1.is_none(), "B1's 16 minus A1's 10 would be the one house's 6: {a1:?} {b1:?}");
        let (a2, b2) = (week.figure(layout.region(0, 2), 1), week.figure(layout.region(1, 2), 1));
        assert!(a2.is_none() || b2.is_none(), "A2's 15 minus B2's 9 too: {a2:?} {b2:?}");
        assert_eq!(week.figure(0, 1), Some((25, 9)), "the state has seven organizations");
    }

    #[test]
    fn figures_with_enough_providers_and_people_are_shown() {
        let cells = [cell(10, 4, 0..3), cell(12, 2, 3..6)];
        let week = SuppressedCapacity::build(2, 1, &cells, 5);
        assert_eq!(week.figure(0, 0), Some((22, 6)));
        assert_eq!(week.figure(1, 1), Some((10, 4)));
    }

    #[test]
    fn a_small_number_of_units_in_use_is_hidden_everywhere_it_would_follow() {
        // Region 2 houses 2 people; the state houses 8: region 1's 6 beside it would give the 2 away.
        let cells = [cell(10, 4, 0..3), cell(6, 4, 3..6)];
        let week = SuppressedCapacity::build(2, 1, &cells, 5);
        assert_eq!(week.figure(2, 1), None);
        assert!(week.figure(1, 1).is_none() || week.figure(0, 1).is_none());
    }
}
