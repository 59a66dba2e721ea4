//! The coordinator's pages: search, gap matrix, map, holds, needs and alerts.

pub mod gaps;
pub mod holds;
pub mod map;
pub mod needs;
pub mod notifications;
pub mod search;
mod search_result;

use leptos_router::params::ParamsMap;

use crate::domain::search::SearchQuery;

/// The search described by a URL's query string.
pub fn search_from(params: &ParamsMap) -> SearchQuery {
    const KEYS: [&str; 16] = [
        "scheme",
        "region",
        "age",
        "type",
        "gender",
        "household",
        "lang",
        "wheelchair",
        "pets",
        "family",
        "category",
        "available",
        "stale",
        "page",
        "near",
        "need",
    ];
    let pairs: Vec<(&str, String)> =
        KEYS.iter().flat_map(|k| params.get_all(k).unwrap_or_default().into_iter().map(move |v| (*k, v))).collect();
    SearchQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}
