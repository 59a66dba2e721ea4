//! `continuum`: serve the app, migrate the database, load demo data, manage accounts, export the directory.

use std::path::PathBuf;
use std::process::ExitCode;

use app::store::import::Scope;
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
    /// Manage accounts without email: create the first administrator, or print an invitation link.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage the daily capacity rollups the oversight dashboard reads.
    #[command(subcommand)]
    Rollup(RollupCommand),
    /// Bring a directory in: an HSDS 3.1 tabular data package (a folder or .zip with datapackage.json and one
    /// CSV per table), HSDS 3.1 JSON (a .json list of services or organizations) or the one-sheet template
    /// (.csv). Rows are matched by their ids: importing the same file again changes nothing, and within the
    /// organizations it names, what an earlier import brought in that it no longer lists is retired. Every
    /// problem is reported by file, line and column, and nothing is written while any remains (exit status 1).
    Import {
        /// The package's folder, or the .zip, .json or .csv file.
        path: PathBuf,
        /// Report the plan and every problem, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The file is the whole directory: also retire organizations (and their sites and services) that an
        /// earlier import brought in and the file no longer names. Without it, an import speaks only for the
        /// organizations it names.
        #[arg(long)]
        whole_directory: bool,
    },
    /// Write the directory out in a standard format.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Print the current authenticator code of a demo account (demo data only).
    DemoCode,
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The live directory (nothing retired) as Open Referral HSDS 3.1: a tabular data package
    /// (`datapackage.json` and one CSV per table) in DIR and the JSON lists in DIR/json. Confidential sites
    /// carry their town only; out-of-date capacity is published as none available.
    Hsds {
        /// Folder to write into (created if missing).
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an administrator with a password read from CONTINUUM_ADMIN_PASSWORD or the first line of
    /// standard input. They set up two-factor authentication at first sign-in.
    CreateAdmin {
        /// Sign-in email.
        email: String,
        /// Name shown next to their changes.
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Print a one-time password-reset link for an existing account (valid 72 hours).
    Reset {
        /// Sign-in email.
        email: String,
    },
    /// Create an account and print its one-time invitation link (valid 72 hours).
    Invite {
        /// Sign-in email.
        email: String,
        /// administrator, coordinator, funder, provider_admin or provider_staff.
        #[arg(long)]
        role: String,
        /// Organization id (provider roles).
        #[arg(long)]
        org: Option<i64>,
    },
}

#[derive(Subcommand)]
enum RollupCommand {
    /// Forget every daily capacity rollup and build them again from the capacity history (after a change of
    /// freshness thresholds, or to check them). The server keeps them current on its own.
    Rebuild,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; exits non-zero if any entry was edited or deleted.
    Verify,
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
            Command::User(command) => users(&config, command).await,
            Command::Audit(AuditCommand::Verify) => verify_audit(&config).await,
            Command::Rollup(RollupCommand::Rebuild) => rebuild_rollups(&config).await,
            Command::Export(ExportCommand::Hsds { dir }) => export_hsds(&config, &dir).await,
            Command::Import { path, dry_run, whole_directory } => {
                let scope = if whole_directory { Scope::WholeDirectory } else { Scope::NamedOrganizations };
                import(&config, &path, server::import::Options { dry_run, scope }).await
            }
            Command::DemoCode => {
                let now = chrono::Utc::now().timestamp();
                match app::auth::totp::code_at(seed::demo::DEMO_TOTP_SECRET, now) {
                    Some(code) => {
                        println!("{code}");
                        ExitCode::SUCCESS
                    }
                    None => fail(&"could not compute the code"),
                }
            }
        }
    })
}

async fn serve(config: &Config) -> ExitCode {
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => return fail(&e),
    };
    println!("Continuum is running at http://{}", app.addr());
    if config.demo_data {
        println!("{}", seed::demo::sign_in_help());
    }
    match app.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

