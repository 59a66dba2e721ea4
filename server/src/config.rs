//! Configuration: defaults, then an optional TOML file, then environment variables (`DATABASE_URL`,
//! `CONTINUUM_*`). Later layers win.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use app::domain::freshness::{FreshnessPolicy, Thresholds};
use serde::Deserialize;

/// The settings the server runs with.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite:path` (default `sqlite:data/continuum.db`) or `postgres://user:pass@host/db`.
    pub database_url: String,
    /// Address to listen on (default `127.0.0.1:3000`; port 0 picks a free one).
    pub bind: SocketAddr,
    /// Folder holding `pkg/` with the wasm, JavaScript and CSS (default `target/site`).
    pub site_root: PathBuf,
    /// Load the demo data on first start when the database has no organizations.
    pub demo_data: bool,
    /// Freshness thresholds by category family.
    pub freshness: FreshnessPolicy,
    /// Seconds between sweeps that record expired holds.
    pub hold_sweep_secs: u64,
    /// Seconds a request (reading its body and rendering included) may take before it ends with `503`.
    pub request_timeout_secs: u64,
    /// Units one coordinator may have in active holds at once.
    pub max_held_units_per_coordinator: i64,
    /// Alerts one coordinator may save.
    pub max_alerts_per_coordinator: i64,
    /// `tracing` filter, e.g. `info` or `server=debug,info`.
    pub log: String,
    /// Address people reach the app at (links printed by the CLI; https turns on HSTS).
    pub public_url: String,
    /// Mark session cookies `Secure` with the `__Host-` prefix. Turn off only for plain-http localhost.
    pub secure_cookies: bool,
    /// Minutes of inactivity that end a session.
    pub session_idle_minutes: i64,
    /// Hours after which a session ends regardless.
    pub session_hours: i64,
    /// Reverse proxies in front of the server that append to `X-Forwarded-For` (0: ignore the header).
    pub trusted_proxies: usize,
    /// The secret that authenticates the audit log's chain (at least 32 characters), kept outside the
    /// database. Required where the public address is https.
    pub audit_key: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite:data/continuum.db".to_owned(),
            bind: SocketAddr::from(([127, 0, 0, 1], 3000)),
            site_root: PathBuf::from("target/site"),
            demo_data: false,
            freshness: FreshnessPolicy::default(),
            hold_sweep_secs: 60,
            request_timeout_secs: 30,
            max_held_units_per_coordinator: 20,
            max_alerts_per_coordinator: 20,
            log: "info".to_owned(),
            public_url: "http://127.0.0.1:3000".to_owned(),
            secure_cookies: true,
            session_idle_minutes: 30,
            session_hours: 12,
            trusted_proxies: 0,
            audit_key: None,
        }
    }
}

/// A setting that cannot be used, with what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read the config file {path}: {reason}")]
    Unreadable {
        /// File path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The config file is not valid TOML of the expected shape.
    #[error("the config file {path} is invalid: {reason}")]
    Invalid {
        /// File path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// An environment variable has an unusable value.
    #[error("{name} is invalid: {reason}")]
    BadVariable {
        /// Variable name.
        name: &'static str,
        /// Why.
        reason: String,
    },
}

/// The file layer: every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLayer {
    database_url: Option<String>,
    bind: Option<SocketAddr>,
    site_root: Option<PathBuf>,
    demo_data: Option<bool>,
    hold_sweep_secs: Option<u64>,
    request_timeout_secs: Option<u64>,
    max_held_units_per_coordinator: Option<i64>,
    max_alerts_per_coordinator: Option<i64>,
    log: Option<String>,
    public_url: Option<String>,
    secure_cookies: Option<bool>,
    session_idle_minutes: Option<i64>,
    session_hours: Option<i64>,
    trusted_proxies: Option<usize>,
    audit_key: Option<String>,
    freshness: Option<FreshnessLayer>,
}

/// Freshness thresholds in hours.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FreshnessLayer {
    housing_fresh_hours: Option<i64>,
    housing_stale_hours: Option<i64>,
    other_fresh_hours: Option<i64>,
    other_stale_hours: Option<i64>,
}

