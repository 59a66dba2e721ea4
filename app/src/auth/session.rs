//! Session cookies: `__Host-` prefixed, `Secure`, `HttpOnly`, `SameSite=Lax`; a new random token at every
//! sign-in; idle and absolute expiry checked on every request.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

use crate::domain::account::Viewer;
use crate::store::{Db, StoreError, accounts, sessions};

use super::secret::token_hash;

/// Session rules, from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Idle timeout in seconds (default 30 minutes).
    pub idle_secs: i64,
    /// Absolute lifetime in seconds (default 12 hours).
    pub absolute_secs: i64,
    /// Mark cookies `Secure` with the `__Host-` prefix. Only plain-http localhost development turns this off.
    pub secure_cookies: bool,
    /// How many reverse proxies in front of the server append to `X-Forwarded-For`.
    pub trusted_proxies: usize,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { idle_secs: 30 * 60, absolute_secs: 12 * 3600, secure_cookies: true, trusted_proxies: 0 }
    }
}

impl SessionPolicy {
    /// The cookie's name: `__Host-session` when secure, `session` in insecure development mode.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies { "__Host-session" } else { "session" }
    }

    /// A `Set-Cookie` value that stores `token`.
    pub fn set_cookie(&self, token: &str) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            self.cookie_name(),
            self.absolute_secs
        )
    }

    /// A `Set-Cookie` value that removes the cookie.
    pub fn clear_cookie(&self) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", self.cookie_name())
    }

    /// The session token in a request's cookies, if any.
    pub fn token_from(&self, headers: &HeaderMap) -> Option<String> {
        let name = self.cookie_name();
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
            .filter(|v| !v.is_empty())
    }
}

/// The signed-in viewer for a request, checking idle and absolute expiry. Expired sessions are deleted.
pub async fn resolve(
    db: &Db,
    policy: &SessionPolicy,
    headers: &HeaderMap,
    now: i64,
) -> Result<Option<(Viewer, String)>, StoreError> {
    let Some(token) = policy.token_from(headers) else { return Ok(None) };
    let hash = token_hash(&token);
    let Some((viewer, last_seen_at)) = check(db, policy, &hash, now).await? else { return Ok(None) };
    // Record activity at most once a minute: reads stay reads.
    if now - last_seen_at >= 60 {
        sessions::touch(db, &hash, now).await?;
    }
    Ok(Some((viewer, hash)))
}

/// The viewer of the session stored as `hash` and when it was last active, without recording activity (an
/// open event stream re-checks its session this way, and must not keep it from idling out). Expired
/// sessions, and sessions of accounts that are gone or disabled, are deleted.
pub async fn check(db: &Db, policy: &SessionPolicy, hash: &str, now: i64) -> Result<Option<(Viewer, i64)>, StoreError> {
    let Some(row) = sessions::find(db, hash).await? else { return Ok(None) };
    if row.expires_at <= now || row.last_seen_at + policy.idle_secs <= now {
        sessions::delete(db, hash).await?;
        return Ok(None);
    }
    let Some(mut viewer) = accounts::viewer(db, row.user_id).await? else {
        sessions::delete(db, hash).await?;
        return Ok(None);
    };
    viewer.second_factor = row.second_factor;
    Ok(Some((viewer, row.last_seen_at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_host_prefixed_secure_http_only_and_same_site() {
        let p = SessionPolicy::default();
        let c = p.set_cookie("abc");
        assert!(c.starts_with("__Host-session=abc; Path=/; HttpOnly; SameSite=Lax"));
        assert!(c.ends_with("; Secure"));
        assert!(!c.contains("Domain"));
        let dev = SessionPolicy { secure_cookies: false, ..p };
        assert!(dev.set_cookie("abc").starts_with("session=abc"));
    }

    #[test]
    fn the_token_is_read_from_among_other_cookies() {
        let p = SessionPolicy::default();
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "theme=dark; __Host-session=tok123; x=y".parse().unwrap());
        assert_eq!(p.token_from(&h).as_deref(), Some("tok123"));
        h.insert(COOKIE, "session=tok123".parse().unwrap());
        assert_eq!(p.token_from(&h), None, "the unprefixed name is not accepted when secure");
    }
}
