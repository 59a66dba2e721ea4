//! The authorization matrix: every server function, page and raw route against every role and anonymous.
//! A new server function or page without an entry here fails the test.

use app::domain::access::Area;
use app::domain::account::Role;

use crate::accounts::Session;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::{Backend, TestApp, spawn_app};

#[derive(Clone, Copy, Debug)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in person.
    Signed,
    /// Only these roles.
    Roles(&'static [Role]),
}

// Who may use what comes from the product's own table: the test checks that every door enforces it.
const ADMIN: &[Role] = Area::Administration.roles();
const COORD: &[Role] = Area::Placement.roles();
const OVERSEE: &[Role] = Area::Gaps.roles();
const FUNDERS: &[Role] = Area::Oversight.roles();
const DIRECTORY_DATA: &[Role] = Area::DirectoryData.roles();
const PROVIDERS: &[Role] = Area::ProviderCapacity.roles();
const PEOPLE: &[Role] = Area::People.roles();
const DESCRIBERS: &[Role] = Area::ServiceDescription.roles();
const SITE_EDITORS: &[Role] = Area::SiteDetails.roles();
const DIRECTORY: &[Role] = Area::Directory.roles();
const HOLD_ENDERS: &[Role] = Area::EndHold.roles();

const ALL_ROLES: [Role; 5] =
    [Role::Administrator, Role::Coordinator, Role::Funder, Role::ProviderAdmin, Role::ProviderStaff];

