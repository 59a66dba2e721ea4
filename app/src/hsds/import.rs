//! Reading a state's directory from an HSDS 3.1 tabular data package: every table checked, every problem
//! named by its file, line and column, and the organizations, sites and services it describes, ready to be
//! matched to what the database holds by their HSDS ids. Nothing here touches the database.

use std::collections::{HashMap, HashSet};

use super::csv::{Csv, parse};
use super::profile;
use crate::domain::profile::{Eligibility, LanguageCode};

/// The files of a package, by name (`organizations.csv`, `datapackage.json`, ...).
pub type Files = HashMap<String, String>;

/// One thing wrong with the package, where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    /// File.
    pub file: String,
    /// Line (1 is the header; 0 for the file as a whole).
    pub line: usize,
    /// Column (empty for a whole line or file).
    pub column: String,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column.is_empty()) {
            (0, _) => write!(f, "{}: {}", self.file, self.message),
            (_, true) => write!(f, "{} line {}: {}", self.file, self.line, self.message),
            (_, false) => write!(f, "{} line {}, column {}: {}", self.file, self.line, self.column, self.message),
        }
    }
}

/// What the database knows that a package is checked against.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// Connecticut's towns: lowercase name to id.
    pub towns: HashMap<String, i64>,
    /// Category codes, by the code itself and by the shared taxonomy term each carries.
    pub categories: HashMap<String, String>,
}

/// An organization as the package describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationIn {
    /// HSDS id.
    pub external_id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Website.
    pub website: Option<String>,
    /// Main phone.
    pub phone: Option<String>,
    /// Where it is (for problems found later).
    pub line: usize,
}

/// A site (an HSDS location).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteIn {
    /// HSDS id.
    pub external_id: String,
    /// Its organization's HSDS id.
    pub organization: String,
    /// Name.
    pub name: String,
    /// Town id.
    pub town_id: i64,
    /// Street address.
    pub street_address: Option<String>,
    /// ZIP code.
    pub postal_code: Option<String>,
    /// Whether the address is confidential.
    pub confidential: bool,
    /// Intake phone.
    pub intake_phone: Option<String>,
    /// Hours, in words.
    pub hours: Option<String>,
    /// Wheelchair accessible.
    pub wheelchair: bool,
}

/// A service with its capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceIn {
    /// HSDS id.
    pub external_id: String,
    /// Its site's HSDS id.
    pub site: String,
    /// Category code (one the taxonomy has).
    pub category: String,
    /// Name.
    pub name: String,
    /// Status code.
    pub status: &'static str,
    /// Who it serves.
    pub eligibility: Eligibility,
    /// Whether it takes referrals.
    pub accepting: bool,
    /// Units in total.
    pub maximum: i64,
    /// Units free.
    pub available: i64,
    /// When the counts were last confirmed (UTC seconds; 0 when the package does not say).
    pub updated: i64,
}

/// Everything a package describes, and what is wrong with it.
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// Organizations.
    pub organizations: Vec<OrganizationIn>,
    /// Sites.
    pub sites: Vec<SiteIn>,
    /// Services.
    pub services: Vec<ServiceIn>,
    /// Problems, in file and line order.
    pub problems: Vec<Problem>,
}

/// The tables read, and the problems found so far.
struct Reader<'a> {
    tables: HashMap<&'static str, Csv>,
    problems: Vec<Problem>,
    reference: &'a Reference,
}

const TABLES: [&str; 12] = [
    "organizations.csv",
    "locations.csv",
    "addresses.csv",
    "phones.csv",
    "schedules.csv",
    "accessibility.csv",
    "services.csv",
    "service_at_location.csv",
    "service_capacity.csv",
    "languages.csv",
    "attributes.csv",
    "taxonomy_terms.csv",
];

impl Reader<'_> {
    fn problem(&mut self, file: &str, line: usize, column: &str, message: impl Into<String>) {
        self.problems.push(Problem { file: file.to_owned(), line, column: column.to_owned(), message: message.into() });
    }

    /// The records of a table (none when the package has no such file).
    fn records(&self, file: &str) -> Vec<(usize, Vec<String>)> {
        self.tables.get(file).map(|t| t.records.clone()).unwrap_or_default()
    }

    fn get(&self, file: &str, record: &[String], column: &str) -> Option<String> {
        self.tables.get(file).and_then(|t| t.get(record, column)).map(str::to_owned)
    }

    /// Every record's id, checked present and unique; returns (line, id, record).
    fn identified(&mut self, file: &'static str) -> Vec<(usize, String, Vec<String>)> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (line, record) in self.records(file) {
            match self.get(file, &record, "id") {
                None => self.problem(file, line, "id", "missing id"),
                Some(id) if !seen.insert(id.clone()) => self.problem(file, line, "id", format!("duplicate id {id}")),
                Some(id) => out.push((line, id, record)),
            }
        }
        out
    }
}

