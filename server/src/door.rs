//! One rule for every door that is not a page or a server function (the event stream, CSV exports): the
//! same session, role and second-factor checks as `app::auth::require`, answered as plain HTTP.

use app::domain::account::{Role, Viewer};
use app::state::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::limits::plain_error;

/// The viewer and their session's hash, if signed in with one of `roles` and a second factor where the role
/// requires one; otherwise the refusal to send.
pub async fn admit(state: &AppState, headers: &HeaderMap, roles: &[Role]) -> Result<(Viewer, String), Response> {
    let now = chrono::Utc::now().timestamp();
    let (viewer, session) = match app::auth::session::resolve(&state.db, &state.sessions, headers, now).await {
        Ok(Some(found)) => found,
        Ok(None) => return Err(plain_error(StatusCode::UNAUTHORIZED, "Sign in to continue.")),
        Err(e) => {
            tracing::error!(error = ?e, "could not check a session");
            return Err(plain_error(StatusCode::SERVICE_UNAVAILABLE, "Please try again in a moment."));
        }
    };
    refusal(&viewer, roles).map_or(Ok((viewer, session)), Err)
}

/// Why `viewer` may not pass a door for `roles`, if they may not.
pub fn refusal(viewer: &Viewer, roles: &[Role]) -> Option<Response> {
    if !roles.contains(&viewer.role) {
        return Some(plain_error(StatusCode::FORBIDDEN, "Your role does not include this."));
    }
    if viewer.second_factor_pending() {
        return Some(plain_error(
            StatusCode::FORBIDDEN,
            "Set up two-factor authentication on your account page first.",
        ));
    }
    None
}
