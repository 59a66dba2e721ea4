//! A coordinator's search for placements, and what comes back. Results never carry a street address.

use serde::{Deserialize, Serialize};

use super::freshness::FreshnessBand;
use super::profile::{AgeGroups, Genders, ProfileFilter, TraffickingTypes};
use super::region::RegionScheme;
use super::taxonomy::{CategoryCode, CategoryFamily};

/// The largest page a search returns.
pub const MAX_PAGE_SIZE: u32 = 100;

/// The last page number a search serves (a million results at the largest page size).
pub const MAX_PAGE: u32 = 10_000;

/// The most regions, languages and categories one search may name (Connecticut has 169 towns).
pub const MAX_LIST: usize = 200;

/// Filters, sort and page of a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SearchQuery {
    /// Scheme the region ids belong to.
    pub scheme: RegionScheme,
    /// Regions to search (empty: statewide).
    pub region_ids: Vec<i64>,
    /// The survivor's profile.
    pub profile: ProfileFilter,
    /// Categories (empty: all).
    pub categories: Vec<CategoryCode>,
    /// Family (none: all).
    pub family: Option<CategoryFamily>,
    /// Only services with fresh (or aging) free units that accept referrals.
    pub available_now: bool,
    /// Include services whose counts are stale (shown as unknown).
    pub include_stale: bool,
    /// Also search the regions that border the chosen ones (planning regions).
    pub near: bool,
    /// 1-based page.
    pub page: u32,
    /// Results per page (1 to [`MAX_PAGE_SIZE`]).
    pub page_size: u32,
}

/// One service found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Service id.
    pub service_id: i64,
    /// Service name.
    pub service_name: String,
    /// Category code.
    pub category: String,
    /// Category display name.
    pub category_name: String,
    /// Unit of capacity.
    pub unit: String,
    /// Organization name.
    pub organization_name: String,
    /// Town of the site (always safe to show, confidential or not).
    pub town: String,
    /// Region of the site in the searched scheme.
    pub region_name: String,
    /// Intake phone.
    pub intake_phone: Option<String>,
    /// Baseline units.
    pub total: i64,
    /// Free units not on hold; `None` when stale (unknown).
    pub available: Option<i64>,
    /// Units on hold.
    pub on_hold: i64,
    /// Accepting referrals.
    pub accepting_referrals: bool,
    /// Freshness band.
    pub freshness: FreshnessBand,
    /// When last confirmed.
    pub last_confirmed_at: chrono::DateTime<chrono::Utc>,
    /// Age groups served.
    pub age_groups: AgeGroups,
    /// Trafficking types served.
    pub trafficking_types: TraffickingTypes,
    /// Genders served.
    pub genders: Genders,
}

impl SearchHit {
    /// Whether a coordinator can hold a unit now: free units whose count is fresh, and referrals accepted.
    pub fn holdable(&self) -> bool {
        self.available.is_some_and(|a| a > 0) && self.accepting_referrals
    }

    /// Whom the service serves, as short labels: ages, trafficking types, and genders unless it serves all.
    pub fn serves(&self) -> Vec<String> {
        use super::profile::{AgeGroup, Gender, LABOR_BIT, SEX_BIT};
        let ages = self.age_groups.bits();
        let mut labels = vec![if ages == AgeGroup::Minor.bit() {
            AgeGroup::Minor.label().to_owned()
        } else if ages == AgeGroup::Adult.bit() {
            "Adults".to_owned()
        } else {
            "All ages".to_owned()
        }];
        labels.push(match self.trafficking_types.bits() {
            t if t == SEX_BIT => "Sex trafficking".to_owned(),
            t if t == LABOR_BIT => "Labor trafficking".to_owned(),
            _ => "Sex and labor".to_owned(),
        });
        if self.genders != Genders::EVERYONE {
            let served = Gender::ALL.iter().filter(|g| self.genders.bits() & g.bit() != 0).map(|g| g.label());
            labels.push(served.collect::<Vec<_>>().join(", "));
        }
        labels
    }
}

