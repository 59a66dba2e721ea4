//! The directory as files: HSDS 3.1's tabular data package (one CSV per table and a `datapackage.json` that
//! describes them) and its JSON form (one file per list). Nothing in them depends on when they were written,
//! so exporting the same directory twice gives the same bytes.

use super::Directory;
use super::documents::{Location, Phone};

/// A file to write: its path inside the export folder and its contents.
pub type File = (String, String);

/// One table of the package: its name, file and columns (in the order HSDS lists them), and its rows.
struct Table {
    name: &'static str,
    path: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

/// Every file of the export: `datapackage.json` and the CSVs at the top, the JSON lists under `json/`.
pub fn export(d: &Directory) -> Vec<File> {
    let mut files = tabular(d);
    for (name, value) in [
        ("organizations", serde_json::to_value(&d.organizations)),
        ("services", serde_json::to_value(&d.services)),
        ("service_at_locations", serde_json::to_value(&d.service_at_locations)),
        ("taxonomy_terms", serde_json::to_value(&d.taxonomy_terms)),
    ] {
        let text = value.and_then(|v| serde_json::to_string_pretty(&v)).unwrap_or_default();
        files.push((format!("json/{name}.json"), text + "\n"));
    }
    files
}

fn text(value: &Option<impl ToString>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn tables(d: &Directory) -> Vec<Table> {
    let locations: Vec<&Location> = d.organizations.iter().flat_map(|o| o.locations.iter().flatten()).collect();
    let phones: Vec<&Phone> = d
        .organizations
        .iter()
        .flat_map(|o| o.phones.iter())
        .chain(locations.iter().flat_map(|l| l.phones.iter()))
        .collect();
    let mut units: Vec<Vec<String>> = d
        .services
        .iter()
        .flat_map(|s| s.capacities.iter().map(|c| vec![c.unit.id.clone(), c.unit.name.clone()]))
        .collect();
    units.sort();
    units.dedup();
    vec![
        Table {
            name: "organizations",
            path: "organizations.csv",
            columns: &["id", "name", "description", "website"],
            rows: d
                .organizations
                .iter()
                .map(|o| vec![o.id.clone(), o.name.clone(), o.description.clone(), text(&o.website)])
                .collect(),
        },
        Table {
            name: "locations",
            path: "locations.csv",
            columns: &["id", "location_type", "organization_id", "name", "description"],
            rows: locations
                .iter()
                .map(|l| {
                    vec![
                        l.id.clone(),
                        l.location_type.to_owned(),
                        l.organization_id.clone(),
                        l.name.clone(),
                        l.description.clone(),
                    ]
                })
                .collect(),
        },
        Table {
            name: "addresses",
            path: "addresses.csv",
            columns: &[
                "id",
                "location_id",
                "address_1",
                "city",
                "state_province",
                "postal_code",
                "country",
                "address_type",
            ],
            rows: locations
                .iter()
                .flat_map(|l| l.addresses.iter())
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.location_id.clone(),
                        a.address_1.clone(),
                        a.city.clone(),
                        a.state_province.to_owned(),
                        a.postal_code.clone(),
                        a.country.to_owned(),
                        a.address_type.to_owned(),
                    ]
                })
                .collect(),
        },
        Table {
            name: "phones",
            path: "phones.csv",
            columns: &["id", "location_id", "organization_id", "number", "type", "description"],
            rows: phones
                .iter()
                .map(|p| {
                    vec![
                        p.id.clone(),
                        text(&p.location_id),
                        text(&p.organization_id),
                        p.number.clone(),
                        p.kind.to_owned(),
                        text(&p.description),
                    ]
                })
                .collect(),
        },
        Table {
            name: "schedules",
            path: "schedules.csv",
            columns: &["id", "location_id", "description"],
            rows: locations
                .iter()
                .flat_map(|l| l.schedules.iter())
                .map(|s| vec![s.id.clone(), s.location_id.clone(), s.description.clone()])
                .collect(),
        },
        Table {
            name: "accessibility",
            path: "accessibility.csv",
            columns: &["id", "location_id", "description"],
            rows: locations
                .iter()
                .flat_map(|l| l.accessibility.iter())
                .map(|a| vec![a.id.clone(), a.location_id.clone(), a.description.to_owned()])
                .collect(),
        },
        Table {
            name: "services",
            path: "services.csv",
            columns: &[
                "id",
                "organization_id",
                "name",
                "description",
                "status",
                "eligibility_description",
                "minimum_age",
                "maximum_age",
            ],
            rows: d
                .services
                .iter()
                .map(|s| {
                    vec![
                        s.id.clone(),
                        s.organization_id.clone(),
                        s.name.clone(),
                        s.description.clone(),
                        s.status.to_owned(),
                        s.eligibility_description.clone(),
                        text(&s.minimum_age),
                        text(&s.maximum_age),
                    ]
                })
                .collect(),
        },
        Table {
            name: "service_at_location",
            path: "service_at_location.csv",
            columns: &["id", "service_id", "location_id"],
            rows: d
                .service_at_locations
                .iter()
                .map(|a| vec![a.id.clone(), a.service_id.clone(), a.location_id.clone()])
                .collect(),
        },
        Table {
            name: "languages",
            path: "languages.csv",
            columns: &["id", "service_id", "name", "code"],
            rows: d
                .services
                .iter()
                .flat_map(|s| s.languages.iter())
                .map(|l| vec![l.id.clone(), l.service_id.clone(), l.name.clone(), l.code.clone()])
                .collect(),
        },
        Table { name: "units", path: "units.csv", columns: &["id", "name"], rows: units },
        Table {
            name: "service_capacity",
            path: "service_capacity.csv",
            columns: &["id", "service_id", "unit_id", "available", "maximum", "description", "updated"],
            rows: d
                .services
                .iter()
                .flat_map(|s| s.capacities.iter())
                .map(|c| {
                    vec![
                        c.id.clone(),
                        c.service_id.clone(),
                        c.unit_id.clone(),
                        c.available.to_string(),
                        c.maximum.to_string(),
                        c.description.clone(),
                        c.updated.clone(),
                    ]
                })
                .collect(),
        },
        Table {
            name: "taxonomy_terms",
            path: "taxonomy_terms.csv",
            columns: &["id", "code", "name", "description", "taxonomy"],
            rows: d
                .taxonomy_terms
                .iter()
                .map(|t| vec![t.id.clone(), t.code.clone(), t.name.clone(), t.description.clone(), t.taxonomy.clone()])
                .collect(),
        },
        Table {
            name: "attributes",
            path: "attributes.csv",
            columns: &["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
            rows: d
                .services
                .iter()
                .flat_map(|s| s.attributes.iter())
                .chain(locations.iter().flat_map(|l| l.attributes.iter()))
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.link_id.clone(),
                        a.taxonomy_term_id.clone(),
                        a.link_type.to_owned(),
                        a.link_entity.to_owned(),
                        text(&a.value),
                    ]
                })
                .collect(),
        },
    ]
}

