//! Accounts: roles, what each may do, and the rules for emails and passwords.

use serde::{Deserialize, Serialize};

use super::profile::code_enum;

/// A role a signed-in person holds. Provider roles are scoped to one or more organizations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages organizations, users, taxonomy; sees everything, including confidential addresses.
    Administrator,
    /// Searches, holds, records needs and outcomes.
    Coordinator,
    /// Reads aggregates only.
    Funder,
    /// Provider staff who may also invite colleagues and edit sites.
    ProviderAdmin,
    /// Keeps their organizations' capacity current.
    ProviderStaff,
}

code_enum!(Role {
    Administrator => "administrator" / "Administrator",
    Coordinator => "coordinator" / "Coordinator",
    Funder => "funder" / "Funder / oversight",
    ProviderAdmin => "provider_admin" / "Provider admin",
    ProviderStaff => "provider_staff" / "Provider staff",
});

impl Role {
    /// Whether the role acts for specific organizations.
    pub fn is_provider(self) -> bool {
        matches!(self, Role::ProviderAdmin | Role::ProviderStaff)
    }

    /// Whether a second factor is required to sign in: every role that can see who is placed where, or a
    /// confidential address (provider admins read their own sites' addresses).
    pub fn requires_second_factor(self) -> bool {
        matches!(self, Role::Administrator | Role::Coordinator | Role::ProviderAdmin)
    }
}

/// The signed-in person as pages see them (never a secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// User id.
    pub id: i64,
    /// Name shown in the interface and next to changes.
    pub display_name: String,
    /// Sign-in email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Organizations a provider acts for.
    pub organization_ids: Vec<i64>,
    /// Whether the account has a second factor switched on.
    pub totp_enabled: bool,
    /// Whether this session passed its own second factor (at sign-in, or by switching it on here).
    pub second_factor: bool,
}

impl Viewer {
    /// Whether this session still owes its second factor: it may then only set one up or sign out. A session
    /// opened with a password alone stays pending even after the account switches a second factor on.
    pub fn second_factor_pending(&self) -> bool {
        (self.role.requires_second_factor() || self.totp_enabled) && !self.second_factor
    }

    /// Whether the viewer may act for `organization_id` (administrators may act for all).
    pub fn acts_for(&self, organization_id: i64) -> bool {
        self.role == Role::Administrator
            || (self.role.is_provider() && self.organization_ids.contains(&organization_id))
    }

    /// Whether the viewer may close a need, or hold a bed for it, given who recorded it: the coordinator who
    /// did, or an administrator. A need nobody recorded (its recorder's account is gone) is an administrator's.
    pub fn owns_need(&self, recorded_by: Option<i64>) -> bool {
        self.role == Role::Administrator || recorded_by == Some(self.id)
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted (NIST SP 800-63B asks for at least 64).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Common and breached passwords refused at sign-up, one per line.
const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PasswordError {
    /// Too short.
    #[error("Use at least 8 characters.")]
    TooShort,
    /// Too long.
    #[error("Use at most 128 characters.")]
    TooLong,
    /// On the list of common or breached passwords.
    #[error("That password is too common: it appears in lists attackers try first. Choose another.")]
    TooCommon,
}

/// Checks a new password: length only, no composition rules, and not a known common password.
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.lines().any(|common| common.trim() == lower) {
        return Err(PasswordError::TooCommon);
    }
    Ok(())
}

/// A normalized email address: trimmed, lowercase, one `@` with text on both sides and a dot in the domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Parses and normalizes an email address.
    pub fn parse(text: &str) -> Result<Self, InvalidEmail> {
        let email = text.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            });
        if valid { Ok(Self(email)) } else { Err(InvalidEmail) }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Not an email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("Enter an email address such as name@example.org.")]
pub struct InvalidEmail;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_need_belongs_to_its_recorder_and_to_administrators() {
        let viewer = |id, role| Viewer {
            id,
            email: String::new(),
            display_name: String::new(),
            role,
            organization_ids: vec![],
            totp_enabled: true,
            second_factor: true,
        };
        assert!(viewer(7, Role::Coordinator).owns_need(Some(7)));
        assert!(!viewer(8, Role::Coordinator).owns_need(Some(7)), "another coordinator's need");
        assert!(viewer(1, Role::Administrator).owns_need(Some(7)));
        assert!(!viewer(7, Role::Coordinator).owns_need(None));
    }

    #[test]
    fn passwords_need_length_not_composition_and_must_not_be_common() {
        assert_eq!(check_new_password("short"), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("password"), Err(PasswordError::TooCommon));
        assert_eq!(check_new_password("PASSWORD1"), Err(PasswordError::TooCommon), "case does not help");
        assert_eq!(check_new_password(&"x".repeat(129)), Err(PasswordError::TooLong));
        assert!(check_new_password(&"long enough passphrase ".repeat(2)).is_ok());
        assert!(check_new_password("all lowercase words here").is_ok(), "no composition rules");
        assert!(check_new_password(&"é".repeat(64)).is_ok(), "64 characters are accepted");
    }

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(Email::parse("  Ana@Example.ORG ").unwrap().as_str(), "ana@example.org");
        for bad in ["", "ana", "ana@", "@example.org", "ana@example", "a b@example.org", "ana@@example.org"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn providers_act_only_for_their_organizations() {
        let viewer = |role| Viewer {
            id: 1,
            display_name: "x".into(),
            email: "x@y.z".into(),
            role,
            organization_ids: vec![7],
            totp_enabled: false,
            second_factor: false,
        };
        assert!(viewer(Role::ProviderStaff).acts_for(7));
        assert!(!viewer(Role::ProviderStaff).acts_for(8));
        assert!(viewer(Role::Administrator).acts_for(8));
        assert!(!viewer(Role::Coordinator).acts_for(7));
        assert!(Role::Coordinator.requires_second_factor() && !Role::Funder.requires_second_factor());
    }

    #[test]
    fn a_session_owes_its_own_second_factor() {
        let viewer = |role, totp_enabled, second_factor| Viewer {
            id: 1,
            display_name: "x".into(),
            email: "x@y.z".into(),
            role,
            organization_ids: vec![],
            totp_enabled,
            second_factor,
        };
        assert!(viewer(Role::Coordinator, false, false).second_factor_pending(), "required, not set up");
        assert!(viewer(Role::ProviderAdmin, true, false).second_factor_pending(), "provider admins too");
        assert!(!viewer(Role::Coordinator, true, true).second_factor_pending());
        assert!(!viewer(Role::Funder, false, false).second_factor_pending(), "optional and not set up");
        assert!(
            viewer(Role::ProviderStaff, true, false).second_factor_pending(),
            "a password-only session of an account that switched a second factor on"
        );
    }
}
