//! Administration pages: users, organizations, taxonomy and the audit log.

pub mod audit;
pub mod organizations;
pub mod taxonomy;
pub mod users;
