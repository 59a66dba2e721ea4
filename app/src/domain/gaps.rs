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

/// The worst gaps first: cells with no fresh units, then fewest units.
pub fn worst_gaps(rows: &[GapRow], limit: usize) -> Vec<(String, VictimType, GapCell)> {
    let mut cells: Vec<_> = rows
        .iter()
        .flat_map(|r| VictimType::ALL.iter().map(move |v| (r.region_name.clone(), *v, r.cell(*v))))
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
            cells: [GapCell { available: a, unknown_services: 0 }; 4],
        };
        let worst = worst_gaps(&[row("A", 3), row("B", 0)], 2);
        assert!(worst.iter().all(|(n, _, c)| n == "B" && c.available == 0));
    }
}
