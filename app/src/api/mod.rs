//! Server functions, grouped by area, one per file. Each is a public HTTP endpoint: it checks its input,
//! calls one store function and maps the result. Failures reach the browser as a generic message; the cause
//! is logged on the server.

pub mod regions;

#[cfg(feature = "ssr")]
use leptos::prelude::ServerFnError;

/// Logs an unexpected storage failure with its cause and returns a message that reveals nothing.
#[cfg(feature = "ssr")]
pub(crate) fn internal(error: crate::store::StoreError) -> ServerFnError {
    tracing::error!(error = ?error, "server function failed");
    ServerFnError::new("Something went wrong on our side. Please try again.")
}
