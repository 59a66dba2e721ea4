//! Sessions: cookie attributes, rotation at sign-in, idle and absolute expiry, sign-out and disabling.

use app::domain::account::Role;

use crate::accounts::{PASSWORD, session_token};
use crate::both_backends;
use crate::helpers::TestApp;

async fn the_session_cookie_is_host_prefixed_secure_http_only_and_same_site(app: TestApp) {
    let (_, email) = app.create_user(Role::Funder, &[]).await;
    let response = app.sign_in_with(&email, PASSWORD, None, None).await;
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-session="), "{cookie}");
    for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(cookie.contains(attribute), "{attribute} missing in {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
}

async fn every_sign_in_gets_a_new_session_id(app: TestApp) {
    let (id, email) = app.create_user(Role::Funder, &[]).await;
    let first = app.sign_in(id, &email, Role::Funder).await;
    let response = app
        .client
        .post(format!("{}/api/sign_in", app.address))
        .header("cookie", format!("__Host-session={}", first.cookie))
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let second = session_token(&response).unwrap();
    assert_ne!(first.cookie, second, "the old id is never reused");
}

async fn wrong_passwords_and_unknown_accounts_are_refused_alike(app: TestApp) {
    let (_, email) = app.create_user(Role::Funder, &[]).await;
    let wrong = app.sign_in_with(&email, "not the password", None, None).await;
    let unknown = app.sign_in_with("nobody@example.test", PASSWORD, None, None).await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert!(session_token(&wrong).is_none());
    assert_eq!(wrong.text().await.unwrap(), unknown.text().await.unwrap());
}

async fn a_second_factor_is_required_where_set_up(app: TestApp) {
    let (_, email) = app.create_user(Role::Coordinator, &[]).await;
    assert_eq!(app.sign_in_with(&email, PASSWORD, None, None).await.status(), 401);
    assert_eq!(app.sign_in_with(&email, PASSWORD, Some("000000"), None).await.status(), 401);
    let code = app::auth::totp::code_at(crate::accounts::TOTP_SECRET, chrono::Utc::now().timestamp()).unwrap();
    assert_eq!(app.sign_in_with(&email, PASSWORD, Some(&code), None).await.status(), 200);
}

async fn idle_and_absolute_expiry_end_sessions_on_the_server(app: TestApp) {
    let idle = app.signed_in(Role::Funder, &[]).await;
    let old = app.signed_in(Role::Funder, &[]).await;
    assert!(app.whoami(&idle).await.is_some());
    let now = chrono::Utc::now().timestamp();
    let idle_hash = app::auth::secret::token_hash(&idle.cookie);
    let old_hash = app::auth::secret::token_hash(&old.cookie);
    app::store::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now - 31 * 60)
        .bind(&idle_hash)
        .execute(&app.db)
        .await
        .map(|_| ())
        .unwrap();
    app::store::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
        .bind(now - 1)
        .bind(&old_hash)
        .execute(&app.db)
        .await
        .map(|_| ())
        .unwrap();
    assert!(app.whoami(&idle).await.is_none(), "idle for 31 minutes");
    assert!(app.whoami(&old).await.is_none(), "past the absolute lifetime");
    assert!(app::store::sessions::find(&app.db, &idle_hash).await.unwrap().is_none(), "deleted, not just ignored");
}

async fn sign_out_ends_the_session_on_the_server(app: TestApp) {
    let s = app.signed_in(Role::Funder, &[]).await;
    let response = app.call("/api/sign_out", Some(&s), &[]).await;
    assert!(response.headers().get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert!(app.whoami(&s).await.is_none(), "the old cookie no longer works");
}

/// A signed-in funder, and the token of a reset link an administrator made for them.
async fn funder_with_reset_token(app: &TestApp) -> (crate::accounts::Session, String) {
    let admin = app.signed_in(Role::Administrator, &[]).await;
    let victim = app.signed_in(Role::Funder, &[]).await;
    let link: app::api::admin::InviteLink = app
        .call("/api/admin_reset_link", Some(&admin), &[("user_id", &victim.user_id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let token = link.path.trim_start_matches("/welcome/").to_owned();
    (victim, token)
}

async fn a_reset_link_sets_a_new_password_once_and_ends_old_sessions(app: TestApp) {
    let (victim, token) = funder_with_reset_token(&app).await;
    let form = [("token", token.as_str()), ("password", "a brand new passphrase")];
    assert_eq!(app.call("/api/redeem_link", None, &form).await.status(), 200);
    assert!(app.whoami(&victim).await.is_none(), "old sessions end");
    assert_eq!(app.call("/api/redeem_link", None, &form).await.status(), 410, "single use");
    assert_eq!(app.sign_in_with(&victim.email, "a brand new passphrase", None, None).await.status(), 200);
    assert_eq!(app.sign_in_with(&victim.email, PASSWORD, None, None).await.status(), 401);
}

async fn an_expired_link_is_refused(app: TestApp) {
    let (victim, token) = funder_with_reset_token(&app).await;
    app::store::query("UPDATE one_time_links SET expires_at = 0").execute(&app.db).await.map(|_| ()).unwrap();
    assert_eq!(
        app.call("/api/redeem_link", None, &[("token", token.as_str()), ("password", "a brand new passphrase")])
            .await
            .status(),
        410
    );
    assert_eq!(
        app.sign_in_with(&victim.email, PASSWORD, None, None).await.status(),
        200,
        "the expired link changed nothing"
    );
}

async fn disabling_an_account_ends_its_sessions_at_once(app: TestApp) {
    let admin = app.signed_in(Role::Administrator, &[]).await;
    let victim = app.signed_in(Role::Funder, &[]).await;
    let id = victim.user_id.to_string();
    let response = app.call("/api/admin_set_disabled", Some(&admin), &[("user_id", &id), ("disabled", "true")]).await;
    assert_eq!(response.status(), 200);
    assert!(app.whoami(&victim).await.is_none());
    let again = app.sign_in_with(&victim.email, PASSWORD, None, None).await;
    assert_eq!(again.status(), 401, "a disabled account cannot sign in");
}

both_backends!(
    the_session_cookie_is_host_prefixed_secure_http_only_and_same_site,
    every_sign_in_gets_a_new_session_id,
    wrong_passwords_and_unknown_accounts_are_refused_alike,
    a_second_factor_is_required_where_set_up,
    idle_and_absolute_expiry_end_sessions_on_the_server,
    sign_out_ends_the_session_on_the_server,
    a_reset_link_sets_a_new_password_once_and_ends_old_sessions,
    an_expired_link_is_refused,
    disabling_an_account_ends_its_sessions_at_once,
);