/// One page of results and the total number found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    /// Results on this page.
    pub hits: Vec<SearchHit>,
    /// Results on all pages.
    pub total_found: i64,
    /// This page (1-based).
    pub page: u32,
    /// Page size used.
    pub page_size: u32,
}

impl SearchQuery {
    /// Page and size clamped to their ranges.
    pub fn paging(&self) -> (u32, u32) {
        (self.page.clamp(1, MAX_PAGE), self.page_size.clamp(1, MAX_PAGE_SIZE))
    }

    /// The rows skipped before this page (cannot overflow: both factors are clamped).
    pub fn offset(&self) -> i64 {
        let (page, size) = self.paging();
        i64::from(page - 1) * i64::from(size)
    }

    /// Whether every list is within [`MAX_LIST`]; longer lists are refused, not truncated.
    pub fn lists_are_bounded(&self) -> bool {
        self.region_ids.len() <= MAX_LIST
            && self.categories.len() <= MAX_LIST
            && self.profile.languages.len() <= super::profile::MAX_LANGUAGES
    }
}

/// Results per page on the search screen.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

impl SearchQuery {
    /// Reads a search from URL query pairs (repeated keys allowed). Unknown or malformed values are ignored,
    /// so a shared link never fails to open.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        use super::profile::{AgeGroup, Gender, LanguageCode, TraffickingType};
        use super::taxonomy::CategoryCode;
        let mut q = SearchQuery { page: 1, page_size: DEFAULT_PAGE_SIZE, ..SearchQuery::default() };
        for (key, value) in pairs {
            let value = value.as_ref().trim();
            match key.as_ref() {
                "scheme" => q.scheme = RegionScheme::parse(value).unwrap_or_default(),
                "region" if q.region_ids.len() < MAX_LIST => {
                    if let Ok(id) = value.parse() {
                        q.region_ids.push(id);
                    }
                }
                "age" => q.profile.age_group = AgeGroup::parse(value),
                "type" => q.profile.trafficking_type = TraffickingType::parse(value),
                "gender" => q.profile.gender = Gender::parse(value),
                "household" => q.profile.household_size = value.parse().ok().filter(|n| (1..=12).contains(n)),
                "lang" if q.profile.languages.len() < super::profile::MAX_LANGUAGES => {
                    if let Ok(l) = LanguageCode::parse(value)
                        && !q.profile.languages.contains(&l)
                    {
                        q.profile.languages.push(l);
                    }
                }
                "wheelchair" => q.profile.wheelchair = value == "1" || value == "on",
                "pets" => q.profile.pets = value == "1" || value == "on",
                "family" => q.family = CategoryFamily::parse(value),
                "category" if q.categories.len() < MAX_LIST => {
                    if let Ok(c) = CategoryCode::parse(value) {
                        q.categories.push(c);
                    }
                }
                "available" => q.available_now = value == "1" || value == "on",
                "stale" => q.include_stale = value == "1" || value == "on",
                "near" => q.near = value == "1" || value == "on",
                "page" => q.page = value.parse().unwrap_or(1).clamp(1, MAX_PAGE),
                _ => {}
            }
        }
        q.region_ids.sort_unstable();
        q.region_ids.dedup();
        q
    }

    /// Reads a search from a URL query string (percent-decoded), as [`SearchQuery::from_pairs`].
    pub fn from_query(query: &str) -> Self {
        Self::from_pairs(url::form_urlencoded::parse(query.as_bytes()))
    }

    /// The URL query string of this search (the inverse of [`SearchQuery::from_query`]).
    pub fn to_query_string(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if self.scheme != RegionScheme::default() {
            query.append_pair("scheme", self.scheme.code());
        }
        for r in &self.region_ids {
            query.append_pair("region", &r.to_string());
        }
        let p = &self.profile;
        if let Some(a) = p.age_group {
            query.append_pair("age", a.code());
        }
        if let Some(t) = p.trafficking_type {
            query.append_pair("type", t.code());
        }
        if let Some(g) = p.gender {
            query.append_pair("gender", g.code());
        }
        if let Some(h) = p.household_size {
            query.append_pair("household", &h.to_string());
        }
        for l in &p.languages {
            query.append_pair("lang", l.as_str());
        }
        for (key, on) in [("wheelchair", p.wheelchair), ("pets", p.pets)] {
            if on {
                query.append_pair(key, "1");
            }
        }
        if let Some(f) = self.family {
            query.append_pair("family", f.code());
        }
        for c in &self.categories {
            query.append_pair("category", c.as_str());
        }
        for (key, on) in [("available", self.available_now), ("stale", self.include_stale), ("near", self.near)] {
            if on {
                query.append_pair(key, "1");
            }
        }
        if self.page > 1 {
            query.append_pair("page", &self.page.to_string());
        }
        query.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_survives_a_round_trip_through_its_url() {
        let url = "region=3&region=1&age=adult&type=labor&gender=female&household=2&lang=es&wheelchair=1&family=housing&available=1&stale=1&page=2";
        let q = SearchQuery::from_query(url);
        assert_eq!(q.region_ids, vec![1, 3]);
        assert_eq!(SearchQuery::from_query(&q.to_query_string()), q);
        let encoded = SearchQuery::from_query("type=%6Cabor&lang=es+&region=%33");
        assert_eq!(encoded.profile.trafficking_type, q.profile.trafficking_type, "percent-encoding is decoded");
        assert_eq!((encoded.profile.languages.len(), encoded.region_ids.as_slice()), (1, &[3][..]), "and + is a space");
    }

    #[test]
    fn malformed_values_are_ignored_not_fatal() {
        let q = SearchQuery::from_pairs([("age", "elderly"), ("region", "x"), ("household", "99"), ("page", "-3")]);
        assert_eq!(q.profile.age_group, None);
        assert!(q.region_ids.is_empty());
        assert_eq!(q.profile.household_size, None);
        assert_eq!(q.page, 1);
    }

    fn hit(available: Option<i64>, accepting_referrals: bool) -> SearchHit {
        use super::super::profile::{AgeGroup, Gender};
        SearchHit {
            service_id: 1,
            service_name: "Beds".into(),
            category: "emergency_shelter".into(),
            category_name: "Emergency shelter".into(),
            unit: "bed".into(),
            organization_name: "Shelter".into(),
            town: "Hartford".into(),
            region_name: "Capitol Planning Region".into(),
            intake_phone: None,
            total: 6,
            available,
            on_hold: 0,
            accepting_referrals,
            freshness: FreshnessBand::Fresh,
            last_confirmed_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
            age_groups: AgeGroups::from_bits(AgeGroup::Adult.bit()).unwrap(),
            trafficking_types: TraffickingTypes::EVERYONE,
            genders: Genders::from_bits(Gender::Female.bit()).unwrap(),
        }
    }

    #[test]
    fn only_fresh_free_units_that_accept_referrals_can_be_held() {
        assert!(hit(Some(2), true).holdable());
        assert!(!hit(Some(0), true).holdable(), "nothing free");
        assert!(!hit(None, true).holdable(), "a stale count is unknown, never available");
        assert!(!hit(Some(2), false).holdable(), "not accepting referrals");
    }

    #[test]
    fn a_result_says_whom_it_serves_and_names_genders_only_when_restricted() {
        let mut h = hit(Some(1), true);
        assert_eq!(h.serves(), vec!["Adults", "Sex and labor", "Female"]);
        h.genders = Genders::EVERYONE;
        assert_eq!(h.serves(), vec!["Adults", "Sex and labor"]);
    }
}
