//! Administration pages: users, organizations, taxonomy, directory imports and the audit log.

pub mod audit;
pub mod import;
pub mod organizations;
pub mod taxonomy;
pub mod users;
