//! Request protection and security headers for every response: pages, server functions, static files, the
//! wasm and errors alike.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses state-changing requests that a browser marks as coming from another site (`Sec-Fetch-Site`), or
/// whose `Origin` is not this server. Requests without either header (non-browser clients) pass: they
/// carry no ambient browser credentials to abuse.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross_site = fetch_site.is_some_and(|s| !matches!(s, "same-origin" | "none"));
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let foreign_origin = match (origin, host) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").is_none_or(|(_, authority)| authority != host),
        (Some(_), None) => true,
        (None, _) => false,
    };
    if cross_site || foreign_origin {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "refused a cross-site request");
        return (StatusCode::FORBIDDEN, "Cross-site requests are not allowed.").into_response();
    }
    next.run(request).await
}

/// Headers every response carries. An HTML page gets a CSP that allows only the scripts carrying its own
/// nonce, read from the page itself: setting it from inside the render (through Leptos's `ResponseOptions`)
/// was occasionally lost under load, leaving a page whose wasm the browser refused to run. Everything else
/// gets a policy that allows nothing to run.
pub async fn security_headers(hsts: bool, request: Request, next: Next) -> Response {
    let asset = request.uri().path().strip_prefix("/pkg/").map(app::site_assets::is_fingerprinted);
    let response: Response<Body> = next.run(request).await;
    let mut response = with_page_csp(response).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    ));
    if hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    // Pages and API answers may be personal: never stored by browsers or proxies. Built assets are public.
    // A content-hashed name never changes its bytes (a new build brings new names), so a browser keeps it for
    // a year without asking; any other asset is revalidated (a 304 costs a few bytes).
    let cache = match asset {
        Some(true) => "public, max-age=31536000, immutable",
        Some(false) => "no-cache",
        None => "no-store",
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if asset.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// The Content-Security-Policy of an HTML page: scripts only with this response's nonce (and what they
/// load), the wasm, and nothing inline, framed or embedded.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// The largest page read to find its nonce (pages are tens of kilobytes).
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Sets the page CSP on an HTML response from the nonce its inline scripts carry. Pages without a nonce
/// (none are expected) keep the policy that allows nothing to run.
async fn with_page_csp(response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        tracing::error!("a page was too large or failed while rendering");
        return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong. Please try again.").into_response();
    };
    if let Some(nonce) = page_nonce(&bytes)
        && let Ok(value) = HeaderValue::from_str(&page_csp(nonce))
    {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The nonce of the first `<script ... nonce="...">` in a page, if it is a well-formed one.
fn page_nonce(page: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(page.get(..page.len().min(64 * 1024))?).ok()?;
    let start = text.find(" nonce=\"")? + " nonce=\"".len();
    let nonce = &text[start..start + text[start..].find('"')?];
    let well_formed = (16..=64).contains(&nonce.len())
        && nonce.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'='));
    well_formed.then_some(nonce)
}

#[cfg(test)]
mod tests {
    use super::page_nonce;

    #[test]
    fn the_nonce_is_read_from_the_first_script_only_when_well_formed() {
        let page = br#"<html><head><script type="module" nonce="S8UaZ8S_AeHUar7oYyRe5Q">x</script>"#;
        assert_eq!(page_nonce(page), Some("S8UaZ8S_AeHUar7oYyRe5Q"));
        assert_eq!(page_nonce(br#"<script nonce="a'b; script-src *">"#), None, "no header injection");
        assert_eq!(page_nonce(b"<p>no scripts</p>"), None);
    }
}
