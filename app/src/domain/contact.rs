//! Contact details of providers (never of survivors): what a phone number may look like.

/// Whether `phone` looks like a phone number: digits and ` +-().x`, at least one digit, at most 30 characters.
pub fn is_phone(phone: &str) -> bool {
    phone.len() <= 30
        && phone.chars().any(|c| c.is_ascii_digit())
        && phone.chars().all(|c| c.is_ascii_digit() || " +-().x".contains(c))
}

#[cfg(test)]
mod tests {
    use super::is_phone;

    #[test]
    fn phone_numbers_are_digits_and_the_usual_punctuation() {
        for good in ["860-555-0100", "+1 (203) 555-0199 x12"] {
            assert!(is_phone(good), "{good}");
        }
        for bad in ["call us", "", "---", "\"+44 1234 234567\""] {
            assert!(!is_phone(bad), "{bad}");
        }
    }
}
