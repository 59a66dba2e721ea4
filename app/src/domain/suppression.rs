//! Small-cell suppression for every funder and public output: counts from 1 to k-1 are shown as "<k", and
//! further cells are suppressed so that no row or column total lets anyone recompute a hidden cell.

use serde::{Deserialize, Serialize};

/// Default threshold: counts 1 to 4 are hidden.
pub const DEFAULT_K: i64 = 5;

/// One published cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    /// Safe to show.
    Shown(i64),
    /// Hidden: a small count, or hidden to protect one.
    Suppressed,
}

impl Cell {
    /// The text for tables and CSV: the number, or "<k".
    pub fn display(self, k: i64) -> String {
        match self {
            Cell::Shown(n) => n.to_string(),
            Cell::Suppressed => format!("<{k}"),
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

fn small(n: i64, k: i64) -> bool {
    n > 0 && n < k
}

/// Suppresses `counts` (rows of equal length) with threshold `k`.
///
/// Primary suppression hides every count in 1..k-1. Complementary suppression then repeats until stable:
/// wherever a row or column shows its total but hides exactly one cell, the smallest other non-zero visible
/// cell of that line is hidden too (or, if there is none, the total). Totals that are themselves small are
/// hidden. Zeros are shown: a zero reveals no one.
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
        // Rows.
        for r in 0..rows {
            let hidden_here: Vec<usize> = (0..cols).filter(|&c| hidden[r][c]).collect();
            if hidden_here.len() == 1 && !row_hidden[r] {
                let partner = (0..cols).filter(|&c| !hidden[r][c] && counts[r][c] > 0).min_by_key(|&c| counts[r][c]);
                match partner {
                    Some(c) => hidden[r][c] = true,
                    None => row_hidden[r] = true,
                }
                changed = true;
            }
        }
        // Columns.
        for c in 0..cols {
            let hidden_here: Vec<usize> = (0..rows).filter(|&r| hidden[r][c]).collect();
            if hidden_here.len() == 1 && !col_hidden[c] {
                let partner = (0..rows).filter(|&r| !hidden[r][c] && counts[r][c] > 0).min_by_key(|&r| counts[r][c]);
                match partner {
                    Some(r) => hidden[r][c] = true,
                    None => col_hidden[c] = true,
                }
                changed = true;
            }
        }
        // One hidden row (or column) total beside a shown grand total is recoverable too.
        changed |= protect_totals(&mut row_hidden, &row_sum, &mut grand_hidden);
        changed |= protect_totals(&mut col_hidden, &col_sum, &mut grand_hidden);
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

/// Where exactly one total of a line is hidden and the grand total is shown, hides another (or the grand
/// total). Returns whether anything changed.
fn protect_totals(hidden: &mut [bool], sums: &[i64], grand_hidden: &mut bool) -> bool {
    if *grand_hidden || hidden.iter().filter(|h| **h).count() != 1 {
        return false;
    }
    match (0..hidden.len()).filter(|&i| !hidden[i] && sums[i] > 0).min_by_key(|&i| sums[i]) {
        Some(i) => hidden[i] = true,
        None => *grand_hidden = true,
    }
    true
}

/// Suppresses a single count (for outputs without totals).
pub fn suppress_one(n: i64, k: i64) -> Cell {
    if small(n, k) { Cell::Suppressed } else { Cell::Shown(n) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_lone_small_cell_takes_a_partner_in_its_row_and_column() {
        let t = suppress(&[vec![3, 10, 12], vec![8, 9, 20]], 5);
        assert_eq!(t.cells[0][0], Cell::Suppressed);
        assert_eq!(t.cells[0][1], Cell::Suppressed, "row partner");
        assert_eq!(t.cells[1][0], Cell::Suppressed, "column partner");
        assert_eq!(t.row_totals[0], Cell::Shown(25));
        assert_eq!(Cell::Suppressed.display(5), "<5");
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
        fn no_hidden_cell_can_be_recovered_from_a_shown_total(counts in table()) {
            let t = suppress(&counts, 5);
            for (r, row) in t.cells.iter().enumerate() {
                let hidden = row.iter().filter(|c| **c == Cell::Suppressed).count();
                prop_assert!(hidden != 1 || t.row_totals[r] == Cell::Suppressed, "row {r}: {t:?}");
            }
            for c in 0..t.column_totals.len() {
                let hidden = t.cells.iter().filter(|row| row[c] == Cell::Suppressed).count();
                prop_assert!(hidden != 1 || t.column_totals[c] == Cell::Suppressed, "column {c}: {t:?}");
            }
            let hidden_rows = t.row_totals.iter().filter(|c| **c == Cell::Suppressed).count();
            prop_assert!(hidden_rows != 1 || t.total == Cell::Suppressed, "{t:?}");
        }
    }
}
