//! Domain types: plain data validated at construction, shared by server and browser.
//!
//! Nothing here touches the web or a database, so every rule can be unit- and property-tested alone.

pub mod access;
pub mod account;
pub mod capacity;
#[cfg(feature = "ssr")]
pub mod capacity_web;
pub mod contact;
pub mod disclosure;
#[cfg(feature = "ssr")]
pub mod disclosure_audit;
pub mod freshness;
pub mod gaps;
pub mod hold;
pub mod import;
pub mod local_time;
pub mod need;
#[cfg(feature = "ssr")]
pub mod need_web;
pub mod oversight;
pub mod profile;
pub mod region;
#[cfg(feature = "ssr")]
pub mod region_layout;
pub mod search;
pub mod series;
pub mod suppression;
pub mod taxonomy;
pub mod throttle;
pub mod zip_code;
