//! Connecticut's map, drawn on the server from the town boundaries shipped with the project: one SVG path
//! per region of a scheme (planning regions or counties, each the union of its towns), and which regions
//! touch (for "near" searches). No tiles, no CDN.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::api::map::RegionShape;
use crate::domain::region::{COUNTIES, RegionScheme};

const TOWNS_GEOJSON: &str = include_str!("../data/ct-towns.geojson");

/// Width of the SVG view box; the height follows from the state's proportions.
pub const MAP_WIDTH: f64 = 600.0;

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    planning_region: String,
    planning_region_fips: String,
    county_fips: String,
}

impl Properties {
    /// The town's region in `scheme`: name and code (FIPS).
    fn region(&self, scheme: RegionScheme) -> (String, String) {
        match scheme {
            RegionScheme::Planning => (self.planning_region.clone(), self.planning_region_fips.clone()),
            RegionScheme::County => {
                let name = COUNTIES.iter().find(|(fips, _)| *fips == self.county_fips).map_or("", |(_, n)| n);
                (name.to_owned(), self.county_fips.clone())
            }
        }
    }
}

#[derive(Deserialize)]
struct Geometry {
    coordinates: Vec<Vec<[f64; 2]>>,
}

/// Region shapes, the view box height, and region adjacency (by region code).
pub struct StateMap {
    /// One shape per region of the scheme, by name.
    pub shapes: Vec<RegionShape>,
    /// View box height.
    pub height: f64,
    /// Codes of the regions each region touches.
    pub neighbours: HashMap<String, BTreeSet<String>>,
}

/// The map of a scheme's regions, computed once per scheme.
pub fn state_map(scheme: RegionScheme) -> &'static StateMap {
    static PLANNING: OnceLock<StateMap> = OnceLock::new();
    static COUNTY: OnceLock<StateMap> = OnceLock::new();
    match scheme {
        RegionScheme::Planning => PLANNING.get_or_init(|| build(scheme)),
        RegionScheme::County => COUNTY.get_or_init(|| build(scheme)),
    }
}

fn build(scheme: RegionScheme) -> StateMap {
    let collection: Collection =
        serde_json::from_str(TOWNS_GEOJSON).expect("the shipped town boundaries are valid GeoJSON");
    let points = || collection.features.iter().flat_map(|f| f.geometry.coordinates.iter().flatten());
    let (min_lon, max_lon) = points().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
    let (min_lat, max_lat) = points().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p[1]), hi.max(p[1])));
    // Equirectangular projection corrected for Connecticut's latitude: close enough for a state map.
    let x_scale = (41.5f64).to_radians().cos();
    let scale = MAP_WIDTH / ((max_lon - min_lon) * x_scale);
    let project = |p: &[f64; 2]| ((p[0] - min_lon) * x_scale * scale, (max_lat - p[1]) * scale);

    let mut paths: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut regions_at: HashMap<(i64, i64), BTreeSet<String>> = HashMap::new();
    for feature in &collection.features {
        let (name, code) = feature.properties.region(scheme);
        let path = paths.entry((name, code.clone())).or_default();
        for ring in &feature.geometry.coordinates {
            for (i, p) in ring.iter().enumerate() {
                let (x, y) = project(p);
                path.push_str(&format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }));
                let key = ((p[0] * 10_000.0).round() as i64, (p[1] * 10_000.0).round() as i64);
                regions_at.entry(key).or_default().insert(code.clone());
            }
            path.push('Z');
        }
    }
    let mut neighbours: HashMap<String, BTreeSet<String>> = HashMap::new();
    for codes in regions_at.values().filter(|c| c.len() > 1) {
        for a in codes {
            for b in codes.iter().filter(|b| *b != a) {
                neighbours.entry(a.clone()).or_default().insert(b.clone());
            }
        }
    }
    StateMap {
        shapes: paths.into_iter().map(|((name, code), path)| RegionShape { code, name, path }).collect(),
        height: ((max_lat - min_lat) * scale).ceil(),
        neighbours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symmetric(map: &StateMap) {
        assert!(map.height > 200.0 && map.height < MAP_WIDTH);
        for (a, ns) in &map.neighbours {
            for b in ns {
                assert!(map.neighbours[b].contains(a));
            }
        }
    }

    #[test]
    fn nine_regions_are_drawn_and_neighbours_are_symmetric() {
        let map = state_map(RegionScheme::Planning);
        assert_eq!(map.shapes.len(), 9);
        symmetric(map);
        // Naugatuck Valley (09140) borders Greater Bridgeport (09120) but not Northeastern Connecticut (09150).
        assert!(map.neighbours["09140"].contains("09120"));
        assert!(!map.neighbours["09140"].contains("09150"));
    }

    #[test]
    fn eight_counties_are_drawn_with_their_names_and_neighbours() {
        let map = state_map(RegionScheme::County);
        let names: Vec<&str> = map.shapes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, COUNTIES.iter().map(|(_, n)| *n).collect::<Vec<_>>(), "every county, named, by name");
        symmetric(map);
        // Tolland (09013) borders Hartford (09003) and Windham (09015), not Fairfield (09001).
        assert!(map.neighbours["09013"].contains("09003") && map.neighbours["09013"].contains("09015"));
        assert!(!map.neighbours["09013"].contains("09001"));
    }
}
