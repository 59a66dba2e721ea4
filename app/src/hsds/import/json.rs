//! Reading HSDS 3.1 JSON: a list of services or of organizations (a JSON array, one page of the HSDS API, or a
//! single document), each with its nested organization, locations, addresses, capacity and attributes. The
//! documents are laid flat into the tables of a tabular package, links to their parents filled in from where
//! they are nested, so one reader checks both forms; every problem is then named by its place in the JSON
//! (`$[3].service_at_locations[0].location.addresses[0].city`).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{Csv, Package, Problem, Reference, Tables, read_tables};

/// The table a nested object belongs to, by the key it is nested under.
fn table_of(key: &str) -> Option<&'static str> {
    Some(match key {
        "organization" | "organizations" => "organizations.csv",
        "service" | "services" => "services.csv",
        "location" | "locations" => "locations.csv",
        "addresses" => "addresses.csv",
        "phones" => "phones.csv",
        "schedules" => "schedules.csv",
        "accessibility" => "accessibility.csv",
        "attributes" => "attributes.csv",
        "taxonomy_term" => "taxonomy_terms.csv",
        "languages" => "languages.csv",
        "capacities" => "service_capacity.csv",
        "service_at_locations" => "service_at_location.csv",
        _ => return None,
    })
}

/// The column of a row nested in `parent` that names the parent, when the row leaves it out.
fn link_to_parent(table: &str, parent: &str) -> Option<&'static str> {
    Some(match (table, parent) {
        ("attributes.csv", _) => "link_id",
        ("services.csv" | "locations.csv" | "phones.csv", "organizations.csv") => "organization_id",
        ("addresses.csv" | "phones.csv" | "schedules.csv" | "accessibility.csv" | "languages.csv", "locations.csv") => {
            "location_id"
        }
        (
            "phones.csv" | "schedules.csv" | "languages.csv" | "service_capacity.csv" | "service_at_location.csv",
            "services.csv",
        ) => "service_id",
        _ => return None,
    })
}

/// The column of the parent that names a row nested in it (a service's organization, a service at a
/// location's location, an attribute's term), when the parent leaves it out.
fn link_from_parent(table: &str, parent: &str) -> Option<&'static str> {
    Some(match (table, parent) {
        ("organizations.csv", "services.csv") => "organization_id",
        ("locations.csv", "service_at_location.csv") => "location_id",
        ("taxonomy_terms.csv", "attributes.csv") => "taxonomy_term_id",
        _ => return None,
    })
}

/// One table as it is filled: rows of (column, value) in the order met, and where in the JSON each came from.
#[derive(Default)]
struct Table {
    columns: Vec<String>,
    rows: Vec<HashMap<String, String>>,
    places: Vec<String>,
    ids: HashSet<String>,
}

/// The tables being filled from the documents.
#[derive(Default)]
struct Flattener {
    tables: HashMap<&'static str, Table>,
}

