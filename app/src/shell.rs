//! The HTML document and the router every page lives in.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use crate::components::hydration_marker::HydrationMarker;
use crate::pages::{home::HomePage, not_found::NotFound};

/// The whole HTML document, rendered on the server around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: site chrome and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="continuum" href="/pkg/continuum.css" />
        <Title text="Continuum" />
        <HydrationMarker />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <a class="brand" href="/">"Continuum"</a>
                <p class="tagline">"Where help exists for trafficking survivors across Connecticut, and where it does not."</p>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    // Async: the whole page waits for its data, so it is complete without JavaScript.
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
