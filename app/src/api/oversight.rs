//! Funder and oversight views (aggregates only, suppressed) and the public statewide picture.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::oversight::{LabelledTable, OversightView};

use super::AppError;

/// The oversight dashboard for the filters in `query` (a URL query string). Funders and administrators.
#[server(prefix = "/api", endpoint = "oversight")]
pub async fn oversight(query: String) -> Result<OversightView, AppError> {
    crate::auth::require(crate::domain::access::Area::Oversight.roles()).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let today = crate::domain::local_time::date(now);
    let filter = crate::domain::oversight::OversightFilter::from_query(today, &query)
        .map_err(|e| super::fail(AppError::from(e)))?;
    crate::oversight::build(&state.db, &filter, now, &state.freshness).await.map_err(super::internal)
}

/// The public statewide picture: fresh capacity by region and victim type per family, suppressed, with no
/// organization named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatewidePicture {
    /// One table per family.
    pub tables: Vec<LabelledTable>,
    /// When any count was last confirmed.
    pub last_updated: Option<chrono::DateTime<chrono::Utc>>,
    /// Threshold.
    pub k: i64,
}

/// The public overview (no sign-in).
#[server(prefix = "/api", endpoint = "public_overview")]
pub async fn public_overview() -> Result<StatewidePicture, AppError> {
    use crate::domain::profile::VictimType;
    use crate::domain::region::RegionScheme;
    use crate::domain::suppression::{DEFAULT_K, suppress};
    use crate::domain::taxonomy::CategoryFamily;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let mut tables = Vec::new();
    for family in CategoryFamily::ALL {
        let rows = crate::store::gaps::gap_matrix(&state.db, RegionScheme::Planning, family, now, &state.freshness)
            .await
            .map_err(super::internal)?;
        let counts: Vec<Vec<i64>> = rows.iter().map(|r| r.cells.iter().map(|c| c.available).collect()).collect();
        tables.push(LabelledTable {
            title: format!("{}: fresh free units", family.label()),
            rows: rows.iter().map(|r| r.region_name.trim_end_matches(" Planning Region").to_owned()).collect(),
            columns: VictimType::ALL.iter().map(|v| v.label().to_owned()).collect(),
            table: suppress(&counts, DEFAULT_K),
        });
    }
    let last_updated =
        crate::store::capacity::last_confirmed(&state.db).await.map_err(super::internal)?.map(crate::store::from_unix);
    Ok(StatewidePicture { tables, last_updated, k: DEFAULT_K })
}