impl Flattener {
    /// Lays `object` (at `place`, in `table`) flat, with everything nested in it; returns its id. A nested row
    /// met again (the same organization under many services) is kept once; top-level rows are all kept, so a
    /// duplicate id in the list itself is still reported.
    ///
    /// A location nested in a service (through its service at location) belongs to the service's organization,
    /// `organization`, when it does not name its own.
    fn add(
        &mut self,
        table: &'static str,
        object: &serde_json::Map<String, Value>,
        place: String,
        parent: Option<(&str, &str)>,
        organization: Option<&str>,
        top: bool,
    ) -> Option<String> {
        let mut row: HashMap<String, String> = HashMap::new();
        let mut nested = Vec::new();
        for (key, value) in object {
            match value {
                Value::String(s) => {
                    row.insert(key.clone(), s.clone());
                }
                Value::Number(n) => {
                    row.insert(key.clone(), n.to_string());
                }
                Value::Bool(b) => {
                    row.insert(key.clone(), b.to_string());
                }
                Value::Object(o) => nested.push((key, None, o)),
                Value::Array(items) => {
                    nested.extend(
                        items.iter().enumerate().filter_map(|(i, item)| Some((key, Some(i), item.as_object()?))),
                    );
                }
                Value::Null => {}
            }
        }
        if let Some((parent_table, parent_id)) = parent
            && let Some(column) = link_to_parent(table, parent_table)
        {
            row.entry(column.to_owned()).or_insert_with(|| parent_id.to_owned());
        }
        let id = row.get("id").cloned();
        // The organization first, so the locations met after it know whose they are.
        nested.sort_by_key(|(key, _, _)| table_of(key) != Some("organizations.csv"));
        let mut organization = organization.map(str::to_owned);
        if table == "organizations.csv" {
            organization = id.clone();
        }
        for (key, index, child) in nested {
            let Some(child_table) = table_of(key) else { continue };
            let child_place = match index {
                Some(i) => format!("{place}.{key}[{i}]"),
                None => format!("{place}.{key}"),
            };
            let own = id.as_deref().map(|id| (table, id));
            let linked = organization.clone().or_else(|| row.get("organization_id").cloned());
            let child_id = self.add(child_table, child, child_place, own, linked.as_deref(), false);
            if let Some(child_id) = child_id
                && let Some(column) = link_from_parent(child_table, table)
            {
                row.entry(column.to_owned()).or_insert_with(|| child_id.clone());
                if child_table == "organizations.csv" {
                    organization = Some(child_id);
                }
            }
        }
        if table == "locations.csv"
            && let Some(organization) = &organization
        {
            row.entry("organization_id".to_owned()).or_insert_with(|| organization.clone());
        }
        let t = self.tables.entry(table).or_default();
        if !top && id.as_ref().is_some_and(|id| t.ids.contains(id)) {
            return id;
        }
        if let Some(id) = &id {
            t.ids.insert(id.clone());
        }
        for column in row.keys() {
            if !t.columns.contains(column) {
                t.columns.push(column.clone());
            }
        }
        t.rows.push(row);
        t.places.push(place);
        id
    }
}

/// Where each row of each generated table came from: table, then row (0 is the first after the header).
type Places = HashMap<&'static str, Vec<String>>;

/// The documents of `text` as the tables of a package, or the problem that the file is not HSDS JSON.
fn flatten(file: &str, text: &str) -> Result<(Tables, Places), Problem> {
    let whole =
        |message: &str| Problem { file: file.to_owned(), line: 0, column: String::new(), message: message.to_owned() };
    let value: Value = serde_json::from_str(text).map_err(|e| Problem {
        file: file.to_owned(),
        line: e.line(),
        column: String::new(),
        message: "not JSON: the file cannot be read".to_owned(),
    })?;
    let documents: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(page) if page.get("contents").is_some_and(Value::is_array) => {
            page["contents"].as_array().map(|c| c.iter().collect()).unwrap_or_default()
        }
        Value::Object(_) => vec![&value],
        _ => return Err(whole("not HSDS JSON: expected a list of services or organizations")),
    };
    let mut flat = Flattener::default();
    for (i, document) in documents.iter().enumerate() {
        let Some(object) = document.as_object() else {
            return Err(Problem { column: format!("$[{i}]"), ..whole("every item of the list must be an object") });
        };
        let is_organization = object.contains_key("locations")
            || object.contains_key("services")
            || (!object.contains_key("service_at_locations") && file.contains("organization"));
        let table = if is_organization { "organizations.csv" } else { "services.csv" };
        flat.add(table, object, format!("$[{i}]"), None, None, true);
    }
    let mut tables = Tables::new();
    let mut places = Places::new();
    for (name, table) in flat.tables {
        let records = table
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| (i + 2, table.columns.iter().map(|c| row.get(c).cloned().unwrap_or_default()).collect()))
            .collect();
        tables.insert(name, Csv { header: table.columns, records });
        places.insert(name, table.places);
    }
    Ok((tables, places))
}

