//! Attacks that worked against the first release, each written as the attack: every one must now fail.

use std::time::Duration;

use app::domain::account::Role;
use futures_util::StreamExt;

use crate::accounts::{PASSWORD, Session, session_token};
use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl TestApp {
    /// Signs in an account of a role that requires a second factor, before it has set one up: a session
    /// that may do nothing but reach the account page.
    pub async fn signed_in_without_second_factor(&self, role: Role) -> Session {
        let (id, email) = self.create_user(role, &[]).await;
        let hash = app::auth::password::hash(PASSWORD.into()).await.unwrap();
        app::store::providers::set_demo_credentials(&self.db, id, &hash, None).await.unwrap();
        let response = self.sign_in_with(&email, PASSWORD, None, None).await;
        assert_eq!(response.status(), 200, "a password-only sign-in opens a session");
        Session { cookie: session_token(&response).unwrap(), user_id: id, email }
    }

    /// Posts the sign-in form as a browser would (accepting HTML), with a `next` path.
    async fn sign_in_with_next(&self, email: &str, next: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/sign_in", self.address))
            .header("accept", "text/html")
            .form(&[("email", email), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap()
    }

    /// Opens `/events` as `session`; the response, not yet read.
    pub async fn open_events(&self, session: &Session) -> reqwest::Response {
        self.client_without_limit()
            .get(format!("{}/events", self.address))
            .header("cookie", format!("__Host-session={}", session.cookie))
            .send()
            .await
            .unwrap()
    }
}

/// Reads an event stream until `wanted` appears in it (within 5 s) and returns everything read.
pub async fn read_until<B: AsRef<[u8]>>(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<B>> + Unpin),
    wanted: &str,
) -> String {
    let mut text = String::new();
    while !text.contains(wanted) {
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .unwrap_or_else(|_| panic!("no {wanted:?} within 5 s; read {text:?}"))
            .unwrap_or_else(|| panic!("the stream ended before {wanted:?}; read {text:?}"))
            .unwrap();
        text.push_str(&String::from_utf8_lossy(chunk.as_ref()));
    }
    text
}

/// Sends `head` and `chunks` over a plain TCP connection, then reads the answer (within 5 s).
async fn raw_exchange(address: &str, head: &str, chunks: &[Vec<u8>]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(address.trim_start_matches("http://")).await.unwrap();
    socket.write_all(head.as_bytes()).await.unwrap();
    for chunk in chunks {
        socket.write_all(chunk).await.unwrap();
    }
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut answer))
        .await
        .expect("an answer within 5 s")
        .unwrap();
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

/// Whether the stream ends within 5 s.
async fn ends<B>(stream: &mut (impl futures_util::Stream<Item = reqwest::Result<B>> + Unpin)) -> bool {
    tokio::time::timeout(Duration::from_secs(5), async { while let Some(Ok(_)) = stream.next().await {} }).await.is_ok()
}

async fn a_tab_in_next_cannot_send_a_signed_in_user_to_another_site(app: TestApp) {
    let (_, email) = app.create_user(Role::Funder, &[]).await;
    for next in ["/\t/evil.example", "/\n/evil.example", "/\\/evil.example", "/.//evil.example"] {
        let response = app.sign_in_with_next(&email, next).await;
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let cleaned: String = location.chars().filter(|c| !c.is_control()).collect::<String>().replace('\\', "/");
        assert!(cleaned.starts_with('/') && !cleaned.starts_with("//"), "{next:?} sent the browser to {location:?}");
        assert!(!cleaned.contains("evil.example") || cleaned.starts_with("/sign-in"), "{next:?} -> {location:?}");
    }
}

async fn a_huge_page_number_is_answered_not_a_crash(app: TestApp) {
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let page = app.page("/search?page=4294967295", Some(&coordinator)).await;
    assert_eq!(page.status(), 200);
    let body = serde_json::json!({"query": {"scheme": "planning", "region_ids": [], "profile": {"age_group": null, "trafficking_type": null, "gender": null, "household_size": null, "languages": [], "wheelchair": false, "pets": false}, "categories": [], "family": null, "available_now": false, "include_stale": false, "near": false, "page": 4294967295u32, "page_size": 4294967295u32}});
    let api = app
        .client
        .post(format!("{}/api/search", app.address))
        .header("cookie", format!("__Host-session={}", coordinator.cookie))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 200);
    let long: Vec<i64> = (1..=500).collect();
    let mut body = body;
    body["query"]["region_ids"] = serde_json::json!(long);
    let refused = app
        .client
        .post(format!("{}/api/search", app.address))
        .header("cookie", format!("__Host-session={}", coordinator.cookie))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400, "an unbounded list is refused");
}

