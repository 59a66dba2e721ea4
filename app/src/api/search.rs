//! Placement search and the gap matrix.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::gaps::GapRow;
use crate::domain::region::RegionScheme;
use crate::domain::search::{SearchPage, SearchQuery};
use crate::domain::taxonomy::CategoryFamily;

use super::AppError;

/// Services matching a coordinator's filters, sorted by fresh availability.
#[server(prefix = "/api", endpoint = "search", input = Json)]
pub async fn search_services(query: SearchQuery) -> Result<SearchPage, AppError> {
    crate::auth::require(crate::domain::access::Area::Placement.roles()).await?;
    if !query.lists_are_bounded() {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(axum::http::StatusCode::BAD_REQUEST);
        }
        return Err(super::fail(AppError::SearchTooBroad));
    }
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let mut query = query;
    if query.near && !query.region_ids.is_empty() {
        query.region_ids = with_neighbours(&state.db, query.scheme, &query.region_ids).await?;
    }
    crate::store::search::search(&state.db, &query, now, &state.freshness).await.map_err(super::internal)
}

/// The regions given (of `scheme`) plus those that border them.
#[cfg(feature = "ssr")]
async fn with_neighbours(db: &crate::store::Db, scheme: RegionScheme, ids: &[i64]) -> Result<Vec<i64>, AppError> {
    let regions = crate::store::regions::summaries(db, scheme).await.map_err(super::internal)?;
    let map = crate::map::state_map(scheme);
    let mut out: Vec<i64> = ids.to_vec();
    for r in regions.iter().filter(|r| ids.contains(&r.id)) {
        for code in map.neighbours.get(&r.code).into_iter().flatten() {
            if let Some(n) = regions.iter().find(|x| &x.code == code) {
                out.push(n.id);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Regions x victim types of fresh free units for one family.
#[server(prefix = "/api", endpoint = "gaps", input = Json)]
pub async fn gap_matrix(scheme: RegionScheme, family: CategoryFamily) -> Result<Vec<GapRow>, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Gaps.roles()).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let rows = crate::store::gaps::gap_matrix(&state.db, scheme, family, now, &state.freshness)
        .await
        .map_err(super::internal)?;
    Ok(published_to(viewer.role, rows))
}

/// The gap matrix as `role` may see it: funders read it as the public does, with small numbers hidden;
/// coordinators and administrators, who place people, see every number.
#[cfg(feature = "ssr")]
pub(crate) fn published_to(
    role: crate::domain::account::Role,
    rows: Vec<crate::domain::gaps::GapRow>,
) -> Vec<crate::domain::gaps::GapRow> {
    match role {
        crate::domain::account::Role::Funder => {
            crate::domain::gaps::suppressed(rows, crate::domain::suppression::DEFAULT_K)
        }
        _ => rows,
    }
}
