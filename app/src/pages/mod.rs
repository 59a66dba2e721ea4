//! One page per file; administration pages under `admin/`.

pub mod account;
pub mod admin;
pub mod coordinator;
pub mod disclosure;
pub mod home;
pub mod not_found;
pub mod oversight;
pub mod provider;
pub mod public;
pub mod sign_in;
pub mod welcome;
