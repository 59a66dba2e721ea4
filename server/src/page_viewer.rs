//! Resolves the viewer of every page request before Leptos renders it, so pages know who is looking
//! without waiting inside the view tree (see `app::components::guard`).

use app::components::guard::RequestViewer;
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Paths that never render a page: server functions, built assets, the event stream, health and exports.
fn renders_no_page(path: &str) -> bool {
    ["/api/", "/pkg/", "/events", "/health", "/oversight/export.csv", "/hsds/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// Puts [`RequestViewer`] into the extensions of each `GET` or `HEAD` that may render a page.
pub async fn resolve_page_viewer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) || renders_no_page(request.uri().path()) {
        return next.run(request).await;
    }
    let now = chrono::Utc::now().timestamp();
    match app::auth::session::resolve(&state.db, &state.sessions, request.headers(), now).await {
        Ok(viewer) => {
            request.extensions_mut().insert(RequestViewer(viewer.map(|(viewer, _)| viewer)));
            next.run(request).await
        }
        Err(e) => {
            tracing::error!(error = ?e, path = %request.uri().path(), "could not resolve the viewer of a page");
            crate::limits::plain_error(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "Continuum could not check your sign-in just now. Please try again.",
            )
            .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::renders_no_page;

    #[test]
    fn only_page_paths_resolve_a_viewer() {
        assert!(renders_no_page("/api/sign_in"));
        assert!(renders_no_page("/pkg/continuum.js"));
        assert!(renders_no_page("/events"));
        assert!(!renders_no_page("/my-capacity"));
        assert!(!renders_no_page("/"));
        assert!(!renders_no_page("/no-such-page"));
    }
}
