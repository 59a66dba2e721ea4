//! Reference data anyone may read: regions with their towns, and the service taxonomy.

use leptos::prelude::*;

use crate::domain::region::{RegionScheme, RegionSummary};

use super::AppError;

/// The regions of a scheme (planning regions when none is named) with their town counts.
#[server(prefix = "/api", endpoint = "regions")]
pub async fn list_regions(scheme: Option<RegionScheme>) -> Result<Vec<RegionSummary>, AppError> {
    let state = crate::state::app_state()?;
    crate::store::regions::summaries(&state.db, scheme.unwrap_or_default()).await.map_err(super::internal)
}

/// The service taxonomy as the database has it (seeded and added by administrators), by family then name.
#[server(prefix = "/api", endpoint = "categories")]
pub async fn taxonomy() -> Result<Vec<super::views::CategoryView>, AppError> {
    let state = crate::state::app_state()?;
    crate::store::organizations::list_categories(&state.db).await.map_err(super::internal)
}

/// Connecticut's 169 towns: id and name, by name.
#[server(prefix = "/api", endpoint = "towns")]
pub async fn towns() -> Result<Vec<(i64, String)>, AppError> {
    let state = crate::state::app_state()?;
    crate::store::regions::towns(&state.db).await.map_err(super::internal)
}

/// Connecticut's towns grouped by the regions of `scheme` (planning regions when none is named), for pickers.
#[server(prefix = "/api", endpoint = "towns_by_region")]
pub async fn towns_by_region(scheme: Option<RegionScheme>) -> Result<Vec<(String, Vec<(i64, String)>)>, AppError> {
    let state = crate::state::app_state()?;
    crate::store::regions::towns_by_region(&state.db, scheme.unwrap_or_default()).await.map_err(super::internal)
}