impl Config {
    /// The session rules these settings describe.
    pub fn session_policy(&self) -> app::auth::session::SessionPolicy {
        app::auth::session::SessionPolicy {
            idle_secs: self.session_idle_minutes * 60,
            absolute_secs: self.session_hours * 3600,
            secure_cookies: self.secure_cookies,
            trusted_proxies: self.trusted_proxies,
        }
    }

    /// Builds the configuration from defaults, the file at `file` (if given, or `continuum.toml` if it
    /// exists) and the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_from(file, |name| std::env::var(name).ok())
    }

    /// As [`Config::load`], reading variables through `var` (tests pass a map).
    pub fn load_from(file: Option<&Path>, var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut config = Config::default();
        let default_file = Path::new("continuum.toml");
        let file = file.or_else(|| default_file.exists().then_some(default_file));
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ConfigError::Unreadable { path: path.to_owned(), reason: e.to_string() })?;
            let layer: FileLayer = toml::from_str(&text)
                .map_err(|e| ConfigError::Invalid { path: path.to_owned(), reason: e.to_string() })?;
            config.apply_file(layer).map_err(|reason| ConfigError::Invalid { path: path.to_owned(), reason })?;
        }
        config.apply_env(var)?;
        Ok(config)
    }

    fn apply_file(&mut self, f: FileLayer) -> Result<(), String> {
        if let Some(v) = f.database_url {
            self.database_url = v;
        }
        if let Some(v) = f.bind {
            self.bind = v;
        }
        if let Some(v) = f.site_root {
            self.site_root = v;
        }
        if let Some(v) = f.demo_data {
            self.demo_data = v;
        }
        if let Some(v) = f.hold_sweep_secs {
            self.hold_sweep_secs = v.max(1);
        }
        if let Some(v) = f.request_timeout_secs {
            self.request_timeout_secs = v.max(1);
        }
        if let Some(v) = f.max_held_units_per_coordinator {
            self.max_held_units_per_coordinator = v.max(1);
        }
        if let Some(v) = f.max_alerts_per_coordinator {
            self.max_alerts_per_coordinator = v.max(1);
        }
        if let Some(v) = f.log {
            self.log = v;
        }
        if let Some(v) = f.public_url {
            self.public_url = v;
        }
        if let Some(v) = f.secure_cookies {
            self.secure_cookies = v;
        }
        if let Some(v) = f.session_idle_minutes {
            self.session_idle_minutes = v.max(1);
        }
        if let Some(v) = f.session_hours {
            self.session_hours = v.max(1);
        }
        if let Some(v) = f.trusted_proxies {
            self.trusted_proxies = v;
        }
        if let Some(v) = f.audit_key {
            self.audit_key = Some(v);
        }
        if let Some(fr) = f.freshness {
            self.set_freshness(
                fr.housing_fresh_hours,
                fr.housing_stale_hours,
                fr.other_fresh_hours,
                fr.other_stale_hours,
            )?;
        }
        Ok(())
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parsed<T: std::str::FromStr>(name: &'static str, value: String) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            value.trim().parse().map_err(|e: T::Err| ConfigError::BadVariable { name, reason: e.to_string() })
        }
        if let Some(v) = var("DATABASE_URL").or_else(|| var("CONTINUUM_DATABASE_URL")) {
            self.database_url = v;
        }
        if let Some(v) = var("CONTINUUM_BIND") {
            self.bind = parsed("CONTINUUM_BIND", v)?;
        }
        if let Some(v) = var("CONTINUUM_SITE_ROOT") {
            self.site_root = PathBuf::from(v);
        }
        if let Some(v) = var("CONTINUUM_DEMO_DATA") {
            self.demo_data = parsed("CONTINUUM_DEMO_DATA", v)?;
        }
        if let Some(v) = var("CONTINUUM_HOLD_SWEEP_SECS") {
            self.hold_sweep_secs = parsed::<u64>("CONTINUUM_HOLD_SWEEP_SECS", v)?.max(1);
        }
        if let Some(v) = var("CONTINUUM_REQUEST_TIMEOUT_SECS") {
            self.request_timeout_secs = parsed::<u64>("CONTINUUM_REQUEST_TIMEOUT_SECS", v)?.max(1);
        }
        if let Some(v) = var("CONTINUUM_MAX_HELD_UNITS") {
            self.max_held_units_per_coordinator = parsed::<i64>("CONTINUUM_MAX_HELD_UNITS", v)?.max(1);
        }
        if let Some(v) = var("CONTINUUM_MAX_ALERTS") {
            self.max_alerts_per_coordinator = parsed::<i64>("CONTINUUM_MAX_ALERTS", v)?.max(1);
        }
        if let Some(v) = var("CONTINUUM_LOG") {
            self.log = v;
        }
        if let Some(v) = var("CONTINUUM_PUBLIC_URL") {
            self.public_url = v;
        }
        if let Some(v) = var("CONTINUUM_SECURE_COOKIES") {
            self.secure_cookies = parsed("CONTINUUM_SECURE_COOKIES", v)?;
        }
        if let Some(v) = var("CONTINUUM_SESSION_IDLE_MINUTES") {
            self.session_idle_minutes = parsed::<i64>("CONTINUUM_SESSION_IDLE_MINUTES", v)?.max(1);
        }
        if let Some(v) = var("CONTINUUM_SESSION_HOURS") {
            self.session_hours = parsed::<i64>("CONTINUUM_SESSION_HOURS", v)?.max(1);
        }
        if let Some(v) = var("CONTINUUM_AUDIT_KEY") {
            self.audit_key = Some(v);
        }
        if let Some(v) = var("CONTINUUM_TRUSTED_PROXIES") {
            self.trusted_proxies = parsed("CONTINUUM_TRUSTED_PROXIES", v)?;
        }
        let hours = |name: &'static str| var(name).map(|v| parsed::<i64>(name, v)).transpose();
        let (hf, hs) = (hours("CONTINUUM_HOUSING_FRESH_HOURS")?, hours("CONTINUUM_HOUSING_STALE_HOURS")?);
        let (of, os) = (hours("CONTINUUM_OTHER_FRESH_HOURS")?, hours("CONTINUUM_OTHER_STALE_HOURS")?);
        self.set_freshness(hf, hs, of, os)
            .map_err(|reason| ConfigError::BadVariable { name: "CONTINUUM_*_HOURS", reason })
    }

    fn set_freshness(
        &mut self,
        housing_fresh: Option<i64>,
        housing_stale: Option<i64>,
        other_fresh: Option<i64>,
        other_stale: Option<i64>,
    ) -> Result<(), String> {
        let p = &mut self.freshness;
        let h = Thresholds::new(
            housing_fresh.map_or(p.housing.fresh_secs, |h| h * 3600),
            housing_stale.map_or(p.housing.stale_secs, |h| h * 3600),
        )?;
        let o = Thresholds::new(
            other_fresh.map_or(p.legal.fresh_secs, |h| h * 3600),
            other_stale.map_or(p.legal.stale_secs, |h| h * 3600),
        )?;
        *p = FreshnessPolicy { housing: h, legal: o, specialist: o };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_use_an_embedded_sqlite_file_on_port_3000() {
        let c = Config::load_from(None, env(&[])).unwrap();
        assert_eq!(c.database_url, "sqlite:data/continuum.db");
        assert_eq!(c.bind.port(), 3000);
    }

    #[test]
    fn environment_overrides_the_file() {
        let dir = std::env::temp_dir().join(format!("continuum-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(&file, "bind = \"127.0.0.1:4000\"\ndemo_data = true\n[freshness]\nhousing_fresh_hours = 6\n")
            .unwrap();
        let c = Config::load_from(Some(&file), env(&[("CONTINUUM_BIND", "127.0.0.1:5000")])).unwrap();
        assert_eq!(c.bind.port(), 5000);
        assert!(c.demo_data);
        assert_eq!(c.freshness.housing.fresh_secs, 6 * 3600);
    }

    #[test]
    fn unknown_file_keys_and_bad_variables_are_refused_with_their_name() {
        let dir = std::env::temp_dir().join(format!("continuum-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(&file, "databse_url = \"x\"\n").unwrap();
        assert!(matches!(Config::load_from(Some(&file), env(&[])), Err(ConfigError::Invalid { .. })));
        let err = Config::load_from(None, env(&[("CONTINUUM_BIND", "nowhere")])).unwrap_err();
        assert!(err.to_string().starts_with("CONTINUUM_BIND is invalid"));
        let err = Config::load_from(None, env(&[("CONTINUUM_HOUSING_FRESH_HOURS", "100")])).unwrap_err();
        assert!(err.to_string().contains("fresh"));
    }
}
