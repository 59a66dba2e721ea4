//! `continuum`: serve the app, migrate the database or load demo data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::config::Config;
use server::startup::{Application, open_database};
use server::{seed, telemetry};

/// Continuum: live capacity of services for survivors of human trafficking, and the gaps.
///
/// Configuration comes from defaults, then a TOML file (--config, or ./continuum.toml if present), then
/// environment variables: DATABASE_URL (sqlite:path or postgres://...), CONTINUUM_BIND, CONTINUUM_SITE_ROOT,
/// CONTINUUM_DEMO_DATA, CONTINUUM_LOG and the CONTINUUM_*_HOURS freshness thresholds.
#[derive(Parser)]
#[command(name = "continuum", version)]
struct Cli {
    /// Path to a TOML config file.
    #[arg(long, global = true, env = "CONTINUUM_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the web app until stopped (the default).
    Serve,
    /// Apply database migrations and load reference data (regions, towns, taxonomy), then exit.
    Migrate,
    /// Load the fictional demo dataset into an empty database. With --scale N, add N generated services
    /// with proportional history instead (for benchmarks).
    SeedDemo {
        /// Generate this many extra services with about 100 history rows each.
        #[arg(long)]
        scale: Option<u32>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    telemetry::init(&config.log);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(&config).await,
            Command::Migrate => match open_database(&config).await {
                Ok(_) => {
                    println!("Database is migrated and reference data loaded.");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            },
            Command::SeedDemo { scale } => seed_demo(&config, scale).await,
        }
    })
}

async fn serve(config: &Config) -> ExitCode {
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => return fail(&e),
    };
    println!("Continuum is running at http://{}", app.addr());
    match app.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

async fn seed_demo(config: &Config, scale: Option<u32>) -> ExitCode {
    let db = match open_database(config).await {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    let now = chrono::Utc::now().timestamp();
    let result = match scale {
        None => seed::demo::load_if_empty(&db, now).await.map(|loaded| {
            if loaded { "Demo data loaded." } else { "The database already has organizations; nothing loaded." }
        }),
        Some(n) => seed::scale::generate_scale(&db, n, now).await.map(|()| "Scale data generated."),
    };
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Prints one sentence on stderr and exits non-zero.
fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("continuum: {error}");
    ExitCode::FAILURE
}
