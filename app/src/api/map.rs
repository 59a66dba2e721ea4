//! The region map: shapes drawn on the server, shaded by fresh availability for a family and victim type.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::profile::VictimType;
use crate::domain::region::RegionScheme;
use crate::domain::taxonomy::CategoryFamily;

use super::AppError;

/// One region's outline (its towns) as an SVG path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionShape {
    /// Region code (FIPS), e.g. `09110`.
    pub code: String,
    /// Region name.
    pub name: String,
    /// SVG path data.
    pub path: String,
}

/// A region on the map with its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapRegion {
    /// Shape.
    pub shape: RegionShape,
    /// Region id (for links).
    pub region_id: i64,
    /// Fresh free units for the chosen family and victim type.
    pub available: i64,
    /// Services whose counts are stale.
    pub unknown_services: i64,
    /// Hidden from this viewer (see [`crate::domain::gaps::GapCell::hidden`]).
    pub hidden: bool,
}

/// The whole map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapView {
    /// Regions.
    pub regions: Vec<MapRegion>,
    /// View box height (width is 600).
    pub height: i64,
}

/// The map of a scheme's regions (planning regions or counties) for a family and victim type
/// (coordinators, administrators, funders).
#[server(prefix = "/api", endpoint = "region_map")]
pub async fn region_map(scheme: RegionScheme, family: CategoryFamily, victim: VictimType) -> Result<MapView, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Gaps.roles()).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let rows = crate::store::gaps::gap_matrix(&state.db, scheme, family, now, &state.freshness)
        .await
        .map_err(super::internal)?;
    let rows = super::search::published_to(viewer.role, rows);
    let codes = crate::store::regions::summaries(&state.db, scheme).await.map_err(super::internal)?;
    let map = crate::map::state_map(scheme);
    let regions = map
        .shapes
        .iter()
        .filter_map(|shape| {
            let region = codes.iter().find(|r| r.code == shape.code)?;
            let row = rows.iter().find(|r| r.region_id == region.id)?;
            let cell = row.cell(victim);
            Some(MapRegion {
                shape: shape.clone(),
                region_id: region.id,
                available: cell.available,
                unknown_services: cell.unknown_services,
                hidden: cell.hidden,
            })
        })
        .collect();
    Ok(MapView { regions, height: map.height as i64 })
}
