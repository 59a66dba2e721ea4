//! Placement search and the gap matrix.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::gaps::GapRow;
use crate::domain::region::RegionScheme;
use crate::domain::search::{SearchPage, SearchQuery};
use crate::domain::taxonomy::CategoryFamily;

/// Services matching a coordinator's filters, sorted by fresh availability.
#[server(prefix = "/api", endpoint = "search", input = Json)]
pub async fn search_services(query: SearchQuery) -> Result<SearchPage, ServerFnError> {
    use crate::domain::account::Role;
    crate::auth::require(&[Role::Coordinator, Role::Administrator]).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    crate::store::search::search(&state.db, &query, now, &state.freshness).await.map_err(super::internal)
}

/// Regions x victim types of fresh free units for one family.
#[server(prefix = "/api", endpoint = "gaps", input = Json)]
pub async fn gap_matrix(scheme: RegionScheme, family: CategoryFamily) -> Result<Vec<GapRow>, ServerFnError> {
    use crate::domain::account::Role;
    crate::auth::require(&[Role::Coordinator, Role::Administrator, Role::Funder]).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    crate::store::gaps::gap_matrix(&state.db, scheme, family, now, &state.freshness).await.map_err(super::internal)
}
