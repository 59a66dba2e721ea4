//! Reference data anyone may read: regions with their towns, and the service taxonomy.

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
