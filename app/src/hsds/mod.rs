//! The directory in Open Referral's Human Services Data Specification (HSDS) 3.1: the documents the `/hsds/`
//! read API serves and `continuum export hsds` writes. Built from the live directory (nothing retired) with
//! stable identifiers and a stable order, so the same data always gives the same bytes.
//!
//! Two rules hold in every field of every document: a confidential site is its town and nothing more (no
//! street, no coordinates), and capacity that is out of date is never published as available.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::domain::freshness::FreshnessBand;
use crate::domain::profile::{AgeGroup, Eligibility, Gender, TraffickingType};
use crate::domain::taxonomy::CategoryFamily;
use crate::store::hsds::{CategoryRow, DirectoryRows, OrganizationRow, ServiceRow, SiteRow};

pub mod csv;
pub mod documents;
pub mod files;
pub mod import;
pub mod profile;
pub mod sheet;

use documents::{
    Accessibility, Address, Attribute, Language, Location, Organization, Phone, Schedule, Service, ServiceAtLocation,
    ServiceCapacity, TaxonomyTerm, Unit,
};

/// The name the taxonomy terms give for the taxonomy they belong to.
pub const TAXONOMY: &str = "Continuum service categories";

/// A stable UUID for one of Continuum's rows, e.g. `id("service", 42)`: the same row always gets the same
/// identifier, on every backend and in every export (an RFC 9562 version 8 UUID made from a SHA-256 hash).
/// Organizations, locations and services are keyed by their row id; everything that belongs to one of them
/// (its phones, address, capacity, category link...) by that owner's UUID, so it follows its owner.
pub fn id(kind: &str, key: impl std::fmt::Display) -> String {
    let hash = Sha256::digest(format!("continuum:{kind}:{key}").as_bytes());
    let mut b: [u8; 16] = hash[..16].try_into().unwrap_or([0; 16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The directory as HSDS documents, each list in a stable order (by Continuum's ids).
#[derive(Debug, Clone, PartialEq)]
pub struct Directory {
    /// Organizations with their locations.
    pub organizations: Vec<Organization>,
    /// Services with their capacity, category, locations and organization.
    pub services: Vec<Service>,
    /// Where each service is delivered, with the location.
    pub service_at_locations: Vec<ServiceAtLocation>,
    /// The taxonomy.
    pub taxonomy_terms: Vec<TaxonomyTerm>,
}

/// The HSDS ids of the directory's own rows: the id a row was imported with, else one made from its row id.
struct Ids<'a> {
    organizations: HashMap<i64, String>,
    locations: HashMap<i64, String>,
    sites: HashMap<i64, &'a SiteRow>,
}

impl Directory {
    /// Builds every document from the rows of the live directory.
    pub fn build(rows: &DirectoryRows) -> Self {
        let ids = Ids {
            organizations: rows
                .organizations
                .iter()
                .map(|o| (o.id, o.external_id.clone().unwrap_or_else(|| id("organization", o.id))))
                .collect(),
            locations: rows
                .sites
                .iter()
                .map(|s| (s.details.id, s.external_id.clone().unwrap_or_else(|| id("location", s.details.id))))
                .collect(),
            sites: rows.sites.iter().map(|s| (s.details.id, s)).collect(),
        };
        let categories: HashMap<&str, &CategoryRow> = rows.categories.iter().map(|c| (c.code.as_str(), c)).collect();
        let locations: HashMap<i64, Location> = rows
            .sites
            .iter()
            .filter_map(|s| {
                let oid = ids.organizations.get(&s.details.organization_id)?;
                Some((s.details.id, location(s, ids.locations[&s.details.id].clone(), oid.clone())))
            })
            .collect();
        let organizations: Vec<Organization> = rows
            .organizations
            .iter()
            .map(|o| {
                let mut org = organization(o, ids.organizations[&o.id].clone());
                let own = rows.sites.iter().filter(|s| s.details.organization_id == o.id);
                org.locations = Some(own.filter_map(|s| locations.get(&s.details.id).cloned()).collect());
                org
            })
            .collect();
        let by_id: HashMap<i64, &Organization> = rows.organizations.iter().map(|o| o.id).zip(&organizations).collect();
        let mut services = Vec::new();
        let mut service_at_locations = Vec::new();
        for s in &rows.services {
            let (Some(site), Some(category)) = (ids.sites.get(&s.site_id), categories.get(s.category.as_str())) else {
                continue;
            };
            let (Some(org), Some(place)) = (by_id.get(&site.details.organization_id), locations.get(&s.site_id)) else {
                continue;
            };
            let sid = s.external_id.clone().unwrap_or_else(|| id("service", s.id));
            let at = ServiceAtLocation {
                id: id("service_at_location", &sid),
                service_id: sid.clone(),
                location_id: place.id.clone(),
                location: Some(place.clone()),
            };
            let mut service = service(s, &sid, category, org.id.clone());
            service.service_at_locations = Some(vec![at.clone()]);
            service.organization = Some(Box::new(Organization { locations: None, ..(*org).clone() }));
            services.push(service);
            service_at_locations.push(at);
        }
        let mut taxonomy_terms: Vec<TaxonomyTerm> = rows.categories.iter().map(taxonomy_term).collect();
        taxonomy_terms.extend(profile::TERMS.iter().map(|(code, name)| profile_term(code, name)));
        taxonomy_terms.sort_by(|a, b| a.code.cmp(&b.code));
        Self { organizations, services, service_at_locations, taxonomy_terms }
    }

    /// The services as a list shows them: without the nested organization and locations.
    pub fn service_list(&self) -> Vec<Service> {
        self.services.iter().map(|s| Service { service_at_locations: None, organization: None, ..s.clone() }).collect()
    }

    /// The organizations as a list shows them: without their locations.
    pub fn organization_list(&self) -> Vec<Organization> {
        self.organizations.iter().map(|o| Organization { locations: None, ..o.clone() }).collect()
    }
}

fn organization(o: &OrganizationRow, oid: String) -> Organization {
    Organization {
        name: o.name.clone(),
        description: o.description.clone(),
        website: o.website.clone(),
        phones: o
            .phone
            .iter()
            .map(|number| Phone {
                id: id("organization_phone", &oid),
                organization_id: Some(oid.clone()),
                location_id: None,
                number: number.clone(),
                kind: "voice",
                description: None,
            })
            .collect(),
        locations: None,
        id: oid,
    }
}

/// An attribute linking `entity` (its HSDS id) to a profile term, with a value where the term takes one.
fn profile_attribute(entity: &str, link_entity: &'static str, code: &str, value: Option<String>) -> Attribute {
    let name = profile::TERMS.iter().find(|(c, _)| *c == code).map_or(code, |(_, n)| n);
    let term = profile_term(code, name);
    Attribute {
        id: id("attribute", format!("{entity}:{code}")),
        link_id: entity.to_owned(),
        link_type: "profile",
        link_entity,
        taxonomy_term_id: term.id.clone(),
        taxonomy_term: term,
        value,
    }
}

fn profile_term(code: &str, name: &str) -> TaxonomyTerm {
    TaxonomyTerm {
        id: id("taxonomy_term", code),
        code: code.to_owned(),
        name: name.to_owned(),
        description: format!("{name} (Continuum profile term)."),
        taxonomy: profile::PROFILE_TAXONOMY.to_owned(),
    }
}

/// A site as a location. Its street address and ZIP code appear only when it is not confidential; its town
/// always does, as an attribute.
fn location(row: &SiteRow, lid: String, organization_id: String) -> Location {
    let s = &row.details;
    let public_street = s.street_address.as_ref().filter(|_| !s.address_confidential);
    let mut attributes = vec![profile_attribute(&lid, "location", profile::TOWN, Some(s.town.clone()))];
    if s.address_confidential {
        attributes.push(profile_attribute(&lid, "location", profile::CONFIDENTIAL, None));
    }
    Location {
        id: lid.clone(),
        location_type: "physical",
        organization_id,
        name: s.name.clone(),
        description: if s.address_confidential {
            format!("Confidential location in {}, Connecticut: contact it through its intake phone.", s.town)
        } else {
            format!("{}, Connecticut", s.town)
        },
        addresses: public_street
            .map(|street| Address {
                id: id("address", &lid),
                location_id: lid.clone(),
                address_1: street.clone(),
                city: s.town.clone(),
                state_province: "CT",
                postal_code: row.postal_code.clone().unwrap_or_default(),
                country: "US",
                address_type: "physical",
            })
            .into_iter()
            .collect(),
        phones: s
            .intake_phone
            .iter()
            .map(|number| Phone {
                id: id("location_phone", &lid),
                organization_id: None,
                location_id: Some(lid.clone()),
                number: number.clone(),
                kind: "voice",
                description: Some("Intake"),
            })
            .collect(),
        schedules: s
            .hours
            .iter()
            .map(|hours| Schedule { id: id("schedule", &lid), location_id: lid.clone(), description: hours.clone() })
            .collect(),
        accessibility: s
            .wheelchair_accessible
            .then(|| Accessibility {
                id: id("accessibility", &lid),
                location_id: lid.clone(),
                description: "Wheelchair accessible",
            })
            .into_iter()
            .collect(),
        attributes,
    }
}

fn taxonomy_term(c: &CategoryRow) -> TaxonomyTerm {
    let family = CategoryFamily::parse(&c.family).map_or("Other", CategoryFamily::label);
    let mut description = format!("{family}; counted in {}s.", c.unit);
    if let Some(term) = &c.taxonomy_term {
        description.push_str(&format!(" Shared taxonomy term: {term}."));
    }
    TaxonomyTerm {
        id: id("taxonomy_term", &c.code),
        code: c.code.clone(),
        name: c.name.clone(),
        description,
        taxonomy: TAXONOMY.to_owned(),
    }
}

fn service(s: &ServiceRow, sid: &str, category: &CategoryRow, organization_id: String) -> Service {
    let term = taxonomy_term(category);
    let mut attributes = vec![Attribute {
        id: id("attribute", sid),
        link_id: sid.to_owned(),
        link_type: "category",
        link_entity: "service",
        taxonomy_term_id: term.id.clone(),
        taxonomy_term: term,
        value: None,
    }];
    attributes.extend(
        profile::service_terms(&s.eligibility, s.capacity.accepting_referrals)
            .into_iter()
            .map(|code| profile_attribute(sid, "service", code, None)),
    );
    Service {
        id: sid.to_owned(),
        organization_id,
        name: s.name.clone(),
        description: category.name.clone(),
        status: match s.status.as_str() {
            "active" => "active",
            "temporarily_closed" => "temporarily closed",
            _ => "inactive",
        },
        eligibility_description: eligibility_description(&s.eligibility),
        minimum_age: s.eligibility.min_age,
        maximum_age: s.eligibility.max_age,
        languages: s
            .eligibility
            .languages
            .iter()
            .map(|l| Language {
                id: id("language", format!("{sid}:{}", l.as_str())),
                service_id: sid.to_owned(),
                name: l.label().to_owned(),
                code: l.as_str().to_owned(),
            })
            .collect(),
        capacities: vec![capacity(s, sid, category)],
        attributes,
        service_at_locations: None,
        organization: None,
    }
}

/// The capacity a service publishes: stale or closed to referrals, nothing is counted as available.
fn capacity(s: &ServiceRow, sid: &str, category: &CategoryRow) -> ServiceCapacity {
    let c = &s.capacity;
    let confirmed = c.last_confirmed_at.max(c.last_changed_at);
    let local = crate::domain::local_time::date_time(confirmed);
    let (available, description) = match (c.freshness, c.accepting_referrals) {
        (FreshnessBand::Stale, _) => (0, format!("Out of date: last confirmed {local}; not counted as available.")),
        (_, false) => (0, "Not accepting referrals now.".to_owned()),
        (_, true) => (c.available, format!("Free now, confirmed {local}.")),
    };
    ServiceCapacity {
        id: id("service_capacity", sid),
        service_id: sid.to_owned(),
        unit: Unit { id: id("unit", &category.unit), name: category.unit.clone() },
        unit_id: id("unit", &category.unit),
        available,
        maximum: c.total,
        description,
        updated: confirmed.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// Who a service serves, in words: age groups, trafficking types, genders and requirements.
pub fn eligibility_description(e: &Eligibility) -> String {
    let ages: Vec<&str> = AgeGroup::ALL.iter().filter(|a| e.age_groups.serves(**a)).map(|a| a.label()).collect();
    let types: Vec<&str> = [TraffickingType::Sex, TraffickingType::Labor]
        .iter()
        .filter(|t| e.trafficking_types.serves(**t))
        .map(|t| t.label())
        .collect();
    let genders: Vec<&str> = Gender::ALL.iter().filter(|g| e.genders.serves(**g)).map(|g| g.label()).collect();
    let mut words =
        format!("Serves: {}. Trafficking: {}. Genders: {}.", ages.join(", "), types.join(", "), genders.join(", "));
    for (required, what) in [(e.id_required, "Photo ID required."), (e.sobriety_required, "Sobriety required.")] {
        if required {
            words.push(' ');
            words.push_str(what);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_distinct_version_8_uuids() {
        let a = id("service", 42);
        assert_eq!(a, id("service", 42), "the same row, the same id");
        assert_ne!(a, id("service", 43));
        assert_ne!(a, id("location", 42), "each kind of row has its own ids");
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), vec![8, 4, 4, 4, 12]);
        assert!(groups[2].starts_with('8'), "version 8");
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "RFC 9562 variant");
    }

    #[test]
    fn eligibility_is_described_in_words() {
        let mut e = Eligibility::everyone();
        e.id_required = true;
        let words = eligibility_description(&e);
        assert!(words.starts_with("Serves: "), "{words}");
        assert!(words.contains("Photo ID required.") && !words.contains("Sobriety"), "{words}");
    }
}
