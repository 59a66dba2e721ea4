//! Continuum's application crate: the pages and server functions that the server renders and the browser
//! hydrates, the domain rules they share, and (with the `ssr` feature) the storage layer behind them.
//!
//! - [`domain`]: plain types validated at construction; no web or database dependency.
//! - [`api`]: Leptos server functions, grouped by area; thin entry points into [`store`].
//! - [`pages`] and [`components`]: the user interface, one page per file.
//! - `store` (server only): the one query layer for SQLite and PostgreSQL.

pub mod api;
pub mod components;
pub mod domain;
pub mod pages;
mod shell;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod hsds;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod map;
#[cfg(feature = "ssr")]
pub mod oversight;
#[cfg(feature = "ssr")]
pub mod site_assets;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;

pub use shell::App;
#[cfg(feature = "ssr")]
pub use shell::shell;

/// Hydrates the islands of the server-rendered page: the browser's entry point calls this, which also links
/// this crate's islands (each an exported wasm function) into the browser's build.
#[cfg(feature = "hydrate")]
pub fn hydrate_islands() {
    leptos::mount::hydrate_islands();
}