/// Every server function: access and a well-formed body (ids that exist nowhere, or a field that is
/// refused after the access checks, so nothing changes).
fn server_functions(org: i64, site: i64) -> Vec<(&'static str, Access, Body)> {
    let org = org.to_string();
    let site = site.to_string();
    use Body::{Form, Json};
    vec![
        ("/api/whoami", Access::Public, Form(vec![])),
        (
            "/api/sign_in",
            Access::Public,
            Form(vec![("email", "nobody@example.test".into()), ("password", "wrong password".into())]),
        ),
        (
            "/api/redeem_link",
            Access::Public,
            Form(vec![("token", "nope".into()), ("password", "a long enough passphrase".into())]),
        ),
        ("/api/flashes", Access::Public, Form(vec![])),
        ("/api/regions", Access::Public, Form(vec![])),
        ("/api/categories", Access::Public, Form(vec![])),
        ("/api/towns", Access::Public, Form(vec![])),
        ("/api/public_overview", Access::Public, Form(vec![])),
        ("/api/totp_setup", Access::Signed, Form(vec![])),
        ("/api/totp_enable", Access::Signed, Form(vec![("code", "000000".into())])),
        (
            "/api/search",
            Access::Roles(COORD),
            Json(
                serde_json::json!({"query": {"scheme": "planning", "region_ids": [], "profile": {"age_group": null, "trafficking_type": null, "gender": null, "household_size": null, "languages": [], "wheelchair": false, "pets": false}, "categories": [], "family": null, "available_now": false, "include_stale": false, "near": false, "page": 1, "page_size": 5}}),
            ),
        ),
        ("/api/gaps", Access::Roles(OVERSEE), Json(serde_json::json!({"scheme": "planning", "family": "housing"}))),
        (
            "/api/region_map",
            Access::Roles(OVERSEE),
            Form(vec![("scheme", "county".into()), ("family", "housing".into()), ("victim", "adult_sex".into())]),
        ),
        ("/api/my_capacity", Access::Roles(PROVIDERS), Form(vec![])),
        ("/api/my_holds", Access::Roles(PROVIDERS), Form(vec![])),
        (
            "/api/update_capacity",
            Access::Roles(PROVIDERS),
            Form(vec![
                ("service_id", "999999".into()),
                ("version", "1".into()),
                ("total", "1".into()),
                ("available", "1".into()),
            ]),
        ),
        (
            "/api/confirm_capacity",
            Access::Roles(PROVIDERS),
            Form(vec![("service_id", "999999".into()), ("version", "1".into())]),
        ),
        ("/api/bulk_update", Access::Roles(PROVIDERS), Form(vec![("fields[note]", "1".into())])),
        (
            "/api/finish_hold",
            Access::Roles(HOLD_ENDERS),
            Form(vec![("hold_id", "999999".into()), ("outcome", "released".into())]),
        ),
        ("/api/service_description", Access::Roles(DESCRIBERS), Form(vec![("service_id", "999999".into())])),
        (
            "/api/describe_service",
            Access::Roles(DESCRIBERS),
            Form(vec![("service_id", "999999".into()), ("status", "active".into())]),
        ),
        ("/api/site_details", Access::Roles(SITE_EDITORS), Form(vec![("site_id", "999999".into())])),
        ("/api/edit_site", Access::Roles(SITE_EDITORS), Form(vec![("site_id", "999999".into()), ("name", "x".into())])),
        ("/api/directory_choices", Access::Roles(DIRECTORY), Form(vec![])),
        (
            "/api/add_site",
            Access::Roles(DIRECTORY),
            Form(vec![("organization_id", org.clone()), ("name", String::new()), ("town_id", "1".into())]),
        ),
        (
            "/api/add_service",
            Access::Roles(DIRECTORY),
            Form(vec![
                ("site_id", site),
                ("category", "safe_house".into()),
                ("name", String::new()),
                ("total", "1".into()),
                ("available", "1".into()),
            ]),
        ),
        ("/api/retire_service", Access::Roles(DIRECTORY), Form(vec![("service_id", "999999".into())])),
        (
            "/api/edit_service",
            Access::Roles(DIRECTORY),
            Form(vec![("service_id", "999999".into()), ("name", "x".into()), ("category", "safe_house".into())]),
        ),
        ("/api/retire_site", Access::Roles(DIRECTORY), Form(vec![("site_id", "999999".into())])),
        ("/api/place_hold", Access::Roles(COORD), Form(vec![("service_id", "999999".into()), ("units", "1".into())])),
        ("/api/coordinator_holds", Access::Roles(COORD), Form(vec![])),
        ("/api/record_need", Access::Roles(COORD), Form(vec![("need[region]", "999999".into())])),
        (
            "/api/close_need",
            Access::Roles(COORD),
            Form(vec![("need_id", "999999".into()), ("close[outcome]", "withdrawn".into())]),
        ),
        ("/api/my_needs", Access::Roles(COORD), Form(vec![])),
        ("/api/save_alert", Access::Roles(COORD), Form(vec![("query", "family=housing".into())])),
        ("/api/my_notifications", Access::Roles(COORD), Form(vec![])),
        ("/api/oversight", Access::Roles(FUNDERS), Form(vec![("query", String::new())])),
        ("/api/admin_users", Access::Roles(PEOPLE), Form(vec![])),
        (
            "/api/admin_invite",
            Access::Roles(PEOPLE),
            Form(vec![("email", "EMAIL".into()), ("role", "provider_staff".into()), ("organization_id", org)]),
        ),
        ("/api/admin_unlock_sign_in", Access::Roles(ADMIN), Form(vec![("user_id", "999999".into())])),
        (
            "/api/admin_set_role",
            Access::Roles(ADMIN),
            Form(vec![("user_id", "999999".into()), ("role", "funder".into())]),
        ),
        ("/api/admin_reset_link", Access::Roles(ADMIN), Form(vec![("user_id", "999999".into())])),
        (
            "/api/admin_set_disabled",
            Access::Roles(ADMIN),
            Form(vec![("user_id", "999999".into()), ("disabled", "true".into())]),
        ),
        ("/api/admin_audit", Access::Roles(ADMIN), Form(vec![])),
        ("/api/import_report", Access::Roles(ADMIN), Form(vec![("id", "999999".into())])),
        ("/api/recent_imports", Access::Roles(ADMIN), Form(vec![])),
        ("/api/admin_organizations", Access::Roles(ADMIN), Form(vec![])),
        ("/api/admin_add_organization", Access::Roles(ADMIN), Form(vec![("name", "ORG".into())])),
        ("/api/admin_organization", Access::Roles(ADMIN), Form(vec![("organization_id", "999999".into())])),
        (
            "/api/admin_edit_organization",
            Access::Roles(ADMIN),
            Form(vec![("organization_id", "999999".into()), ("name", "ORG".into())]),
        ),
        ("/api/admin_retire_organization", Access::Roles(ADMIN), Form(vec![("organization_id", "999999".into())])),
        (
            "/api/admin_add_category",
            Access::Roles(ADMIN),
            Form(vec![("code", "CODE".into()), ("family", "legal".into()), ("name", "n".into()), ("unit", "u".into())]),
        ),
        // Last: it ends the session the rows above use.
        ("/api/sign_out", Access::Public, Form(vec![])),
    ]
}

