//! Every door against every role: the table's pages, raw routes, server functions and the directory upload
//! answer each role (and anonymous) as the table says.

use super::*;

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
