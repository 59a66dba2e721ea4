//! Wire types for administration screens: what the browser may see, never a secret.

use serde::{Deserialize, Serialize};

use crate::domain::account::Role;

/// A user as administrators see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    /// Id.
    pub id: i64,
    /// Email.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Role (None for an unknown stored code).
    pub role: Option<Role>,
    /// Disabled.
    pub disabled: bool,
    /// Second factor on.
    pub totp_enabled: bool,
    /// Password set (invitation accepted).
    pub active: bool,
}

/// An audit entry for browsing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    /// Id.
    pub id: i64,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who.
    pub actor: Option<String>,
    /// What.
    pub action: String,
    /// On what.
    pub entity: String,
    /// Which.
    pub entity_id: Option<i64>,
    /// Before.
    pub old_value: Option<String>,
    /// After.
    pub new_value: Option<String>,
}

/// An organization for the admin list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Website.
    pub website: Option<String>,
    /// Main phone.
    pub phone: Option<String>,
    /// Verified by an administrator.
    pub verified: bool,
    /// Retired: kept with its history, taking no more changes.
    pub retired: bool,
    /// Number of sites not retired.
    pub sites: i64,
    /// Number of services not retired.
    pub services: i64,
}

/// A taxonomy category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    /// Code.
    pub code: String,
    /// Family code.
    pub family: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// The term it stands for in the state's shared taxonomy (e.g. a 211 code), if one is set.
    pub taxonomy_term: Option<String>,
}

/// A site as its own organization sees it, address included. Only ever sent to people entitled to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Town id.
    pub town_id: i64,
    /// Town.
    pub town: String,
    /// Street address.
    pub street_address: Option<String>,
    /// Whether the address is confidential.
    pub address_confidential: bool,
    /// Intake phone.
    pub intake_phone: Option<String>,
    /// When it is open, in words.
    pub hours: Option<String>,
    /// Wheelchair accessible.
    pub wheelchair_accessible: bool,
    /// Retired: kept with its history, taking no more changes.
    pub retired: bool,
}

#[cfg(feature = "ssr")]
mod conversions {
    use super::*;

    impl From<crate::store::accounts::UserRow> for UserView {
        fn from(r: crate::store::accounts::UserRow) -> Self {
            Self {
                id: r.id,
                email: r.email,
                display_name: r.display_name,
                role: Role::parse(&r.role),
                disabled: r.disabled,
                totp_enabled: r.totp_enabled,
                active: r.active,
            }
        }
    }

    impl From<crate::store::sites::SiteDetails> for SiteView {
        fn from(s: crate::store::sites::SiteDetails) -> Self {
            Self {
                id: s.id,
                name: s.name,
                town_id: s.town_id,
                town: s.town,
                street_address: s.street_address,
                address_confidential: s.address_confidential,
                intake_phone: s.intake_phone,
                hours: s.hours,
                wheelchair_accessible: s.wheelchair_accessible,
                retired: s.retired_at.is_some(),
            }
        }
    }

    impl From<crate::store::audit::AuditRow> for AuditView {
        fn from(r: crate::store::audit::AuditRow) -> Self {
            Self {
                id: r.id,
                at: crate::store::from_unix(r.at),
                actor: r.actor,
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                old_value: r.old_value,
                new_value: r.new_value,
            }
        }
    }
}
