//! The one application state, passed to handlers through axum `State` and to server functions through
//! Leptos context.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::auth::session::SessionPolicy;
use crate::domain::freshness::FreshnessPolicy;
use crate::store::Db;

/// Everything a request needs: the database, the freshness rules and Leptos's options.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Database pool (SQLite or PostgreSQL).
    pub db: Db,
    /// Freshness thresholds.
    pub freshness: FreshnessPolicy,
    /// Session and cookie rules.
    pub sessions: SessionPolicy,
    /// Live-update fan-out.
    pub events: crate::live::Events,
    /// Leptos site options.
    pub leptos_options: LeptosOptions,
    /// What one coordinator may hold and save.
    pub coordinator_limits: CoordinatorLimits,
    /// How far the imports uploaded to this instance have come.
    pub imports: crate::api::import::ImportProgress,
    /// Names of the built browser assets.
    pub assets: crate::site_assets::SiteAssets,
}

/// Bounds on one coordinator account, so no single account can make every bed look taken or slow down
/// every provider's saves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoordinatorLimits {
    /// Units in active holds at once.
    pub held_units: i64,
    /// Saved alerts.
    pub alerts: i64,
}

impl Default for CoordinatorLimits {
    fn default() -> Self {
        Self { held_units: 20, alerts: 20 }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state from the Leptos context of the current request, or an error a server function can return.
pub fn app_state() -> Result<AppState, crate::api::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("server state missing from request context");
        crate::api::fail(crate::api::AppError::Internal)
    })
}
