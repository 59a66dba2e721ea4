//! Scale data for benchmarks: N generated services with about 100 history rows each over 100 days.

use std::io::Write;

use app::store::Db;

use super::SeedError;
use super::generate::{NameStyle, Spec, Spread, generate};

/// Adds `services` generated services (one organization per three), with a progress bar on stderr.
pub async fn generate_scale(db: &Db, services: u32, now: i64) -> Result<(), SeedError> {
    let services = services as usize;
    let spec = Spec {
        seed: 10_000 + services as u64,
        organizations: services.div_ceil(3).max(1),
        services,
        days: 100,
        name_style: NameStyle::Scale,
        spread: Spread::Even,
    };
    generate(db, &spec, now, &progress_bar).await?;
    eprintln!();
    Ok(())
}

fn progress_bar(done: usize, total: usize) {
    let width = 40;
    let filled = done * width / total.max(1);
    eprint!("\r[{}{}] {done}/{total} services", "#".repeat(filled), " ".repeat(width - filled));
    let _ = std::io::stderr().flush();
}
