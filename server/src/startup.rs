//! Start-up: open and migrate the database, load demo data on first start, build the router, serve.

use std::net::SocketAddr;
use std::time::Duration;

use app::state::AppState;
use app::store::{self, ConnectError, Db};

use app::{App, shell};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};

use crate::config::Config;
use crate::seed;
use crate::shutdown::{self, Shutdown};

/// Why the server could not start; each message is one sentence saying what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// Database unreachable, URL malformed, or migration failed.
    #[error(transparent)]
    Database(#[from] ConnectError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {reason}. Choose another address with CONTINUUM_BIND")]
    Bind {
        /// Requested address.
        addr: SocketAddr,
        /// Why.
        reason: String,
    },
    /// Demo data could not be loaded.
    #[error("cannot load the demo data: {0}")]
    Seed(String),
    /// No audit key where the public address is https.
    #[error(
        "set CONTINUUM_AUDIT_KEY (at least 32 random characters, kept outside the database) before serving over https"
    )]
    AuditKeyMissing,
    /// The audit key cannot be used.
    #[error("cannot use the audit key: {0}")]
    AuditKey(String),
    /// Demo data (fixed, published passwords) was asked for on a deployment with an https address.
    #[error(
        "demo data is never loaded where the public address is https: its passwords are published. \
         Unset CONTINUUM_DEMO_DATA"
    )]
    DemoOnPublicDeployment,
    /// The site folder's list of built assets cannot be used.
    #[error("cannot use the built site: {0}. Rebuild it with `make site`")]
    Site(#[from] app::site_assets::ManifestError),
}

/// Opens the database named in the config, applies migrations and reference data, and keys the audit log
/// (sealing a log written before keys existed).
pub async fn open_database(config: &Config) -> Result<Db, StartupError> {
    let public = config.public_url.starts_with("https://");
    let key = match &config.audit_key {
        Some(key) if public && key == store::audit::DEVELOPMENT_KEY => return Err(StartupError::AuditKeyMissing),
        Some(key) => key.as_str(),
        None if public => return Err(StartupError::AuditKeyMissing),
        None => {
            tracing::warn!("no audit key configured: using the development key (set CONTINUUM_AUDIT_KEY)");
            store::audit::DEVELOPMENT_KEY
        }
    };
    store::audit::use_key(key).map_err(|e| StartupError::AuditKey(e.to_string()))?;
    let db = store::connect(&config.database_url).await?;
    store::migrate(&db, &config.database_url).await?;
    store::audit::seal(&db, chrono::Utc::now().timestamp()).await.map_err(|e| StartupError::AuditKey(e.to_string()))?;
    Ok(db)
}

/// A server bound to its address, ready to run.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    state: AppState,
    sweep_every: Duration,
    shutdown: Shutdown,
}

impl Application {
    /// Opens and migrates the database, loads demo data if asked and the database is empty, binds the port.
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        if config.demo_data && config.public_url.starts_with("https://") {
            return Err(StartupError::DemoOnPublicDeployment);
        }
        let db = open_database(config).await?;
        if config.demo_data {
            let loaded = seed::demo::load_if_empty(&db, chrono::Utc::now().timestamp())
                .await
                .map_err(|e| StartupError::Seed(e.to_string()))?;
            if loaded {
                tracing::info!("loaded the demo data");
            }
        }
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|e| StartupError::Bind { addr: config.bind, reason: e.to_string() })?;
        let addr =
            listener.local_addr().map_err(|e| StartupError::Bind { addr: config.bind, reason: e.to_string() })?;
        let assets = site_assets(config)?;
        let leptos_options = LeptosOptions::builder()
            .output_name("continuum")
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();
        let state = AppState {
            db,
            freshness: config.freshness,
            sessions: config.session_policy(),
            events: app::live::Events::default(),
            leptos_options,
            coordinator_limits: app::state::CoordinatorLimits {
                held_units: config.max_held_units_per_coordinator,
                alerts: config.max_alerts_per_coordinator,
            },
            imports: Default::default(),
            assets,
        };
        let shutdown = Shutdown::default();
        let options = RouterOptions {
            hsts: config.public_url.starts_with("https://"),
            request_timeout: Duration::from_secs(config.request_timeout_secs),
            shutdown: shutdown.clone(),
        };
        let router = router(state.clone(), options);
        Ok(Self { listener, router, state, sweep_every: Duration::from_secs(config.hold_sweep_secs), shutdown })
    }

    /// The address actually bound (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// The shared state (tests reach the database through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until the process receives Ctrl-C or SIGTERM, sweeping expired holds in the background.
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(shutdown::os_signal()).await
    }

    /// Serves until `stop` completes, then shuts down gracefully: no new connections, event streams end,
    /// requests in flight get [`shutdown::GRACE`] to finish, and the database pool closes.
    pub async fn run_until(self, stop: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let sweeper = tokio::spawn(sweep_expired(self.state.clone(), self.sweep_every));
        let listener = tokio::spawn(crate::live::listen(self.state.db.clone(), self.state.events.clone()));
        let switch = self.shutdown.clone();
        let signal = async move {
            stop.await;
            tracing::info!("shutting down: no new connections; ending event streams");
            switch.begin();
        };
        let served = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(signal)
            .into_future();
        let overdue = async {
            self.shutdown.begun().await;
            tokio::time::sleep(shutdown::GRACE).await;
        };
        let result = tokio::select! {
            result = served => result,
            () = overdue => {
                tracing::warn!(grace_secs = shutdown::GRACE.as_secs(), "requests still open after the grace period; closing them");
                Ok(())
            }
        };
        sweeper.abort();
        listener.abort();
        if tokio::time::timeout(Duration::from_secs(2), self.state.db.close()).await.is_err() {
            tracing::warn!("database connections still in use at exit");
        }
        result
    }
}

