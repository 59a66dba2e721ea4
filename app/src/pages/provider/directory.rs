//! "Add a site or service": provider admins add to their own organizations, as plain forms that work without
//! JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::directory::{AddService, AddSite, DirectoryOptions, directory_choices};
use crate::components::guard::Guarded;
use crate::components::messages::{ErrorMessage, FormMessages};
use crate::domain::access::Area;

/// The page.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    view! {
        <h1>"Add a site or service"</h1>
        <FormMessages />
        <Guarded roles=Area::Directory.roles() children=|_| view! { <Forms /> } />
    }
}

#[component]
fn Forms() -> impl IntoView {
    let choices = Resource::new(|| (), |_| directory_choices());
    view! {
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match choices.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(options) => {
                        view! {
                            <SiteForm options=options.clone() />
                            <ServiceForm options />
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `(value, label)` pairs as `<option>`s, after a first empty "Choose…" option.
fn options_of(pairs: &[(String, String)]) -> impl IntoView + use<> {
    let pairs = pairs.to_vec();
    view! {
        <option value="">"Choose…"</option>
        {pairs.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
    }
}

fn id_pairs(pairs: &[(i64, String)]) -> Vec<(String, String)> {
    pairs.iter().map(|(id, label)| (id.to_string(), label.clone())).collect()
}

#[component]
fn SiteForm(options: DirectoryOptions) -> impl IntoView {
    view! {
        <section aria-labelledby="add-site">
            <h2 id="add-site">"Add a site"</h2>
            <form method="post" action=AddSite::PATH class="stacked-form">
                <label for="site-organization">"Organization"</label>
                <select id="site-organization" name="organization_id" required>
                    {options_of(&id_pairs(&options.organizations))}
                </select>
                <label for="site-name">"Name"</label>
                <input id="site-name" name="name" type="text" maxlength="120" required />
                <label for="site-town">"Town"</label>
                <select id="site-town" name="town_id" required>
                    {options_of(&id_pairs(&options.towns))}
                </select>
                <label for="site-address">"Street address"</label>
                <input id="site-address" name="street_address" type="text" maxlength="200" />
                <label class="checkbox">
                    <input type="checkbox" name="confidential" value="on" />
                    " Confidential address: shown only to this organization and administrators; coordinators see the town and intake phone"
                </label>
                <label for="site-phone">"Intake phone"</label>
                <input id="site-phone" name="intake_phone" type="tel" maxlength="30" />
                <label for="site-hours">"Hours"</label>
                <input
                    id="site-hours"
                    name="hours"
                    type="text"
                    maxlength="120"
                    placeholder="e.g. 24/7, or Mon–Fri 9am–5pm"
                />
                <label class="checkbox">
                    <input type="checkbox" name="wheelchair" value="on" />
                    " Wheelchair accessible"
                </label>
                <button type="submit">"Add site"</button>
            </form>
        </section>
    }
}

#[component]
fn ServiceForm(options: DirectoryOptions) -> impl IntoView {
    if options.sites.is_empty() {
        return view! { <p>"Add a site first: every service is delivered at one."</p> }.into_any();
    }
    view! {
        <section aria-labelledby="add-service">
            <h2 id="add-service">"Add a service"</h2>
            <form method="post" action=AddService::PATH class="stacked-form">
                <label for="service-site">"Site"</label>
                <select id="service-site" name="site_id" required>
                    {options_of(&id_pairs(&options.sites))}
                </select>
                <label for="service-category">"Kind of service"</label>
                <select id="service-category" name="category" required>
                    {options_of(&options.categories)}
                </select>
                <label for="service-name">"Service name"</label>
                <input id="service-name" name="name" type="text" maxlength="120" required />
                <label for="service-total">"Total (beds, slots or cases)"</label>
                <input id="service-total" name="total" type="number" inputmode="numeric" min="0" required />
                <label for="service-available">"Free now"</label>
                <input id="service-available" name="available" type="number" inputmode="numeric" min="0" required />
                <label class="checkbox">
                    <input type="checkbox" name="accepting" value="on" checked />
                    " Accepting referrals"
                </label>
                <button type="submit">"Add service"</button>
            </form>
        </section>
    }
    .into_any()
}
