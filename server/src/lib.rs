//! The `continuum` server: configuration, start-up, the HTTP router and the command-line tasks.
//!
//! `main.rs` parses the command line; [`startup::Application`] opens the database, migrates it and serves.
//! Integration tests use the same [`startup::Application`] on port 0.

pub mod config;
pub mod door;
pub mod export;
pub mod hsds;
pub mod import;
pub mod limits;
pub mod live;
pub mod page_viewer;
pub mod security;
pub mod seed;
pub mod shutdown;
pub mod startup;
pub mod telemetry;
pub mod upload;
