//! A site's details, including its address and confidential flag (provider admins and administrators).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use crate::api::describe::site_details;
use crate::components::guard::Guarded;
use crate::components::messages::{ErrorMessage, FormMessages};

/// The site page.
#[component]
pub fn SitePage() -> impl IntoView {
    view! {
        <h1>"Site details"</h1>
        <FormMessages />
        <Guarded roles=crate::domain::access::Area::SiteDetails.roles() children=|_| view! { <Site /> } />
    }
}

#[component]
fn Site() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok())).unwrap_or(0);
    let site = Resource::new(move || id, site_details);
    view! {
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match site.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(s) => {
                        view! {
                            <p class="meta">{format!("Town: {} (set by administrators)", s.town)}</p>
                            <form method="post" action=crate::api::describe::EditSite::PATH class="stacked-form">
                                <input type="hidden" name="site_id" value=s.id.to_string() />
                                <label for="site-name">"Name"</label>
                                <input
                                    id="site-name"
                                    name="name"
                                    type="text"
                                    maxlength="120"
                                    required
                                    value=s.name.clone()
                                />
                                <label for="site-address">"Street address"</label>
                                <input
                                    id="site-address"
                                    name="street_address"
                                    type="text"
                                    maxlength="200"
                                    value=s.street_address.clone().unwrap_or_default()
                                />
                                <label class="checkbox">
                                    <input
                                        type="checkbox"
                                        name="confidential"
                                        value="on"
                                        checked=s.address_confidential
                                    />
                                    " Confidential address: shown only to this organization and administrators; coordinators see the town and intake phone"
                                </label>
                                <label for="site-phone">"Intake phone"</label>
                                <input
                                    id="site-phone"
                                    name="intake_phone"
                                    type="tel"
                                    maxlength="30"
                                    value=s.intake_phone.clone().unwrap_or_default()
                                />
                                <label class="checkbox">
                                    <input
                                        type="checkbox"
                                        name="wheelchair"
                                        value="on"
                                        checked=s.wheelchair_accessible
                                    />
                                    " Wheelchair accessible"
                                </label>
                                <button type="submit">"Save site"</button>
                            </form>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
