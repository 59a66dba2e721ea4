//! The regions oversight publishes by: planning regions and counties, both at once, and the places where
//! they overlap, so that no difference between the two schemes' figures reveals what either hides.

use crate::domain::region::RegionScheme;
use crate::domain::region_layout::RegionLayout;
use crate::domain::series::NeedFact;
use crate::store::{Db, StoreError, regions};

/// The county of needs recorded with a planning region alone (before counties were kept, or when the town
/// was not known).
pub const COUNTY_NOT_RECORDED: &str = "County not recorded";

/// Both schemes' regions by name, and each place as its planning region and county.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Geography {
    planning: Vec<String>,
    counties: Vec<String>,
    places: Vec<(String, String)>,
    /// Region ids by name, of both schemes (filters name regions by id).
    ids: Vec<(RegionScheme, i64, String)>,
}

impl Geography {
    /// Connecticut's regions and places as the database has them, with a "not recorded" county when some of
    /// `facts` have none.
    pub async fn load(db: &Db, facts: &[NeedFact]) -> Result<Self, StoreError> {
        let mut ids = Vec::new();
        for scheme in RegionScheme::ALL {
            ids.extend(regions::summaries(db, scheme).await?.into_iter().map(|r| (scheme, r.id, r.name)));
        }
        let names = |scheme| ids.iter().filter(|(s, _, _)| *s == scheme).map(|(_, _, n)| n.clone()).collect();
        let (planning, counties) = (names(RegionScheme::Planning), names(RegionScheme::County));
        let places = regions::places(db).await?;
        Ok(Self { ids, ..Self::new(planning, counties, places, facts.iter().any(|f| f.county.is_none())) })
    }

    /// From region names and places; `unrecorded` adds [`COUNTY_NOT_RECORDED`] as a county holding one
    /// place in every planning region.
    pub fn new(
        planning: Vec<String>,
        mut counties: Vec<String>,
        mut places: Vec<(String, String)>,
        unrecorded: bool,
    ) -> Self {
        if unrecorded {
            counties.push(COUNTY_NOT_RECORDED.to_owned());
            places.extend(planning.iter().map(|p| (p.clone(), COUNTY_NOT_RECORDED.to_owned())));
        }
        Self { planning, counties, places, ids: Vec::new() }
    }

    /// The name of region `id` of `scheme`, if it is one.
    pub fn region_name(&self, scheme: RegionScheme, id: i64) -> Option<&str> {
        self.ids.iter().find(|(s, i, _)| *s == scheme && *i == id).map(|(_, _, n)| n.as_str())
    }

    /// The position (1-based) of region `name` in `scheme`, or 0 for none (statewide).
    pub fn position(&self, scheme: RegionScheme, name: Option<&str>) -> usize {
        name.and_then(|name| self.regions(scheme).iter().position(|r| r == name)).map_or(0, |i| i + 1)
    }

    /// The position of a scheme in the layout: planning regions first.
    pub fn index(scheme: RegionScheme) -> usize {
        RegionScheme::ALL.iter().position(|s| *s == scheme).unwrap_or(0)
    }

    /// The region names of a scheme, in layout order.
    pub fn regions(&self, scheme: RegionScheme) -> &[String] {
        match scheme {
            RegionScheme::Planning => &self.planning,
            RegionScheme::County => &self.counties,
        }
    }

    /// How many places there are.
    pub fn place_count(&self) -> usize {
        self.places.len()
    }

    /// The place (1-based) of a planning region and county; a missing county is [`COUNTY_NOT_RECORDED`].
    pub fn place_of(&self, planning: &str, county: Option<&str>) -> Option<usize> {
        let county = county.unwrap_or(COUNTY_NOT_RECORDED);
        self.places.iter().position(|(p, c)| p == planning && c == county).map(|i| i + 1)
    }

    /// Both schemes' region coordinates and their places.
    pub fn layout(&self) -> RegionLayout {
        let at = |names: &[String], name: &str| names.iter().position(|n| n == name).map_or(0, |i| i + 1);
        let places = self.places.iter().map(|(p, c)| vec![at(&self.planning, p), at(&self.counties, c)]).collect();
        RegionLayout::crossed(vec![self.planning.len(), self.counties.len()], places)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_without_a_county_have_a_place_of_their_own_in_each_planning_region() {
        let places = vec![("North".into(), "Hill".into()), ("South".into(), "Hill".into())];
        let geography = Geography::new(vec!["North".into(), "South".into()], vec!["Hill".into()], places, true);
        assert_eq!(geography.regions(RegionScheme::County), ["Hill", COUNTY_NOT_RECORDED]);
        assert_eq!(geography.place_of("South", Some("Hill")), Some(2));
        assert_eq!(geography.place_of("South", None), Some(4));
        assert_eq!(geography.layout().regions_of(4), vec![0, 2, 4, 1 + 4 + 3], "South, not recorded, its place");
    }
}
