//! The provider's pages: capacity home, bulk update, describe a service, edit a site, add sites and services.

pub mod bulk;
pub mod capacity;
mod capacity_card;
pub mod directory;
mod holds_inbox;
pub mod service;
pub mod site;
