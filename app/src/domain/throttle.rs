//! Sign-in throttling: how many guesses an account and a client address get, and how long an account waits
//! after repeated failures (doubling each time, up to a day; an administrator can unlock it sooner).

/// The limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleLimits {
    /// Failed guesses one account may take in a minute.
    pub account_per_minute: i64,
    /// Failed guesses one client address (IPv6: one /64) may take in a minute.
    pub client_per_minute: i64,
    /// Failures (since the last success or unlock, within a day) before the account backs off.
    pub free_failures: i64,
    /// The longest wait.
    pub max_wait_secs: i64,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self { account_per_minute: 5, client_per_minute: 20, free_failures: 5, max_wait_secs: 24 * 3600 }
    }
}

/// Recent failures as counted when an attempt arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecentFailures {
    /// The account's failures in the last minute.
    pub account_last_minute: i64,
    /// The client's failures in the last minute.
    pub client_last_minute: i64,
    /// The account's failures since its last success or unlock, within a day.
    pub account_since_reset: i64,
    /// When the account last failed, if it did.
    pub account_last_failure_at: Option<i64>,
}

impl ThrottleLimits {
    /// Seconds the caller must wait before this attempt may be evaluated, or `None` to evaluate it now.
    pub fn wait(&self, recent: &RecentFailures, now: i64) -> Option<i64> {
        if recent.account_last_minute >= self.account_per_minute || recent.client_last_minute >= self.client_per_minute
        {
            return Some(60);
        }
        let over = recent.account_since_reset - self.free_failures;
        if over < 0 {
            return None;
        }
        // 60 s after the fifth failure, then 120 s, 240 s ... up to a day.
        let backoff = 60_i64.saturating_mul(1_i64 << over.min(20)).min(self.max_wait_secs);
        let since_last = now - recent.account_last_failure_at.unwrap_or(now);
        (since_last < backoff).then(|| backoff - since_last)
    }
}

/// The part of a client address that throttling counts: the address itself for IPv4, the /64 network for
/// IPv6 (one subscriber gets a whole /64 and can rotate through it).
pub fn client_key(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        _ => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_a_minute_then_doubling_waits() {
        let limits = ThrottleLimits::default();
        let now = 1_000_000;
        let fresh = RecentFailures::default();
        assert_eq!(limits.wait(&fresh, now), None);
        let minute = RecentFailures {
            account_last_minute: 5,
            account_since_reset: 5,
            account_last_failure_at: Some(now - 10),
            ..fresh
        };
        assert_eq!(limits.wait(&minute, now), Some(60));
        let cooled = RecentFailures {
            account_last_minute: 0,
            account_since_reset: 5,
            account_last_failure_at: Some(now - 61),
            ..fresh
        };
        assert_eq!(limits.wait(&cooled, now), None, "60 s after the fifth failure one more guess is allowed");
        let sixth = RecentFailures { account_since_reset: 6, account_last_failure_at: Some(now - 61), ..fresh };
        assert_eq!(limits.wait(&sixth, now), Some(59), "then 120 s");
        let many = RecentFailures { account_since_reset: 40, account_last_failure_at: Some(now), ..fresh };
        assert_eq!(limits.wait(&many, now), Some(24 * 3600), "never longer than a day");
        let client = RecentFailures { client_last_minute: 20, ..fresh };
        assert_eq!(limits.wait(&client, now), Some(60));
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        assert_eq!(client_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(client_key("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
        assert_ne!(client_key("2001:db8:1:3::1"), client_key("2001:db8:1:2::1"));
        assert_eq!(client_key("203.0.113.9"), "203.0.113.9");
        assert_eq!(client_key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(client_key("unknown"), "unknown");
    }
}
