//! Bulk update: every service in one table, one submit.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::api::provider::my_capacity;
use crate::components::freshness_badge::FreshnessBadge;
use crate::components::guard::Guarded;
use crate::components::record_table::RecordTable;

/// The bulk update page.
#[component]
pub fn BulkPage() -> impl IntoView {
    view! {
        <h1>"Update several services"</h1>
        <Guarded roles=crate::domain::access::Area::ProviderCapacity.roles() children=|_| view! { <Bulk /> } />
    }
}

#[component]
fn Bulk() -> impl IntoView {
    let overview = Resource::new(|| (), |_| my_capacity());
    let query = use_query_map().get_untracked();
    let summary = query.get("saved").map(|saved| {
        let problems = query.get("problems").unwrap_or_default();
        if problems.is_empty() {
            format!("Saved {saved}.")
        } else {
            format!("Saved {saved}. Not saved (changed by someone else or invalid), shown with their current numbers: services {problems}.")
        }
    });
    view! {
        {summary
            .map(|s| {
                view! {
                    <p class="message notice" role="status" data-testid="bulk-summary">
                        {s}
                    </p>
                }
            })}
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                overview
                    .await
                    .map(|o| {
                        view! {
                            <form method="post" action=crate::api::provider::BulkUpdate::PATH>
                                <RecordTable
                                    caption="Capacity of all services"
                                    caption_hidden=true
                                    columns=vec!["Service", "Free now", "Total", "Accepting", "Last confirmed"]
                                >
                                    {o
                                        .services
                                        .into_iter()
                                        .map(|c| {
                                            let id = c.service_id;
                                            let label = format!("{} ({})", c.name, c.site_name);
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        {label.clone()}
                                                        <input
                                                            type="hidden"
                                                            name=format!("fields[version_{id}]")
                                                            value=c.capacity.version.0.to_string()
                                                        />
                                                    </th>
                                                    <td>
                                                        <input
                                                            type="number"
                                                            min="0"
                                                            inputmode="numeric"
                                                            aria-label=format!("Free now: {label}")
                                                            name=format!("fields[available_{id}]")
                                                            value=c.capacity.available.to_string()
                                                        />
                                                    </td>
                                                    <td>
                                                        <input
                                                            type="number"
                                                            min="0"
                                                            inputmode="numeric"
                                                            aria-label=format!("Total: {label}")
                                                            name=format!("fields[total_{id}]")
                                                            value=c.capacity.total.to_string()
                                                        />
                                                    </td>
                                                    <td>
                                                        <input
                                                            type="checkbox"
                                                            aria-label=format!("Accepting referrals: {label}")
                                                            name=format!("fields[accepting_{id}]")
                                                            value="on"
                                                            checked=c.capacity.accepting_referrals
                                                        />
                                                    </td>
                                                    <td>
                                                        <FreshnessBadge band=c.capacity.freshness age_secs=c.age_secs />
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </RecordTable>
                                <button type="submit">"Save all"</button>
                            </form>
                        }
                    })
            })}
        </Suspense>
    }
}