/// Reads the HSDS JSON file `file`. Every problem names the file and the place in it.
pub fn read_json(file: &str, text: &str, reference: &Reference) -> Package {
    let (tables, places) = match flatten(file, text) {
        Ok(flat) => flat,
        Err(problem) => return Package { problems: vec![problem], ..Package::default() },
    };
    let mut package = read_tables(tables, Vec::new(), reference);
    for problem in &mut package.problems {
        let place = places.get(problem.file.as_str()).and_then(|p| p.get(problem.line.checked_sub(2)?));
        let table = problem.file.trim_end_matches(".csv").to_owned();
        *problem = match place {
            Some(place) if problem.column.is_empty() => Problem { column: place.clone(), ..problem.clone() },
            Some(place) => Problem { column: format!("{place}.{}", problem.column), ..problem.clone() },
            None => {
                Problem { column: String::new(), message: format!("{table}: {}", problem.message), ..problem.clone() }
            }
        };
        problem.file = file.to_owned();
        problem.line = 0;
    }
    package.problems.sort();
    package.problems.dedup();
    package
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Reference {
        Reference::new(
            vec![(9, "Mansfield".to_owned()), (3, "Hartford".to_owned())],
            vec![("safe_house".to_owned(), None)],
        )
    }

    const SERVICE: &str = r#"{
        "id": "s1", "name": "Beds", "status": "active",
        "organization": {"id": "o1", "name": "Harbor", "description": ""},
        "capacities": [{"id": "c1", "available": 2, "maximum": 6, "updated": "2026-12-01T09:00:00Z"}],
        "attributes": [{"id": "a1", "taxonomy_term": {"id": "t1", "code": "safe_house"}}],
        "service_at_locations": [{"id": "sal1", "location": {
            "id": "l1", "name": "Harbor House",
            "addresses": [{"id": "ad1", "address_1": "1 Main St", "city": "Storrs", "state_province": "CT", "postal_code": "06268"}]
        }}]
    }"#;

    #[test]
    fn a_service_list_with_everything_nested_reads_as_a_package() {
        let p = read_json("services.json", &format!("[{SERVICE}]"), &reference());
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!((p.organizations.len(), p.sites.len(), p.services.len()), (1, 1, 1));
        assert_eq!((p.sites[0].town_id, p.sites[0].organization.as_str()), (9, "o1"), "linked from where it is nested");
        assert_eq!((p.services[0].site.as_str(), p.services[0].category.as_str()), ("l1", "safe_house"));
        assert_eq!((p.services[0].available, p.services[0].maximum), (2, 6));
        let page = format!(r#"{{"total_items": 1, "contents": [{SERVICE}]}}"#);
        assert_eq!(read_json("services.json", &page, &reference()).services.len(), 1, "an API page reads the same");
    }

    #[test]
    fn problems_are_named_by_their_place_in_the_json() {
        let broken = SERVICE.replace("Storrs", "Springfield").replace("06268", "01101");
        let p = read_json("services.json", &format!("[{SERVICE}, {broken}]"), &reference());
        let places: Vec<&str> = p.problems.iter().map(|x| x.column.as_str()).collect();
        assert!(places.contains(&"$[1].id"), "a duplicate service: {places:?}");
        assert!(p.problems.iter().all(|x| x.file == "services.json" && x.line == 0), "{:?}", p.problems);
        let not_json = read_json("services.json", "[{", &reference());
        assert_eq!(not_json.problems.len(), 1);
        assert!(not_json.problems[0].message.contains("not JSON"));
    }

    #[test]
    fn an_unknown_town_is_named_at_its_address() {
        let broken = SERVICE.replace("Storrs", "Springfield").replace("06268", "01101");
        let p = read_json("services.json", &format!("[{broken}]"), &reference());
        let problem = p.problems.iter().find(|x| x.message.contains("Springfield")).expect("the town is named");
        assert_eq!(problem.column, "$[0].service_at_locations[0].location.addresses[0].city");
        assert!(problem.to_string().starts_with("services.json at $[0].service_at_locations"), "{problem}");
    }
}
