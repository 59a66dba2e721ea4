//! Request protection and headers: cross-site refusal, throttling, security headers everywhere, no GET writes.

use app::domain::account::Role;
use futures_util::StreamExt;

use crate::accounts::PASSWORD;
use crate::both_backends;
use crate::helpers::TestApp;
use crate::helpers::{Backend, spawn_app, spawn_app_with};

async fn a_cross_site_post_with_a_valid_session_is_refused(app: TestApp) {
    let admin = app.signed_in(Role::Administrator, &[]).await;
    let cookie = format!("__Host-session={}", admin.cookie);
    let url = format!("{}/api/admin_add_organization", app.address);
    let evil = app
        .client
        .post(&url)
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&[("name", "Evil Org")])
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let fetch = app
        .client
        .post(&url)
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .form(&[("name", "Evil Org")])
        .send()
        .await
        .unwrap();
    assert_eq!(fetch.status(), 403);
    let orgs = app::store::organizations::list_organizations(&app.db).await.unwrap();
    assert!(orgs.iter().all(|o| o.name != "Evil Org"), "nothing was created");
    let host = app.address.trim_start_matches("http://").to_owned();
    let same = app
        .client
        .post(&url)
        .header("cookie", &cookie)
        .header("origin", format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("name", "Good Org")])
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
}

async fn pages_errors_and_server_functions_carry_the_security_headers(app: TestApp) {
    for (path, method) in [("/", "GET"), ("/no/such/page", "GET"), ("/api/regions", "POST")] {
        let request = if method == "GET" {
            app.client.get(format!("{}{path}", app.address))
        } else {
            app.client.post(format!("{}{path}", app.address))
        };
        let response = request.send().await.unwrap();
        let h = response.headers();
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert!(h.get("referrer-policy").is_some(), "{path}");
        assert!(h.get("permissions-policy").is_some(), "{path}");
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    }
    let page = app.client.get(format!("{}/", app.address)).send().await.unwrap();
    let csp = page.headers().get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_owned();
    let body = page.text().await.unwrap();
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "inline scripts carry this response's nonce");
    let again = app.client.get(format!("{}/", app.address)).send().await.unwrap();
    assert!(
        !again.headers().get("content-security-policy").unwrap().to_str().unwrap().contains(&nonce),
        "a new nonce each time"
    );
}

async fn authenticated_pages_are_not_cached(app: TestApp) {
    let s = app.signed_in(Role::Funder, &[]).await;
    let response = app.page("/account", Some(&s)).await;
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
}

both_backends!(
    a_cross_site_post_with_a_valid_session_is_refused,
    pages_errors_and_server_functions_carry_the_security_headers,
    authenticated_pages_are_not_cached,
);

