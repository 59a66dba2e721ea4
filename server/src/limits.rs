//! Bounds on every request: its body is at most [`MAX_BODY_BYTES`] (else `413`; the directory upload, routed
//! outside this limit, has [`MAX_UPLOAD_BYTES`]), and the whole request
//! (reading its body included) must finish within the configured time, or it ends with `503` and a log line
//! naming the route. The event stream is exempt from the time limit: it is meant to stay open, and shutdown
//! ends it.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A short plain-text answer that reveals nothing about the cause.
pub fn plain_error(status: StatusCode, message: &'static str) -> Response {
    plain_error_text(status, message.to_owned())
}

/// A plain-text answer saying what to fix.
pub fn plain_error_text(status: StatusCode, message: String) -> Response {
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

/// The largest request body accepted. The largest form (a bulk update of every service of a large
/// organization) is a few kilobytes; the one file Continuum accepts, a directory upload, has its own limit.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The largest directory upload (`POST /admin/import`), read into memory before the import starts.
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// Reads the body (bounded) before the handler runs: larger bodies, announced or not, end with `413`.
pub async fn limit_body(request: Request, next: Next) -> Response {
    let too_large = || plain_error(StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.");
    let announced =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    if matches!(*request.method(), Method::GET | Method::HEAD) && announced.is_none() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(_) => too_large(),
    }
}
