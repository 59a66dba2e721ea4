//! The HTML document and the router every page lives in.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use crate::components::guard::provide_viewer;
use crate::components::hydration_marker::HydrationMarker;
use crate::components::nav::Nav;
use crate::pages::admin::{
    audit::AuditPage, import::ImportPage, organizations::OrganizationPage, organizations::OrganizationsPage,
    taxonomy::TaxonomyPage, users::UsersPage,
};
use crate::pages::coordinator::{
    gaps::GapsPage,
    holds::HoldsPage,
    map::MapPage,
    needs::{NeedsPage, NewNeedPage},
    notifications::NotificationsPage,
    search::SearchPage,
};
use crate::pages::provider::{
    bulk::BulkPage, capacity::CapacityPage, directory::DirectoryPage, service::ServicePage, site::SitePage,
};
use crate::pages::{
    account::AccountPage, home::HomePage, not_found::NotFound, sign_in::SignInPage, welcome::WelcomePage,
};

/// The whole HTML document, rendered on the server around [`App`]: the built assets by their content-hashed
/// names, and the islands' loader unless the page is one that ships no wasm.
#[cfg(feature = "ssr")]
pub fn shell(assets: crate::site_assets::SiteAssets) -> impl IntoView {
    // Islands hydrate from their own props: nothing else on the page is serialized for the browser.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let path = use_context::<axum::http::request::Parts>().map(|parts| parts.uri.path().to_owned());
    let hydrated = !path.is_some_and(|path| crate::site_assets::ships_no_wasm(&path));
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=assets.stylesheet_href() />
                <link rel="icon" href=assets.icon_href() type="image/svg+xml" />
                <link rel="apple-touch-icon" href=assets.touch_icon_href() />
                {hydrated.then(|| islands_loader(&assets))}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The script that hydrates the page's islands once it has painted (`islands_loader.js`), with the page's
/// nonce. No preload hints: on a slow phone the wasm would share the connection with the HTML and CSS the
/// first paint needs.
#[cfg(feature = "ssr")]
fn islands_loader(assets: &crate::site_assets::SiteAssets) -> impl IntoView + use<> {
    /// The loader without its comment lines and indentation: what every page carries.
    static LOADER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let code = include_str!("islands_loader.js").lines().map(str::trim).filter(|l| !l.starts_with("//"));
        code.collect::<Vec<_>>().join("\n")
    });
    let call = format!("{}({:?}, {:?});", LOADER.as_str(), assets.script_href(), assets.wasm_href());
    view! {
        <script type="module" nonce=leptos::nonce::use_nonce()>
            {call}
        </script>
    }
}

/// The application: site chrome and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Continuum" />
        <Router>
            <Chrome />
        </Router>
        // Last: islands hydrate in document order, so the mark means every island before it is live.
        <HydrationMarker />
    }
}

/// Header, navigation and routes (inside the router, so the viewer follows navigation).
#[component]
fn Chrome() -> impl IntoView {
    provide_viewer();
    // Every page renders with SsrMode::Async: it waits for its data, so it is complete without JavaScript.
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <header class="site-header">
            <a class="brand" href="/">
                "Continuum"
            </a>
            <p class="tagline">
                "Where help exists for trafficking survivors across Connecticut, and where it does not."
            </p>
            <Nav />
        </header>
        <main id="main" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                <Route path=StaticSegment("sign-in") view=SignInPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("welcome"), ParamSegment("token")) view=WelcomePage ssr=SsrMode::Async />
                <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async />
                <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async />
                <Route path=StaticSegment("gaps") view=GapsPage ssr=SsrMode::Async />
                <Route path=StaticSegment("map") view=MapPage ssr=SsrMode::Async />
                <Route path=StaticSegment("holds") view=HoldsPage ssr=SsrMode::Async />
                <Route path=StaticSegment("needs") view=NeedsPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("needs"), StaticSegment("new")) view=NewNeedPage ssr=SsrMode::Async />
                <Route path=StaticSegment("notifications") view=NotificationsPage ssr=SsrMode::Async />
                <Route path=StaticSegment("oversight") view=crate::pages::oversight::OversightPage ssr=SsrMode::Async />
                <Route path=StaticSegment("public") view=crate::pages::public::PublicPage ssr=SsrMode::Async />
                <Route path=StaticSegment("disclosure") view=crate::pages::disclosure::DisclosurePage />
                <Route path=StaticSegment("my-capacity") view=CapacityPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("my-capacity"), StaticSegment("bulk")) view=BulkPage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("my-capacity"), StaticSegment("new"))
                    view=DirectoryPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("my-capacity"), StaticSegment("service"), ParamSegment("id"))
                    view=ServicePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("my-capacity"), StaticSegment("site"), ParamSegment("id"))
                    view=SitePage
                    ssr=SsrMode::Async
                />
                <Route path=(StaticSegment("admin"), StaticSegment("users")) view=UsersPage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("admin"), StaticSegment("organizations"))
                    view=OrganizationsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("admin"), StaticSegment("organizations"), ParamSegment("id"))
                    view=OrganizationPage
                    ssr=SsrMode::Async
                />
                <Route path=(StaticSegment("admin"), StaticSegment("taxonomy")) view=TaxonomyPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("admin"), StaticSegment("import")) view=ImportPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=AuditPage ssr=SsrMode::Async />
            </Routes>
        </main>
    }
}
