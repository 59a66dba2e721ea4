//! Bounds on every wait a request can cause: a whole request (reading its body included) must finish within
//! the configured time, or it ends with `503` and a log line naming the route. The event stream is exempt:
//! it is meant to stay open, and shutdown ends it.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A short plain-text answer that reveals nothing about the cause.
pub fn plain_error(status: StatusCode, message: &'static str) -> Response {
    let mut response = (status, message).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

/// Ends any request (except `GET /events`) still unanswered after `limit`, with `503 Service Unavailable`.
pub async fn bound_request(limit: Duration, request: Request, next: Next) -> Response {
    if request.method() == Method::GET && request.uri().path() == "/events" {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(%method, %path, limit_secs = limit.as_secs_f64(), "request timed out");
            let mut response = plain_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "Continuum took too long to answer. Please try again in a moment.",
            );
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}