/// Every page and raw route (GET).
fn pages(service: i64, site: i64) -> Vec<(String, Access)> {
    vec![
        ("/".into(), Access::Public),
        ("/sign-in".into(), Access::Public),
        ("/welcome/some-token".into(), Access::Public),
        ("/public".into(), Access::Public),
        ("/disclosure".into(), Access::Public),
        ("/account".into(), Access::Signed),
        ("/search".into(), Access::Roles(COORD)),
        ("/holds".into(), Access::Roles(COORD)),
        ("/needs".into(), Access::Roles(COORD)),
        ("/needs/new".into(), Access::Roles(COORD)),
        ("/notifications".into(), Access::Roles(COORD)),
        ("/gaps".into(), Access::Roles(OVERSEE)),
        ("/map".into(), Access::Roles(OVERSEE)),
        ("/oversight".into(), Access::Roles(FUNDERS)),
        ("/my-capacity".into(), Access::Roles(PROVIDERS)),
        ("/my-capacity/bulk".into(), Access::Roles(PROVIDERS)),
        ("/my-capacity/new".into(), Access::Roles(DIRECTORY)),
        (format!("/my-capacity/service/{service}"), Access::Roles(DESCRIBERS)),
        (format!("/my-capacity/site/{site}"), Access::Roles(SITE_EDITORS)),
        ("/admin/users".into(), Access::Roles(PEOPLE)),
        ("/admin/organizations".into(), Access::Roles(ADMIN)),
        ("/admin/organizations/999999".into(), Access::Roles(ADMIN)),
        ("/admin/taxonomy".into(), Access::Roles(ADMIN)),
        ("/admin/import".into(), Access::Roles(ADMIN)),
        ("/admin/audit".into(), Access::Roles(ADMIN)),
    ]
}

/// Raw axum routes outside Leptos.
fn raw_routes() -> Vec<(&'static str, Access)> {
    vec![
        ("/health", Access::Public),
        ("/events", Access::Signed),
        ("/oversight/export.csv?table=needs", Access::Roles(FUNDERS)),
        ("/hsds/services", Access::Roles(DIRECTORY_DATA)),
    ]
}

