//! Signing in and out, one-time links, and the second factor.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::account::Viewer;

use super::AppError;

/// Who is signed in, for the navigation and page guards.
#[server(prefix = "/api", endpoint = "whoami")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    crate::auth::optional_viewer().await
}

/// Where a role starts after signing in.
pub fn home_for(viewer: &Viewer) -> &'static str {
    use crate::domain::account::Role;
    if viewer.second_factor_pending() {
        return "/account";
    }
    match viewer.role {
        Role::Administrator => "/admin/users",
        Role::Coordinator => "/search",
        Role::Funder => "/oversight",
        Role::ProviderAdmin | Role::ProviderStaff => "/my-capacity",
    }
}

/// Only same-origin paths may follow a sign-in (no open redirects). The text is resolved the way a browser
/// resolves a `Location` (WHATWG URL parsing, which drops tabs and newlines and reads a backslash as `/`) against a
/// placeholder origin, and accepted only if it stays there; what is returned is the normalized path and query,
/// so the browser can never read it differently.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    const HERE: &str = "http://continuum.invalid/";
    let next = next?;
    if !next.starts_with('/') || next.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let base = url::Url::parse(HERE).ok()?;
    let resolved = base.join(next).ok()?;
    if resolved.origin() != base.origin() {
        return None;
    }
    let path = resolved.path();
    if path.starts_with("//") {
        return None;
    }
    Some(match resolved.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    })
}

/// Checks the throttle for `account` from `client` and records the attempt, or answers `429` with
/// `Retry-After` (a plain form post goes back to `back` with the `throttled` code).
#[cfg(feature = "ssr")]
async fn admit_attempt(account: &str, client: &str, back: &str, now: i64) -> Result<Result<i64, AppError>, AppError> {
    use crate::store::throttle::{self, Attempt};
    let state = crate::state::app_state()?;
    let limits = crate::domain::throttle::ThrottleLimits::default();
    match throttle::reserve(&state.db, &limits, account, client, now).await.map_err(super::internal)? {
        Attempt::Admitted(id) => Ok(Ok(id)),
        Attempt::Throttled(wait) => {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
                && let Ok(value) = axum::http::HeaderValue::from_str(&wait.to_string())
            {
                response.insert_header(axum::http::header::RETRY_AFTER, value);
            }
            Ok(Err(super::form_error(back, AppError::Throttled).await))
        }
    }
}

/// Signs in with email, password and (when set up) a code from the authenticator app or a recovery code.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    code: Option<String>,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::{password, secret, totp};
    use crate::domain::account::Email;
    use crate::store::{accounts, sessions, throttle};

    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let client = crate::auth::guard::current_client().await?;
    let account = Email::parse(&email).map(|e| e.as_str().to_owned()).unwrap_or_else(|_| email.trim().to_lowercase());
    let back = match safe_next(next.as_deref()) {
        Some(n) => format!("/sign-in?next={}", urlencode(&n)),
        None => "/sign-in".to_owned(),
    };

    let attempt = match admit_attempt(&account, &client, &back, now).await? {
        Ok(attempt) => attempt,
        Err(throttled) => return Err(throttled),
    };

    let found = match Email::parse(&email) {
        Ok(e) => accounts::credentials(&state.db, &e).await.map_err(super::internal)?,
        Err(_) => None,
    };
    // Unknown accounts cost as much as wrong passwords, so timing reveals nothing.
    let phc = match found.as_ref().and_then(|c| c.password_hash.clone()) {
        Some(h) => h,
        None => password::dummy_hash().await,
    };
    let password_ok = password::verify(password, phc).await;
    let credentials = found.filter(|c| password_ok && !c.disabled && c.password_hash.is_some());
    let Some(credentials) = credentials else {
        throttle::settle(&state.db, attempt, None, false, "sign_in.failure", now).await.map_err(super::internal)?;
        return Err(super::form_error(&back, AppError::Credentials).await);
    };
    // A code is accepted once: its time step must be later than any this account used before.
    let mut second_factor = false;
    if credentials.totp_enabled {
        let code = code.unwrap_or_default();
        let step = credentials.totp_secret.as_deref().and_then(|s| totp::accepted_step(s, &code, now));
        let totp_ok = match step {
            Some(step) => accounts::claim_totp_step(&state.db, credentials.id, step).await.map_err(super::internal)?,
            None => false,
        };
        let recovered = if !totp_ok && code.trim().len() == 11 {
            let hash = secret::token_hash(&code.trim().to_lowercase());
            accounts::use_recovery_code(&state.db, credentials.id, &hash, now).await.map_err(super::internal)?
        } else {
            None
        };
        // A recovery code ends every other session of the account: the lost device may be in other hands.
        for ended in recovered.iter().flatten() {
            state.events.publish(&state.db, crate::live::LiveEvent::session_ended(ended)).await;
        }
        if !totp_ok && recovered.is_none() {
            throttle::settle(&state.db, attempt, Some(credentials.id), false, "sign_in.failure", now)
                .await
                .map_err(super::internal)?;
            return Err(super::form_error(&back, AppError::Code).await);
        }
        second_factor = true;
    }
    throttle::settle(&state.db, attempt, Some(credentials.id), true, "sign_in.success", now)
        .await
        .map_err(super::internal)?;

    // A brand-new token at every sign-in: no session fixation.
    let token = secret::new_token();
    let expires_at = now + state.sessions.absolute_secs;
    sessions::create(&state.db, &secret::token_hash(&token), credentials.id, second_factor, now, expires_at)
        .await
        .map_err(super::internal)?;
    let mut viewer = accounts::viewer(&state.db, credentials.id)
        .await
        .map_err(super::internal)?
        .ok_or_else(|| super::fail(AppError::Internal))?;
    viewer.second_factor = second_factor;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = state.sessions.set_cookie(&token);
        response.insert_header(
            axum::http::header::SET_COOKIE,
            cookie.parse().map_err(|_| super::fail(AppError::Internal))?,
        );
    }
    let destination = safe_next(next.as_deref()).unwrap_or_else(|| home_for(&viewer).to_owned());
    leptos_axum::redirect(&destination);
    Ok(())
}

