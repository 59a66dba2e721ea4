//! The provider's pages: capacity home, bulk update, describe a service, edit a site.

pub mod bulk;
pub mod capacity;
mod capacity_card;
mod holds_inbox;
pub mod service;
pub mod site;
