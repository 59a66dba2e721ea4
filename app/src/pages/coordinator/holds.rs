//! My holds: what I am holding, for how long, and "release".

use leptos::prelude::*;

use crate::api::coordinator::coordinator_holds;
use crate::components::finish_hold::FinishHoldForm;
use crate::components::guard::Guarded;
use crate::components::messages::FormMessages;

/// The holds page.
#[component]
pub fn HoldsPage() -> impl IntoView {
    view! {
        <h1>"Your holds"</h1>
        <FormMessages />
        <Guarded roles=crate::domain::access::Area::Placement.roles() children=|_| view! { <Holds /> } />
    }
}

#[component]
fn Holds() -> impl IntoView {
    let holds = Resource::new(|| (), |_| coordinator_holds());
    view! {
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                holds
                    .await
                    .map(|list| {
                        if list.is_empty() {
                            return view! {
                                <p data-testid="no-holds">
                                    "You hold nothing right now. " <a href="/search">"Find a placement"</a>
                                </p>
                            }
                                .into_any();
                        }
                        view! {
                            <ul class="hold-list" data-testid="holds">
                                {list
                                    .into_iter()
                                    .map(|h| {
                                        view! {
                                            <li class="hold">
                                                <p>
                                                    <strong>{format!("{} × {}", h.units, h.service_name)}</strong>
                                                </p>
                                                <p class="meta">
                                                    {format!(
                                                        "{}, {} · until {}",
                                                        h.organization_name,
                                                        h.town,
                                                        crate::domain::local_time::time_of_day(h.expires_at),
                                                    )}
                                                </p>
                                                <FinishHoldForm
                                                    hold_id=h.id
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
                    })
            })}
        </Suspense>
    }
}