async fn an_unusable_date_is_refused_never_replaced(app: TestApp) {
    let funder = app.signed_in(Role::Funder, &[]).await;
    let cookie = format!("__Host-session={}", funder.cookie);
    for bad in ["2026-13-45", "+262143-12-31", "1999-01-01"] {
        let export = app
            .client
            .get(format!("{}/oversight/export.csv?table=needs&from={bad}", app.address))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 400, "{bad}");
        let text = export.text().await.unwrap();
        assert!(text.contains("not a date Continuum can use"), "{text}");
        let api = app.call("/api/oversight", Some(&funder), &[("query", &format!("from={bad}"))]).await;
        assert_eq!(api.status(), 400, "{bad}");
    }
    let page = app.page("/oversight?from=2026-13-45", Some(&funder)).await.text().await.unwrap();
    assert!(page.contains("not a date Continuum can use"), "the page says why");
    assert!(!page.contains("data-testid=\"data-table\""), "and shows no other period's numbers");
}

async fn a_ten_megabyte_body_is_refused_with_413(app: TestApp) {
    // Announced: refused from the headers alone, before any of the body is read.
    let head = "POST /api/sign_in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10485760\r\n\r\n";
    let answer = raw_exchange(&app.address, head, &[]).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // Not announced (chunked): refused as soon as one byte more than the limit has arrived.
    let head = "POST /api/sign_in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
    let limit = server::limits::MAX_BODY_BYTES;
    let chunks: Vec<Vec<u8>> = (0..=limit / 65536)
        .map(|i| {
            let n = if i == limit / 65536 { limit % 65536 + 1 } else { 65536 };
            let mut chunk = format!("{n:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(b'x', n));
            chunk.extend(b"\r\n");
            chunk
        })
        .collect();
    let answer = raw_exchange(&app.address, head, &chunks).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let small = app.client.post(format!("{}/api/regions", app.address)).send().await.unwrap();
    assert_eq!(small.status(), 200, "ordinary requests still pass");
}

async fn exports_and_event_streams_require_the_second_factor(app: TestApp) {
    let admin = app.signed_in_without_second_factor(Role::Administrator).await;
    let export = app
        .client
        .get(format!("{}/oversight/export.csv?table=needs", app.address))
        .header("cookie", format!("__Host-session={}", admin.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 403);
    let coordinator = app.signed_in_without_second_factor(Role::Coordinator).await;
    assert_eq!(app.open_events(&coordinator).await.status(), 403);
    let full = app.signed_in(Role::Coordinator, &[]).await;
    assert_eq!(app.open_events(&full).await.status(), 200);
}

async fn an_event_stream_ends_at_sign_out_and_when_the_account_is_disabled(app: TestApp) {
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let mut stream = app.open_events(&coordinator).await.bytes_stream();
    read_until(&mut stream, "resync").await;
    let out = app.call("/api/sign_out", Some(&coordinator), &[]).await;
    assert!(out.status().is_success() || out.status().is_redirection());
    assert!(ends(&mut stream).await, "the stream outlived sign-out");

    let other = app.signed_in(Role::Coordinator, &[]).await;
    let admin = app.signed_in(Role::Administrator, &[]).await;
    let mut stream = app.open_events(&other).await.bytes_stream();
    read_until(&mut stream, "resync").await;
    let id = other.user_id.to_string();
    let disabled =
        app.call("/api/admin_set_disabled", Some(&admin), &[("user_id", id.as_str()), ("disabled", "true")]).await;
    assert!(disabled.status().is_success(), "{}", disabled.status());
    assert!(ends(&mut stream).await, "the stream outlived disabling the account");
}

async fn a_provider_stream_carries_only_its_own_organizations_services(app: TestApp) {
    let fixture = Fixture::new(&app.db, now());
    let mine = fixture.owned(ServiceSpec::housing("Hartford", 5, 2)).await;
    let theirs = fixture.owned(ServiceSpec::housing("Norwich", 5, 2)).await;
    let me = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let them = app.signed_in(Role::ProviderStaff, &[theirs.organization]).await;
    let mut stream = app.open_events(&me).await.bytes_stream();
    read_until(&mut stream, "resync").await;
    let update = |session: Session, service: i64| {
        let app = &app;
        async move {
            let id = service.to_string();
            app.call(
                "/api/update_capacity",
                Some(&session),
                &[
                    ("service_id", id.as_str()),
                    ("version", "1"),
                    ("total", "5"),
                    ("available", "3"),
                    ("accepting", "on"),
                ],
            )
            .await
        }
    };
    assert_eq!(update(them.clone(), theirs.service).await.status(), 200);
    assert_eq!(update(me.clone(), mine.service).await.status(), 200);
    let text = read_until(&mut stream, "event: capacity").await;
    assert!(text.contains(&format!("\"service_id\":{}", mine.service)), "{text}");
    assert!(
        !text.contains(&format!("\"service_id\":{}", theirs.service)),
        "another organization's activity leaked: {text}"
    );
}

async fn urls_carry_message_codes_never_text(app: TestApp) {
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let phish = "Your account is locked. Call 555-0100 now";
    let holds = app
        .page(&format!("/holds?refused={}&error=hold_unavailable", phish.replace(' ', "+")), Some(&coordinator))
        .await
        .text()
        .await
        .unwrap();
    assert!(!holds.contains("Call 555-0100"), "text from the URL was shown");
    assert!(holds.contains("No longer available"), "the code's own words are shown");
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 5, 2)).await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let path = format!(
        "/my-capacity?invalid={}&field=total&message={}&reason=not_a_number",
        mine.service,
        phish.replace(' ', "+")
    );
    let page = app.page(&path, Some(&staff)).await.text().await.unwrap();
    assert!(!page.contains("Call 555-0100"), "text from the URL was shown");
    assert!(page.contains("Enter a whole number"), "the code's own words are shown");
}