/// Percent-encodes a path for use in a query string.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Signs out: the session ends on the server at once.
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    if let Some((_, hash)) = crate::auth::guard::viewer_and_session().await? {
        crate::store::sessions::delete(&state.db, &hash).await.map_err(super::internal)?;
        state.events.publish(&state.db, crate::live::LiveEvent::session_ended(&hash)).await;
    }
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = state.sessions.clear_cookie();
        response.insert_header(
            axum::http::header::SET_COOKIE,
            cookie.parse().map_err(|_| super::fail(AppError::Internal))?,
        );
    }
    leptos_axum::redirect("/sign-in?notice=signed_out");
    Ok(())
}

/// Accepts an invitation or a password reset: sets the password (and name), then asks to sign in.
#[server(prefix = "/api", endpoint = "redeem_link")]
pub async fn redeem_link(token: String, display_name: Option<String>, password: String) -> Result<(), AppError> {
    use crate::domain::account::check_new_password;
    use crate::store::throttle;
    let state = crate::state::app_state()?;
    let back = format!("/welcome/{token}");
    if let Err(e) = check_new_password(&password) {
        return Err(super::form_error(&back, AppError::from(e)).await);
    }
    let name = display_name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if name.as_ref().is_some_and(|n| n.chars().count() > 80) {
        return Err(super::form_error(&back, AppError::DisplayName).await);
    }
    // Throttled per client, and the token checked before any hashing: guessing links costs the server little.
    let now = chrono::Utc::now().timestamp();
    let client = crate::auth::guard::current_client().await?;
    let attempt = match admit_attempt(&format!("link:{client}"), &client, &back, now).await? {
        Ok(attempt) => attempt,
        Err(throttled) => return Err(throttled),
    };
    let token_hash = crate::auth::secret::token_hash(&token);
    let gone = || async { super::form_error(&back, AppError::Link).await };
    if !crate::store::accounts::link_is_usable(&state.db, &token_hash, now).await.map_err(super::internal)? {
        throttle::settle(&state.db, attempt, None, false, "link.failure", now).await.map_err(super::internal)?;
        return Err(gone().await);
    }
    let hash = crate::auth::password::hash(password)
        .await
        .map_err(|e| super::internal(crate::store::StoreError::Corrupt(e)))?;
    let redeemed = crate::store::accounts::redeem_link(&state.db, &token_hash, &hash, name.as_deref(), now)
        .await
        .map_err(super::internal)?;
    match redeemed {
        Ok(user_id) => {
            throttle::settle(&state.db, attempt, Some(user_id), true, "link.redeemed", now)
                .await
                .map_err(super::internal)?;
            // A new password ended the account's sessions; their event streams end too, on every instance.
            state.events.publish(&state.db, crate::live::LiveEvent::user_ended(user_id)).await;
            leptos_axum::redirect("/sign-in?notice=password_set");
            Ok(())
        }
        Err(_) => {
            throttle::settle(&state.db, attempt, None, false, "link.failure", now).await.map_err(super::internal)?;
            Err(gone().await)
        }
    }
}

