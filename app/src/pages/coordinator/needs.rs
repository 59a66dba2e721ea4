//! Needs: record one (a profile prefilled from the search, never an identity), list mine, close with an
//! outcome and reasons.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::search_from;
use crate::api::coordinator::my_needs;
use crate::api::regions::{list_regions, towns_by_region};
use crate::components::guard::Guarded;
use crate::components::messages::FormMessages;
use crate::components::scheme_choice::scheme_choice;
use crate::domain::need::{Outcome, UnmetReason, Urgency};
use crate::domain::profile::{AgeGroup, COMMON_LANGUAGES, Gender, TraffickingType};
use crate::domain::region::RegionScheme;
use crate::domain::taxonomy::CategoryFamily;

/// The needs list.
#[component]
pub fn NeedsPage() -> impl IntoView {
    view! {
        <h1>"Needs"</h1>
        <FormMessages />
        <p>
            <a href="/needs/new">"Record a need"</a>
        </p>
        <Guarded roles=crate::domain::access::Area::Placement.roles() children=|_| view! { <Needs /> } />
    }
}

#[component]
fn Needs() -> impl IntoView {
    let needs = Resource::new(|| (), |_| my_needs());
    view! {
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                needs
                    .await
                    .map(|list| {
                        view! {
                            <ul class="need-list" data-testid="needs">
                                {list
                                    .into_iter()
                                    .map(|n| {
                                        let id = n.id.to_string();
                                        let title = format!(
                                            "Need {} · {} · {} · {}",
                                            n.id,
                                            n.region.trim_end_matches(" Planning Region"),
                                            n.profile,
                                            n.urgency,
                                        );
                                        view! {
                                            <li class="card">
                                                <h2 class="small-heading">{title.clone()}</h2>
                                                <p class="meta">
                                                    {format!(
                                                        "Recorded {}",
                                                        crate::domain::local_time::date_time(n.created_at),
                                                    )}
                                                </p>
                                                {match n.outcome {
                                                    Some(o) => {
                                                        let words = Outcome::parse(&o)
                                                            .map_or_else(|| o.clone(), |x| x.label().to_owned());
                                                        view! { <p>{format!("Closed: {words}")}</p> }.into_any()
                                                    }
                                                    None => {
                                                        view! {
                                                            <form
                                                                method="post"
                                                                action=crate::api::coordinator::CloseNeed::PATH
                                                                class="stacked-form"
                                                            >
                                                                <input type="hidden" name="need_id" value=id.clone() />
                                                                <label for=format!("outcome-{id}")>"Outcome"</label>
                                                                <select id=format!("outcome-{id}") name="close[outcome]">
                                                                    {Outcome::ALL
                                                                        .iter()
                                                                        .map(|o| {
                                                                            view! { <option value=o.code()>{o.label()}</option> }
                                                                        })
                                                                        .collect_view()}
                                                                </select>
                                                                <fieldset>
                                                                    <legend>
                                                                        "Reasons (when not placed, or placed outside the region)"
                                                                    </legend>
                                                                    {UnmetReason::ALL
                                                                        .iter()
                                                                        .map(|r| {
                                                                            view! {
                                                                                <label class="checkbox">
                                                                                    <input
                                                                                        type="checkbox"
                                                                                        name=format!("close[reason_{}]", r.code())
                                                                                        value="on"
                                                                                    />
                                                                                    " "
                                                                                    {r.label()}
                                                                                </label>
                                                                            }
                                                                        })
                                                                        .collect_view()}
                                                                </fieldset>
                                                                <button type="submit">
                                                                    {format!("Close need {}", n.id)}
                                                                </button>
                                                            </form>
                                                        }
                                                            .into_any()
                                                    }
                                                }}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
            })}
        </Suspense>
    }
}

/// Record a need: the profile comes from the search it started from.
#[component]
pub fn NewNeedPage() -> impl IntoView {
    view! {
        <h1>"Record a need"</h1>
        <FormMessages />
        <p class="hint">
            "Record the profile only: never a name, birth date, contact detail or story. Continuum keeps no field for them."
        </p>
        <Guarded roles=crate::domain::access::Area::Placement.roles() children=|_| view! { <NewNeed /> } />
    }
}

#[component]
fn NewNeed() -> impl IntoView {
    let query = use_query_map();
    let q = query.with_untracked(search_from);
    let regions = Resource::new(|| (), |_| list_regions(None));
    let categories = Resource::new(|| (), |_| crate::api::regions::taxonomy());
    let p = q.profile.clone();
    let family = q.family;
    // A search's region prefills the planning region; a county names no planning region.
    let region = q.region_ids.first().copied().filter(|_| q.scheme == RegionScheme::Planning);
    // The grouping of towns follows the address (the rest of the form keeps what was entered).
    let scheme = Memo::new(move |_| query.with(|m| search_from(m).scheme));
    let towns = Resource::new(move || scheme.get(), |scheme| towns_by_region(Some(scheme)));
    let option = |value: &'static str, label: &'static str, selected: bool| {
        view! {
            <option value=value selected=selected>
                {label}
            </option>
        }
    };
    let here = q.clone();
    view! {
        {move || {
            scheme_choice(
                scheme.get(),
                &|scheme| {
                    let mut other = here.clone();
                    other.scheme = scheme;
                    other.region_ids.clear();
                    format!("/needs/new?{}", other.to_query_string())
                },
            )
        }}
        <form
            method="post"
            action=crate::api::coordinator::RecordNeed::PATH
            class="stacked-form"
            data-testid="need-form"
        >
            <label for="n-town">"Town where help is needed"</label>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let groups = towns.await.unwrap_or_default();
                    view! {
                        <select id="n-town" name="need[town]" aria-describedby="n-town-hint">
                            <option value="">"Not known: choose the planning region below"</option>
                            {groups
                                .into_iter()
                                .map(|(region, towns)| {
                                    view! {
                                        <optgroup label=region>
                                            {towns
                                                .into_iter()
                                                .map(|(id, name)| {
                                                    view! { <option value=id.to_string()>{name}</option> }
                                                })
                                                .collect_view()}
                                        </optgroup>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                })}
            </Suspense>
            <p class="hint" id="n-town-hint">
                "The town gives the need its planning region and county; the town itself is not kept."
            </p>
            <label for="n-region">"Planning region, when the town is not known"</label>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let all = regions.await.unwrap_or_default();
                    view! {
                        <select id="n-region" name="need[region]">
                            <option value="" selected=region.is_none()>
                                "Choose a town above, or a region here"
                            </option>
                            {all
                                .into_iter()
                                .map(|r| {
                                    view! {
                                        <option value=r.id.to_string() selected=region == Some(r.id)>
                                            {r.name}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                })}
            </Suspense>
            <label for="n-age">"Age group"</label>
            <select id="n-age" name="need[age]">
                {AgeGroup::ALL.iter().map(|a| option(a.code(), a.label(), p.age_group == Some(*a))).collect_view()}
            </select>
            <label for="n-type">"Trafficking type"</label>
            <select id="n-type" name="need[type]">
                {TraffickingType::ALL
                    .iter()
                    .map(|t| option(t.code(), t.label(), p.trafficking_type == Some(*t)))
                    .collect_view()}
            </select>
            <label for="n-gender">"Gender (optional)"</label>
            <select id="n-gender" name="need[gender]">
                {option("", "Not recorded", p.gender.is_none())}
                {Gender::ALL.iter().map(|g| option(g.code(), g.label(), p.gender == Some(*g))).collect_view()}
            </select>
            <label for="n-household">"People in household"</label>
            <input
                id="n-household"
                name="need[household]"
                type="number"
                min="1"
                max="12"
                value=p.household_size.unwrap_or(1).to_string()
            />
            <label for="n-urgency">"Urgency"</label>
            <select id="n-urgency" name="need[urgency]">
                {Urgency::ALL.iter().map(|u| option(u.code(), u.label(), *u == Urgency::Urgent)).collect_view()}
            </select>
            <label class="checkbox">
                <input type="checkbox" name="need[wheelchair]" value="on" checked=p.wheelchair />
                " Needs wheelchair access"
            </label>
            <fieldset>
                <legend>"Languages"</legend>
                {COMMON_LANGUAGES
                    .iter()
                    .take(8)
                    .map(|(code, name)| {
                        let checked = p.languages.iter().any(|l| l.as_str() == *code);
                        view! {
                            <label class="checkbox">
                                <input type="checkbox" name=format!("need[lang_{code}]") value="on" checked=checked />
                                " "
                                {*name}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset>
                <legend>"Services needed"</legend>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        categories
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .map(|c| {
                                let checked = family == Some(CategoryFamily::Housing)
                                    && matches!(c.code.as_str(), "emergency_shelter" | "safe_house");
                                // A housing search starts with the two kinds of bed most needs ask for.
                                view! {
                                    <label class="checkbox">
                                        <input
                                            type="checkbox"
                                            name=format!("need[category_{}]", c.code)
                                            value="on"
                                            checked=checked
                                        />
                                        " "
                                        {c.name}
                                    </label>
                                }
                            })
                            .collect_view()
                    })}
                </Suspense>
            </fieldset>
            <button type="submit">"Record need"</button>
        </form>
    }
}
