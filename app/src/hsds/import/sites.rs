//! Locations of a package: each with its organization, town (from its address or its town attribute),
//! confidentiality, intake phone, hours and access.

use std::collections::{HashMap, HashSet};

use super::{AddressPart, OrganizationIn, Reader, SiteIn, Tag};
use crate::hsds::profile;

pub(super) fn sites(
    r: &mut Reader,
    organizations: &HashMap<String, OrganizationIn>,
    attributes: &HashMap<String, Vec<Tag>>,
) -> Vec<SiteIn> {
    let file = "locations.csv";
    let mut addresses: HashMap<String, (usize, Vec<String>)> = HashMap::new();
    for (line, _, record) in r.identified("addresses.csv") {
        match r.get("addresses.csv", &record, "location_id") {
            Some(location) => {
                addresses.entry(location).or_insert((line, record));
            }
            None => r.problem("addresses.csv", line, "location_id", "an address needs its location_id"),
        }
    }
    let by_location = |r: &Reader, table: &str, column: &str| -> HashMap<String, String> {
        let mut out = HashMap::new();
        for (_, record) in r.records(table) {
            if let (Some(location), Some(value)) = (r.get(table, &record, "location_id"), r.get(table, &record, column))
            {
                out.entry(location).or_insert(value);
            }
        }
        out
    };
    let phones = by_location(r, "phones.csv", "number");
    let hours = by_location(r, "schedules.csv", "description");
    let access = by_location(r, "accessibility.csv", "description");
    let mut out = Vec::new();
    let locations = r.identified(file);
    let known: HashSet<&String> = locations.iter().map(|(_, id, _)| id).collect();
    let mut dangling: Vec<(usize, String)> =
        addresses.iter().filter(|(l, _)| !known.contains(l)).map(|(l, (line, _))| (*line, l.clone())).collect();
    dangling.sort();
    for (line, location) in dangling {
        r.problem("addresses.csv", line, "location_id", format!("no location {location} in locations.csv"));
    }
    for (line, id, record) in locations {
        // Every check of the row runs, so one pass names all its problems; the row is kept only if none fails.
        let before = r.problems.len();
        let organization = r.get(file, &record, "organization_id").unwrap_or_default();
        if !organizations.contains_key(&organization) {
            r.problem(file, line, "organization_id", format!("no organization {organization:?} in organizations.csv"));
        }
        let name = r.get(file, &record, "name").unwrap_or_default();
        if name.is_empty() || name.chars().count() > 120 {
            r.problem(file, line, "name", "a name of 1 to 120 characters is required");
        }
        let tags = attributes.get(&id).map(Vec::as_slice).unwrap_or_default();
        let confidential = tags.iter().any(|t| t.code == profile::CONFIDENTIAL);
        let (mut street, mut postal_code) = (None, None);
        let town_id = match addresses.get(&id) {
            Some((at, address)) => {
                street = r.get("addresses.csv", address, "address_1");
                postal_code = r.get("addresses.csv", address, "postal_code");
                let state = r.get("addresses.csv", address, "state_province");
                if state.as_deref().is_some_and(|s| !matches!(s.to_lowercase().as_str(), "ct" | "connecticut")) {
                    r.problem(
                        "addresses.csv",
                        *at,
                        "state_province",
                        format!("{:?} is not Connecticut", state.as_deref().unwrap_or_default()),
                    );
                }
                let city = r.get("addresses.csv", address, "city");
                match r.reference.town(city.as_deref(), postal_code.as_deref()) {
                    Ok(town) => Some(town),
                    Err((part, message)) => {
                        let column = if part == AddressPart::PostalCode { "postal_code" } else { "city" };
                        r.problem("addresses.csv", *at, column, message);
                        None
                    }
                }
            }
            None => match tags.iter().find(|t| t.code == profile::TOWN) {
                Some(tag) => match r.reference.town(tag.value.as_deref(), None) {
                    Ok(town) => Some(town),
                    Err((_, message)) => {
                        r.problem("attributes.csv", tag.line, "value", message);
                        None
                    }
                },
                None => {
                    r.problem(
                        file,
                        line,
                        "id",
                        "no town: give an address with its city, or a continuum:town attribute",
                    );
                    None
                }
            },
        };
        let hours = hours.get(&id).cloned();
        if hours.as_ref().is_some_and(|h| h.chars().count() > 120) {
            r.problem("schedules.csv", line, "description", "hours are at most 120 characters");
        }
        let Some(town_id) = town_id.filter(|_| r.problems.len() == before) else { continue };
        out.push(SiteIn {
            external_id: id.clone(),
            organization,
            name,
            town_id,
            street_address: street,
            postal_code,
            confidential,
            intake_phone: phones.get(&id).cloned().filter(|p| crate::domain::contact::is_phone(p)),
            hours,
            wheelchair: access.get(&id).is_some_and(|a| a.to_lowercase().contains("wheelchair")),
        });
    }
    out
}
