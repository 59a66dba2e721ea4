//! Importing a directory from an HSDS 3.1 tabular data package, on both backends: Open Referral's own example
//! is refused with every problem named by file, line and column; a generated Connecticut directory imports,
//! imports again as a no-op, and exports byte for byte as it came in; a broken copy writes nothing.

use std::path::{Path, PathBuf};

use server::import::Report;

use crate::both_backends;
use crate::helpers::TestApp;
use crate::helpers::tempdir::TempDir;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn count(app: &TestApp) -> (i64, i64, i64) {
    let n = |table: &'static str| {
        let sql = match table {
            "organizations" => "SELECT COUNT(*) FROM organizations",
            "sites" => "SELECT COUNT(*) FROM sites",
            _ => "SELECT COUNT(*) FROM services",
        };
        async move { app::store::query(sql).fetch_one::<(i64,)>(&app.db).await.unwrap().0 }
    };
    (n("organizations").await, n("sites").await, n("services").await)
}

async fn import(app: &TestApp, path: &Path, dry_run: bool) -> Report {
    let options = server::import::Options { dry_run, ..Default::default() };
    server::import::import(&app.db, path, options, &mut |_, _| {}).await.unwrap()
}

fn problems(report: Report) -> Vec<(String, usize, String)> {
    match report {
        Report::Problems(p) => p.into_iter().map(|p| (p.file, p.line, p.column)).collect(),
        Report::Planned(o) => panic!("expected problems, got a plan: {o:?}"),
    }
}

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds-3.1/examples")
}

fn example() -> PathBuf {
    example_dir().join("csv")
}