enum Body {
    Form(Vec<(&'static str, String)>),
    Json(serde_json::Value),
}

fn allowed(access: Access, who: Option<Role>) -> bool {
    match (access, who) {
        (Access::Public, _) => true,
        (Access::Signed, who) => who.is_some(),
        (Access::Roles(roles), Some(r)) => roles.contains(&r),
        (Access::Roles(_), None) => false,
    }
}

fn template(path: &str) -> String {
    // /my-capacity/service/12 -> /my-capacity/service/{id} ; /welcome/x -> /welcome/{token}
    let parts: Vec<&str> = path.split('/').collect();
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| match (i, p) {
            (_, p) if p.parse::<i64>().is_ok() => "{id}".to_owned(),
            (2, _) if parts.get(1) == Some(&"welcome") => "{token}".to_owned(),
            _ => (*p).to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_and_server_function_answers_each_role_as_specified() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    let mine =
        Fixture::new(&app.db, chrono::Utc::now().timestamp()).owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    let mut sessions: Vec<(Option<Role>, Option<Session>)> = vec![(None, None)];
    for role in ALL_ROLES {
        let orgs: &[i64] = if role.is_provider() { &[mine.organization] } else { &[] };
        sessions.push((Some(role), Some(app.signed_in(role, orgs).await)));
    }

    // Completeness: every registered server function and page has an entry, and every entry exists.
    let table = server_functions(mine.organization, mine.site);
    let registered: std::collections::BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_owned()).collect();
    let listed: std::collections::BTreeSet<String> = table.iter().map(|(p, _, _)| (*p).to_owned()).collect();
    assert_eq!(registered, listed, "server functions and the matrix differ");
    let routes: std::collections::BTreeSet<String> =
        leptos_axum::generate_route_list(app::App).into_iter().map(|r| r.path().to_owned()).collect();
    let page_list = pages(mine.service, mine.site);
    let page_templates: std::collections::BTreeSet<String> = page_list.iter().map(|(p, _)| template(p)).collect();
    assert_eq!(routes, page_templates, "pages and the matrix differ");

    for (n, (role, session)) in sessions.iter().enumerate() {
        let who = format!("{role:?}");
        for (path, access) in &page_list {
            let response = app.page(path, session.as_ref()).await;
            let status = response.status().as_u16();
            if allowed(*access, *role) {
                assert!(matches!(status, 200 | 404), "{path} as {who}: {status}");
            } else if role.is_none() {
                assert_eq!(status, 302, "{path} anonymously");
                assert!(response.headers().get("location").unwrap().to_str().unwrap().starts_with("/sign-in?next="));
            } else {
                assert_eq!(status, 403, "{path} as {who}");
            }
        }
        for (path, access) in raw_routes() {
            let mut request = app.client.get(format!("{}{path}", app.address));
            if let Some(s) = session {
                request = request.header("cookie", format!("__Host-session={}", s.cookie));
            }
            // Event streams never end: only the status line matters.
            let response =
                tokio::time::timeout(std::time::Duration::from_secs(5), request.send()).await.unwrap().unwrap();
            let status = response.status().as_u16();
            if allowed(access, *role) {
                assert_eq!(status, 200, "{path} as {who}");
            } else {
                assert_eq!(status, if role.is_none() { 401 } else { 403 }, "{path} as {who}");
            }
        }
        // The directory upload, a raw multipart POST: an administrator with no file is sent back to the form.
        let response = app.upload(session.as_ref(), "empty.csv", b"", &[]).await;
        let status = response.status().as_u16();
        if allowed(Access::Roles(ADMIN), *role) {
            assert_eq!(status, 303, "upload as {who}");
            let location = response.headers().get("location").unwrap().to_str().unwrap();
            assert_eq!(location, "/admin/import?error=import_file");
        } else {
            assert_eq!(status, if role.is_none() { 401 } else { 403 }, "upload as {who}");
        }
        for (path, access, body) in &table {
            let response = call(&app, path, session.as_ref(), body, n).await;
            let status = response.status().as_u16();
            assert_ne!(status, 500, "{path} as {who}: a server error");
            if allowed(*access, *role) {
                assert!(
                    !matches!(status, 401 | 403) || *path == "/api/sign_in",
                    "{path} as {who}: refused with {status}"
                );
            } else {
                let expected = if role.is_none() { 401 } else { 403 };
                assert_eq!(status, expected, "{path} as {who}");
            }
        }
    }
}

async fn call(app: &TestApp, path: &str, session: Option<&Session>, body: &Body, n: usize) -> reqwest::Response {
    let mut request = app.client.post(format!("{}{path}", app.address));
    if let Some(s) = session {
        request = request.header("cookie", format!("__Host-session={}", s.cookie));
    }
    let unique = |v: &str| match v {
        "EMAIL" => format!("invitee-{n}@example.test"),
        "ORG" => format!("Matrix organization {n}"),
        "CODE" => format!("matrix_{}", ["a", "b", "c", "d", "e", "f"][n % 6]),
        other => other.to_owned(),
    };
    match body {
        Body::Form(fields) => request.form(&fields.iter().map(|(k, v)| (*k, unique(v))).collect::<Vec<_>>()),
        Body::Json(json) => request.json(json),
    }
    .send()
    .await
    .unwrap()
}

/// Collects every log line of the process (this test binary) for the canary check.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A runtime whose threads (workers and blocking pool) log everything through `dispatch`, for this test
/// alone. A process-wide subscriber would capture every later test too: at TRACE that buffer grew without
/// bound, and writing to it stalled other tests' requests past their time limit (seen by `make test-repeat`).
fn runtime_logging_to(dispatch: tracing::Dispatch) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .on_thread_start(move || {
            // Each runtime thread keeps this subscriber as its default until it ends.
            std::mem::forget(tracing::dispatcher::set_default(&dispatch));
        })
        .build()
        .expect("runtime")
}

#[test]
fn a_confidential_address_reaches_no_one_who_is_not_entitled_to_it() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let dispatch = tracing::Dispatch::new(
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).finish(),
    );
    // The test's own future runs on this thread: it logs there too.
    let _here = tracing::dispatcher::set_default(&dispatch);
    runtime_logging_to(dispatch).block_on(confidential_address_crawl(&logs));
}

