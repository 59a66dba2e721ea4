//! Marks the document once the wasm has hydrated it, so browser tests (and CSS) can tell.

use leptos::prelude::*;

/// Sets `data-hydrated="true"` on `<body>` once the page's islands have hydrated (this island is one of
/// them). Effects never run during server rendering, so a page without JavaScript never carries the mark.
#[island]
pub fn HydrationMarker() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
