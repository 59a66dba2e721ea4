//! Regions and their towns.

use leptos::prelude::*;

use crate::domain::region::RegionSummary;

use super::AppError;

/// The planning regions with their town counts.
#[server(prefix = "/api", endpoint = "regions")]
pub async fn list_regions() -> Result<Vec<RegionSummary>, AppError> {
    use crate::domain::region::RegionScheme;
    let state = crate::state::app_state()?;
    crate::store::regions::summaries(&state.db, RegionScheme::Planning).await.map_err(super::internal)
}