#[tokio::test]
async fn static_assets_and_the_wasm_carry_the_headers_with_the_right_type() {
    let site = std::env::temp_dir().join(format!("continuum-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/continuum.css"), "body{}").unwrap();
    std::fs::write(site.join("pkg/continuum_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let site_root = site.clone();
    let Some(app) = spawn_app_with(Backend::Sqlite, move |c| c.site_root = site_root).await else { return };
    for (path, content_type) in [("/pkg/continuum.css", "text/css"), ("/pkg/continuum_bg.wasm", "application/wasm")] {
        let response = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let h = response.headers();
        assert!(h.get("content-type").unwrap().to_str().unwrap().starts_with(content_type), "{path}");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert!(
            h.get("content-security-policy").unwrap().to_str().unwrap().contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
}

/// A built site folder as `scripts/build-site.sh` leaves it: content-hashed names, their brotli and gzip copies
/// and the manifest naming them.
fn built_site(name: &str, css: &str) -> (std::path::PathBuf, Vec<u8>) {
    let site = std::env::temp_dir().join(format!("continuum-site-{name}-{}", std::process::id()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let app = "continuum.0123456789abcdef";
    let stylesheet = "continuum.fedcba9876543210.css";
    std::fs::write(pkg.join(stylesheet), css).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, css.as_bytes()).unwrap();
    let gzipped = gz.finish().unwrap();
    std::fs::write(pkg.join(format!("{stylesheet}.gz")), &gzipped).unwrap();
    std::fs::write(pkg.join(format!("{stylesheet}.br")), b"brotli bytes").unwrap();
    std::fs::write(pkg.join(format!("{app}.js")), "export default function init() {}").unwrap();
    std::fs::write(pkg.join(format!("{app}_bg.wasm")), b"\0asm").unwrap();
    std::fs::write(pkg.join("favicon.00112233445566ff.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    std::fs::write(pkg.join("icon-180.00112233445566ff.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(pkg.join("notes.txt"), "a file without a content hash").unwrap();
    let manifest = format!(
        r#"{{"app":"{app}","stylesheet":"{stylesheet}","icon":"favicon.00112233445566ff.svg","touch_icon":"icon-180.00112233445566ff.png"}}"#
    );
    std::fs::write(pkg.join("assets.json"), manifest).unwrap();
    (site, gzipped)
}

#[tokio::test]
async fn assets_have_content_hashed_names_kept_a_year_and_come_compressed_to_a_browser_that_takes_it() {
    let css = "body { color: #1b1f23; }\n".repeat(50);
    let (site, gzipped) = built_site("cached", &css);
    let Some(app) = spawn_app_with(Backend::Sqlite, move |c| c.site_root = site).await else { return };
    let url = format!("{}/pkg/continuum.fedcba9876543210.css", app.address);

    let page = app.page("/", None).await;
    assert_eq!(page.headers()["cache-control"], "no-store", "pages may be personal: never stored");
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"<link rel="stylesheet" href="/pkg/continuum.fedcba9876543210.css">"#), "{page}");
    assert!(page.contains(r#"<link rel="icon" href="/pkg/favicon.00112233445566ff.svg" type="image/svg+xml">"#));
    assert!(page.contains(r#"<link rel="apple-touch-icon" href="/pkg/icon-180.00112233445566ff.png">"#));
    assert!(page.contains(r#""/pkg/continuum.0123456789abcdef.js""#), "the script by its hashed name");
    assert!(page.contains(r#""/pkg/continuum.0123456789abcdef_bg.wasm""#), "the wasm by its hashed name");
    assert!(!page.contains("preload"), "nothing fetched ahead of the first paint: the islands load when idle");

    let brotli = app.client.get(&url).header("accept-encoding", "gzip, deflate, br").send().await.unwrap();
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()["content-encoding"], "br", "brotli first: the smallest");
    assert_eq!(brotli.headers()["vary"], "accept-encoding", "caches keep the copies apart");
    assert_eq!(brotli.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(brotli.headers()["content-type"], "text/css");
    assert_eq!(brotli.bytes().await.unwrap().as_ref(), b"brotli bytes", "the precompressed copy");

    let compressed = app.client.get(&url).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    let modified = compressed.headers()["last-modified"].clone();
    assert_eq!(compressed.bytes().await.unwrap().as_ref(), gzipped.as_slice());

    let plain = app.client.get(&url).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none(), "nothing compressed for a client that did not ask");
    assert_eq!(plain.text().await.unwrap(), css);

    let again = app.client.get(&url).header("if-modified-since", modified).send().await.unwrap();
    assert_eq!(again.status(), 304, "the browser's copy is current: nothing is sent again");
    assert!(again.bytes().await.unwrap().is_empty());

    let icon_url = format!("{}/pkg/icon-180.00112233445566ff.png", app.address);
    let icon = app.client.get(icon_url).header("accept-encoding", "gzip, br").send().await.unwrap();
    assert_eq!(icon.status(), 200, "the home-screen icon, which has no compressed copies");
    assert_eq!(icon.headers()["content-type"], "image/png");
    assert_eq!(icon.headers()["cache-control"], "public, max-age=31536000, immutable");

    let unhashed = app.client.get(format!("{}/pkg/notes.txt", app.address)).send().await.unwrap();
    assert_eq!(unhashed.headers()["cache-control"], "no-cache", "a name without its hash is revalidated");

    let icon = app.client.get(format!("{}/favicon.ico", app.address)).send().await.unwrap();
    assert_eq!(icon.status(), 307, "browsers asking for /favicon.ico are sent to this build's icon");
    assert_eq!(icon.headers()["location"], "/pkg/favicon.00112233445566ff.svg");
}

#[tokio::test]
async fn pages_come_compressed_to_a_browser_that_takes_it_and_live_events_never_wait_in_a_compressor() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let cookie = format!("__Host-session={}", coordinator.cookie);
    let ask = |encoding: Option<&str>| {
        let request = app.client.get(format!("{}/search", app.address)).header("cookie", &cookie);
        match encoding {
            Some(e) => request.header("accept-encoding", e),
            None => request,
        }
    };
    let plain = ask(None).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none(), "nothing compressed for a client that did not ask");
    let html = plain.bytes().await.unwrap();
    assert!(String::from_utf8_lossy(&html).contains("Find a placement"));
    for (accepts, encoding) in [("gzip, deflate, br", "br"), ("gzip", "gzip")] {
        let compressed = ask(Some(accepts)).send().await.unwrap();
        assert_eq!(compressed.status(), 200);
        assert_eq!(compressed.headers()["content-encoding"], encoding, "{accepts}");
        assert!(compressed.headers()["vary"].to_str().unwrap().contains("accept-encoding"));
        assert_eq!(compressed.headers()["cache-control"], "no-store", "still never stored");
        let body = compressed.bytes().await.unwrap();
        assert!(body.len() * 3 < html.len(), "{encoding}: {} of {} bytes", body.len(), html.len());
    }

    let events = app
        .client
        .get(format!("{}/events", app.address))
        .header("cookie", &cookie)
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert!(events.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    assert!(events.headers().get("content-encoding").is_none(), "a compressor would hold live events back");
    let mut stream = events.bytes_stream();
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
        .await
        .expect("the stream's first message at once")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&first).contains("resync"), "readable as it comes");
}

#[tokio::test]
async fn live_pages_ship_only_their_islands_and_mark_the_regions_a_live_refresh_swaps() {
    let (site, _) = built_site("islands", "body {}");
    let Some(app) = spawn_app_with(Backend::Sqlite, move |c| c.site_root = site).await else { return };
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    for (path, region) in [
        ("/search", "live-results"),
        ("/gaps", "live-gaps"),
        ("/map", "live-map"),
        ("/notifications", "live-notifications"),
    ] {
        let html = app.page(path, Some(&coordinator)).await.text().await.unwrap();
        assert!(html.contains(&format!(r#"<div id="{region}" data-live"#)), "{path} marks its live region: {html}");
        assert!(html.contains(r#"<leptos-island data-component="LiveRefresh_"#), "{path} refreshes live");
        assert!(html.contains(r#"<leptos-island data-component="HydrationMarker_"#), "{path}");
        let islands = html.matches("<leptos-island").count();
        assert_eq!(islands, 2, "{path}: the page itself is plain HTML, only the refresh and the mark hydrate");
        // Only islands hydrate, from their own props: no resource of the page is serialized for the browser.
        assert!(html.contains("__RESOLVED_RESOURCES=[];"), "{path} carries no hydration data: {html}");
    }
}

#[tokio::test]
async fn pages_nothing_reacts_to_carry_no_script_and_no_wasm() {
    let (site, _) = built_site("static", "body {}");
    let Some(app) = spawn_app_with(Backend::Sqlite, move |c| c.site_root = site).await else { return };
    let admin = app.signed_in(Role::Administrator, &[]).await;
    for path in ["/sign-in", "/public", "/account", "/admin/taxonomy"] {
        let html = app.page(path, Some(&admin)).await.text().await.unwrap();
        assert!(html.contains("/pkg/continuum.fedcba9876543210.css"), "{path} keeps its stylesheet");
        assert!(!html.contains("continuum.0123456789abcdef"), "{path} names no script and no wasm: {html}");
        assert!(!html.contains("modulepreload"), "{path}");
    }
    for path in ["/", "/search", "/my-capacity", "/oversight"] {
        let html = app.page(path, Some(&admin)).await.text().await.unwrap();
        assert!(html.contains("/pkg/continuum.0123456789abcdef_bg.wasm"), "{path} is hydrated");
    }
}

#[tokio::test]
async fn hsts_is_sent_when_served_over_https() {
    // A process of its own: an https deployment needs its own audit key.
    let env = [
        ("CONTINUUM_PUBLIC_URL", "https://continuum.example.org"),
        ("CONTINUUM_AUDIT_KEY", "a test key of at least thirty-two characters"),
    ];
    let Some(served) = crate::limits::serve_process(Backend::Sqlite, &env).await else { return };
    let response = served.app.client.get(format!("{}/", served.app.address)).send().await.unwrap();
    assert!(response.headers().get("strict-transport-security").unwrap().to_str().unwrap().contains("max-age="));
}

#[test]
fn an_https_deployment_without_an_audit_key_does_not_start() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_continuum"))
        .arg("migrate")
        .env("DATABASE_URL", "sqlite::memory:")
        .env("CONTINUUM_PUBLIC_URL", "https://continuum.example.org")
        .env_remove("CONTINUUM_AUDIT_KEY")
        .env("CONTINUUM_LOG", "off")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("CONTINUUM_AUDIT_KEY"));
}

#[tokio::test]
async fn the_sixth_wrong_password_in_a_minute_is_throttled_from_any_address() {
    let Some(app) = spawn_app_with(Backend::Sqlite, |c| c.trusted_proxies = 1).await else { return };
    let (_, email) = app.create_user(Role::Funder, &[]).await;
    for i in 0..5 {
        let r = app.sign_in_with(&email, "wrong password", None, Some(&format!("203.0.113.{i}"))).await;
        assert_eq!(r.status(), 401, "attempt {i}");
    }
    let sixth = app.sign_in_with(&email, "wrong password", None, Some("198.51.100.7")).await;
    assert_eq!(sixth.status(), 429);
    assert_eq!(sixth.headers().get("retry-after").unwrap(), "60");
    let right = app.sign_in_with(&email, PASSWORD, None, Some("198.51.100.8")).await;
    assert_eq!(right.status(), 429, "even the right password waits: the account is under attack");
}

#[tokio::test]
async fn no_server_function_uses_a_get_encoding() {
    let paths: Vec<_> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(paths.len() >= 10, "server functions are registered: {paths:?}");
    for (path, method) in paths {
        assert_eq!(method, axum::http::Method::POST, "{path} must not be a GET");
    }
}