/// The tabular data package: each table as CSV, and `datapackage.json` naming them and their columns.
fn tabular(d: &Directory) -> Vec<File> {
    let tables = tables(d);
    let resources: Vec<serde_json::Value> = tables
        .iter()
        .map(|t| {
            let fields: Vec<serde_json::Value> =
                t.columns.iter().map(|c| serde_json::json!({ "name": c, "type": "string" })).collect();
            serde_json::json!({
                "name": t.name,
                "path": t.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": { "fields": fields },
            })
        })
        .collect();
    let package = serde_json::json!({
        "name": "continuum-directory",
        "title": "Continuum provider directory (HSDS 3.1)",
        "profile": "tabular-data-package",
        "resources": resources,
    });
    let mut files =
        vec![("datapackage.json".to_owned(), serde_json::to_string_pretty(&package).unwrap_or_default() + "\n")];
    files.extend(tables.into_iter().map(|t| (t.path.to_owned(), to_csv(t.columns, &t.rows))));
    files
}

/// RFC 4180 CSV: a header line, then one line per row; a field with a comma, quote or line break is quoted.
pub(crate) fn to_csv(columns: &[&str], rows: &[Vec<String>]) -> String {
    let field = |f: &str| {
        if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.to_owned() }
    };
    let line = |fields: Vec<String>| fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",") + "\r\n";
    let mut out = line(columns.iter().map(|c| (*c).to_owned()).collect());
    for row in rows {
        out.push_str(&line(row.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_csv;

    #[test]
    fn csv_fields_with_commas_quotes_or_line_breaks_are_quoted() {
        let rows = vec![vec!["a,b".to_owned(), "say \"hi\"".to_owned(), "plain".to_owned()]];
        assert_eq!(to_csv(&["x", "y", "z"], &rows), "x,y,z\r\n\"a,b\",\"say \"\"hi\"\"\",plain\r\n");
    }
}
