//! Regions: groupings of Connecticut's 169 towns, in more than one scheme.

use serde::{Deserialize, Serialize};

/// A way of grouping towns into regions. Schemes are data; these are the two Connecticut uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RegionScheme {
    /// The 9 planning regions, Census county-equivalents since 2022 (FIPS 09110-09190). The default.
    #[default]
    Planning,
    /// The 8 legacy counties (FIPS 09001-09015).
    County,
}

impl RegionScheme {
    /// Every scheme, default first.
    pub const ALL: [RegionScheme; 2] = [RegionScheme::Planning, RegionScheme::County];

    /// The code stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            RegionScheme::Planning => "planning",
            RegionScheme::County => "county",
        }
    }

    /// A human name for the scheme.
    pub fn label(self) -> &'static str {
        match self {
            RegionScheme::Planning => "Planning regions",
            RegionScheme::County => "Counties",
        }
    }

    /// Parses a scheme code; unknown codes are an error, not a silent default.
    pub fn parse(code: &str) -> Result<Self, UnknownScheme> {
        Self::ALL.into_iter().find(|s| s.code() == code).ok_or_else(|| UnknownScheme(code.to_owned()))
    }
}

/// A region scheme code that names no scheme.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown region scheme {0:?}: expected \"planning\" or \"county\"")]
pub struct UnknownScheme(pub String);

/// A region as the browser sees it: name and how many towns it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSummary {
    /// Database id, stable for links.
    pub id: i64,
    /// FIPS code of the region (e.g. `09110`).
    pub code: String,
    /// Display name (e.g. "Capitol Planning Region").
    pub name: String,
    /// Number of towns in the region.
    pub town_count: i64,
}

/// A region's name without its scheme's suffix, for compact tables ("Capitol" for "Capitol Planning Region",
/// "Tolland" for "Tolland County").
pub fn short_region_name(name: &str) -> &str {
    name.strip_suffix(" Planning Region").or_else(|| name.strip_suffix(" County")).unwrap_or(name)
}

impl RegionSummary {
    /// The name without the scheme's suffix, for compact tables.
    pub fn short_name(&self) -> &str {
        short_region_name(&self.name)
    }

    /// Whether the region's name contains `filter`, ignoring case and surrounding spaces.
    pub fn matches(&self, filter: &str) -> bool {
        let filter = filter.trim().to_lowercase();
        filter.is_empty() || self.name.to_lowercase().contains(&filter)
    }
}

/// One row of the town-to-region crosswalk shipped with the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TownRecord {
    /// Town name, e.g. "Waterbury".
    pub name: String,
    /// 2022 (planning-region based) town FIPS code.
    pub fips_2022: String,
    /// Planning region FIPS, five digits (e.g. `09140`).
    pub planning_region_fips: String,
    /// Planning region name.
    pub planning_region_name: String,
    /// Legacy county FIPS, five digits (e.g. `09009`).
    pub county_fips: String,
}

/// The crosswalk of all 169 towns, embedded at compile time.
pub const TOWN_CROSSWALK_CSV: &str = include_str!("../../data/ct-town-to-planning-region.csv");

/// Names of Connecticut's 8 legacy counties by FIPS code.
pub const COUNTIES: [(&str, &str); 8] = [
    ("09001", "Fairfield County"),
    ("09003", "Hartford County"),
    ("09005", "Litchfield County"),
    ("09007", "Middlesex County"),
    ("09009", "New Haven County"),
    ("09011", "New London County"),
    ("09013", "Tolland County"),
    ("09015", "Windham County"),
];

/// A malformed line in the crosswalk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("crosswalk line {line}: {problem}")]
pub struct CrosswalkError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub problem: &'static str,
}

/// Parses the crosswalk CSV (header `town_name,town_fips_2020,town_fips_2022,ce_name_2022,ce_fips_2022`).
pub fn parse_crosswalk(csv: &str) -> Result<Vec<TownRecord>, CrosswalkError> {
    csv.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let line_no = i + 1;
            let err = |problem| CrosswalkError { line: line_no, problem };
            let fields: Vec<&str> = line.trim().split(',').collect();
            let [name, fips_2020, fips_2022, region_name, region_fips] = fields[..] else {
                return Err(err("expected 5 fields"));
            };
            if fips_2020.len() != 9 || region_fips.len() != 4 {
                return Err(err("unexpected FIPS code length"));
            }
            Ok(TownRecord {
                name: name.to_owned(),
                fips_2022: format!("0{fips_2022}"),
                planning_region_fips: format!("0{region_fips}"),
                planning_region_name: region_name.to_owned(),
                county_fips: format!("0{}", &fips_2020[..4]),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_crosswalk_has_169_towns_in_9_planning_regions_and_8_counties() {
        let towns = parse_crosswalk(TOWN_CROSSWALK_CSV).unwrap();
        assert_eq!(towns.len(), 169);
        let regions: BTreeSet<_> = towns.iter().map(|t| &t.planning_region_fips).collect();
        assert_eq!(regions.len(), 9);
        let counties: BTreeSet<_> = towns.iter().map(|t| t.county_fips.as_str()).collect();
        let known: BTreeSet<_> = COUNTIES.iter().map(|(f, _)| *f).collect();
        assert_eq!(counties, known);
    }

    #[test]
    fn shelton_is_in_fairfield_county_but_the_naugatuck_valley_region() {
        let towns = parse_crosswalk(TOWN_CROSSWALK_CSV).unwrap();
        let shelton = towns.iter().find(|t| t.name == "Shelton").unwrap();
        assert_eq!(shelton.county_fips, "09001");
        assert_eq!(shelton.planning_region_name, "Naugatuck Valley Planning Region");
    }

    #[test]
    fn a_short_line_is_reported_with_its_number() {
        let err = parse_crosswalk("header\nAndover,901301080\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn scheme_codes_round_trip_and_unknown_codes_are_refused() {
        for scheme in RegionScheme::ALL {
            assert_eq!(RegionScheme::parse(scheme.code()), Ok(scheme));
        }
        assert!(RegionScheme::parse("zip").is_err());
    }

    #[test]
    fn region_filter_ignores_case_and_blank_filters_match_everything() {
        let r = RegionSummary { id: 1, code: "09110".into(), name: "Capitol Planning Region".into(), town_count: 29 };
        assert!(r.matches("capitol"));
        assert!(r.matches("  "));
        assert!(!r.matches("valley"));
        assert_eq!(r.short_name(), "Capitol");
    }
}