/// How the router treats every request.
#[derive(Clone, Debug)]
pub struct RouterOptions {
    /// Send `Strict-Transport-Security` (the public address is https).
    pub hsts: bool,
    /// Longest a request may take before it ends with `503`.
    pub request_timeout: Duration,
    /// Ends event streams when shutdown begins.
    pub shutdown: Shutdown,
}

/// The HTTP router: Leptos pages and server functions, then static files, then the 404 page; every response
/// passes the cross-site guard and gets the security headers.
pub fn router(state: AppState, options: RouterOptions) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    let (page_assets, error_assets, icon) = (state.assets.clone(), state.assets.clone(), state.assets.icon_href());
    let RouterOptions { hsts, request_timeout, shutdown } = options;
    Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .route(
            "/events",
            axum::routing::get(move |state, headers| crate::live::events(state, headers, shutdown.clone())),
        )
        .route("/oversight/export.csv", axum::routing::get(crate::export::export_csv))
        .merge(crate::hsds::routes())
        // Built assets: the gzip copy when the browser takes it, and 304 for a copy the browser already has.
        .nest_service("/pkg", assets(&state.leptos_options))
        // Browsers that ask for `/favicon.ico` are sent to this build's icon (temporarily: its name changes).
        .route("/favicon.ico", axum::routing::get(move || async move { axum::response::Redirect::temporary(&icon) }))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(page_assets.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(move |_| shell(error_assets.clone())))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::page_viewer::resolve_page_viewer))
        .layer(axum::middleware::from_fn(crate::limits::limit_body))
        // Added after the body limit, so it has only its own: the one request that carries a file.
        .route(
            crate::upload::PAGE,
            axum::routing::post(crate::upload::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::limits::MAX_UPLOAD_BYTES)),
        )
        .layer(axum::middleware::from_fn(move |req, next| crate::limits::bound_request(request_timeout, req, next)))
        .layer(axum::middleware::from_fn(crate::security::refuse_cross_site))
        .layer(axum::middleware::from_fn(move |req, next| crate::security::security_headers(hsts, req, next)))
        .layer(compression())
        .with_state(state)
}

/// The app's pages, listed once per process. Listing them renders the whole app with resource loading switched
/// off for the whole process (leptos_server's `SuppressResourceLoad` is one global flag), and a resource that
/// first loads while it is off waits forever: listed again for each server, a page of another server in the
/// same process that began loading its data in that moment never answered (leptos issue 4773).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::LazyLock<Vec<AxumRouteListing>> = std::sync::LazyLock::new(|| generate_route_list(App));
    ROUTES.clone()
}

/// Pages, JSON and CSV compressed for browsers that take brotli or gzip, at level 5 for both (a page is
/// compressed on every request, so not the slowest, smallest level). Built assets are already compressed (their `Content-Encoding` is kept) and event
/// streams never are (tower-http's default predicate), so a live message is never held in a buffer.
fn compression() -> tower_http::compression::CompressionLayer {
    // Brotli and gzip: the encodings compiled in (the workspace's tower-http features), both on by default.
    tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Precise(5))
}

/// The built assets under `pkg/` of the site root, with their precompressed brotli and gzip copies
/// (`scripts/build-site.sh` writes them) and answers to conditional requests.
fn assets(options: &leptos::config::LeptosOptions) -> tower_http::services::ServeDir {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    tower_http::services::ServeDir::new(dir).precompressed_br().precompressed_gzip()
}

/// The names of the built assets from the site folder's manifest; the plain names when the folder has none
/// (a server started before `make site`, as the integration tests are: its pages still render).
fn site_assets(config: &Config) -> Result<app::site_assets::SiteAssets, StartupError> {
    let pkg = config.site_root.join("pkg");
    Ok(app::site_assets::read_manifest(&pkg)?.unwrap_or_else(|| {
        tracing::warn!(folder = %pkg.display(), "no list of built assets: pages name them unfingerprinted");
        app::site_assets::SiteAssets::unfingerprinted()
    }))
}

/// Records expired holds and removes expired sessions, every `every`.
async fn sweep_expired(state: AppState, every: Duration) {
    // The first round comes one interval after start-up: nothing needs it sooner (expired holds count as expired
    // when read; the dashboard builds the rollups it needs itself).
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tick.tick().await;
        let now = chrono::Utc::now().timestamp();
        match store::holds::sweep_expired(&state.db, now).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(expired = n, "recorded expired holds");
                state.events.publish(&state.db, app::live::LiveEvent::resync()).await;
            }
            Err(e) => tracing::warn!(error = ?e, "hold sweep failed; will retry"),
        }
        if let Err(e) = store::sessions::sweep(&state.db, now, state.sessions.idle_secs).await {
            tracing::warn!(error = ?e, "session sweep failed; will retry");
        }
        if let Err(e) = store::throttle::prune(&state.db, now).await {
            tracing::warn!(error = ?e, "sign-in attempt pruning failed; will retry");
        }
        if let Err(e) = store::rollup::catch_up(&state.db, &state.freshness, now).await {
            tracing::warn!(error = ?e, "capacity rollup failed; will retry");
        }
    }
}
