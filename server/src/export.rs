//! CSV downloads of the oversight dashboard's tables, suppressed exactly as on screen, with the filters in
//! the file name. Funders and administrators only.

use app::domain::account::Role;
use app::domain::oversight::OversightFilter;
use app::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /oversight/export.csv?table=needs|unmet|placement|capacity&from=...&to=...`.
pub async fn export_csv(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let now = chrono::Utc::now().timestamp();
    let viewer = match app::auth::session::resolve(&state.db, &state.sessions, &headers, now).await {
        Ok(Some((v, _))) => v,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Sign in to download.").into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "could not check the session of an export");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if !matches!(viewer.role, Role::Funder | Role::Administrator) {
        return (StatusCode::FORBIDDEN, "Exports are for funders and administrators.").into_response();
    }
    let query = query.unwrap_or_default();
    let pairs: Vec<(&str, &str)> = query.split('&').filter_map(|p| p.split_once('=')).collect();
    let table = pairs.iter().find(|(k, _)| *k == "table").map_or("needs", |(_, v)| *v);
    let today = app::domain::series::eastern_local(now).date();
    let filter = OversightFilter::from_pairs(today, pairs.iter().copied());
    let view = match app::oversight::build(&state.db, &filter, now, &state.freshness).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = ?e, "could not build an export");
            return (StatusCode::INTERNAL_SERVER_ERROR, "The export could not be built. Please try again.")
                .into_response();
        }
    };
    let (name, body) = match table {
        "unmet" => ("unmet-needs", view.unmet_split.to_csv(view.k)),
        "placement" => ("time-to-placement", view.time_to_placement.to_csv(view.k)),
        "capacity" => {
            // Units of capacity, not people: no suppression needed.
            let mut csv = String::from("\"Week starting\",\"Total units\",\"Fresh available units\"\n");
            for w in &view.capacity {
                csv.push_str(&format!("{},{},{}\n", w.week, w.values[0], w.values[1]));
            }
            ("capacity", csv)
        }
        _ => ("needs", view.needs.to_csv(view.k)),
    };
    let filename = format!("continuum-{name}-{}.csv", filter.file_stem());
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
