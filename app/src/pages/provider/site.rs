//! A site's details, including its address and confidential flag, and retiring it (provider admins and
//! administrators).

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
    let towns = Resource::new(|| (), |_| crate::api::regions::towns());
    view! {
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match site.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(s) if s.retired => {
                        view! {
                            <h2>{s.name}</h2>
                            <p data-testid="retired">
                                "Retired: its services are kept with their history and take no more changes."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(s) => {
                        let all_towns = towns.await.unwrap_or_default();
                        view! {
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
                                <label for="site-town">"Town"</label>
                                <select id="site-town" name="town_id" required>
                                    {all_towns
                                        .into_iter()
                                        .map(|(id, name)| {
                                            view! {
                                                <option value=id.to_string() selected=id == s.town_id>
                                                    {name}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
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
                                <label for="site-hours">"Hours"</label>
                                <input
                                    id="site-hours"
                                    name="hours"
                                    type="text"
                                    maxlength="120"
                                    placeholder="e.g. 24/7, or Mon–Fri 9am–5pm"
                                    value=s.hours.clone().unwrap_or_default()
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
                            <section aria-labelledby="retire-site">
                                <h2 id="retire-site">"Retire this site"</h2>
                                <form method="post" action=crate::api::directory::RetireSite::PATH class="stacked-form">
                                    <input type="hidden" name="site_id" value=s.id.to_string() />
                                    <label class="checkbox">
                                        <input name="confirm" type="checkbox" value="on" required />
                                        " Retire this site and every service at it. They leave search and every total now; their history is kept. This cannot be undone."
                                    </label>
                                    <button type="submit" class="secondary">
                                        "Retire this site"
                                    </button>
                                </form>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
