//! The one-sheet directory template, for states without an HSDS directory: one CSV line per service, its site
//! and organization repeated on each line. Read into the same [`Package`] an HSDS import makes, with every
//! problem named by line and column. The columns are listed in the README ("Importing a directory").

use std::collections::HashMap;

use super::csv::parse;
use super::import::{AddressPart, OrganizationIn, Package, Problem, Reference, ServiceIn, SiteIn};
use crate::domain::profile::{Eligibility, LanguageCode};

/// The columns every line needs.
pub const REQUIRED: [&str; 8] =
    ["organization_id", "organization", "site_id", "site", "town", "service_id", "service", "category"];

/// Reads the sheet `file` (its name is used in problems).
pub fn read_sheet(file: &str, text: &str, reference: &Reference) -> Package {
    let mut package = Package::default();
    let mut problem = |line: usize, column: &str, message: String| {
        package.problems.push(Problem { file: file.to_owned(), line, column: column.to_owned(), message });
    };
    let csv = match parse(text) {
        Ok(csv) => csv,
        Err(e) => {
            problem(e.line, "", "a quoted field is never closed".into());
            return package;
        }
    };
    for column in REQUIRED.iter().filter(|c| !csv.header.iter().any(|h| h == *c)) {
        problem(1, column, "this column is required".into());
    }
    let mut organizations: HashMap<String, OrganizationIn> = HashMap::new();
    let mut sites: HashMap<String, SiteIn> = HashMap::new();
    let mut services: Vec<ServiceIn> = Vec::new();
    let mut seen_services: HashMap<String, usize> = HashMap::new();
    for (line, record) in &csv.records {
        let line = *line;
        let get = |column: &str| csv.get(record, column).map(str::to_owned);
        let mut row_problems: Vec<(String, String)> = Vec::new();
        let mut need = |column: &str| match get(column) {
            Some(value) => value,
            None => {
                row_problems.push((column.to_owned(), "required".into()));
                String::new()
            }
        };
        let (org_id, org_name, site_id, site_name, town, service_id, service_name, category) = (
            need("organization_id"),
            need("organization"),
            need("site_id"),
            need("site"),
            get("town").unwrap_or_default(),
            need("service_id"),
            need("service"),
            need("category"),
        );
        let yes =
            |column: &str| get(column).is_some_and(|v| matches!(v.to_lowercase().as_str(), "yes" | "y" | "true" | "1"));
        let postal_code = get("postal_code");
        let town_id = match reference.town(Some(&town), postal_code.as_deref()) {
            Ok(town) => Some(town),
            Err((part, message)) => {
                let column = if part == AddressPart::PostalCode { "postal_code" } else { "town" };
                row_problems.push((column.into(), message));
                None
            }
        };
        let category_code = reference.categories.get(&category).cloned();
        if category_code.is_none() && !category.is_empty() {
            row_problems
                .push(("category".into(), format!("unknown category {category:?}: add it to the taxonomy first")));
        }
        let phone = get("intake_phone");
        if phone.as_deref().is_some_and(|p| !crate::domain::contact::is_phone(p)) {
            row_problems.push(("intake_phone".into(), "not a phone number such as 860-555-0100".into()));
        }
        let count = |column: &str, problems: &mut Vec<(String, String)>| -> i64 {
            match get(column) {
                None => 0,
                Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 0).unwrap_or_else(|| {
                    problems.push((column.to_owned(), format!("{v:?} is not a whole number from 0")));
                    0
                }),
            }
        };
        let (total, available) = (count("total", &mut row_problems), count("available", &mut row_problems));
        if available > total {
            row_problems.push(("available".into(), "more available than the total".into()));
        }
        let updated = match get("updated") {
            None => 0,
            Some(u) => chrono::DateTime::parse_from_rfc3339(&u).map(|t| t.timestamp()).unwrap_or_else(|_| {
                row_problems.push(("updated".into(), "a date and time such as 2026-12-01T09:30:00-05:00".into()));
                0
            }),
        };
        let eligibility = eligibility(&get, &mut row_problems);
        if let Some(first) = seen_services.insert(service_id.clone(), line)
            && !service_id.is_empty()
        {
            row_problems.push(("service_id".into(), format!("duplicate service_id (also on line {first})")));
        }
        let org = OrganizationIn {
            external_id: org_id.clone(),
            name: org_name,
            description: get("organization_description").unwrap_or_default(),
            website: get("website"),
            phone: None,
            line,
        };
        if let Some(earlier) = organizations.get(&org_id)
            && earlier.name != org.name
        {
            row_problems.push((
                "organization".into(),
                format!("line {} names organization {org_id} differently", earlier.line),
            ));
        }
        let site = town_id.map(|town_id| SiteIn {
            external_id: site_id.clone(),
            organization: org_id.clone(),
            name: site_name,
            town_id,
            street_address: get("street_address"),
            postal_code,
            confidential: yes("confidential"),
            intake_phone: phone,
            hours: get("hours"),
            wheelchair: yes("wheelchair"),
        });
        if let (Some(site), Some(earlier)) = (&site, sites.get(&site_id))
            && (earlier.organization != site.organization
                || earlier.name != site.name
                || earlier.town_id != site.town_id)
        {
            row_problems.push(("site".into(), format!("site {site_id} is described differently on an earlier line")));
        }
        if !row_problems.is_empty() {
            for (column, message) in row_problems {
                problem(line, &column, message);
            }
            continue;
        }
        let (Some(site), Some(category), Some(eligibility)) = (site, category_code, eligibility) else { continue };
        organizations.entry(org_id).or_insert(org);
        sites.entry(site_id.clone()).or_insert(site);
        services.push(ServiceIn {
            external_id: service_id,
            site: site_id,
            category,
            name: service_name,
            status: "active",
            eligibility,
            accepting: get("accepting").is_none_or(|_| yes("accepting")),
            maximum: total,
            available,
            updated,
        });
    }
    let mut organizations: Vec<OrganizationIn> = organizations.into_values().collect();
    organizations.sort_by_key(|o| o.line);
    let mut sites: Vec<SiteIn> = sites.into_values().collect();
    sites.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    package.organizations = organizations;
    package.sites = sites;
    package.services = services;
    package.problems.sort();
    package
}

