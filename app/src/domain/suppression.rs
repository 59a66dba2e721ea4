//! Small-cell suppression for every funder and public output: counts from 1 to k-1 are shown as "<k", and
//! further cells are suppressed so that no row or column total lets anyone recompute a hidden cell.

use serde::{Deserialize, Serialize};

use super::disclosure::{line_reveals, small};

/// Default threshold: counts 1 to 4 are hidden.
pub const DEFAULT_K: i64 = 5;

/// How a hidden cell reads in tables and CSV files.
pub const HIDDEN: &str = "*";

/// One published cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    /// Safe to show.
    Shown(i64),
    /// Hidden: a small count, or hidden to protect one.
    Suppressed,
}

impl Cell {
    /// The text for tables and CSV: the number, or [`HIDDEN`]. Every hidden cell reads the same, whether it
    /// is small or hides to protect a small one, so the mark itself reveals nothing.
    pub fn display(self) -> String {
        match self {
            Cell::Shown(n) => n.to_string(),
            Cell::Suppressed => HIDDEN.to_owned(),
        }
    }
}

/// A table ready to publish: cells plus row and column totals, all suppressed consistently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeTable {
    /// Cells by row then column.
    pub cells: Vec<Vec<Cell>>,
    /// Row totals.
    pub row_totals: Vec<Cell>,
    /// Column totals.
    pub column_totals: Vec<Cell>,
    /// Grand total.
    pub total: Cell,
}

impl SafeTable {
    /// The same table with rows and columns swapped.
    pub fn transposed(self) -> Self {
        let cols = self.column_totals.len();
        let cells = (0..cols).map(|c| self.cells.iter().map(|row| row[c]).collect()).collect();
        Self { cells, row_totals: self.column_totals, column_totals: self.row_totals, total: self.total }
    }
}

/// Hides one more cell of a line that [`line_reveals`]: the smallest non-zero shown cell. Returns false when
/// there is none (the caller hides the line's total instead).
fn hide_partner(values: &[i64], hidden: &mut [bool]) -> bool {
    let partner = (0..values.len()).filter(|&i| !hidden[i] && values[i] > 0).min_by_key(|&i| values[i]);
    match partner {
        Some(i) => {
            hidden[i] = true;
            true
        }
        None => false,
    }
}

