//! Who may use what: the table of every server function, page and raw route with the roles it admits, checked
//! against every role and anonymous (`matrix`), and the crawl that proves a confidential address reaches no
//! one who is not entitled to it through any of them (`canary`). A new server function or page without an
//! entry in the table fails the matrix.

mod canary;
mod matrix;

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
        ("/api/towns_by_region", Access::Public, Form(vec![])),
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
