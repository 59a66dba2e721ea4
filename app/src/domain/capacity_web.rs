//! One week's capacity as every view of the oversight dashboard reads it, suppressed together.
//!
//! A figure is addressed by a region and a service family, where 0 means "all". Each figure publishes total
//! and free units, so also units in use (total minus free), which count people. A figure is hidden when fewer
//! than [`MIN_CONTRIBUTORS`] organizations are behind it, or its units in use are from 1 to k-1; then every
//! sum it is part of (a region's families add up to the region, the regions to the state) is checked with
//! [`CountWeb`], on units in use and on total units alike, so neither can be recovered by subtraction.

use std::collections::BTreeSet;

use super::disclosure::CountWeb;
use super::suppression::MIN_CONTRIBUTORS;

/// One region's capacity in one family: units, and the organizations behind them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    hidden: Vec<bool>,
}

impl SuppressedCapacity {
    /// Suppresses `cells`, given by region (0-based, `regions` of them) then family (`families`), with
    /// threshold `k` on units in use.
    pub fn build(regions: usize, families: usize, cells: &[CapacityCell], k: i64) -> Self {
        debug_assert_eq!(cells.len(), regions * families);
        let index = |r: usize, f: usize| r * (families + 1) + f;
        let mut sums = vec![CapacityCell::default(); (regions + 1) * (families + 1)];
        for r in 0..regions {
            for f in 0..families {
                let cell = &cells[r * families + f];
                for i in [index(r + 1, f + 1), index(r + 1, 0), index(0, f + 1), index(0, 0)] {
                    sums[i].total += cell.total;
                    sums[i].free += cell.free;
                    sums[i].organizations.extend(&cell.organizations);
                }
            }
        }
        let web = |value: fn(&CapacityCell) -> i64| {
            let mut web = CountWeb::new();
            for cell in &sums {
                web.count(value(cell), true);
            }
            for r in 0..=regions {
                web.sum(index(r, 0), (1..=families).map(|f| index(r, f)).collect());
            }
            for f in 0..=families {
                web.sum(index(0, f), (1..=regions).map(|r| index(r, f)).collect());
            }
            web
        };
        let in_use = web(|c| c.total - c.free);
        // Total units count no one: only subtraction is guarded against (k = 1 hides nothing small).
        let totals = web(|c| c.total);
        // A figure nobody is behind is a zero anyone can tell from the directory: shown, as zeros are.
        let mut hidden: Vec<usize> =
            (0..sums.len()).filter(|&i| (1..MIN_CONTRIBUTORS).contains(&sums[i].organizations.len())).collect();
        // Each pass hides no less than the one before, so this settles with both webs safe.
        loop {
            let by_use = in_use.suppress_also(k, &hidden);
            let next: Vec<usize> = totals
                .suppress_also(1, &(0..sums.len()).filter(|&i| by_use[i]).collect::<Vec<_>>())
                .into_iter()
                .enumerate()
                .filter_map(|(i, h)| h.then_some(i))
                .collect();
            if next == hidden {
                break;
            }
            hidden = next;
        }
        let mut mask = vec![false; sums.len()];
        for i in hidden {
            mask[i] = true;
        }
        Self { families, cells: sums, hidden: mask }
    }

    /// Total and free units of `region` and `family` (0 for all, else 1-based), or `None` when hidden.
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
