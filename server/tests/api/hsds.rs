//! The HSDS 3.1 read API over HTTP: every document validates against Open Referral's schemas (copied into
//! `tests/data/hsds-3.1`), lists are paged as the API description says, a confidential site is its town and
//! nothing more, stale capacity is never published as available, retired services are gone, and only
//! coordinators, funders and administrators may read it.

use std::sync::LazyLock;

use app::domain::account::Role;
use serde_json::Value;

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

const CANARY: &str = "CANARY-HSDS 9 Secret Lane";

/// Open Referral's schemas, compiled once, by object name (`service`, `organization`, ...).
struct Schemas {
    schemas: boon::Schemas,
    index: std::collections::HashMap<String, boon::SchemaIndex>,
}

static SCHEMAS: LazyLock<Schemas> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds-3.1/schema");
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "openapi.json" {
            continue;
        }
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        compiler.add_resource(&format!("https://hsds.invalid/schema/{name}"), json).unwrap();
        names.push(name);
    }
    let mut schemas = boon::Schemas::new();
    let index = names
        .into_iter()
        .map(|name| {
            let at = compiler.compile(&format!("https://hsds.invalid/schema/{name}"), &mut schemas).unwrap();
            (name.trim_end_matches(".json").to_owned(), at)
        })
        .collect();
    Schemas { schemas, index }
});

/// Panics with the validator's words when `document` is not a valid HSDS `object`.
fn assert_valid(object: &str, document: &Value) {
    let s = &*SCHEMAS;
    if let Err(e) = s.schemas.validate(document, s.index[object]) {
        panic!("not a valid HSDS {object}: {e:#}\n{document:#}");
    }
}