/// Suppresses `counts` (rows of equal length) with threshold `k`.
///
/// Primary suppression hides every count in 1..k-1. Complementary suppression then repeats until stable:
/// wherever a row or column shows its total but [`line_reveals`] a hidden cell, the smallest other non-zero
/// visible cell of that line is hidden too (or, if there is none, the total). Totals that are themselves
/// small are hidden, and row or column totals follow the same rule against the grand total. Zeros are
/// shown: a zero reveals no one.
pub fn suppress(counts: &[Vec<i64>], k: i64) -> SafeTable {
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    let mut hidden: Vec<Vec<bool>> = counts.iter().map(|r| r.iter().map(|&n| small(n, k)).collect()).collect();
    let row_sum: Vec<i64> = counts.iter().map(|r| r.iter().sum()).collect();
    let col_sum: Vec<i64> = (0..cols).map(|c| counts.iter().map(|r| r[c]).sum()).collect();
    let mut row_hidden: Vec<bool> = row_sum.iter().map(|&n| small(n, k)).collect();
    let mut col_hidden: Vec<bool> = col_sum.iter().map(|&n| small(n, k)).collect();
    let grand: i64 = row_sum.iter().sum();
    let mut grand_hidden = small(grand, k);
    loop {
        let mut changed = false;
        for r in 0..rows {
            if !row_hidden[r] && line_reveals(&counts[r], &hidden[r], k) {
                if !hide_partner(&counts[r], &mut hidden[r]) {
                    row_hidden[r] = true;
                }
                changed = true;
            }
        }
        for c in 0..cols {
            let values: Vec<i64> = (0..rows).map(|r| counts[r][c]).collect();
            let mut column: Vec<bool> = (0..rows).map(|r| hidden[r][c]).collect();
            if !col_hidden[c] && line_reveals(&values, &column, k) {
                if hide_partner(&values, &mut column) {
                    (0..rows).for_each(|r| hidden[r][c] = column[r]);
                } else {
                    col_hidden[c] = true;
                }
                changed = true;
            }
        }
        // The row (and column) totals form a line of their own beside the grand total.
        for (line_hidden, sums) in [(&mut row_hidden, &row_sum), (&mut col_hidden, &col_sum)] {
            if !grand_hidden && line_reveals(sums, line_hidden, k) {
                if !hide_partner(sums, line_hidden) {
                    grand_hidden = true;
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let cell = |n: i64, h: bool| if h { Cell::Suppressed } else { Cell::Shown(n) };
    SafeTable {
        cells: (0..rows).map(|r| (0..cols).map(|c| cell(counts[r][c], hidden[r][c])).collect()).collect(),
        row_totals: (0..rows).map(|r| cell(row_sum[r], row_hidden[r])).collect(),
        column_totals: (0..cols).map(|c| cell(col_sum[c], col_hidden[c])).collect(),
        total: cell(grand, grand_hidden),
    }
}

/// A table of weeks from lines already suppressed (each week's cells and total): totals across weeks are
/// shown only when every number they add up is shown.
pub fn by_week(lines: Vec<(Vec<Cell>, Cell)>) -> SafeTable {
    let cols = lines.first().map_or(0, |(cells, _)| cells.len());
    let (cells, row_totals): (Vec<Vec<Cell>>, Vec<Cell>) = lines.into_iter().unzip();
    let column_totals = (0..cols).map(|c| sum_if_all_shown(cells.iter().map(|row| row[c]))).collect();
    let total = sum_if_all_shown(row_totals.iter().copied());
    SafeTable { cells, row_totals, column_totals, total }
}

/// The sum of `cells` when every one is shown; hidden otherwise, so a total never reveals a hidden cell.
fn sum_if_all_shown(cells: impl Iterator<Item = Cell>) -> Cell {
    let mut sum = 0;
    for c in cells {
        match c {
            Cell::Shown(n) => sum += n,
            Cell::Suppressed => return Cell::Suppressed,
        }
    }
    Cell::Shown(sum)
}

/// Fewest organizations behind a published capacity figure: with one or two, total and free units describe
/// a single provider's house, and the difference how many people live there (see `capacity_web`).
pub const MIN_CONTRIBUTORS: usize = 3;

/// Suppresses a single count (for outputs without totals).
pub fn suppress_one(n: i64, k: i64) -> Cell {
    if small(n, k) { Cell::Suppressed } else { Cell::Shown(n) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each week's row suppressed on its own, then the period's totals: what the dashboard does per week.
    fn suppress_by_week(weeks: &[Vec<i64>], k: i64) -> SafeTable {
        by_week(
            weeks
                .iter()
                .map(|w| {
                    let line = suppress(std::slice::from_ref(w), k);
                    (line.cells[0].clone(), line.row_totals[0])
                })
                .collect(),
        )
    }

    #[test]
    fn a_lone_small_cell_takes_a_partner_in_its_row_and_column() {
        let t = suppress(&[vec![3, 10, 12], vec![8, 9, 20]], 5);
        assert_eq!(t.cells[0][0], Cell::Suppressed);
        assert_eq!(t.cells[0][1], Cell::Suppressed, "row partner");
        assert_eq!(t.cells[1][0], Cell::Suppressed, "column partner");
        assert_eq!(t.row_totals[0], Cell::Shown(25));
        assert_eq!(Cell::Suppressed.display(), "*");
    }

    #[test]
    fn two_small_cells_that_sum_to_less_than_k_take_a_third() {
        // The attack: [10, <5, <5] with its total 13 showed that the two hidden cells sum to 3.
        let t = suppress(&[vec![10, 2, 1]], 5);
        assert_eq!(t.row_totals[0], Cell::Shown(13));
        assert_eq!(t.cells[0], vec![Cell::Suppressed; 3], "the 10 is hidden too, so the hidden cells sum to 13");
        let t = suppress(&[vec![10, 3, 4]], 5);
        assert_eq!(t.cells[0], vec![Cell::Shown(10), Cell::Suppressed, Cell::Suppressed], "3 + 4 leaves each 1 to 4");
    }

    #[test]
    fn zeros_are_shown_and_small_totals_are_hidden() {
        let t = suppress(&[vec![0, 2], vec![0, 0]], 5);
        assert_eq!(t.cells[0][0], Cell::Shown(0));
        assert_eq!(t.row_totals[0], Cell::Suppressed);
        assert_eq!(t.total, Cell::Suppressed);
    }

    fn table() -> impl Strategy<Value = Vec<Vec<i64>>> {
        (1usize..6, 1usize..6)
            .prop_flat_map(|(r, c)| proptest::collection::vec(proptest::collection::vec(0i64..30, c), r))
    }

    proptest! {
        #[test]
        fn no_published_number_is_between_one_and_k_minus_one(counts in table()) {
            let t = suppress(&counts, 5);
            let all = t.cells.iter().flatten().chain(&t.row_totals).chain(&t.column_totals).chain(std::iter::once(&t.total));
            for cell in all {
                if let Cell::Shown(n) = cell { prop_assert!(*n == 0 || *n >= 5); }
            }
        }

        #[test]
        fn no_line_with_a_shown_total_gives_its_hidden_cells_away(counts in table()) {
            let t = suppress(&counts, 5);
            let revealing = |values: Vec<i64>, cells: Vec<Cell>| {
                let hidden: Vec<bool> = cells.iter().map(|c| *c == Cell::Suppressed).collect();
                line_reveals(&values, &hidden, 5)
            };
            for (r, row) in t.cells.iter().enumerate() {
                prop_assert!(t.row_totals[r] == Cell::Suppressed || !revealing(counts[r].clone(), row.clone()), "row {r}: {t:?}");
            }
            for c in 0..t.column_totals.len() {
                let values = counts.iter().map(|row| row[c]).collect();
                let cells = t.cells.iter().map(|row| row[c]).collect();
                prop_assert!(t.column_totals[c] == Cell::Suppressed || !revealing(values, cells), "column {c}: {t:?}");
            }
            let row_sums = counts.iter().map(|r| r.iter().sum()).collect();
            prop_assert!(t.total == Cell::Suppressed || !revealing(row_sums, t.row_totals.clone()), "{t:?}");
        }

        #[test]
        fn a_week_reads_the_same_in_every_period_and_period_totals_add_only_shown_numbers(
            weeks in proptest::collection::vec(proptest::collection::vec(0i64..12, 3), 2..8),
            cut in 1usize..7,
        ) {
            let cut = cut.min(weeks.len() - 1);
            let long = suppress_by_week(&weeks, 5);
            let short = suppress_by_week(&weeks[..cut], 5);
            prop_assert_eq!(&long.cells[..cut], &short.cells[..]);
            prop_assert_eq!(&long.row_totals[..cut], &short.row_totals[..]);
            for t in [&long, &short] {
                for (c, total) in t.column_totals.iter().enumerate() {
                    prop_assert!(*total == Cell::Suppressed || t.cells.iter().all(|row| row[c] != Cell::Suppressed));
                }
                prop_assert!(t.total == Cell::Suppressed || t.row_totals.iter().all(|c| *c != Cell::Suppressed));
            }
        }
    }
}
