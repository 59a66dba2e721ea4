//! Who may do what, in one table. Server functions, pages, raw routes, the navigation and the authorization
//! test all read it, so no two of them disagree and nobody is offered a link they cannot open.
//!
//! Roles decide the area; ownership decides the rows within it: a provider acts only for its own
//! organizations ([`super::account::Viewer::acts_for`]), checked where the data is read or written.

use super::account::Role;

/// A part of the product that a set of roles may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Post and confirm one's own organization's capacity, answer its holds, update several at once.
    ProviderCapacity,
    /// Describe a service (eligibility, languages, access) and read its history.
    ServiceDescription,
    /// A site's name, address, confidentiality, intake phone and hours.
    SiteDetails,
    /// Add sites and services to one's own organizations (administrators: to any).
    Directory,
    /// Release a hold or record the arrival: the provider that holds the bed, or the coordinator.
    EndHold,
    /// Find a placement: search, hold, record and close needs, alerts.
    Placement,
    /// The gap matrix and the map.
    Gaps,
    /// The oversight dashboard and its CSV downloads.
    Oversight,
    /// The directory as HSDS 3.1 documents: the `/hsds/` read API.
    DirectoryData,
    /// People: the users page and invitations (provider admins for their own organizations).
    People,
    /// Administration: organizations, taxonomy, the audit log, roles, unlocking and reset links.
    Administration,
    /// One's own account and the live event stream: every signed-in person.
    Account,
}

impl Area {
    /// The roles admitted to this area.
    pub const fn roles(self) -> &'static [Role] {
        use Role::{Administrator, Coordinator, Funder, ProviderAdmin, ProviderStaff};
        match self {
            Area::ProviderCapacity => &[ProviderAdmin, ProviderStaff],
            Area::ServiceDescription => &[ProviderAdmin, ProviderStaff, Administrator],
            Area::SiteDetails => &[ProviderAdmin, Administrator],
            Area::Directory => &[ProviderAdmin, Administrator],
            Area::EndHold => &[ProviderAdmin, ProviderStaff, Coordinator],
            Area::Placement => &[Coordinator, Administrator],
            Area::Gaps => &[Coordinator, Administrator, Funder],
            Area::Oversight => &[Funder, Administrator],
            Area::DirectoryData => &[Coordinator, Funder, Administrator],
            Area::People => &[Administrator, ProviderAdmin],
            Area::Administration => &[Administrator],
            Area::Account => &[Administrator, Coordinator, Funder, ProviderAdmin, ProviderStaff],
        }
    }

    /// Whether `role` may use this area.
    pub fn admits(self, role: Role) -> bool {
        self.roles().contains(&role)
    }
}

/// One link of the main navigation: where it goes, its label, and the area of the page it opens.
pub type NavLink = (&'static str, &'static str, Area);

/// The main navigation of a role: only pages it may open (a test checks every link against [`Area`]).
pub fn navigation(role: Role) -> &'static [NavLink] {
    match role {
        Role::Administrator => &[
            ("/admin/users", "Users", Area::People),
            ("/admin/organizations", "Organizations", Area::Administration),
            ("/my-capacity/new", "Add a site or service", Area::Directory),
            ("/admin/taxonomy", "Taxonomy", Area::Administration),
            ("/admin/import", "Import", Area::Administration),
            ("/admin/audit", "Audit log", Area::Administration),
        ],
        Role::Coordinator => &[
            ("/search", "Find a placement", Area::Placement),
            ("/gaps", "Gaps", Area::Gaps),
            ("/map", "Map", Area::Gaps),
            ("/holds", "Holds", Area::Placement),
            ("/needs", "Needs", Area::Placement),
            ("/notifications", "Alerts", Area::Placement),
        ],
        Role::Funder => {
            &[("/oversight", "Oversight", Area::Oversight), ("/gaps", "Gaps", Area::Gaps), ("/map", "Map", Area::Gaps)]
        }
        Role::ProviderAdmin => {
            &[("/my-capacity", "My capacity", Area::ProviderCapacity), ("/admin/users", "Colleagues", Area::People)]
        }
        Role::ProviderStaff => &[("/my-capacity", "My capacity", Area::ProviderCapacity)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [Role; 5] =
        [Role::Administrator, Role::Coordinator, Role::Funder, Role::ProviderAdmin, Role::ProviderStaff];

    #[test]
    fn navigation_offers_only_pages_the_role_may_open() {
        for role in ROLES {
            for (href, _, area) in navigation(role) {
                assert!(area.admits(role), "{role:?} is offered {href}, which it cannot open");
            }
        }
    }

    #[test]
    fn every_role_has_its_account_and_only_administrators_administer() {
        assert!(ROLES.iter().all(|r| Area::Account.admits(*r)));
        assert_eq!(Area::Administration.roles(), &[Role::Administrator]);
        assert!(!Area::Placement.admits(Role::Funder), "funders read the numbers; they do not place people");
        assert!(!Area::SiteDetails.admits(Role::ProviderStaff), "staff update counts; admins edit sites");
        assert!(!Area::Directory.admits(Role::ProviderStaff), "staff do not add sites or services");
    }
}
