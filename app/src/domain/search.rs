//! A coordinator's search for placements, and what comes back. Results never carry a street address.

use serde::{Deserialize, Serialize};

use super::freshness::FreshnessBand;
use super::profile::ProfileFilter;
use super::region::RegionScheme;
use super::taxonomy::{CategoryCode, CategoryFamily};

/// The largest page a search returns.
pub const MAX_PAGE_SIZE: u32 = 100;

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
    /// Age groups mask.
    pub age_groups: i64,
    /// Trafficking types mask.
    pub trafficking_types: i64,
    /// Genders mask.
    pub genders: i64,
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
        (self.page.max(1), self.page_size.clamp(1, MAX_PAGE_SIZE))
    }
}