async fn open_referrals_example_is_refused_with_every_problem_where_it_is(app: TestApp) {
    let before = count(&app).await;
    let found = problems(import(&app, &example(), false).await);
    for expected in [
        ("addresses.csv", 2, "city"),
        ("addresses.csv", 2, "state_province"),
        ("locations.csv", 2, "organization_id"),
        ("phones.csv", 2, "number"),
    ] {
        let expected = (expected.0.to_owned(), expected.1, expected.2.to_owned());
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert_eq!(count(&app).await, before, "nothing was written");
}

async fn open_referrals_json_examples_are_refused_by_their_place(app: TestApp) {
    for example in ["service_full.json", "organization_full.json"] {
        let path = example_dir().join(example);
        let found = problems(import(&app, &path, false).await);
        assert!(found.iter().all(|(file, line, _)| file == example && *line == 0), "{found:?}");
        assert!(
            found.iter().any(|(_, _, place)| place.starts_with("$[0].") && place.ends_with(".city")),
            "{example}: the town named at its address: {found:?}"
        );
    }
    assert_eq!(count(&app).await, (0, 0, 0), "nothing was written");
}

/// A generated directory of `services` services in Connecticut's towns, exported as HSDS into a new folder.
async fn generated_package(app: &TestApp, services: usize) -> TempDir {
    let spec = server::seed::generate::Spec {
        seed: 7,
        organizations: services / 3,
        services,
        days: 1,
        name_style: server::seed::generate::NameStyle::Scale,
        spread: server::seed::generate::Spread::Even,
    };
    server::seed::generate::generate(&app.db, &spec, now(), &|_, _| {}).await.unwrap();
    let dir = TempDir::new();
    server::hsds::export(&app.db, &app::domain::freshness::FreshnessPolicy::default(), dir.path()).await.unwrap();
    dir
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for sub in ["", "json"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let name = format!("{sub}/{}", path.file_name().unwrap().to_string_lossy());
                out.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

async fn a_connecticut_directory_imports_again_as_a_no_op_and_exports_as_it_came_in(source: TestApp) {
    let package = generated_package(&source, 210).await;
    let target = crate::helpers::spawn_app(source.backend()).await.unwrap();

    let Report::Planned(plan) = import(&target, package.path(), true).await else { panic!("problems") };
    assert_eq!((plan.services.added, plan.written), (210, false), "the dry run plans every service");
    assert_eq!(count(&target).await.2, 0, "and writes nothing");
    let Report::Planned(done) = import(&target, package.path(), false).await else { panic!("problems") };
    assert!(done.written);
    assert_eq!((done.organizations.added, done.services.added), (70, 210));
    let Report::Planned(again) = import(&target, package.path(), false).await else { panic!("problems") };
    assert_eq!((again.organizations.unchanged, again.sites.unchanged, again.services.unchanged), (70, 210, 210));
    assert_eq!((again.services.added, again.services.changed, again.services.retired), (0, 0, 0), "a no-op");

    let back = TempDir::new();
    server::hsds::export(&target.db, &app::domain::freshness::FreshnessPolicy::default(), back.path()).await.unwrap();
    let (sent, received) = (files(package.path()), files(back.path()));
    assert_eq!(sent.len(), received.len());
    for ((name, a), (other, b)) in sent.iter().zip(&received) {
        assert_eq!(name, other);
        assert!(a == b, "{name} differs after the round trip");
    }
}

/// Replaces the first `from` in `file` with `to`.
fn break_file(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

async fn a_broken_copy_names_each_problem_and_writes_nothing(source: TestApp) {
    let package = generated_package(&source, 210).await;
    let dir = package.path();
    let addresses = std::fs::read_to_string(dir.join("addresses.csv")).unwrap();
    let city = addresses.lines().nth(1).unwrap().split(',').nth(3).unwrap().to_owned();
    break_file(dir, "addresses.csv", &format!(",{city},CT"), ",Springfield,CT");
    break_file(dir, "phones.csv", ",860-555-0142,", ",call us,");
    let services = std::fs::read_to_string(dir.join("services.csv")).unwrap();
    let (first, second) = (services.lines().nth(1).unwrap(), services.lines().nth(2).unwrap());
    let duplicate = first.split(',').next().unwrap();
    break_file(dir, "services.csv", second.split(',').next().unwrap(), duplicate);
    let sal = std::fs::read_to_string(dir.join("service_at_location.csv")).unwrap();
    let location = sal.lines().nth(3).unwrap().split(',').nth(2).unwrap().to_owned();
    break_file(dir, "service_at_location.csv", &location, "00000000-0000-8000-8000-000000000000");
    break_file(dir, "taxonomy_terms.csv", ",case_management,", ",spa_days,");

    let target = crate::helpers::spawn_app(source.backend()).await.unwrap();
    let found = problems(import(&target, dir, false).await);
    let at = |file: &str, column: &str| found.iter().any(|(f, _, c)| f == file && c == column);
    assert!(at("addresses.csv", "city"), "unknown town: {found:?}");
    assert!(at("phones.csv", "number"), "bad phone: {found:?}");
    assert!(found.contains(&("services.csv".to_owned(), 3, "id".to_owned())), "duplicate id: {found:?}");
    assert!(at("service_at_location.csv", "location_id"), "dangling id: {found:?}");
    assert!(at("attributes.csv", "taxonomy_term_id"), "unknown category: {found:?}");
    assert_eq!(count(&target).await, (0, 0, 0), "nothing was written");
}

async fn a_one_sheet_directory_imports_and_imports_again_as_a_no_op(app: TestApp) {
    let dir = TempDir::new();
    let sheet = dir.path().join("directory.csv");
    let recent = chrono::DateTime::from_timestamp(now() - 3600, 0).unwrap().to_rfc3339();
    let text = format!(
        "organization_id,organization,site_id,site,town,street_address,confidential,intake_phone,hours,\
         service_id,service,category,total,available,updated,serves,trafficking,languages\n\
         ct-1,Harbor Network,ct-1-a,Harbor House,Norwich,9 Hidden Way,yes,860-555-0100,24/7,\
         ct-1-a-1,Harbor beds,safe_house,6,2,{recent},adults,labor,es\n\
         ct-1,Harbor Network,ct-1-b,Harbor Legal,Hartford,1 Main St,no,860-555-0101,Mon-Fri 9-5,\
         ct-1-b-1,Harbor legal aid,immigration_legal,10,4,2026-01-05T09:00:00-05:00,,,\n",
    );
    std::fs::write(&sheet, text).unwrap();
    let Report::Planned(first) = import(&app, &sheet, false).await else { panic!("problems") };
    assert_eq!((first.organizations.added, first.sites.added, first.services.added), (1, 2, 2));
    let Report::Planned(again) = import(&app, &sheet, false).await else { panic!("problems") };
    assert_eq!((again.services.unchanged, again.services.added, again.services.changed), (2, 0, 0));
    let q = app::domain::search::SearchQuery { page: 1, page_size: 50, include_stale: true, ..Default::default() };
    let found = app::store::search::search(&app.db, &q, now(), &app.freshness).await.unwrap();
    let beds = found.hits.iter().find(|h| h.service_name == "Harbor beds").expect("found by coordinators");
    assert_eq!((beds.town.as_str(), beds.organization_name.as_str()), ("Norwich", "Harbor Network"));
    let legal = found.hits.iter().find(|h| h.service_name == "Harbor legal aid").expect("both services");
    assert_eq!((legal.town.as_str(), legal.available), ("Hartford", None), "a count from January arrives stale");
    assert_eq!(beds.available, Some(2), "one from an hour ago, fresh");
    assert!(!serde_json::to_string(&found).unwrap().contains("Hidden Way"), "a confidential street stays hidden");
}

async fn a_json_service_list_imports_as_its_package_did(source: TestApp) {
    let package = generated_package(&source, 60).await;
    let target = crate::helpers::spawn_app(source.backend()).await.unwrap();
    let json = package.path().join("json/services.json");
    let Report::Planned(done) = import(&target, &json, false).await else { panic!("problems") };
    assert_eq!((done.organizations.added, done.services.added, done.written), (20, 60, true));
    let Report::Planned(again) = import(&target, &json, false).await else { panic!("problems") };
    assert_eq!((again.services.unchanged, again.services.changed, again.sites.changed), (60, 0, 0), "a no-op");
    let back = TempDir::new();
    server::hsds::export(&target.db, &app::domain::freshness::FreshnessPolicy::default(), back.path()).await.unwrap();
    let (sent, received) = (files(package.path()), files(back.path()));
    assert_eq!(sent.len(), received.len());
    for ((name, a), (_, b)) in sent.iter().zip(&received) {
        assert!(a == b, "{name} differs after a round trip through JSON");
    }
}

/// The package folder at `dir` packed as a zip archive, inside a folder of its own as archivers do.
fn zipped(dir: &Path) -> Vec<u8> {
    use std::io::Write;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let name = format!("directory/{}", path.file_name().unwrap().to_string_lossy());
            archive.start_file(name, options).unwrap();
            archive.write_all(&std::fs::read(&path).unwrap()).unwrap();
        }
    }
    archive.finish().unwrap().into_inner()
}

async fn a_zipped_package_imports_as_its_folder_does(source: TestApp) {
    let package = generated_package(&source, 30).await;
    let dir = TempDir::new();
    let zip = dir.path().join("directory.zip");
    std::fs::write(&zip, zipped(package.path())).unwrap();
    let target = crate::helpers::spawn_app(source.backend()).await.unwrap();
    let Report::Planned(done) = import(&target, &zip, false).await else { panic!("problems") };
    assert_eq!((done.organizations.added, done.services.added), (10, 30));
    std::fs::write(&zip, b"PK not really").unwrap();
    let found = problems(import(&target, &zip, false).await);
    assert_eq!(found, [("directory.zip".to_owned(), 0, String::new())], "a broken archive is named");
}

/// The report page an upload was sent to, once the import has finished.
async fn report_page(app: &TestApp, upload: reqwest::Response, session: &crate::accounts::Session) -> String {
    app.finished_report(upload, session).await
}

async fn an_import_running_on_the_server_shows_how_far_it_has_come(app: TestApp) {
    let admin = app.signed_in(app::domain::account::Role::Administrator, &[]).await;
    let now = chrono::Utc::now().timestamp();
    let id = app::store::import_reports::start_report(&app.db, admin.user_id, now, "services.json").await.unwrap();
    app.imports.start(id);
    let page = |id: i64| {
        let app = &app;
        let admin = &admin;
        async move { app.page(&format!("/admin/import?report={id}"), Some(admin)).await.text().await.unwrap() }
    };
    let reading = page(id).await;
    assert!(reading.contains("data-testid=\"import-running\"") && reading.contains("reading the file"), "{reading}");
    app.imports.advance(id, 40, 200);
    let running = page(id).await;
    assert!(running.contains("40 of 200 services checked"), "{running}");
    assert!(running.contains("<progress") && running.contains("value=\"40\"") && running.contains("max=\"200\""));
    assert!(
        running.contains(&format!("href=\"/admin/import?report={id}\"")),
        "a link to look again without JavaScript"
    );
    let recent = app.page("/admin/import", Some(&admin)).await.text().await.unwrap();
    assert!(recent.contains("importing"), "the list of recent imports says so too");

    // One that could not finish, and one left running by a server that stopped long ago.
    app::store::import_reports::finish_report(&app.db, id, "could not finish, nothing written", None).await.unwrap();
    app.imports.finish(id);
    assert!(page(id).await.contains("stopped before it finished: nothing was written"));
    let stale = now - app::api::import::STALE_IMPORT_SECONDS - 1;
    let old = app::store::import_reports::start_report(&app.db, admin.user_id, stale, "old.zip").await.unwrap();
    assert!(page(old).await.contains("The import of old.zip stopped before it finished"));
}

async fn an_administrator_uploads_checks_and_then_imports(source: TestApp) {
    let package = generated_package(&source, 210).await;
    let json = std::fs::read(package.path().join("json/services.json")).unwrap();
    assert!(json.len() > server::limits::MAX_BODY_BYTES, "larger than any form: {} bytes", json.len());
    let app = crate::helpers::spawn_app(source.backend()).await.unwrap();
    let admin = app.signed_in(app::domain::account::Role::Administrator, &[]).await;
    let huge = vec![b' '; server::limits::MAX_UPLOAD_BYTES + 1];
    let refused = app.upload(Some(&admin), "services.json", &huge, &[]).await;
    assert_eq!(refused.status(), 413, "an upload has a limit of its own");
    assert!(refused.text().await.unwrap().contains("32 MB"));

    let checked = report_page(&app, app.upload(Some(&admin), "services.json", &json, &["dry_run"]).await, &admin).await;
    assert!(checked.contains("The plan") && checked.contains("Dry run: nothing was written"), "{checked}");
    assert_eq!(count(&app).await, (0, 0, 0), "a dry run writes nothing");

    let done = report_page(&app, app.upload(Some(&admin), "services.json", &json, &[]).await, &admin).await;
    assert!(done.contains("What was imported"), "{done}");
    assert_eq!(count(&app).await, (70, 210, 210));

    let broken = String::from_utf8(json).unwrap().replacen("\"city\": \"", "\"city\": \"Springfield", 1);
    let refused =
        report_page(&app, app.upload(Some(&admin), "services.json", broken.as_bytes(), &[]).await, &admin).await;
    assert!(refused.contains("nothing was written") && refused.contains("data-testid=\"import-problems\""));
    assert!(refused.contains("$[") && refused.contains(".addresses[0].city"), "the place in the JSON: {refused}");
    assert_eq!(count(&app).await, (70, 210, 210), "a file with problems writes nothing");
    let entries: (i64,) =
        app::store::query("SELECT COUNT(*) FROM audit_log WHERE action = 'directory.import' AND actor_id = $1")
            .bind(admin.user_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(entries.0, 1, "the one import that wrote is audited");

    // A sheet naming one new organization, uploaded as the whole directory: everything else is retired.
    let sheet = "organization_id,organization,site_id,site,town,service_id,service,category\n\
                 tf-1,Taskforce Network,tf-1-a,Taskforce House,Hartford,tf-1-a-1,Beds,safe_house\n";
    let whole = app.upload(Some(&admin), "taskforce.csv", sheet.as_bytes(), &["whole_directory"]).await;
    let retired = report_page(&app, whole, &admin).await;
    assert!(retired.contains("What was imported"), "{retired}");
    let (live,): (i64,) =
        app::store::query("SELECT COUNT(*) FROM services WHERE retired_at IS NULL").fetch_one(&app.db).await.unwrap();
    assert_eq!(live, 1, "the whole directory is now the sheet's one service");
    let page = app.page("/admin/import", Some(&admin)).await.text().await.unwrap();
    let recent = &page[page.find("data-testid=\"recent-imports\"").expect("the recent imports")..];
    let mut at = 0;
    for outcome in ["taskforce.csv", "imported", "problem", "imported", "dry run"] {
        at += recent[at..].find(outcome).unwrap_or_else(|| panic!("{outcome} after the later ones: {recent}"));
    }
}

async fn an_import_retires_only_within_its_organizations_unless_it_is_the_whole_directory(source: TestApp) {
    let package = generated_package(&source, 30).await;
    let app = crate::helpers::spawn_app(source.backend()).await.unwrap();
    let Report::Planned(first) = import(&app, package.path(), false).await else { panic!("problems") };
    assert_eq!(first.organizations.added, 10, "one source: the state's HSDS directory");
    let dir = TempDir::new();
    let sheet = dir.path().join("taskforce.csv");
    let line = |service: &str| {
        format!("tf-1,Taskforce Network,tf-1-a,Taskforce House,Hartford,{service},Beds {service},safe_house\n")
    };
    let header = "organization_id,organization,site_id,site,town,service_id,service,category\n";
    std::fs::write(&sheet, format!("{header}{}{}", line("tf-1-a-1"), line("tf-1-a-2"))).unwrap();
    let Report::Planned(added) = import(&app, &sheet, false).await else { panic!("problems") };
    assert_eq!(
        (added.services.added, added.organizations.retired, added.services.retired),
        (2, 0, 0),
        "another source"
    );

    std::fs::write(&sheet, format!("{header}{}", line("tf-1-a-1"))).unwrap();
    let Report::Planned(dropped) = import(&app, &sheet, false).await else { panic!("problems") };
    assert_eq!((dropped.services.unchanged, dropped.services.retired), (1, 1), "its own dropped service is retired");
    let db = &app.db;
    let live = |sql: &'static str| async move { app::store::query(sql).fetch_one::<(i64,)>(db).await.unwrap().0 };
    assert_eq!(live("SELECT COUNT(*) FROM organizations WHERE retired_at IS NULL").await, 11, "the others stay");

    let whole = server::import::Options { scope: app::store::import::Scope::WholeDirectory, ..Default::default() };
    let Report::Planned(only) = server::import::import(&app.db, &sheet, whole, &mut |_, _| {}).await.unwrap() else {
        panic!("problems")
    };
    assert_eq!((only.organizations.retired, only.services.retired), (10, 30), "the whole directory speaks for all");
    assert_eq!(live("SELECT COUNT(*) FROM services WHERE retired_at IS NULL").await, 1);
}

both_backends!(
    open_referrals_json_examples_are_refused_by_their_place,
    an_import_retires_only_within_its_organizations_unless_it_is_the_whole_directory,
    a_json_service_list_imports_as_its_package_did,
    a_zipped_package_imports_as_its_folder_does,
    an_administrator_uploads_checks_and_then_imports,
    a_one_sheet_directory_imports_and_imports_again_as_a_no_op,
    open_referrals_example_is_refused_with_every_problem_where_it_is,
    a_connecticut_directory_imports_again_as_a_no_op_and_exports_as_it_came_in,
    a_broken_copy_names_each_problem_and_writes_nothing,
    an_import_running_on_the_server_shows_how_far_it_has_come,
);
