//! Signing in as a test would: accounts with known passwords (and second factors where the role needs one).

use app::domain::account::Role;
use app::store::providers::{self, NewUser};

use crate::helpers::TestApp;

pub const PASSWORD: &str = "a long test passphrase";
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// A signed-in browser: the session cookie to send.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub user_id: i64,
    pub email: String,
}

static USERS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// The token inside a `Set-Cookie` header for the session cookie.
pub fn session_token(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-session="))
        .and_then(|c| c.split(';').next())
        .map(|pair| pair.trim_start_matches("__Host-session=").to_owned())
}

impl TestApp {
    /// Creates an account with [`PASSWORD`] (and [`TOTP_SECRET`] switched on for roles that need it).
    pub async fn create_user(&self, role: Role, organization_ids: &[i64]) -> (i64, String) {
        let n = USERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let email = format!("{}-{n}@example.test", role.code());
        let name = format!("{} {n}", role.label());
        let id = providers::create_user(
            &self.db,
            &NewUser { email: &email, display_name: &name, role, organization_ids },
            0,
        )
        .await
        .unwrap();
        let hash = app::auth::password::hash(PASSWORD.into()).await.unwrap();
        providers::set_demo_credentials(&self.db, id, &hash, role.requires_second_factor().then_some(TOTP_SECRET))
            .await
            .unwrap();
        (id, email)
    }

    /// Posts the sign-in form as a script would (no `Accept: text/html`).
    pub async fn sign_in_with(
        &self,
        email: &str,
        password: &str,
        code: Option<&str>,
        forwarded_for: Option<&str>,
    ) -> reqwest::Response {
        let mut form = vec![("email", email.to_owned()), ("password", password.to_owned())];
        if let Some(code) = code {
            form.push(("code", code.to_owned()));
        }
        let mut request = self.client.post(format!("{}/api/sign_in", self.address)).form(&form);
        if let Some(ip) = forwarded_for {
            request = request.header("x-forwarded-for", ip);
        }
        request.send().await.unwrap()
    }

    /// Signs in an existing account created by [`TestApp::create_user`].
    pub async fn sign_in(&self, user_id: i64, email: &str, role: Role) -> Session {
        let code = role
            .requires_second_factor()
            .then(|| app::auth::totp::code_at(TOTP_SECRET, chrono::Utc::now().timestamp()).unwrap());
        let response = self.sign_in_with(email, PASSWORD, code.as_deref(), None).await;
        assert_eq!(response.status(), 200, "sign-in failed for {email}");
        Session { cookie: session_token(&response).expect("a session cookie"), user_id, email: email.to_owned() }
    }

    /// A new account of `role`, signed in.
    pub async fn signed_in(&self, role: Role, organization_ids: &[i64]) -> Session {
        let (id, email) = self.create_user(role, organization_ids).await;
        self.sign_in(id, &email, role).await
    }

    /// Calls a server function with a form body, as `session` (or anonymously).
    pub async fn call(&self, path: &str, session: Option<&Session>, form: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.post(format!("{}{path}", self.address)).form(form);
        if let Some(s) = session {
            request = request.header("cookie", format!("__Host-session={}", s.cookie));
        }
        request.send().await.unwrap()
    }

    /// Loads a page as a browser would (accepting HTML), as `session` or anonymously.
    pub async fn page(&self, path: &str, session: Option<&Session>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.address)).header("accept", "text/html");
        if let Some(s) = session {
            request = request.header("cookie", format!("__Host-session={}", s.cookie));
        }
        request.send().await.unwrap()
    }

    /// Who the server thinks `session` is.
    pub async fn whoami(&self, session: &Session) -> Option<app::domain::account::Viewer> {
        self.call("/api/whoami", Some(session), &[]).await.json().await.unwrap()
    }
}

impl TestApp {
    /// Uploads `bytes` as the file `name` to the directory import form (`POST /admin/import`), as a browser
    /// sends a multipart form, with the checkboxes named in `ticked` ticked.
    pub async fn upload(
        &self,
        session: Option<&Session>,
        name: &str,
        bytes: &[u8],
        ticked: &[&str],
    ) -> reqwest::Response {
        const BOUNDARY: &str = "continuum-test-boundary-5c1e";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
        for field in ticked {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\nyes\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let mut request = self
            .client
            .post(format!("{}/admin/import", self.address))
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body);
        if let Some(s) = session {
            request = request.header("cookie", format!("__Host-session={}", s.cookie));
        }
        request.send().await.unwrap()
    }

    /// The report page an upload was sent to, once its import has finished: the import runs after the
    /// response, so this first waits, as the page's own script does, until its report is kept.
    pub async fn finished_report(&self, upload: reqwest::Response, session: &Session) -> String {
        assert_eq!(upload.status(), 303, "an upload answers with the report's page");
        let location = upload.headers()["location"].to_str().unwrap().to_owned();
        let id: i64 = location.strip_prefix("/admin/import?report=").expect("the report's page").parse().unwrap();
        loop {
            let (_, _, stored) =
                app::store::import_reports::report(&self.db, id).await.unwrap().expect("the report is kept at once");
            if stored != app::store::import_reports::Stored::Running {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let page = self.page(&location, Some(session)).await;
        assert_eq!(page.status(), 200);
        let text = page.text().await.unwrap();
        assert!(text.contains("data-testid=\"import-report\""), "finished: {text}");
        text
    }
}