#[test]
fn the_schemas_refuse_what_hsds_does_not_allow() {
    let s = &*SCHEMAS;
    let service = |v: Value| s.schemas.validate(&v, s.index["service"]).is_ok();
    assert!(service(serde_json::json!({"id": app::hsds::id("service", 1), "name": "Beds", "status": "active"})));
    assert!(!service(serde_json::json!({"id": app::hsds::id("service", 1), "status": "active"})), "name is required");
    assert!(!service(serde_json::json!({"id": "42", "name": "Beds", "status": "active"})), "ids are UUIDs");
    assert!(!service(serde_json::json!({"id": app::hsds::id("service", 1), "name": "Beds", "status": "open"})));
    let capacity = serde_json::json!({"id": app::hsds::id("c", 1), "unit": {"id": app::hsds::id("u", 1), "name": "bed"},
        "available": "many", "updated": "2026-12-01T10:00:00Z"});
    assert!(s.schemas.validate(&capacity, s.index["service_capacity"]).is_err(), "available is a number");
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn get(app: &TestApp, path: &str, session: &crate::accounts::Session) -> (u16, String) {
    let response = app.page(path, Some(session)).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Every item of every page of a list, checking the page fields as it goes.
async fn all_pages(app: &TestApp, list: &str, session: &crate::accounts::Session) -> Vec<Value> {
    let mut items = Vec::new();
    for number in 1.. {
        let (status, body) = get(app, &format!("{list}?per_page=2&page={number}"), session).await;
        assert_eq!(status, 200, "{list}: {body}");
        assert!(!body.contains("CANARY"), "{list} leaked a confidential address");
        let page: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(page["page_number"], number);
        assert_eq!(page["first_page"], number == 1);
        assert_eq!(page["size"].as_u64().unwrap() as usize, page["contents"].as_array().unwrap().len());
        items.extend(page["contents"].as_array().unwrap().iter().cloned());
        if page["last_page"] == true {
            assert_eq!(page["total_items"].as_u64().unwrap() as usize, items.len(), "{list}: every item once");
            break;
        }
    }
    items
}

async fn every_document_validates_and_keeps_confidential_sites_to_their_town(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    let hidden =
        f.owned(ServiceSpec { confidential_address: Some(CANARY), ..ServiceSpec::housing("Norwich", 6, 3) }).await;
    let public = f.owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    let stale = f.owned(ServiceSpec { age_secs: 10 * 86_400, ..ServiceSpec::housing("Bridgeport", 5, 5) }).await;
    let retired = f.owned(ServiceSpec::housing("Waterbury", 3, 3)).await;
    app::store::directory::retire_service(&app.db, retired.service, 1, now()).await.unwrap().unwrap();
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;

    let services = all_pages(&app, "/hsds/services", &coordinator).await;
    assert_eq!(services.len(), 3, "the retired service is not published");
    for (list, object) in [
        ("/hsds/services", "service"),
        ("/hsds/organizations", "organization"),
        ("/hsds/service_at_locations", "service_at_location"),
        ("/hsds/taxonomy_terms", "taxonomy_term"),
    ] {
        let items = all_pages(&app, list, &coordinator).await;
        assert!(!items.is_empty(), "{list}");
        for item in &items {
            assert_valid(object, item);
            let id = item["id"].as_str().unwrap();
            let (status, body) = get(&app, &format!("{list}/{id}"), &coordinator).await;
            assert_eq!(status, 200, "{list}/{id}");
            assert!(!body.contains("CANARY"), "{list}/{id} leaked a confidential address");
            assert_valid(object, &serde_json::from_str(&body).unwrap());
        }
    }

    let by_name = |id: i64| app::hsds::id("service", id);
    let (on, as_coordinator) = (&app, &coordinator);
    let full = |id: i64| {
        let path = format!("/hsds/services/{}", by_name(id));
        async move { serde_json::from_str::<Value>(&get(on, &path, as_coordinator).await.1).unwrap() }
    };
    let confidential = full(hidden.service).await;
    let location = &confidential["service_at_locations"][0]["location"];
    assert_eq!(location["addresses"], serde_json::json!([]), "no street for a confidential site");
    assert!(location.get("latitude").is_none() && location.get("longitude").is_none());
    assert!(location["description"].as_str().unwrap().contains("Norwich"), "its town is said");
    let open = full(public.service).await;
    assert_eq!(open["service_at_locations"][0]["location"]["addresses"][0]["city"], "Hartford");
    assert_eq!(open["capacities"][0]["available"], 2);
    assert_eq!(open["capacities"][0]["maximum"], 4);
    assert_eq!(open["capacities"][0]["unit"]["name"], "bed");
    let old = full(stale.service).await;
    assert_eq!(old["capacities"][0]["available"], 0, "stale capacity is never published as available");
    assert!(old["capacities"][0]["description"].as_str().unwrap().starts_with("Out of date"));
    let (status, _) = get(&app, &format!("/hsds/services/{}", by_name(retired.service)), &coordinator).await;
    assert_eq!(status, 404);
}

async fn only_coordinators_funders_and_administrators_read_it_and_bad_paging_is_refused(app: TestApp) {
    Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    assert_eq!(app.page("/hsds/services", None).await.status(), 401);
    for (role, expected) in [
        (Role::ProviderStaff, 403),
        (Role::ProviderAdmin, 403),
        (Role::Funder, 200),
        (Role::Coordinator, 200),
        (Role::Administrator, 200),
    ] {
        let session = app.signed_in(role, &[]).await;
        assert_eq!(get(&app, "/hsds/taxonomy_terms", &session).await.0, expected, "{role:?}");
    }
    let funder = app.signed_in(Role::Funder, &[]).await;
    for bad in ["page=0", "per_page=0", "per_page=501", "page=two"] {
        let (status, body) = get(&app, &format!("/hsds/services?{bad}"), &funder).await;
        assert_eq!(status, 400, "{bad}");
        assert!(body.contains("whole number"), "{bad}: {body}");
    }
    let (status, body) = get(&app, "/hsds/services?per_page=500&page=7", &funder).await;
    assert_eq!(status, 200);
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((page["page_number"].as_u64(), page["last_page"].as_bool()), (Some(1), Some(true)), "past the end");
}

async fn the_export_is_the_same_bytes_every_time_and_every_file_follows_the_standard(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    f.owned(ServiceSpec { confidential_address: Some(CANARY), ..ServiceSpec::housing("Norwich", 6, 3) }).await;
    f.owned(ServiceSpec::housing("Hartford", 4, 2)).await;
    let policy = app::domain::freshness::FreshnessPolicy::default();
    let (first, second) = (crate::helpers::tempdir::TempDir::new(), crate::helpers::tempdir::TempDir::new());
    let written = server::hsds::export(&app.db, &policy, first.path()).await.unwrap();
    assert_eq!(server::hsds::export(&app.db, &policy, second.path()).await.unwrap(), written);
    let read = |dir: &std::path::Path, name: &str| std::fs::read_to_string(dir.join(name)).unwrap();

    let package: Value = serde_json::from_str(&read(first.path(), "datapackage.json")).unwrap();
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len() + 1 + 4, written, "the package, its tables and four JSON lists");
    for resource in resources {
        let path = resource["path"].as_str().unwrap();
        let csv = read(first.path(), path);
        assert_eq!(csv, read(second.path(), path), "{path} is the same bytes both times");
        assert!(!csv.contains("CANARY"), "{path} leaked a confidential address");
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let fields: Vec<&str> =
            resource["schema"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(header, fields, "{path}: the header is the package's field list");
    }
    for (name, object) in [
        ("organizations", "organization"),
        ("services", "service"),
        ("service_at_locations", "service_at_location"),
        ("taxonomy_terms", "taxonomy_term"),
    ] {
        let file = format!("json/{name}.json");
        let text = read(first.path(), &file);
        assert_eq!(text, read(second.path(), &file));
        assert!(!text.contains("CANARY"), "{file} leaked a confidential address");
        let items: Vec<Value> = serde_json::from_str(&text).unwrap();
        assert!(!items.is_empty(), "{file}");
        items.iter().for_each(|item| assert_valid(object, item));
    }
    let services = read(first.path(), "services.csv");
    assert_eq!(services.lines().count(), 3, "a header and the two services");
    assert!(read(first.path(), "addresses.csv").contains("1 Public Square"), "a public address is exported");
}

both_backends!(
    every_document_validates_and_keeps_confidential_sites_to_their_town,
    the_export_is_the_same_bytes_every_time_and_every_file_follows_the_standard,
    only_coordinators_funders_and_administrators_read_it_and_bad_paging_is_refused,
);
