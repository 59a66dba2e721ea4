//! Server functions, grouped by area, one per file. Each is a public HTTP endpoint: it checks its input,
//! calls one store function and maps the result. Every failure is an [`AppError`]: expected ones name what
//! to fix, unexpected ones are logged on the server and reach the browser as [`AppError::Internal`].

pub mod admin;
pub mod auth;
pub mod coordinator;
pub mod describe;
pub mod directory;
pub mod error;
pub mod import;
pub mod map;
pub mod oversight;
pub mod provider;
pub mod regions;
pub mod search;
pub mod views;

pub use error::AppError;

/// Logs an unexpected storage failure with its cause and answers [`AppError::Internal`], which reveals nothing.
#[cfg(feature = "ssr")]
pub(crate) fn internal(error: crate::store::StoreError) -> AppError {
    tracing::error!(error = ?error, "server function failed");
    fail(AppError::Internal)
}

/// Answers `error` with its HTTP status.
#[cfg(feature = "ssr")]
pub(crate) fn fail(error: AppError) -> AppError {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = axum::http::StatusCode::from_u16(error.status())
    {
        response.set_status(status);
    }
    error
}

/// Whether the request is a plain HTML form post (no JavaScript): such callers get a redirect back to the
/// form with the error's code in the query, JavaScript callers get the status and the error.
#[cfg(feature = "ssr")]
pub(crate) async fn is_plain_form_post() -> bool {
    use axum::http::{HeaderMap, header::ACCEPT};
    leptos_axum::extract::<HeaderMap>()
        .await
        .ok()
        .and_then(|h| h.get(ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// An expected failure of a form: plain posts go back to `back?error=code`, others get the status.
#[cfg(feature = "ssr")]
pub(crate) async fn form_error(back: &str, error: AppError) -> AppError {
    if is_plain_form_post().await {
        let sep = if back.contains('?') { '&' } else { '?' };
        leptos_axum::redirect(&format!("{back}{sep}error={}", error.code()));
        error
    } else {
        fail(error)
    }
}

/// Tells every open page that a service changed, and raises the alerts it now matches in the background:
/// the provider's save never waits for anyone's alerts.
#[cfg(feature = "ssr")]
pub(crate) async fn announce(kind: &str, service_id: i64) {
    let Ok(state) = crate::state::app_state() else { return };
    state.events.publish(&state.db, crate::live::LiveEvent::service(kind, service_id)).await;
    tokio::spawn(async move {
        let now = chrono::Utc::now().timestamp();
        match crate::store::alerts::check(&state.db, service_id, now, &state.freshness).await {
            Ok(0) => {}
            Ok(_) => state.events.publish(&state.db, crate::live::LiveEvent::service("alert", service_id)).await,
            Err(e) => tracing::warn!(error = ?e, "could not check alerts"),
        }
    });
}