/// Reads a package. Every problem is collected; the caller writes nothing while any remains.
pub fn read(files: &Files, reference: &Reference) -> Package {
    let mut r = Reader { tables: HashMap::new(), problems: Vec::new(), reference };
    if let Some(text) = files.get("datapackage.json")
        && serde_json::from_str::<serde_json::Value>(text).map_or(true, |v| !v["resources"].is_array())
    {
        r.problem("datapackage.json", 0, "", "not a data package description (JSON with a list of resources)");
    }
    for name in TABLES {
        match files.get(name).map(|text| parse(text)) {
            Some(Ok(csv)) => {
                r.tables.insert(name, csv);
            }
            Some(Err(e)) => r.problem(name, e.line, "", "a quoted field is never closed"),
            None if name == "organizations.csv" || name == "services.csv" => {
                r.problem(name, 0, "", "missing: a package needs its organizations and services");
            }
            None => {}
        }
    }
    let terms = terms(&mut r);
    let attributes = attributes(&mut r, &terms);
    let organizations = organizations(&mut r);
    let sites = sites(&mut r, &organizations, &attributes);
    let services = services(&mut r, &sites, &attributes);
    let mut problems = r.problems;
    problems.sort();
    problems.dedup();
    let mut organizations: Vec<OrganizationIn> = organizations.into_values().collect();
    organizations.sort_by_key(|o| o.line);
    Package { organizations, sites, services, problems }
}

/// Taxonomy terms: id to code.
fn terms(r: &mut Reader) -> HashMap<String, String> {
    let file = "taxonomy_terms.csv";
    let mut out = HashMap::new();
    for (line, id, record) in r.identified(file) {
        match r.get(file, &record, "code").or_else(|| r.get(file, &record, "name")) {
            Some(code) => {
                out.insert(id, code);
            }
            None => r.problem(file, line, "code", "a term needs its code"),
        }
    }
    out
}

/// One attribute: the term's code, its value, and where it was given.
struct Tag {
    code: String,
    value: Option<String>,
    line: usize,
}

/// Attributes by the id of the entity they describe.
fn attributes(r: &mut Reader, terms: &HashMap<String, String>) -> HashMap<String, Vec<Tag>> {
    let file = "attributes.csv";
    let mut out: HashMap<String, Vec<Tag>> = HashMap::new();
    for (line, _, record) in r.identified(file) {
        let (Some(link), Some(term)) = (r.get(file, &record, "link_id"), r.get(file, &record, "taxonomy_term_id"))
        else {
            r.problem(file, line, "link_id", "an attribute needs link_id and taxonomy_term_id");
            continue;
        };
        let Some(code) = terms.get(&term) else {
            r.problem(file, line, "taxonomy_term_id", format!("no taxonomy term {term} in taxonomy_terms.csv"));
            continue;
        };
        let value = r.get(file, &record, "value");
        out.entry(link).or_default().push(Tag { code: code.clone(), value, line });
    }
    out
}

fn organizations(r: &mut Reader) -> HashMap<String, OrganizationIn> {
    let file = "organizations.csv";
    let mut out = HashMap::new();
    for (line, id, record) in r.identified(file) {
        let name = r.get(file, &record, "name").unwrap_or_default();
        if name.is_empty() || name.chars().count() > 120 {
            r.problem(file, line, "name", "a name of 1 to 120 characters is required");
            continue;
        }
        let website = r.get(file, &record, "website");
        if website.as_deref().is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://"))) {
            r.problem(file, line, "website", "a website starts with https://");
        }
        let description = r.get(file, &record, "description").unwrap_or_default();
        out.insert(id.clone(), OrganizationIn { external_id: id, name, description, website, phone: None, line });
    }
    let file = "phones.csv";
    for (line, _, record) in r.identified(file) {
        let Some(number) = r.get(file, &record, "number") else {
            r.problem(file, line, "number", "a phone needs its number");
            continue;
        };
        if !crate::domain::contact::is_phone(&number) {
            r.problem(file, line, "number", format!("{number:?} is not a phone number such as 860-555-0100"));
        } else if let Some(org) = r.get(file, &record, "organization_id").and_then(|o| out.get_mut(&o))
            && r.get(file, &record, "location_id").is_none()
            && org.phone.is_none()
        {
            org.phone = Some(number);
        }
    }
    out
}

fn sites(
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
        let town = match addresses.get(&id) {
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
                r.get("addresses.csv", address, "city").map(|city| (*at, "addresses.csv", "city", city))
            }
            None => tags
                .iter()
                .find(|t| t.code == profile::TOWN)
                .and_then(|t| t.value.clone().map(|v| (t.line, "attributes.csv", "value", v))),
        };
        let town_id = match town {
            None => {
                r.problem(file, line, "id", "no town: give an address with its city, or a continuum:town attribute");
                None
            }
            Some((at, where_, column, town)) => {
                let found = r.reference.towns.get(&town.to_lowercase()).copied();
                if found.is_none() {
                    r.problem(where_, at, column, format!("unknown town {town:?}: not one of Connecticut's 169 towns"));
                }
                found
            }
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

fn services(r: &mut Reader, sites: &[SiteIn], attributes: &HashMap<String, Vec<Tag>>) -> Vec<ServiceIn> {
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
