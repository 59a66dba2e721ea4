//! The provider's holds inbox: who is holding what, for how long, with "arrived" and "release". Polls for
//! new holds every 10 seconds once hydrated; the countdown ticks each second.

use leptos::prelude::*;

use crate::api::provider::{HoldCard, my_holds};
use crate::components::finish_hold::FinishHoldForm;

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
    let refresh = RwSignal::new(0u32);
    let holds = Resource::new(move || refresh.get(), |_| my_holds());
    let elapsed = RwSignal::new(0i64);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let tick = set_interval_with_handle(move || elapsed.update(|e| *e += 1), std::time::Duration::from_secs(1));
            let poll = set_interval_with_handle(
                move || {
                    elapsed.set(0);
                    refresh.update(|r| *r += 1);
                },
                std::time::Duration::from_secs(10),
            );
            on_cleanup(move || {
                if let Ok(t) = tick {
                    t.clear();
                }
                if let Ok(p) = poll {
                    p.clear();
                }
            });
        }
    });
    view! {
        <section class="holds" aria-labelledby="holds-title">
            <h2 id="holds-title">"Holds on your services"</h2>
            <Transition fallback=|| {
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
                                                )} " · "
                                                <span data-testid="time-left">
                                                    {move || time_left(left - elapsed.get())}
                                                </span>
                                            </p>
                                            <FinishHoldForm hold_id=id outcome="confirmed" label="Survivor arrived" />
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
            </Transition>
        </section>
    }
}
