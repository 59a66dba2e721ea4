//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s, one step of clock skew) and recovery codes.

use rand::Rng;
use totp_rs::{Algorithm, Secret, TOTP};

fn totp(secret_base32: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).ok()
}

/// A new random secret (160 bits), base32-encoded as authenticator apps expect.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// The 30-second time step `code` belongs to, if it is valid for the secret at `now` (UTC seconds) with one
/// step of clock skew either way. Callers accept each step once per account (see
/// `store::accounts::claim_totp_step`), so a code observed over someone's shoulder cannot be used again.
pub fn accepted_step(secret_base32: &str, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 {
        return None;
    }
    let totp = totp(secret_base32)?;
    let current = now.div_euclid(30);
    (current - 1..=current + 1).find(|step| {
        let expected = totp.generate(u64::try_from(step * 30).unwrap_or(0));
        // Compare every byte, so timing says nothing about how much of the code was right.
        expected.len() == code.len() && expected.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    })
}

/// The code for a secret at `now` (demo accounts and tests).
pub fn code_at(secret_base32: &str, now: i64) -> Option<String> {
    totp(secret_base32).map(|t| t.generate(u64::try_from(now).unwrap_or(0)))
}

/// The `otpauth://` URL an authenticator app can import.
pub fn provisioning_url(secret_base32: &str, email: &str) -> String {
    let account: String = email.chars().map(|c| if c == '@' { "%40".to_owned() } else { c.to_string() }).collect();
    format!("otpauth://totp/Continuum:{account}?secret={secret_base32}&issuer=Continuum&digits=6&period=30")
}

/// Ten recovery codes of the form `xxxxx-xxxxx` (lowercase letters and digits, no look-alikes).
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..10)
        .map(|_| {
            let mut s: String = (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
            s.insert(5, '-');
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_verify_within_one_step_only() {
        let secret = new_secret();
        let now = 1_790_000_000;
        let code = code_at(&secret, now).unwrap();
        let step = now / 30;
        assert_eq!(accepted_step(&secret, &code, now), Some(step));
        assert_eq!(accepted_step(&secret, &code, now + 30), Some(step), "one step of skew");
        assert_eq!(accepted_step(&secret, &code, now + 120), None);
        assert_eq!(accepted_step(&secret, "12345", now), None);
        assert_eq!(accepted_step(&secret, &format!("{} {}", &code[..3], &code[3..]), now), Some(step));
    }

    #[test]
    fn recovery_codes_are_distinct() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
    }
}