async fn a_language_outside_the_closed_list_cannot_carry_initials(app: TestApp) {
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let regions = app::store::regions::summaries(&app.db, app::domain::region::RegionScheme::Planning).await.unwrap();
    let region = regions[0].id.to_string();
    let fields = [
        ("need[region]", region.as_str()),
        ("need[age]", "adult"),
        ("need[type]", "labor"),
        ("need[urgency]", "urgent"),
        ("need[category_safe_house]", "on"),
        ("need[lang_jd]", "on"),
    ];
    let response = app.call("/api/record_need", Some(&coordinator), &fields).await;
    assert_eq!(response.status(), 422);
    let needs = app::store::needs::for_coordinator(&app.db, coordinator.user_id, 10).await.unwrap();
    assert!(needs.is_empty(), "nothing was recorded");
}

async fn an_invitation_tells_a_provider_admin_nothing_about_existing_accounts(app: TestApp) {
    let org = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 5, 2)).await.organization;
    let (_, existing) = app.create_user(Role::Funder, &[]).await;
    let admin = app.signed_in(Role::ProviderAdmin, &[org]).await;
    let org = org.to_string();
    let invite = |email: String| {
        let (app, admin, org) = (&app, &admin, &org);
        async move {
            let r = app
                .call(
                    "/api/admin_invite",
                    Some(admin),
                    &[("email", email.as_str()), ("role", "provider_staff"), ("organization_id", org.as_str())],
                )
                .await;
            (r.status().as_u16(), r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (taken_status, taken) = invite(existing).await;
    let (new_status, new) = invite("someone-new@example.test".into()).await;
    assert_eq!(taken_status, new_status, "the same answer for an existing account");
    assert_eq!(taken["path"].as_str().unwrap().len(), new["path"].as_str().unwrap().len());
    let token = taken["path"].as_str().unwrap().trim_start_matches("/welcome/").to_owned();
    let redeem =
        app.call("/api/redeem_link", None, &[("token", token.as_str()), ("password", "a brand new passphrase")]).await;
    assert_eq!(redeem.status(), 410, "the decoy link leads nowhere");
    let audited = app::store::audit::list(&app.db, Some("user.invite_existing"), 10).await.unwrap();
    assert_eq!(audited.len(), 1, "administrators can see the attempt");
}

async fn one_coordinator_cannot_hold_every_free_bed(app: TestApp) {
    let fixture = Fixture::new(&app.db, now());
    let big = fixture.owned(ServiceSpec::housing("Hartford", 40, 40)).await;
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let service = big.service.to_string();
    let hold = |units: &'static str| {
        let (app, coordinator, service) = (&app, &coordinator, &service);
        async move {
            let r = app
                .call("/api/place_hold", Some(coordinator), &[("service_id", service.as_str()), ("units", units)])
                .await;
            r.json::<app::api::coordinator::HoldResult>().await.unwrap()
        }
    };
    assert!(matches!(hold("20").await, app::api::coordinator::HoldResult::Held { .. }));
    let refused = hold("1").await;
    assert!(
        matches!(refused, app::api::coordinator::HoldResult::Refused { reason: app::api::AppError::HoldLimit, .. }),
        "{refused:?}"
    );
    let snapshot = app::store::capacity::snapshot(&app.db, big.service, now(), &app.freshness).await.unwrap();
    assert_eq!(snapshot.available, 20, "the other beds stay free for everyone else");
    let other = app.signed_in(Role::Coordinator, &[]).await;
    let theirs = app
        .call("/api/place_hold", Some(&other), &[("service_id", service.as_str()), ("units", "1")])
        .await
        .json::<app::api::coordinator::HoldResult>()
        .await
        .unwrap();
    assert!(matches!(theirs, app::api::coordinator::HoldResult::Held { .. }), "the limit is per coordinator");
}

async fn one_coordinator_cannot_save_unlimited_alerts(app: TestApp) {
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    for i in 0..20 {
        let q = format!("family=housing&page={}", i + 1);
        assert_eq!(
            app.call("/api/save_alert", Some(&coordinator), &[("query", q.as_str())]).await.status(),
            200,
            "alert {i}"
        );
    }
    let over = app.call("/api/save_alert", Some(&coordinator), &[("query", "family=legal")]).await;
    assert_eq!(over.status(), 422);
}

async fn a_link_left_for_a_session_is_gone_within_minutes_even_if_never_read(app: TestApp) {
    let now = now();
    app::store::sessions::push_flash(&app.db, "some-session", "Invitation for x@example.test: /welcome/secret", now)
        .await
        .unwrap();
    app::store::sessions::sweep(&app.db, now + 60, 1800).await.unwrap();
    let (kept,): (i64,) = app::store::query("SELECT COUNT(*) FROM flashes").fetch_one(&app.db).await.unwrap();
    assert_eq!(kept, 1, "shown for two minutes");
    app::store::sessions::sweep(&app.db, now + app::store::sessions::FLASH_SECS + 1, 1800).await.unwrap();
    let (kept,): (i64,) = app::store::query("SELECT COUNT(*) FROM flashes").fetch_one(&app.db).await.unwrap();
    assert_eq!(kept, 0, "then deleted by the sweeper, read or not");
}

async fn thirty_two_parallel_wrong_passwords_get_at_most_five_evaluations(app: TestApp) {
    let (id, email) = app.create_user(Role::Funder, &[]).await;
    let guesses = (0..32).map(|_| {
        let client = app.client.clone();
        let url = format!("{}/api/sign_in", app.address);
        let email = email.clone();
        tokio::spawn(async move {
            client
                .post(url)
                .form(&[("email", email.as_str()), ("password", "a wrong guess")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    let statuses: Vec<u16> = futures_util::future::join_all(guesses).await.into_iter().map(Result::unwrap).collect();
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    assert!(evaluated <= 5, "{evaluated} guesses were evaluated: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");
    let failures = app::store::audit::list(&app.db, Some("sign_in.failure"), 100).await.unwrap();
    assert!(failures.len() <= 5, "{} failures were evaluated and audited", failures.len());
    let _ = id;
}

async fn repeated_failures_back_off_until_an_administrator_unlocks(app: TestApp) {
    let (id, email) = app.create_user(Role::Funder, &[]).await;
    // Seven failures in the last few minutes: the account now waits 240 s after the last one.
    let then = now() - 120;
    for i in 0..7 {
        app::store::query(
            "INSERT INTO sign_in_attempts (at, account, client, succeeded) VALUES ($1, $2, 'elsewhere', FALSE)",
        )
        .bind(then - 60 * i)
        .bind(&email)
        .execute(&app.db)
        .await
        .map(drop)
        .unwrap();
    }
    let waiting = app.sign_in_with(&email, PASSWORD, None, None).await;
    assert_eq!(waiting.status(), 429, "even the right password waits out the back-off");
    let retry: i64 = waiting.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((100..=125).contains(&retry), "about 120 s left of a 240 s wait, got {retry}");
    let admin = app.signed_in(Role::Administrator, &[]).await;
    let user = id.to_string();
    assert_eq!(app.call("/api/admin_unlock_sign_in", Some(&admin), &[("user_id", user.as_str())]).await.status(), 200);
    assert_eq!(app.sign_in_with(&email, PASSWORD, None, None).await.status(), 200, "unlocked");
}

async fn a_reset_link_works_once_and_a_newer_link_retires_the_older(app: TestApp) {
    let (id, _) = app.create_user(Role::Funder, &[]).await;
    let first = app::auth::reset_link(&app.db, id, None, now()).await.unwrap();
    let second = app::auth::reset_link(&app.db, id, None, now()).await.unwrap();
    let redeem = |token: String| {
        let app = &app;
        async move {
            app.call("/api/redeem_link", None, &[("token", token.as_str()), ("password", "a brand new passphrase")])
                .await
                .status()
        }
    };
    assert_eq!(redeem(first).await, 410, "the older link stopped working when a new one was made");
    assert_eq!(redeem(second.clone()).await, 200);
    assert_eq!(redeem(second).await, 410, "a link works once");
}

both_backends!(
    a_tab_in_next_cannot_send_a_signed_in_user_to_another_site,
    a_huge_page_number_is_answered_not_a_crash,
    an_unusable_date_is_refused_never_replaced,
    a_ten_megabyte_body_is_refused_with_413,
    exports_and_event_streams_require_the_second_factor,
    an_event_stream_ends_at_sign_out_and_when_the_account_is_disabled,
    a_provider_stream_carries_only_its_own_organizations_services,
    urls_carry_message_codes_never_text,
    a_language_outside_the_closed_list_cannot_carry_initials,
    an_invitation_tells_a_provider_admin_nothing_about_existing_accounts,
    one_coordinator_cannot_hold_every_free_bed,
    one_coordinator_cannot_save_unlimited_alerts,
    a_link_left_for_a_session_is_gone_within_minutes_even_if_never_read,
    thirty_two_parallel_wrong_passwords_get_at_most_five_evaluations,
    repeated_failures_back_off_until_an_administrator_unlocks,
    a_reset_link_works_once_and_a_newer_link_retires_the_older,
);

async fn rotating_ipv6_addresses_inside_one_64_are_one_client(backend: crate::helpers::Backend) {
    let Some(app) = crate::helpers::spawn_app_with(backend, |c| c.trusted_proxies = 1).await else { return };
    for i in 0..20 {
        let r = app
            .sign_in_with(
                &format!("nobody-{i}@example.test"),
                "wrong",
                None,
                Some(&format!("2001:db8:7:9::{:x}", i + 1)),
            )
            .await;
        assert_eq!(r.status(), 401, "guess {i}");
    }
    let next = app.sign_in_with("nobody-else@example.test", "wrong", None, Some("2001:db8:7:9:ffff::1")).await;
    assert_eq!(next.status(), 429, "a new address in the same /64 is the same client");
    let other = app.sign_in_with("nobody-else@example.test", "wrong", None, Some("2001:db8:7:a::1")).await;
    assert_eq!(other.status(), 401, "another /64 is another client");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotating_ipv6_addresses_inside_one_64_are_one_client_sqlite() {
    rotating_ipv6_addresses_inside_one_64_are_one_client(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotating_ipv6_addresses_inside_one_64_are_one_client_postgres() {
    rotating_ipv6_addresses_inside_one_64_are_one_client(crate::helpers::Backend::Postgres).await;
}
