//! Guards for server functions: who is calling, and may they? Every server function calls one of these first.

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, StatusCode};
use leptos::prelude::*;
use std::net::SocketAddr;

use crate::api::AppError;
use crate::domain::account::{Role, Viewer};
use crate::state::app_state;
use crate::store::audit::{self, AuditEntry};

fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// The signed-in viewer, if any (expired sessions count as none).
pub async fn optional_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(viewer_and_session().await?.map(|(viewer, _)| viewer))
}

/// The signed-in viewer and the stored hash of their session token.
pub async fn viewer_and_session() -> Result<Option<(Viewer, String)>, AppError> {
    let state = app_state()?;
    let headers: HeaderMap = leptos_axum::extract().await?;
    let now = chrono::Utc::now().timestamp();
    crate::auth::session::resolve(&state.db, &state.sessions, &headers, now).await.map_err(crate::api::internal)
}

/// The viewer, if signed in with one of `allowed` roles and (where the role requires it) a second factor.
/// Otherwise 401 or 403, and denials of signed-in users are audited.
pub async fn require(allowed: &[Role]) -> Result<Viewer, AppError> {
    let Some(viewer) = optional_viewer().await? else {
        return Err(crate::api::fail(AppError::SignIn));
    };
    if !allowed.contains(&viewer.role) {
        deny(&viewer, "role").await?;
        return Err(crate::api::fail(AppError::Forbidden));
    }
    if viewer.second_factor_pending() {
        return Err(crate::api::fail(AppError::SecondFactor));
    }
    Ok(viewer)
}

/// Records and answers an authorization denial (403) for a signed-in viewer.
pub async fn deny(viewer: &Viewer, what: &str) -> Result<(), AppError> {
    set_status(StatusCode::FORBIDDEN);
    let state = app_state()?;
    let path: axum::http::Uri = leptos_axum::extract().await?;
    let entry = AuditEntry {
        actor_id: Some(viewer.id),
        action: "authorization.denied",
        entity: "endpoint",
        entity_id: None,
        old_value: None,
        new_value: Some(format!("{} ({what})", path.path())),
    };
    audit::record(&state.db, entry, chrono::Utc::now().timestamp()).await.map_err(crate::api::internal)
}

/// The client's address: the socket peer, or with `trusted_proxies` = n > 0, the n-th address from the right
/// of `X-Forwarded-For` (what the outermost trusted proxy saw). Untrusted headers are ignored.
pub fn client_address(headers: &HeaderMap, peer: Option<SocketAddr>, trusted_proxies: usize) -> String {
    let peer = peer.map(|p| p.ip().to_string()).unwrap_or_else(|| "unknown".into());
    if trusted_proxies == 0 {
        return peer;
    }
    let forwarded: Vec<String> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    forwarded.len().checked_sub(trusted_proxies).and_then(|i| forwarded.get(i).cloned()).unwrap_or(peer)
}

/// The calling client as throttling counts it: its address, or its /64 network for IPv6.
pub async fn current_client() -> Result<String, AppError> {
    let state = app_state()?;
    let headers: HeaderMap = leptos_axum::extract().await?;
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.ok().map(|c| c.0);
    Ok(crate::domain::throttle::client_key(&client_address(&headers, peer, state.sessions.trusted_proxies)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_through_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.0.0.2".parse().unwrap());
        let peer = Some("10.0.0.1:4000".parse().unwrap());
        assert_eq!(client_address(&h, peer, 0), "10.0.0.1", "no trusted proxy: the header is ignored");
        assert_eq!(client_address(&h, peer, 2), "203.0.113.9", "two proxies: the spoofed left entry is ignored");
        assert_eq!(client_address(&h, peer, 5), "10.0.0.1");
    }
}
