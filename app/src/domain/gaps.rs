//! The gap matrix: regions by the four headline victim types, counting only fresh free units.

use serde::{Deserialize, Serialize};

use super::profile::VictimType;

/// One cell: fresh free units, and how many services' counts are too old to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GapCell {
    /// Fresh (or aging) free units at services accepting referrals.
    pub available: i64,
    /// Services whose counts are stale: capacity unknown.
    pub unknown_services: i64,
    /// Hidden from this viewer: a small number of free units (or one that would give such a number away),
    /// as on the public page. `available` then reads 0 and means nothing.
    #[serde(default)]
    pub hidden: bool,
}

/// One region's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapRow {
    /// Region id.
    pub region_id: i64,
    /// Region name.
    pub region_name: String,
    /// Cells in [`VictimType::ALL`] order.
    pub cells: [GapCell; 4],
}

impl GapRow {
    /// The cell for a victim type.
    pub fn cell(&self, victim: VictimType) -> GapCell {
        let i = VictimType::ALL.iter().position(|v| *v == victim).unwrap_or(0);
        self.cells[i]
    }
}

/// The matrix as published to funders and the public: small numbers of free units hidden, with the cells
/// that would give them away through the region and victim-type totals.
pub fn suppressed(mut rows: Vec<GapRow>, k: i64) -> Vec<GapRow> {
    let counts: Vec<Vec<i64>> = rows.iter().map(|r| r.cells.iter().map(|c| c.available).collect()).collect();
    let table = super::suppression::suppress(&counts, k);
    for (row, cells) in rows.iter_mut().zip(&table.cells) {
        for (cell, published) in row.cells.iter_mut().zip(cells) {
            if *published == super::suppression::Cell::Suppressed {
                *cell = GapCell { available: 0, hidden: true, ..*cell };
            }
        }
    }
    rows
}

/// The worst gaps first: cells with no fresh units, then fewest units (hidden cells are not known to be
/// gaps, and are left out).
pub fn worst_gaps(rows: &[GapRow], limit: usize) -> Vec<(String, VictimType, GapCell)> {
    let mut cells: Vec<_> = rows
        .iter()
        .flat_map(|r| VictimType::ALL.iter().map(move |v| (r.region_name.clone(), *v, r.cell(*v))))
        .filter(|(_, _, c)| !c.hidden)
        .collect();
    cells.sort_by_key(|(name, v, c)| (c.available, std::cmp::Reverse(c.unknown_services), name.clone(), *v));
    cells.truncate(limit);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_cells_come_first() {
        let row = |name: &str, a: i64| GapRow {
            region_id: 1,
            region_name: name.into(),
            cells: [GapCell { available: a, unknown_services: 0, hidden: false }; 4],
        };
        let worst = worst_gaps(&[row("A", 3), row("B", 0)], 2);
        assert!(worst.iter().all(|(n, _, c)| n == "B" && c.available == 0));
    }

    #[test]
    fn published_matrices_hide_small_numbers_of_free_units_and_leave_them_out_of_the_worst_gaps() {
        let row = |name: &str, cells: [i64; 4]| GapRow {
            region_id: 1,
            region_name: name.into(),
            cells: cells.map(|available| GapCell { available, unknown_services: 0, hidden: false }),
        };
        let rows = suppressed(vec![row("A", [3, 10, 12, 0]), row("B", [8, 9, 20, 6])], 5);
        assert!(rows[0].cells[0].hidden && rows[0].cells[0].available == 0, "3 free units");
        assert_eq!(rows[0].cells[3], GapCell { available: 0, unknown_services: 0, hidden: false }, "a zero is shown");
        assert!(worst_gaps(&rows, 20).iter().all(|(_, _, c)| !c.hidden));
    }
}