async fn seed_demo(config: &Config, scale: Option<u32>) -> ExitCode {
    if config.public_url.starts_with("https://") {
        return fail(&server::startup::StartupError::DemoOnPublicDeployment);
    }
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

async fn users(config: &Config, command: UserCommand) -> ExitCode {
    use app::domain::account::{Email, Role, check_new_password};
    let db = match open_database(config).await {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    let now = chrono::Utc::now().timestamp();
    match command {
        UserCommand::CreateAdmin { email, name } => {
            let Ok(email) = Email::parse(&email) else { return fail(&"that is not an email address") };
            let password = match std::env::var("CONTINUUM_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    if std::io::stdin().read_line(&mut line).is_err() {
                        return fail(&"could not read the password from standard input");
                    }
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            if let Err(e) = check_new_password(&password) {
                return fail(&e);
            }
            let hash = match app::auth::password::hash(password).await {
                Ok(h) => h,
                Err(e) => return fail(&e),
            };
            match app::store::accounts::create_with_password(&db, &email, &name, Role::Administrator, &hash, now).await
            {
                Ok(Ok(id)) => {
                    println!(
                        "Administrator {} created (id {id}). Sign in and set up two-factor authentication.",
                        email.as_str()
                    );
                    ExitCode::SUCCESS
                }
                Ok(Err(e)) => fail(&e),
                Err(e) => fail(&e),
            }
        }
        UserCommand::Reset { email } => {
            let Ok(email) = Email::parse(&email) else { return fail(&"that is not an email address") };
            let user = match app::store::accounts::credentials(&db, &email).await {
                Ok(Some(u)) => u,
                Ok(None) => return fail(&"no account has that email"),
                Err(e) => return fail(&e),
            };
            match app::auth::reset_link(&db, user.id, None, now).await {
                Ok(token) => {
                    println!("{}/welcome/{token}", config.public_url.trim_end_matches('/'));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        UserCommand::Invite { email, role, org } => {
            let Ok(email) = Email::parse(&email) else { return fail(&"that is not an email address") };
            let Some(role) = Role::parse(&role) else {
                return fail(&"--role must be administrator, coordinator, funder, provider_admin or provider_staff");
            };
            if role.is_provider() && org.is_none() {
                return fail(&"provider roles need --org ID");
            }
            let orgs: Vec<i64> = if role.is_provider() { org.into_iter().collect() } else { Vec::new() };
            match app::auth::invite(&db, &email, role, &orgs, None, now).await {
                Ok(Ok(token)) => {
                    println!("{}/welcome/{token}", config.public_url.trim_end_matches('/'));
                    ExitCode::SUCCESS
                }
                Ok(Err(e)) => fail(&e),
                Err(e) => fail(&e),
            }
        }
    }
}

async fn verify_audit(config: &Config) -> ExitCode {
    let db = match open_database(config).await {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    match app::store::audit::verify(&db).await {
        Ok(Ok(n)) => {
            println!("The audit log is intact: {n} entries.");
            ExitCode::SUCCESS
        }
        Ok(Err(broken)) => fail(&broken),
        Err(e) => fail(&e),
    }
}

async fn rebuild_rollups(config: &Config) -> ExitCode {
    let db = match open_database(config).await {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    match app::store::rollup::rebuild(&db, &config.freshness, chrono::Utc::now().timestamp()).await {
        Ok(days) => {
            println!("Rolled up {days} days of capacity.");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

async fn import(config: &Config, path: &std::path::Path, options: server::import::Options) -> ExitCode {
    use server::import::Report;
    let db = match open_database(config).await {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    let mut progress = |done: usize, of: usize| eprintln!("services: {done} of {of}");
    match server::import::import(&db, path, options, &mut progress).await {
        Ok(Report::Problems(problems)) => {
            for p in &problems {
                println!("{p}");
            }
            eprintln!("continuum: {} problems; nothing was written", problems.len());
            ExitCode::FAILURE
        }
        Ok(Report::Planned(o)) => {
            for (what, c) in [("organizations", o.organizations), ("sites", o.sites), ("services", o.services)] {
                println!(
                    "{what}: {} to add, {} to change, {} unchanged, {} to retire",
                    c.added, c.changed, c.unchanged, c.retired
                );
            }
            println!("{}", if o.written { "Imported." } else { "Dry run: nothing was written." });
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

async fn export_hsds(config: &Config, dir: &std::path::Path) -> ExitCode {
    let db = match open_database(config).await {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    match server::hsds::export(&db, &config.freshness, dir).await {
        Ok(n) => {
            println!("Wrote {n} HSDS 3.1 files to {}.", dir.display());
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
