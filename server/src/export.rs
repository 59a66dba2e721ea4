//! CSV downloads of the oversight dashboard's tables, suppressed exactly as on screen, with the filters in
//! the file name. Funders and administrators only.

use app::domain::oversight::{OversightFilter, weekly_csv};
use app::state::AppState;
use app::store::audit::AuditEntry;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /oversight/export.csv?table=needs|unmet|placement|capacity&from=...&to=...`.
pub async fn export_csv(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let now = chrono::Utc::now().timestamp();
    let viewer = match crate::door::admit(&state, &headers, app::domain::access::Area::Oversight.roles()).await {
        Ok((viewer, _)) => viewer,
        Err(refusal) => return refusal,
    };
    let query = query.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let table = pairs.iter().find(|(k, _)| k == "table").map_or("needs", |(_, v)| v.as_str());
    let today = app::domain::local_time::date(now);
    let filter = match OversightFilter::from_pairs(today, pairs.iter().map(|(k, v)| (k, v))) {
        Ok(f) => f,
        Err(e) => return crate::limits::plain_error_text(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let view = match app::oversight::build(&state.db, &filter, now, &state.freshness).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = ?e, "could not build an export");
            return (StatusCode::INTERNAL_SERVER_ERROR, "The export could not be built. Please try again.")
                .into_response();
        }
    };
    let (name, body) = match table {
        "unmet" => ("not-placed", view.not_placed.to_csv()),
        "placement" => ("time-to-placement", weekly_csv(&["Median hours to placement"], &view.placement_hours)),
        "capacity" => ("capacity", weekly_csv(&["Total units", "Fresh available units"], &view.capacity)),
        _ => ("needs", view.needs.to_csv()),
    };
    let filename = format!("continuum-{name}-{}.csv", filter.file_stem());
    let entry = AuditEntry {
        actor_id: Some(viewer.id),
        action: "export.download",
        entity: "export",
        entity_id: None,
        old_value: None,
        new_value: Some(filename.clone()),
    };
    if let Err(e) = app::store::audit::record(&state.db, entry, now).await {
        tracing::error!(error = ?e, "could not audit an export; refusing it");
        return crate::limits::plain_error(StatusCode::SERVICE_UNAVAILABLE, "Please try again in a moment.");
    }
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
