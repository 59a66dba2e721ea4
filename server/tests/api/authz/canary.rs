//! The confidential-address canary: a safe house's secret street is planted, then every page, server function,
//! export and HSDS document is crawled as everyone not entitled to it, and every log line is read.

use super::*;

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
        let report = app.finished_report(response, &admin).await;
        assert!(!report.contains("CANARY-7f3a"), "an import report repeated the confidential address");
    }
    let log_text = String::from_utf8_lossy(&logs.0.lock().unwrap()).to_string();
    assert!(!log_text.contains("CANARY-7f3a"), "a log line carried the confidential address");
}
