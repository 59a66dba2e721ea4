//! Live updates in the browser without shipping any page's code: a small island fetches the page again and
//! swaps in its live regions (elements with an `id` and a `data-live` attribute), when the server says
//! something changed (`/events`, [`LiveRefresh`]) or on a timer ([`LivePoll`]). Without JavaScript, pages
//! are simply current when loaded.

use leptos::prelude::*;

/// Keeps the page's live regions current: refreshes them on every change the server announces, and says so
/// in a polite live region.
#[island]
pub fn LiveRefresh() -> impl IntoView {
    let message = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::on_events(message);
    });
    view! {
        <p class="live-status" aria-live="polite" data-testid="live-status">
            {move || message.get()}
        </p>
    }
}

/// A part of the page kept current by [`LiveRefresh`] (placed just above it, with its announcement): on every
/// change the server announces, the part is replaced by its copy in the page fetched again. `id` names it on
/// the page; it holds no islands (swapped HTML is never hydrated).
#[component]
pub fn LiveRegion(id: &'static str, children: Children) -> impl IntoView {
    view! {
        <LiveRefresh />
        <div id=id data-live>
            {children()}
        </div>
    }
}

/// Refreshes the page's live regions every `every_secs` seconds while the page holds an element marked
/// `data-live-poll` (an import still running, a provider's holds), silently.
#[island]
pub fn LivePoll(every_secs: u32) -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::every(every_secs);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = every_secs;
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;
    use std::rc::Rc;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::{Closure, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// One refresh at a time; a request while one runs asks for one more after it. `message`, when set,
    /// says when the last refresh landed.
    struct Refresher {
        running: Cell<bool>,
        again: Cell<bool>,
        message: Option<RwSignal<String>>,
    }

    impl Refresher {
        fn new(message: Option<RwSignal<String>>) -> Rc<Self> {
            Rc::new(Self { running: Cell::new(false), again: Cell::new(false), message })
        }
    }

    /// Refreshes every `secs` seconds while the page holds an element marked `data-live-poll`.
    pub fn every(secs: u32) {
        let refresher = Refresher::new(None);
        let _ = set_interval_with_handle(
            move || {
                if document().query_selector("[data-live-poll]").ok().flatten().is_some() {
                    request(&refresher);
                }
            },
            std::time::Duration::from_secs(u64::from(secs.max(1))),
        );
    }

    /// Refreshes on every event of `/events`, announcing each refresh in `message`.
    pub fn on_events(message: RwSignal<String>) {
        let refresher = Refresher::new(Some(message));
        let Ok(source) = web_sys::EventSource::new("/events") else { return };
        let connected = Cell::new(false);
        let on_event = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            // The first `resync` only confirms the connection; later ones mean events may have been missed.
            if event.type_() == "resync" && !connected.replace(true) {
                return;
            }
            request(&refresher);
        });
        for kind in ["capacity", "hold", "service", "resync"] {
            let _ = source.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
        }
        // The page never unmounts its islands (navigation loads a new page), so the stream lives as long.
        on_event.forget();
    }

    fn request(refresher: &Rc<Refresher>) {
        if refresher.running.replace(true) {
            refresher.again.set(true);
            return;
        }
        let refresher = refresher.clone();
        leptos::task::spawn_local(async move {
            loop {
                refresher.again.set(false);
                if let (Ok(true), Some(message)) = (swap_live_regions().await, refresher.message) {
                    message.set(format!("Updated live at {}.", time_now()));
                }
                if !refresher.again.get() {
                    break;
                }
            }
            refresher.running.set(false);
        });
    }

    /// Fetches this page again and replaces each live region with its fresh copy; `Ok(true)` once done. A
    /// page that now answers differently (signed out, gone) leaves the regions as they are.
    async fn swap_live_regions() -> Result<bool, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let init = web_sys::RequestInit::new();
        init.set_cache(web_sys::RequestCache::NoStore);
        let href = window.location().href()?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(&href, &init)).await?.dyn_into()?;
        if !response.ok() || response.redirected() {
            return Ok(false);
        }
        let html = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
        let fresh = web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
        let regions = document().query_selector_all("[data-live][id]")?;
        for index in 0..regions.length() {
            let Some(region) = regions.item(index).and_then(|node| node.dyn_into::<web_sys::Element>().ok()) else {
                continue;
            };
            if let Some(copy) = fresh.get_element_by_id(&region.id()) {
                region.set_inner_html(&copy.inner_html());
            }
        }
        Ok(true)
    }

    /// The browser's clock, in its own time zone ("2:05:09 PM").
    fn time_now() -> String {
        String::from(js_sys::Date::new_0().to_locale_time_string("en-US"))
    }
}
