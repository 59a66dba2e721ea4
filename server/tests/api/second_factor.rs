//! The second factor belongs to the session: codes work once, a password-only session stays pending, switching
//! the factor on ends the account's other sessions, and recovery codes are made and kept by the server.
//! Each test is written as the attack that worked against the first release.

use app::domain::account::Role;

use crate::accounts::{PASSWORD, Session, TOTP_SECRET, session_token};
use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl TestApp {
    /// The second-factor state `totp_setup` reports for `session`, as JSON.
    async fn two_factor(&self, session: &Session) -> serde_json::Value {
        let response = self.call("/api/totp_setup", Some(session), &[]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// A second password-only session of the account `session` belongs to.
    async fn another_session(&self, session: &Session) -> Session {
        let response = self.sign_in_with(&session.email, PASSWORD, None, None).await;
        Session { cookie: session_token(&response).unwrap(), ..session.clone() }
    }

    /// A provider admin of `organization` with a password but no second factor yet, signed in.
    async fn provider_admin_without_second_factor(&self, organization: i64) -> Session {
        let (id, email) = self.create_user(Role::ProviderAdmin, &[organization]).await;
        let hash = app::auth::password::hash(PASSWORD.into()).await.unwrap();
        app::store::providers::set_demo_credentials(&self.db, id, &hash, None).await.unwrap();
        let response = self.sign_in_with(&email, PASSWORD, None, None).await;
        Session { cookie: session_token(&response).unwrap(), user_id: id, email }
    }
}

async fn a_code_signs_in_once_only(app: TestApp) {
    let (_, email) = app.create_user(Role::Coordinator, &[]).await;
    let code = app::auth::totp::code_at(TOTP_SECRET, now()).unwrap();
    assert_eq!(app.sign_in_with(&email, PASSWORD, Some(&code), None).await.status(), 200);
    let replay = app.sign_in_with(&email, PASSWORD, Some(&code), None).await;
    assert_eq!(replay.status(), 401, "the same code, replayed within its window");
    assert!(session_token(&replay).is_none());
    let earlier = app::auth::totp::code_at(TOTP_SECRET, now() - 30).unwrap();
    assert_eq!(app.sign_in_with(&email, PASSWORD, Some(&earlier), None).await.status(), 401, "nor an older one");
}

async fn a_password_only_session_gains_nothing_when_the_account_enrols_elsewhere(app: TestApp) {
    let early = app.signed_in_without_second_factor(Role::Coordinator).await;
    let enrolling = app.another_session(&early).await;
    // Each session sets up its own secret; neither sees the other's.
    let early_setup = app.two_factor(&early).await;
    let setup = app.two_factor(&enrolling).await;
    let secret = setup["SetUp"]["secret"].as_str().expect("a secret to set up").to_owned();
    assert_ne!(
        early_setup["SetUp"]["secret"].as_str(),
        Some(secret.as_str()),
        "a pending secret is this session's alone"
    );
    assert_eq!(app.two_factor(&enrolling).await, setup, "and stays the same for it");

    let code = app::auth::totp::code_at(&secret, now()).unwrap();
    let enabled = app.call("/api/totp_enable", Some(&enrolling), &[("code", code.as_str())]).await;
    assert_eq!(enabled.status(), 200);
    assert!(app.whoami(&early).await.is_none(), "enrolment ends the account's other sessions");
    assert_eq!(app.page("/search", Some(&enrolling)).await.status(), 200, "the enrolling session is complete");

    // A session opened with a password alone before enrolment (here: made directly) stays pending.
    let token = app::auth::secret::new_token();
    app::store::sessions::create(
        &app.db,
        &app::auth::secret::token_hash(&token),
        early.user_id,
        false,
        now(),
        now() + 3600,
    )
    .await
    .unwrap();
    let stale = Session { cookie: token, ..early.clone() };
    assert_eq!(app.call("/api/coordinator_holds", Some(&stale), &[]).await.status(), 403);
    assert_eq!(app.page("/search", Some(&stale)).await.status(), 302, "sent to the account page");
    assert_eq!(app.two_factor(&stale).await, serde_json::json!("SignInAgain"), "no secret is shown to it");
    let replay = app.call("/api/totp_enable", Some(&stale), &[("code", code.as_str())]).await;
    assert_eq!(replay.status(), 409, "nothing to confirm for a session that set nothing up");
}

async fn recovery_codes_are_made_by_the_server_kept_hashed_and_work_once(app: TestApp) {
    let session = app.signed_in_without_second_factor(Role::Administrator).await;
    let other = app.another_session(&session).await;
    let setup = app.two_factor(&session).await;
    let secret = setup["SetUp"]["secret"].as_str().unwrap().to_owned();
    let code = app::auth::totp::code_at(&secret, now()).unwrap();
    // Recovery codes the browser chooses are not taken: the server makes its own.
    let chosen = ["aaaaa-aaaaa"; 10].join(" ");
    let enabled = app
        .call("/api/totp_enable", Some(&session), &[("code", code.as_str()), ("recovery_codes", chosen.as_str())])
        .await;
    assert_eq!(enabled.status(), 200);
    let codes: Vec<String> = enabled.json().await.unwrap();
    assert_eq!(codes.len(), 10);
    assert!(!codes.iter().any(|c| c == "aaaaa-aaaaa"));
    assert!(app.whoami(&other).await.is_none());

    let stored: Vec<(String,)> = app::store::query("SELECT code_hash FROM recovery_codes WHERE user_id = $1")
        .bind(session.user_id)
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 10);
    assert!(stored.iter().all(|(h,)| !codes.contains(h)), "no code is stored as itself");
    assert!(stored.iter().any(|(h,)| *h == app::auth::secret::token_hash(&codes[0])), "but as its hash");

    let recovered = app.sign_in_with(&session.email, PASSWORD, Some(&codes[0]), None).await;
    assert_eq!(recovered.status(), 200, "a recovery code instead of the app's code");
    assert!(app.whoami(&session).await.is_none(), "using one ends the account's other sessions");
    let again = app.sign_in_with(&session.email, PASSWORD, Some(&codes[0]), None).await;
    assert_eq!(again.status(), 401, "each recovery code works once");
    let chosen = app.sign_in_with(&session.email, PASSWORD, Some("aaaaa-aaaaa"), None).await;
    assert_eq!(chosen.status(), 401, "a code the browser chose was never stored");
}

async fn a_provider_admin_needs_a_second_factor_to_read_a_confidential_address(app: TestApp) {
    let spec = ServiceSpec { confidential_address: Some("12 Hidden Lane"), ..ServiceSpec::housing("Hartford", 6, 3) };
    let owned = Fixture::new(&app.db, now()).owned(spec).await;
    let password_only = app.provider_admin_without_second_factor(owned.organization).await;
    let site = owned.site.to_string();
    let refused = app.call("/api/site_details", Some(&password_only), &[("site_id", site.as_str())]).await;
    assert_eq!(refused.status(), 403);
    assert!(!refused.text().await.unwrap().contains("Hidden Lane"));
    let full = app.signed_in(Role::ProviderAdmin, &[owned.organization]).await;
    let shown = app.call("/api/site_details", Some(&full), &[("site_id", site.as_str())]).await;
    assert!(shown.text().await.unwrap().contains("12 Hidden Lane"));
}

both_backends!(
    a_code_signs_in_once_only,
    a_password_only_session_gains_nothing_when_the_account_enrols_elsewhere,
    recovery_codes_are_made_by_the_server_kept_hashed_and_work_once,
    a_provider_admin_needs_a_second_factor_to_read_a_confidential_address,
);
