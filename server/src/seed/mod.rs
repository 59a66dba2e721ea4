//! Fictional data: the demo dataset `make run` shows, and generated scale data for benchmarks.
//! Deterministic: the same seed gives the same rows. Names are obviously fictional; towns and regions are real.

pub mod demo;
pub mod generate;
mod rng;
pub mod scale;

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The store failed.
    #[error("database error while seeding: {0}")]
    Store(#[from] app::store::StoreError),
    /// The reference data is missing a town the seed expects.
    #[error("reference data is incomplete: {0}")]
    Reference(String),
}
