//! Services of a package: each placed at a location, with its category, who it serves, its languages and
//! its capacity.

use std::collections::{HashMap, HashSet};

use super::{Reader, ServiceIn, SiteIn, Tag};
use crate::domain::profile::LanguageCode;
use crate::hsds::profile;

pub(super) fn services(r: &mut Reader, sites: &[SiteIn], attributes: &HashMap<String, Vec<Tag>>) -> Vec<ServiceIn> {
    let file = "services.csv";
    let site_ids: HashSet<&str> = sites.iter().map(|s| s.external_id.as_str()).collect();
    let locations: HashSet<String> = match r.tables.get("locations.csv") {
        Some(t) => t.records.iter().filter_map(|(_, x)| t.get(x, "id").map(str::to_owned)).collect(),
        None => HashSet::new(),
    };
    let mut located: HashMap<String, String> = HashMap::new();
    for (line, _, record) in r.identified("service_at_location.csv") {
        let (service, location) = (
            r.get("service_at_location.csv", &record, "service_id").unwrap_or_default(),
            r.get("service_at_location.csv", &record, "location_id").unwrap_or_default(),
        );
        if !locations.contains(&location) {
            r.problem(
                "service_at_location.csv",
                line,
                "location_id",
                format!("no location {location:?} in locations.csv"),
            );
        }
        located.entry(service).or_insert(location);
    }
    let mut capacities: HashMap<String, (usize, Vec<String>)> = HashMap::new();
    for (line, _, record) in r.identified("service_capacity.csv") {
        if let Some(service) = r.get("service_capacity.csv", &record, "service_id") {
            capacities.entry(service).or_insert((line, record));
        }
    }
    let mut languages: HashMap<String, Vec<LanguageCode>> = HashMap::new();
    for (line, _, record) in r.identified("languages.csv") {
        let (Some(service), Some(code)) =
            (r.get("languages.csv", &record, "service_id"), r.get("languages.csv", &record, "code"))
        else {
            continue;
        };
        match LanguageCode::parse(&code.to_lowercase()) {
            Ok(code) => languages.entry(service).or_default().push(code),
            Err(_) => r.problem("languages.csv", line, "code", format!("{code:?} is not a language code such as es")),
        }
    }
    let mut out = Vec::new();
    for (line, id, record) in r.identified(file) {
        let name = r.get(file, &record, "name").unwrap_or_default();
        if name.is_empty() || name.chars().count() > 120 {
            r.problem(file, line, "name", "a name of 1 to 120 characters is required");
            continue;
        }
        let status = match r.get(file, &record, "status").as_deref() {
            Some("active") | None => "active",
            Some("temporarily closed") => "temporarily_closed",
            Some("inactive" | "defunct") => "inactive",
            Some(other) => {
                r.problem(
                    file,
                    line,
                    "status",
                    format!("{other:?} is not active, inactive, defunct or temporarily closed"),
                );
                continue;
            }
        };
        let Some(site) = located.get(&id).filter(|l| site_ids.contains(l.as_str())).cloned() else {
            if !located.contains_key(&id) {
                r.problem(file, line, "id", "no service_at_location places this service at a location");
            }
            continue;
        };
        let age = |r: &mut Reader, column: &str| -> Result<Option<u8>, ()> {
            match r.get(file, &record, column) {
                None => Ok(None),
                Some(text) => text.parse::<u8>().ok().filter(|a| *a <= 120).map(Some).ok_or_else(|| {
                    r.problem(file, line, column, format!("{text:?} is not an age from 0 to 120"));
                }),
            }
        };
        let (Ok(min_age), Ok(max_age)) = (age(r, "minimum_age"), age(r, "maximum_age")) else { continue };
        let tags = attributes.get(&id).map(Vec::as_slice).unwrap_or_default();
        let codes: Vec<&str> = tags.iter().map(|t| t.code.as_str()).filter(|c| c.starts_with("continuum:")).collect();
        let Some((mut eligibility, accepting)) = profile::eligibility_from(&codes, min_age, max_age) else {
            r.problem(file, line, "minimum_age", "the ages contradict the age groups served");
            continue;
        };
        eligibility.languages = languages.remove(&id).unwrap_or_default();
        // A directory that says nothing of referrals is taken to accept them.
        let accepting = accepting || codes.is_empty();
        let categories: Vec<&Tag> = tags.iter().filter(|t| !t.code.starts_with("continuum:")).collect();
        let category = categories.iter().find_map(|t| r.reference.categories.get(&t.code).cloned());
        let Some(category) = category else {
            match categories.first() {
                Some(t) => {
                    let message = format!("unknown category {:?}: add it to the taxonomy first", t.code);
                    r.problem("attributes.csv", t.line, "taxonomy_term_id", message);
                }
                None => r.problem(file, line, "id", "no category: link the service to a taxonomy term"),
            }
            continue;
        };
        let (maximum, available, updated) = match capacities.get(&id) {
            None => (0, 0, 0),
            Some((at, c)) => {
                let number = |column: &str| r.get("service_capacity.csv", c, column).and_then(|v| parse_count(&v));
                let (Some(available), Some(maximum)) = (number("available"), number("maximum").or(number("available")))
                else {
                    r.problem(
                        "service_capacity.csv",
                        *at,
                        "available",
                        "available and maximum are whole numbers from 0",
                    );
                    continue;
                };
                if available > maximum {
                    r.problem("service_capacity.csv", *at, "available", "more available than the maximum");
                    continue;
                }
                let updated = r.get("service_capacity.csv", c, "updated");
                let Some(updated) = updated.as_deref().and_then(|u| chrono::DateTime::parse_from_rfc3339(u).ok())
                else {
                    r.problem(
                        "service_capacity.csv",
                        *at,
                        "updated",
                        "updated is a date and time such as 2026-12-01T09:30:00Z",
                    );
                    continue;
                };
                (maximum, available, updated.timestamp())
            }
        };
        out.push(ServiceIn {
            external_id: id,
            site,
            category,
            name,
            status,
            eligibility,
            accepting,
            maximum,
            available,
            updated,
        });
    }
    out
}

/// A count: a whole number from 0 (HSDS numbers may be written `12` or `12.0`).
fn parse_count(text: &str) -> Option<i64> {
    text.parse::<i64>()
        .ok()
        .or_else(|| text.parse::<f64>().ok().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        .filter(|n| *n >= 0)
}