async fn confidential_address_crawl(logs: &LogBuffer) {
    const CANARY: &str = "CANARY-7f3a-CRAWL 1 Hidden Orchard Road";
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    let f = Fixture::new(&app.db, chrono::Utc::now().timestamp());
    let hidden =
        f.owned(ServiceSpec { confidential_address: Some(CANARY), ..ServiceSpec::housing("Hartford", 6, 3) }).await;
    let other = f.owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    // The owner's admin may see it (and each view is audited); everyone below may not.
    let owner = app.signed_in(Role::ProviderAdmin, &[hidden.organization]).await;
    let body = app
        .call("/api/site_details", Some(&owner), &[("site_id", &hidden.site.to_string())])
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains(CANARY), "the owner sees its own address");

    let mut outsiders: Vec<(String, Option<Session>)> = vec![("anonymous".into(), None)];
    for (role, orgs) in [
        (Role::Coordinator, vec![]),
        (Role::Funder, vec![]),
        (Role::ProviderAdmin, vec![other.organization]),
        (Role::ProviderStaff, vec![other.organization]),
    ] {
        outsiders.push((format!("{role:?}"), Some(app.signed_in(role, &orgs).await)));
    }
    let hold = app::store::holds::place(
        &app.db,
        hidden.service,
        app::domain::hold::HoldRequest::new(1, None).unwrap(),
        None,
        None,
        chrono::Utc::now().timestamp(),
        &app.freshness,
    )
    .await
    .unwrap()
    .unwrap();
    for (n, (who, session)) in outsiders.iter().enumerate() {
        let mut seen = String::new();
        for (path, _) in pages(hidden.service, hidden.site) {
            seen.push_str(&app.page(&path, session.as_ref()).await.text().await.unwrap());
        }
        for (path, _, body) in server_functions(other.organization, hidden.site) {
            let body = match body {
                Body::Form(fields) => Body::Form(
                    fields
                        .into_iter()
                        .map(|(k, v)| {
                            let v = match (k, v.as_str()) {
                                ("service_id", "999999") => hidden.service.to_string(),
                                ("site_id", "999999") => hidden.site.to_string(),
                                ("hold_id", "999999") => hold.id.to_string(),
                                _ => v,
                            };
                            (k, v)
                        })
                        .collect(),
                ),
                json => json,
            };
            if path != "/api/sign_out" {
                seen.push_str(&call(&app, path, session.as_ref(), &body, n + 10).await.text().await.unwrap());
            }
        }
        let mut export = app.client.get(format!("{}/oversight/export.csv?table=needs", app.address));
        if let Some(s) = session {
            export = export.header("cookie", format!("__Host-session={}", s.cookie));
        }
        seen.push_str(&export.send().await.unwrap().text().await.unwrap());
        let location = app::hsds::id("location", hidden.site);
        let service = app::hsds::id("service", hidden.service);
        let organization = app::hsds::id("organization", hidden.organization);
        for path in [
            "/hsds/services".to_owned(),
            "/hsds/organizations".to_owned(),
            "/hsds/service_at_locations".to_owned(),
            format!("/hsds/services/{service}"),
            format!("/hsds/organizations/{organization}"),
            format!("/hsds/service_at_locations/{}", app::hsds::id("service_at_location", &service)),
        ] {
            let response = app.page(&path, session.as_ref()).await;
            let readable = who == "Coordinator" || who == "Funder";
            assert_eq!(response.status() == 200, readable, "{who} {path}");
            let body = response.text().await.unwrap();
            let about_it = [&service, &location, &organization].iter().any(|id| body.contains(id.as_str()));
            assert!(!readable || about_it, "{who} {path}: the documents are about the hidden site");
            seen.push_str(&body);
        }
        assert!(!seen.contains("CANARY-7f3a"), "{who} saw the confidential address");
    }
    // An administrator imports a sheet with a confidential street, first with a problem on its line: neither
    // report repeats the address (and the import logs nothing of it).
    let admin = app.signed_in(Role::Administrator, &[]).await;
    let sheet = |phone: &str| {
        format!(
            "organization_id,organization,site_id,site,town,street_address,confidential,intake_phone,service_id,service,category\n\
             canary-1,Canary Network,canary-1-a,Canary House,Hartford,{CANARY} Annex,yes,{phone},canary-1-a-1,Canary beds,safe_house\n"
        )
    };
    for phone in ["call us", "860-555-0100"] {
        let response = app.upload(Some(&admin), "canary.csv", sheet(phone).as_bytes(), &[]).await;
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let report = app.page(&location, Some(&admin)).await.text().await.unwrap();
        assert!(report.contains("data-testid=\"import-report\""), "{location}");
        assert!(!report.contains("CANARY-7f3a"), "an import report repeated the confidential address");
    }
    let log_text = String::from_utf8_lossy(&logs.0.lock().unwrap()).to_string();
    assert!(!log_text.contains("CANARY-7f3a"), "a log line carried the confidential address");
}
