//! Alerts raised by saved searches.

use leptos::prelude::*;

use crate::api::coordinator::my_notifications;
use crate::components::guard::Guarded;
use crate::components::live::LiveRegion;
use crate::components::messages::FormMessages;

/// The notifications page.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <h1>"Alerts"</h1>
        <FormMessages />
        <Guarded roles=crate::domain::access::Area::Placement.roles() children=|_| view! { <Notifications /> } />
    }
}

#[component]
fn Notifications() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_notifications());
    view! {
        <p class="hint">
            "Save a search as an alert from the search page. When a service matching it has fresh free capacity, it appears here."
        </p>
        <LiveRegion id="live-notifications">
            <Suspense fallback=|| {
                view! { <p>"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    list.await
                        .map(|items| {
                            view! {
                                <ul data-testid="notifications">
                                    {items
                                        .into_iter()
                                        .map(|n| {
                                            view! {
                                                <li>
                                                    {format!(
                                                        "{}: fresh capacity at {}. ",
                                                        crate::domain::local_time::date_time(n.at),
                                                        n.what,
                                                    )} <a href=format!("/search?{}", n.query)>"Open the search"</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                        })
                })}
            </Suspense>
        </LiveRegion>
    }
}