/// Where the signed-in session stands with its second factor, for the account page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TwoFactor {
    /// On, and this session passed it.
    On,
    /// Being set up by this session: the secret to add to an authenticator app.
    SetUp {
        /// Base32 secret to type into an authenticator app.
        secret: String,
        /// `otpauth://` URL for apps that import links.
        url: String,
    },
    /// On for the account, but this session was opened without it: sign in again with a code.
    SignInAgain,
}

/// The second-factor state of the signed-in session. A session without one gets a secret to set up, which
/// only this session ever sees; recovery codes are made on the server when the set-up is confirmed.
#[server(prefix = "/api", endpoint = "totp_setup")]
pub async fn totp_setup() -> Result<TwoFactor, AppError> {
    let state = crate::state::app_state()?;
    let Some((viewer, session)) = crate::auth::guard::viewer_and_session().await? else {
        return Err(super::form_error("/sign-in", AppError::SignIn).await);
    };
    if viewer.second_factor {
        return Ok(TwoFactor::On);
    }
    if viewer.totp_enabled {
        return Ok(TwoFactor::SignInAgain);
    }
    let secret = crate::store::sessions::pending_totp_secret(&state.db, &session, crate::auth::totp::new_secret())
        .await
        .map_err(super::internal)?;
    Ok(TwoFactor::SetUp { url: crate::auth::totp::provisioning_url(&secret, &viewer.email), secret })
}

/// Prefix of the one message that carries recovery codes to the account page (see [`totp_enable`]).
pub const RECOVERY_CODES_FLASH: &str = "recovery-codes:";

/// Turns the second factor on once the user proves their app works with this session's secret. The
/// account's other sessions end; ten recovery codes are made here, stored only as hashes, and shown once:
/// returned to a script, or left for this session's next page (for at most two minutes) after a form post.
#[server(prefix = "/api", endpoint = "totp_enable")]
pub async fn totp_enable(code: String) -> Result<Vec<String>, AppError> {
    use crate::store::accounts::Enrolment;
    let state = crate::state::app_state()?;
    let Some((viewer, session)) = crate::auth::guard::viewer_and_session().await? else {
        return Err(super::form_error("/sign-in", AppError::SignIn).await);
    };
    let now = chrono::Utc::now().timestamp();
    let pending =
        crate::store::sessions::find_pending_totp_secret(&state.db, &session).await.map_err(super::internal)?;
    let Some(secret) = pending.filter(|_| !viewer.totp_enabled) else {
        return Err(super::form_error("/account", AppError::NoSetup).await);
    };
    let wrong_code = || async { super::form_error("/account", AppError::SetupCode).await };
    let Some(step) = crate::auth::totp::accepted_step(&secret, &code, now) else { return Err(wrong_code().await) };
    let codes = crate::auth::totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| crate::auth::secret::token_hash(c)).collect();
    let enrolment = crate::store::accounts::enable_totp(&state.db, viewer.id, &session, &secret, step, &hashes, now)
        .await
        .map_err(super::internal)?;
    let Enrolment::On { ended_sessions } = enrolment else { return Err(wrong_code().await) };
    for ended in &ended_sessions {
        state.events.publish(&state.db, crate::live::LiveEvent::session_ended(ended)).await;
    }
    if super::is_plain_form_post().await {
        let body = format!("{RECOVERY_CODES_FLASH}{}", codes.join(" "));
        crate::store::sessions::push_flash(&state.db, &session, &body, now).await.map_err(super::internal)?;
        leptos_axum::redirect("/account?notice=two_factor_on");
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_paths_may_follow_sign_in() {
        assert_eq!(safe_next(Some("/search?x=1")).as_deref(), Some("/search?x=1"));
        assert_eq!(safe_next(Some("/needs/../holds")).as_deref(), Some("/holds"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "/\\/evil.example",
            "search",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/.//evil.example",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
        assert_eq!(urlencode("/a b?c=d"), "/a%20b%3Fc%3Dd");
    }
}
