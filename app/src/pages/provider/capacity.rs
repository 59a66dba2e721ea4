//! "My capacity": every service of my organizations, grouped by site, those needing an update first, with
//! one-tap updates, "still accurate", and the holds inbox.

use leptos::prelude::*;

use super::capacity_card::CapacityCard;
use super::holds_inbox::HoldsInbox;
use crate::api::provider::{ServiceCard, my_capacity};
use crate::components::guard::Guarded;
use crate::components::messages::FormMessages;
use crate::domain::access::Area;

/// The provider home.
#[component]
pub fn CapacityPage() -> impl IntoView {
    view! {
        <h1>"My capacity"</h1>
        <FormMessages />
        <Guarded
            roles=Area::ProviderCapacity.roles()
            children=|viewer| {
                view! {
                    <Capacity
                        edits_sites=Area::SiteDetails.admits(viewer.role)
                        adds=Area::Directory.admits(viewer.role)
                    />
                }
            }
        />
    }
}

/// Groups cards by site, keeping the order in which sites first appear (most urgent first).
fn by_site(cards: Vec<ServiceCard>) -> Vec<(String, i64, Vec<ServiceCard>)> {
    let mut groups: Vec<(String, i64, Vec<ServiceCard>)> = Vec::new();
    for card in cards {
        match groups.iter_mut().find(|(_, site, _)| *site == card.site_id) {
            Some((_, _, list)) => list.push(card),
            None => groups.push((format!("{} · {}", card.site_name, card.town), card.site_id, vec![card])),
        }
    }
    groups
}

#[component]
/// `edits_sites`: whether the viewer may open a site's details (provider admins do; staff update counts);
/// `adds`: whether they may add sites and services.
fn Capacity(edits_sites: bool, adds: bool) -> impl IntoView {
    let overview = Resource::new(|| (), |_| my_capacity());
    view! {
        <p class="hint">
            "Tap − or + to change what is free now, or type a number and save. "
            "“Still accurate” confirms the numbers without changing them. "
            <a href="/my-capacity/bulk">"Update several at once"</a> "."
        </p>
        {adds
            .then(|| {
                view! {
                    <p>
                        <a href="/my-capacity/new">"Add a site or service"</a>
                    </p>
                }
            })}
        <HoldsInbox />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                overview
                    .await
                    .map(|o| {
                        if o.services.is_empty() {
                            return view! { <p>"Your organization has no services listed yet."</p> }.into_any();
                        }
                        by_site(o.services)
                            .into_iter()
                            .map(|(title, site_id, cards)| {
                                view! {
                                    <section class="site-group" aria-label=title.clone()>
                                        <h2>
                                            {title.clone()}
                                            {edits_sites
                                                .then(|| {
                                                    view! {
                                                        " "
                                                        <a class="small" href=format!("/my-capacity/site/{site_id}")>
                                                            "Site details"
                                                        </a>
                                                    }
                                                })}
                                        </h2>
                                        {cards.into_iter().map(|card| view! { <CapacityCard card /> }).collect_view()}
                                    </section>
                                }
                            })
                            .collect_view()
                            .into_any()
                    })
            })}
        </Suspense>
    }
}
