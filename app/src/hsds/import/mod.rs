//! Reading a state's directory from an HSDS 3.1 tabular data package: every table checked, every problem
//! named by its file, line and column, and the organizations, sites and services it describes, ready to be
//! matched to what the database holds by their HSDS ids. Nothing here touches the database.

use std::collections::{HashMap, HashSet};

use super::csv::{Csv, parse};
use crate::domain::profile::Eligibility;

mod json;
mod services;
mod sites;

pub use crate::domain::import::Problem;
pub use json::read_json;

/// The files of a package, by name (`organizations.csv`, `datapackage.json`, ...).
pub type Files = HashMap<String, String>;

/// What the database knows that a package is checked against.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// Connecticut's towns: lowercase name to id.
    pub towns: HashMap<String, i64>,
    /// Category codes, by the code itself and by the shared taxonomy term each carries.
    pub categories: HashMap<String, String>,
    /// Connecticut's ZIP codes: five digits to the id of the town each is taken to mean.
    pub zip_codes: HashMap<String, i64>,
}

/// Which part of an address a town problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressPart {
    /// The locality (city or town).
    Locality,
    /// The ZIP code.
    PostalCode,
}

impl Reference {
    /// Builds the reference from the towns (id, name) and categories (code, shared taxonomy term) the database
    /// holds; ZIP codes come from the embedded table.
    pub fn new(towns: Vec<(i64, String)>, categories: Vec<(String, Option<String>)>) -> Self {
        let towns: HashMap<String, i64> = towns.into_iter().map(|(id, name)| (name.to_lowercase(), id)).collect();
        let zip_codes = crate::domain::zip_code::zip_codes()
            .filter_map(|(zip, town)| Some((zip.to_owned(), *towns.get(&town.to_lowercase())?)))
            .collect();
        let mut by_code = HashMap::new();
        for (code, term) in categories {
            if let Some(term) = term {
                by_code.insert(term, code.clone());
            }
            by_code.insert(code.clone(), code);
        }
        Reference { towns, categories: by_code, zip_codes }
    }

    /// The town an address is in: its locality when that is one of the 169 towns, otherwise the town its
    /// ZIP code is taken to mean (villages and postal names such as "Storrs" or "Cos Cob"). Without either,
    /// the problem and the part of the address it is in.
    pub fn town(&self, locality: Option<&str>, postal_code: Option<&str>) -> Result<i64, (AddressPart, String)> {
        let locality = locality.map(str::trim).filter(|l| !l.is_empty());
        let postal_code = postal_code.map(str::trim).filter(|p| !p.is_empty());
        if let Some(id) = locality.and_then(|l| self.towns.get(&l.to_lowercase())) {
            return Ok(*id);
        }
        let zip = postal_code.map(|p| crate::domain::zip_code::five_digits(p).and_then(|z| self.zip_codes.get(z)));
        match (locality, zip) {
            (_, Some(Some(id))) => Ok(*id),
            (Some(l), _) => Err((
                AddressPart::Locality,
                format!(
                    "unknown town {l:?}: not one of Connecticut's 169 towns, and no Connecticut ZIP code places it"
                ),
            )),
            (None, Some(None)) => Err((
                AddressPart::PostalCode,
                format!("{:?} is not a Connecticut ZIP code", postal_code.unwrap_or_default()),
            )),
            (None, None) => Err((AddressPart::Locality, "no town: give the town or a Connecticut ZIP code".into())),
        }
    }
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

/// The tables of a package, by file name.
pub type Tables = HashMap<&'static str, Csv>;

/// Reads a package's files. Every problem is collected; the caller writes nothing while any remains.
pub fn read(files: &Files, reference: &Reference) -> Package {
    let mut problems = Vec::new();
    if let Some(text) = files.get("datapackage.json")
        && serde_json::from_str::<serde_json::Value>(text).map_or(true, |v| !v["resources"].is_array())
    {
        problems.push(whole("datapackage.json", 0, "not a data package description (JSON with a list of resources)"));
    }
    let mut tables = Tables::new();
    for name in TABLES {
        match files.get(name).map(|text| parse(text)) {
            Some(Ok(csv)) => {
                tables.insert(name, csv);
            }
            Some(Err(e)) => problems.push(whole(name, e.line, "a quoted field is never closed")),
            None => {}
        }
    }
    read_tables(tables, problems, reference)
}

fn whole(file: &str, line: usize, message: &str) -> Problem {
    Problem { file: file.to_owned(), line, column: String::new(), message: message.to_owned() }
}

/// Reads a package's parsed tables, after the `problems` found in reading its files.
pub fn read_tables(tables: Tables, problems: Vec<Problem>, reference: &Reference) -> Package {
    let mut r = Reader { tables, problems, reference };
    for name in ["organizations.csv", "services.csv"] {
        if !r.tables.contains_key(name) && !r.problems.iter().any(|p| p.file == name) {
            r.problem(name, 0, "", "missing: a package needs its organizations and services");
        }
    }
    let terms = terms(&mut r);
    let attributes = attributes(&mut r, &terms);
    let organizations = organizations(&mut r);
    let sites = sites::sites(&mut r, &organizations, &attributes);
    let services = services::services(&mut r, &sites, &attributes);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn package(addresses: &str) -> Package {
        let files: Files = [
            ("organizations.csv", "id,name\no1,Harbor\n"),
            ("locations.csv", "id,organization_id,name\nl1,o1,Storrs House\nl2,o1,Hall\nl3,o1,Away\n"),
            ("addresses.csv", addresses),
            ("services.csv", "id,name\n"),
        ]
        .into_iter()
        .map(|(name, text)| (name.to_owned(), text.to_owned()))
        .collect();
        let reference = Reference::new(vec![(9, "Mansfield".to_owned())], vec![]);
        read(&files, &reference)
    }

    #[test]
    fn a_location_in_a_village_is_placed_in_its_town_by_zip_code() {
        let p = package(
            "id,location_id,address_1,city,state_province,postal_code\n\
             a1,l1,1 Main St,Storrs,CT,06268\n\
             a2,l2,2 Main St,,CT,06269-1000\n\
             a3,l3,3 Main St,Storrs,CT,\n",
        );
        assert_eq!(
            p.sites.iter().map(|s| (s.external_id.as_str(), s.town_id)).collect::<Vec<_>>(),
            [("l1", 9), ("l2", 9)]
        );
        let at: Vec<_> = p.problems.iter().map(|x| (x.file.as_str(), x.line, x.column.as_str())).collect();
        assert_eq!(at, [("addresses.csv", 4, "city")], "a village without a ZIP code: {:?}", p.problems);
    }

    #[test]
    fn a_zip_code_outside_connecticut_is_named_as_such() {
        let p = package("id,location_id,address_1,city,state_province,postal_code\na1,l1,1 Main St,,CT,01001\n");
        let problem = p.problems.iter().find(|x| x.column == "postal_code").expect("a postal code problem");
        assert!(problem.message.contains("not a Connecticut ZIP code"), "{problem}");
    }
}
