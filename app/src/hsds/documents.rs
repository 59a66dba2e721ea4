//! The HSDS 3.1 objects Continuum publishes, as the schemas in `server/tests/data/hsds-3.1/` name their
//! fields. Absent values are left out, never written as empty strings.

use serde::Serialize;

/// An organization.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    pub phones: Vec<Phone>,
    /// Its locations (in the full organization only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<Location>>,
}

/// A phone number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phone {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    pub number: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'static str>,
}

/// A location: a site. A confidential one carries its town in words and no address or coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub id: String,
    pub location_type: &'static str,
    pub organization_id: String,
    pub name: String,
    pub description: String,
    pub addresses: Vec<Address>,
    pub phones: Vec<Phone>,
    pub schedules: Vec<Schedule>,
    pub accessibility: Vec<Accessibility>,
    pub attributes: Vec<Attribute>,
}

/// A street address (never a confidential one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Address {
    pub id: String,
    pub location_id: String,
    pub address_1: String,
    pub city: String,
    pub state_province: &'static str,
    pub postal_code: String,
    pub country: &'static str,
    pub address_type: &'static str,
}

/// When a location is open, in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schedule {
    pub id: String,
    pub location_id: String,
    pub description: String,
}

/// An accessibility provision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accessibility {
    pub id: String,
    pub location_id: String,
    pub description: &'static str,
}

/// A service, with its capacity and category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub description: String,
    pub status: &'static str,
    pub eligibility_description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_age: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum_age: Option<u8>,
    pub languages: Vec<Language>,
    pub capacities: Vec<ServiceCapacity>,
    pub attributes: Vec<Attribute>,
    /// Where it is delivered (in the full service only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_at_locations: Option<Vec<ServiceAtLocation>>,
    /// Who provides it (in the full service only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Box<Organization>>,
}

/// A language a service is delivered in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Language {
    pub id: String,
    pub service_id: String,
    pub name: String,
    pub code: String,
}

/// Live capacity: `available` is what may be counted now (zero when the count is out of date or the service
/// takes no referrals, with the reason in `description`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceCapacity {
    pub id: String,
    pub service_id: String,
    pub unit: Unit,
    pub unit_id: String,
    pub available: i64,
    pub maximum: i64,
    pub description: String,
    pub updated: String,
}

/// What a capacity counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
}

/// A service's category, as a link to its taxonomy term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    pub id: String,
    pub link_id: String,
    pub link_type: &'static str,
    pub link_entity: &'static str,
    pub taxonomy_term_id: String,
    pub taxonomy_term: TaxonomyTerm,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A category of the taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaxonomyTerm {
    pub id: String,
    pub code: String,
    pub name: String,
    pub description: String,
    pub taxonomy: String,
}

/// A service at a location.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceAtLocation {
    pub id: String,
    pub service_id: String,
    pub location_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// One page of a list, as the HSDS API description pages them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub total_items: usize,
    pub total_pages: usize,
    pub page_number: usize,
    pub size: usize,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    pub contents: Vec<T>,
}

impl<T: Clone> Page<T> {
    /// Page `number` (1-based) of `items`, `per_page` to a page.
    pub fn of(items: &[T], number: usize, per_page: usize) -> Self {
        let per_page = per_page.max(1);
        let total_pages = items.len().div_ceil(per_page).max(1);
        let number = number.clamp(1, total_pages);
        let contents: Vec<T> = items.iter().skip((number - 1) * per_page).take(per_page).cloned().collect();
        Self {
            total_items: items.len(),
            total_pages,
            page_number: number,
            size: contents.len(),
            first_page: number == 1,
            last_page: number == total_pages,
            empty: items.is_empty(),
            contents,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn pages_split_a_list_and_say_where_they_are() {
        let items: Vec<u8> = (1..=5).collect();
        let second = Page::of(&items, 2, 2);
        assert_eq!(
            (second.contents.clone(), second.total_pages, second.first_page, second.last_page),
            (vec![3, 4], 3, false, false)
        );
        let last = Page::of(&items, 9, 2);
        assert_eq!(
            (last.page_number, last.contents, last.last_page),
            (3, vec![5], true),
            "past the end: the last page"
        );
        let empty = Page::of(&Vec::<u8>::new(), 1, 10);
        assert!(empty.empty && empty.first_page && empty.last_page && empty.total_items == 0);
    }
}