/// Who a line's service serves: `serves` (minors, adults), `trafficking` (sex, labor), `genders` (female, male,
/// transgender, nonbinary), each a space- or comma-separated list (empty: all); `languages` (codes);
/// `minimum_age`, `maximum_age`; and yes/no columns for the requirements. Read as the profile terms an HSDS
/// package carries, by the same rule.
fn eligibility(get: &dyn Fn(&str) -> Option<String>, problems: &mut Vec<(String, String)>) -> Option<Eligibility> {
    let words = |column: &str| -> Vec<String> {
        get(column)
            .map(|v| v.split([' ', ',', ';']).map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect())
            .unwrap_or_default()
    };
    let mut codes: Vec<String> = Vec::new();
    for (column, prefix, allowed) in [
        ("serves", "serves_", &["minors", "adults"][..]),
        ("trafficking", "", &["sex", "labor"][..]),
        ("genders", "gender_", &["female", "male", "transgender", "nonbinary"][..]),
    ] {
        for word in words(column) {
            if !allowed.contains(&word.as_str()) {
                problems.push((column.to_owned(), format!("{word:?} is not one of {}", allowed.join(", "))));
            } else if column == "trafficking" {
                codes.push(format!("continuum:{word}_trafficking"));
            } else {
                codes.push(format!("continuum:{prefix}{word}"));
            }
        }
    }
    let yes =
        |column: &str| get(column).is_some_and(|v| matches!(v.to_lowercase().as_str(), "yes" | "y" | "true" | "1"));
    for (column, code) in [
        ("accepts_children", "continuum:accepts_children"),
        ("pets_allowed", "continuum:pets_allowed"),
        ("wheelchair", "continuum:wheelchair_accessible"),
        ("photo_id_required", "continuum:photo_id_required"),
        ("sobriety_required", "continuum:sobriety_required"),
    ] {
        if yes(column) {
            codes.push(code.to_owned());
        }
    }
    let mut languages = Vec::new();
    for code in words("languages") {
        match LanguageCode::parse(&code) {
            Ok(code) if !languages.contains(&code) => languages.push(code),
            Ok(_) => {}
            Err(_) => problems.push(("languages".into(), format!("{code:?} is not a language code such as es"))),
        }
    }
    let mut age = |column: &str| match get(column) {
        None => None,
        Some(v) => v.parse::<u8>().ok().filter(|a| *a <= 120).or_else(|| {
            problems.push((column.to_owned(), format!("{v:?} is not an age from 0 to 120")));
            None
        }),
    };
    let (min_age, max_age) = (age("minimum_age"), age("maximum_age"));
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let Some((mut e, _)) = super::profile::eligibility_from(&codes, min_age, max_age) else {
        problems.push(("minimum_age".into(), "the ages contradict the age groups served".into()));
        return None;
    };
    e.languages = languages;
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Reference {
        Reference::new(
            vec![(7, "Norwich".to_owned()), (3, "Hartford".to_owned()), (9, "Mansfield".to_owned())],
            vec![("safe_house".to_owned(), None)],
        )
    }

    const HEADER: &str = "organization_id,organization,site_id,site,town,street_address,confidential,intake_phone,service_id,service,category,total,available,serves,languages";

    #[test]
    fn a_sheet_line_per_service_gives_its_organization_site_and_service() {
        let text = format!(
            "{HEADER}\no1,Harbor,s1,Harbor House,Norwich,1 Hidden Way,yes,860-555-0100,v1,Beds,safe_house,6,2,adults,es en\n\
             o1,Harbor,s1,Harbor House,Norwich,1 Hidden Way,yes,860-555-0100,v2,More beds,safe_house,2,0,,\n"
        );
        let p = read_sheet("sheet.csv", &text, &reference());
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!((p.organizations.len(), p.sites.len(), p.services.len()), (1, 1, 2));
        assert!(p.sites[0].confidential && p.sites[0].town_id == 7);
        assert_eq!((p.services[0].maximum, p.services[0].available), (6, 2));
        assert!(!p.services[0].eligibility.age_groups.serves(crate::domain::profile::AgeGroup::Minor));
        assert_eq!(p.services[1].eligibility, Eligibility::everyone(), "nothing said: open to everyone");
    }

    #[test]
    fn every_problem_of_a_line_is_named_by_line_and_column() {
        let text = format!(
            "{HEADER}\no1,Harbor,s1,Harbor House,Springfield,9 Canary Lane,yes,call us,v1,Beds,spa_days,2,3,elders,xx-yy\n\
             o1,Harbour,s2,Annex,Hartford,,,,v1,Beds,safe_house,1,1,,\n"
        );
        let p = read_sheet("sheet.csv", &text, &reference());
        let at: Vec<(usize, &str)> = p.problems.iter().map(|x| (x.line, x.column.as_str())).collect();
        for expected in [
            (2, "town"),
            (2, "category"),
            (2, "intake_phone"),
            (2, "available"),
            (2, "serves"),
            (2, "languages"),
            (3, "service_id"),
        ] {
            assert!(at.contains(&expected), "{expected:?} in {at:?}");
        }
        assert!(p.problems.iter().all(|x| x.file == "sheet.csv"));
        assert!(p.problems.iter().all(|x| !x.to_string().contains("Canary")), "a report never repeats an address");
        assert!(
            read_sheet("s.csv", "organization_id,service\n", &reference()).problems.iter().any(|x| x.column == "town")
        );
    }

    #[test]
    fn a_village_or_a_blank_town_is_placed_by_its_zip_code() {
        let header = "organization_id,organization,site_id,site,town,postal_code,service_id,service,category";
        let text = format!(
            "{header}\no1,Harbor,s1,Storrs House,Storrs,06268,v1,Beds,safe_house\n\
             o1,Harbor,s2,Hall,,06268-4000,v2,Beds,safe_house\n\
             o1,Harbor,s3,Away,Storrs,,v3,Beds,safe_house\n\
             o1,Harbor,s4,Far,,01001,v4,Beds,safe_house\n\
             o1,Harbor,s5,Nowhere,,,v5,Beds,safe_house\n"
        );
        let p = read_sheet("sheet.csv", &text, &reference());
        assert_eq!(p.sites.iter().map(|s| s.town_id).collect::<Vec<_>>(), [9, 9], "Storrs is in Mansfield");
        let at: Vec<(usize, &str)> = p.problems.iter().map(|x| (x.line, x.column.as_str())).collect();
        assert_eq!(at, [(4, "town"), (5, "postal_code"), (6, "town")]);
        assert!(p.problems[1].message.contains("not a Connecticut ZIP code"), "{}", p.problems[1]);
    }
}
