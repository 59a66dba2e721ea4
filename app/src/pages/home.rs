//! The start page: Connecticut's planning regions, with a filter that works live once hydrated and as a
//! plain GET form without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::regions::list_regions;
use crate::domain::region::RegionSummary;

/// The start page.
#[component]
pub fn HomePage() -> impl IntoView {
    let initial = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let regions = Resource::new(|| (), |_| list_regions(None));

    view! {
        <h1>"Connecticut's planning regions"</h1>
        <p>
            "Continuum shows, live, where help exists for survivors of human trafficking across the state's nine planning regions, and where it does not."
        </p>
        <Suspense fallback=|| view! { <p>"Loading regions…"</p> }>
            <ErrorBoundary fallback=|_| {
                view! { <p role="alert">"The regions could not be loaded. Please try again."</p> }
            }>
                {move || {
                    let initial = initial.clone();
                    Suspend::new(async move { regions.await.map(|regions| view! { <RegionFilter regions initial /> }) })
                }}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The filter and the list it narrows: an island, so the list narrows as you type once hydrated; without
/// JavaScript the form's GET does the same on the server.
#[island]
pub fn RegionFilter(regions: Vec<RegionSummary>, initial: String) -> impl IntoView {
    let filter = RwSignal::new(initial);
    let shown = Memo::new(move |_| {
        let f = filter.get();
        regions.iter().filter(|r| r.matches(&f)).cloned().collect::<Vec<_>>()
    });
    view! {
        <form method="get" action="/" role="search" class="filter-form">
            <label for="region-filter">"Filter regions by name"</label>
            <input
                id="region-filter"
                name="q"
                type="search"
                autocomplete="off"
                value=filter.get_untracked()
                prop:value=move || filter.get()
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <button type="submit">"Filter"</button>
        </form>
        <p aria-live="polite" data-testid="region-count">
            {move || {
                let n = shown.with(Vec::len);
                if n == 1 { "1 region".to_owned() } else { format!("{n} regions") }
            }}
        </p>
        <ul class="region-list" data-testid="region-list">
            <For each=move || shown.get() key=|r| r.id let:region>
                <li>
                    <span class="region-name">{region.name.clone()}</span>
                    <span class="region-towns">{format!("{} towns", region.town_count)}</span>
                </li>
            </For>
        </ul>
    }
}
