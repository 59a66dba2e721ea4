//! The provider's holds inbox: who is holding what, for how long, with "arrived" and "release". Once
//! hydrated, the list is fetched again every 10 seconds, so new holds and the time left stay current.

use leptos::prelude::*;

use crate::api::provider::{HoldCard, my_holds};
use crate::components::finish_hold::FinishHoldForm;
use crate::components::live::LivePoll;

fn time_left(secs: i64) -> String {
    if secs <= 0 {
        return "expired".into();
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h} h {m} min left")
    } else if m > 0 {
        format!("{m} min {s} s left")
    } else {
        format!("{s} s left")
    }
}

/// The inbox.
#[component]
pub fn HoldsInbox() -> impl IntoView {
    let holds = Resource::new(|| (), |_| my_holds());
    view! {
        <section class="holds" aria-labelledby="holds-title">
            <h2 id="holds-title">"Holds on your services"</h2>
            <LivePoll every_secs=10 />
            <div id="live-holds" data-live data-live-poll>
                <Suspense fallback=|| {
                    view! { <p>"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let list: Vec<HoldCard> = holds.await.unwrap_or_default();
                        if list.is_empty() {
                            return view! { <p data-testid="no-holds">"No active holds."</p> }.into_any();
                        }
                        view! {
                            <ul class="hold-list" aria-live="polite" data-testid="holds">
                                {list
                                    .into_iter()
                                    .map(|h| {
                                        let id = h.id;
                                        let left = h.seconds_left;
                                        view! {
                                            <li class="hold">
                                                <p>
                                                    <strong>{format!("{} × {}", h.units, h.service_name)}</strong>
                                                </p>
                                                <p class="meta">
                                                    {format!(
                                                        "Held by {}",
                                                        h.placed_by.clone().unwrap_or_else(|| "a coordinator".into()),
                                                    )} " · " <span data-testid="time-left">{time_left(left)}</span>
                                                </p>
                                                <FinishHoldForm
                                                    hold_id=id
                                                    outcome="confirmed"
                                                    label="Survivor arrived"
                                                />
                                                <FinishHoldForm
                                                    hold_id=id
                                                    outcome="released"
                                                    label="Release"
                                                    secondary=true
                                                />
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    })}
                </Suspense>
            </div>
        </section>
    }
}
