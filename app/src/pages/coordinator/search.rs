//! "Find a placement": filters in the URL (shareable, bookmarkable, a plain GET form), results sorted by fresh
//! availability, a hold action on each, live updates while open.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::search_from;
use super::search_result::ResultCard;
use crate::api::regions::list_regions;
use crate::api::search::search_services;
use crate::components::guard::Guarded;
use crate::components::live::LiveRegion;
use crate::components::messages::FormMessages;
use crate::components::scheme_choice::scheme_choice;
use crate::domain::profile::{AgeGroup, COMMON_LANGUAGES, Gender, TraffickingType};
use crate::domain::search::SearchQuery;
use crate::domain::taxonomy::CategoryFamily;

/// The search page.
#[component]
pub fn SearchPage() -> impl IntoView {
    view! {
        <h1>"Find a placement"</h1>
        <FormMessages />
        <Guarded roles=crate::domain::access::Area::Placement.roles() children=|_| view! { <Search /> } />
    }
}

#[component]
fn Search() -> impl IntoView {
    let query = use_query_map();
    let current = Memo::new(move |_| query.with(search_from));
    let results = Resource::new(move || current.get(), search_services);
    let scheme = Memo::new(move |_| current.with(|q| q.scheme));
    let regions = Resource::new(move || scheme.get(), |scheme| list_regions(Some(scheme)));
    let categories = Resource::new(|| (), |_| crate::api::regions::taxonomy());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let all = regions.await.unwrap_or_default();
                let categories = categories.await.unwrap_or_default();
                view! { <Filters query=current.get_untracked() regions=all categories /> }
            })}
        </Suspense>
        <LiveRegion id="live-results">
            <Suspense fallback=|| {
                view! { <p>"Searching…"</p> }
            }>
                {move || Suspend::new(async move {
                    let q = current.get_untracked();
                    results
                        .await
                        .map(|page| {
                            let qs = q.to_query_string();
                            let pages = (page.total_found + i64::from(page.page_size) - 1) / i64::from(page.page_size);
                            let link = move |p: u32| {
                                let mut next = q.clone();
                                next.page = p;
                                format!("/search?{}", next.to_query_string())
                            };
                            view! {
                                <h2 data-testid="result-count">
                                    {format!(
                                        "{} service{} found",
                                        page.total_found,
                                        if page.total_found == 1 { "" } else { "s" },
                                    )}
                                </h2>
                                <div class="actions-row">
                                    <a href=format!("/needs/new?{qs}")>"Record a need for this profile"</a>
                                    <form method="post" action=crate::api::coordinator::SaveAlert::PATH class="inline">
                                        <input type="hidden" name="query" value=qs.clone() />
                                        <button type="submit" class="secondary">
                                            "Alert me when this has fresh capacity"
                                        </button>
                                    </form>
                                </div>
                                <ol class="results" data-testid="results">
                                    {page
                                        .hits
                                        .into_iter()
                                        .map(|hit| {
                                            view! {
                                                <li>
                                                    <ResultCard hit />
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                                <nav aria-label="Pages" class="pager">
                                    {(page.page > 1).then(|| view! { <a href=link(page.page - 1)>"Previous page"</a> })}
                                    <span>{format!("Page {} of {}", page.page, pages.max(1))}</span>
                                    {(i64::from(page.page) < pages)
                                        .then(|| view! { <a href=link(page.page + 1)>"Next page"</a> })}
                                </nav>
                            }
                        })
                })}
            </Suspense>
        </LiveRegion>
    }
}

#[component]
fn Filters(
    query: SearchQuery,
    regions: Vec<crate::domain::region::RegionSummary>,
    categories: Vec<crate::api::views::CategoryView>,
) -> impl IntoView {
    let p = query.profile.clone();
    let option = |value: &'static str, label: &'static str, selected: bool| {
        view! {
            <option value=value selected=selected>
                {label}
            </option>
        }
    };
    view! {
        {scheme_choice(
            query.scheme,
            &|scheme| {
                let mut other = query.clone();
                other.scheme = scheme;
                other.region_ids.clear();
                other.page = 1;
                format!("/search?{}", other.to_query_string())
            },
        )}
        <form method="get" action="/search" class="search-form" role="search" aria-label="Placement filters">
            <input type="hidden" name="scheme" value=query.scheme.code() />
            <fieldset>
                <legend>{query.scheme.label()}</legend>
                <div class="checks">
                    {regions
                        .into_iter()
                        .map(|r| {
                            let checked = query.region_ids.contains(&r.id);
                            let short = r.short_name().to_owned();
                            view! {
                                <label class="checkbox">
                                    <input type="checkbox" name="region" value=r.id.to_string() checked=checked />
                                    " "
                                    {short}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <label class="checkbox">
                    <input type="checkbox" name="near" value="1" checked=query.near />
                    {match query.scheme {
                        crate::domain::region::RegionScheme::Planning => " Include neighbouring regions",
                        crate::domain::region::RegionScheme::County => " Include neighbouring counties",
                    }}
                </label>
            </fieldset>
            <fieldset>
                <legend>"Survivor profile"</legend>
                <label for="f-age">"Age group"</label>
                <select id="f-age" name="age">
                    {option("", "Any", p.age_group.is_none())}
                    {AgeGroup::ALL.iter().map(|a| option(a.code(), a.label(), p.age_group == Some(*a))).collect_view()}
                </select>
                <label for="f-type">"Trafficking type"</label>
                <select id="f-type" name="type">
                    {option("", "Any", p.trafficking_type.is_none())}
                    {TraffickingType::ALL
                        .iter()
                        .map(|t| option(t.code(), t.label(), p.trafficking_type == Some(*t)))
                        .collect_view()}
                </select>
                <label for="f-gender">"Gender"</label>
                <select id="f-gender" name="gender">
                    {option("", "Any", p.gender.is_none())}
                    {Gender::ALL.iter().map(|g| option(g.code(), g.label(), p.gender == Some(*g))).collect_view()}
                </select>
                <label for="f-household">"People in household"</label>
                <input
                    id="f-household"
                    name="household"
                    type="number"
                    min="1"
                    max="12"
                    value=p.household_size.map(|h| h.to_string()).unwrap_or_default()
                />
                <div class="checks">
                    {COMMON_LANGUAGES
                        .iter()
                        .take(8)
                        .map(|(code, name)| {
                            let checked = p.languages.iter().any(|l| l.as_str() == *code);
                            view! {
                                <label class="checkbox">
                                    <input type="checkbox" name="lang" value=*code checked=checked />
                                    " "
                                    {*name}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <label class="checkbox">
                    <input type="checkbox" name="wheelchair" value="1" checked=p.wheelchair />
                    " Needs wheelchair access"
                </label>
                <label class="checkbox">
                    <input type="checkbox" name="pets" value="1" checked=p.pets />
                    " Has a pet"
                </label>
            </fieldset>
            <fieldset>
                <legend>"Services"</legend>
                <label for="f-family">"Kind of help"</label>
                <select id="f-family" name="family">
                    {option("", "Any", query.family.is_none())}
                    {CategoryFamily::ALL
                        .iter()
                        .map(|f| option(f.code(), f.label(), query.family == Some(*f)))
                        .collect_view()}
                </select>
                <label for="f-category">"Service"</label>
                <select id="f-category" name="category">
                    <option value="" selected=query.categories.is_empty()>
                        "Any"
                    </option>
                    {categories
                        .into_iter()
                        .map(|c| {
                            let selected = query.categories.iter().any(|q| q.as_str() == c.code);
                            view! {
                                <option value=c.code selected=selected>
                                    {c.name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <label class="checkbox">
                    <input type="checkbox" name="available" value="1" checked=query.available_now />
                    " Available now only"
                </label>
                <label class="checkbox">
                    <input type="checkbox" name="stale" value="1" checked=query.include_stale />
                    " Include out-of-date (stale) listings"
                </label>
            </fieldset>
            <button type="submit">"Search"</button>
        </form>
    }
}
