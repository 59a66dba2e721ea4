//! Live updates in the browser: an `EventSource` on `/events` bumps a version that pages key their data
//! on, with a visible cue and an `aria-live` announcement. Without JavaScript, pages are simply current
//! when loaded.

use leptos::prelude::*;

/// Bumped whenever the server says something changed; resources that depend on it refetch.
#[derive(Clone, Copy)]
pub struct LiveVersion(pub RwSignal<u64>);

/// Provides [`LiveVersion`] for a page and returns it.
pub fn provide_live() -> LiveVersion {
    let live = LiveVersion(RwSignal::new(0));
    provide_context(live);
    live
}

/// Subscribes to live events while mounted and announces each update.
#[component]
pub fn LiveAnnouncer() -> impl IntoView {
    let LiveVersion(version) = expect_context::<LiveVersion>();
    let message = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        subscribe(version, message);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = version;
    view! {
        <p class="live-status" aria-live="polite" data-testid="live-status">
            {move || message.get()}
        </p>
    }
}

#[cfg(feature = "hydrate")]
fn subscribe(version: RwSignal<u64>, message: RwSignal<String>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let Ok(source) = web_sys::EventSource::new("/events") else { return };
    let connected = std::cell::Cell::new(false);
    let on_event = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        // The first `resync` only confirms the connection; later ones mean events may have been missed.
        if event.type_() == "resync" && !connected.replace(true) {
            return;
        }
        version.update(|v| *v += 1);
        let time = js_sys_time();
        message.set(format!("Updated live at {time}."));
    });
    for kind in ["capacity", "hold", "service", "resync"] {
        let _ = source.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
    }
    on_event.forget();
    let source = StoredValue::new_local(source);
    on_cleanup(move || source.with_value(|s| s.close()));
}

#[cfg(feature = "hydrate")]
fn js_sys_time() -> String {
    crate::domain::local_time::at(chrono::Utc::now().timestamp()).format("%H:%M:%S %Z").to_string()
}
