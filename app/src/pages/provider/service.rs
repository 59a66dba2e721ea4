//! Describe a service (eligibility, languages, status), read its history, rename it, move it to another
//! category, and retire it.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use crate::api::describe::service_description;
use crate::components::guard::Guarded;
use crate::components::messages::{ErrorMessage, FormMessages};
use crate::components::record_table::RecordTable;
use crate::domain::profile::{AgeGroup, Gender};

/// The service page.
#[component]
pub fn ServicePage() -> impl IntoView {
    view! {
        <h1>"Describe a service"</h1>
        <FormMessages />
        <Guarded
            roles=crate::domain::access::Area::ServiceDescription.roles()
            children=|viewer| view! { <Service retires=crate::domain::access::Area::Directory.admits(viewer.role) /> }
        />
    }
}

/// `retires`: whether the viewer may retire the service (provider admins and administrators).
#[component]
fn Service(retires: bool) -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok())).unwrap_or(0);
    let description = Resource::new(move || id, service_description);
    view! {
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match description.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(d) => {
                        let e = d.eligibility.clone();
                        let langs = e.languages.iter().map(|l| l.as_str().to_owned()).collect::<Vec<_>>().join(", ");
                        let check = |name: &'static str, label: &'static str, on: bool| {
                            view! {
                                <label class="checkbox">
                                    <input type="checkbox" name=name value="on" checked=on />
                                    " "
                                    {label}
                                </label>
                            }
                        };
                        view! {
                            <h2>{d.name.clone()}</h2>
                            <p class="meta">{d.category_name.clone()} " · " {d.place.clone()}</p>
                            <form
                                method="post"
                                action=crate::api::describe::DescribeService::PATH
                                class="stacked-form"
                                data-testid="describe-form"
                            >
                                <input type="hidden" name="service_id" value=d.service_id.to_string() />
                                <label for="status">"Status"</label>
                                <select id="status" name="status">
                                    {[
                                        ("active", "Active"),
                                        ("temporarily_closed", "Temporarily closed"),
                                        ("inactive", "Inactive"),
                                    ]
                                        .into_iter()
                                        .map(|(v, l)| {
                                            view! {
                                                <option value=v selected=d.status == v>
                                                    {l}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <fieldset>
                                    <legend>"Ages served"</legend>
                                    {check("age_minor", "Minors (under 18)", e.age_groups.serves(AgeGroup::Minor))}
                                    {check("age_adult", "Adults", e.age_groups.serves(AgeGroup::Adult))}
                                    <label for="min_age">"Youngest age (optional)"</label>
                                    <input
                                        id="min_age"
                                        name="min_age"
                                        type="number"
                                        min="0"
                                        max="120"
                                        value=e.min_age.map(|a| a.to_string()).unwrap_or_default()
                                    />
                                    <label for="max_age">"Oldest age (optional)"</label>
                                    <input
                                        id="max_age"
                                        name="max_age"
                                        type="number"
                                        min="0"
                                        max="120"
                                        value=e.max_age.map(|a| a.to_string()).unwrap_or_default()
                                    />
                                </fieldset>
                                <fieldset>
                                    <legend>"Trafficking types served"</legend>
                                    {check("sex", "Sex trafficking", e.trafficking_types.contains_all(1))}
                                    {check("labor", "Labor trafficking", e.trafficking_types.contains_all(2))}
                                </fieldset>
                                <fieldset>
                                    <legend>"Genders served"</legend>
                                    {check("female", "Female", e.genders.serves(Gender::Female))}
                                    {check("male", "Male", e.genders.serves(Gender::Male))}
                                    {check("transgender", "Transgender", e.genders.serves(Gender::Transgender))}
                                    {check("nonbinary", "Nonbinary", e.genders.serves(Gender::Nonbinary))}
                                </fieldset>
                                <fieldset>
                                    <legend>"Access and requirements"</legend>
                                    {check("with_children", "Accompanying children accepted", e.accepts_children)}
                                    {check("pets", "Pets accepted", e.pets_allowed)}
                                    {check("wheelchair", "Wheelchair accessible", e.wheelchair_accessible)}
                                    {check("id_required", "Photo ID required", e.id_required)}
                                    {check("sobriety", "Sobriety required", e.sobriety_required)}
                                </fieldset>
                                <label for="languages">"Languages (codes, comma separated, e.g. en, es, pt)"</label>
                                <input id="languages" name="languages" type="text" value=langs />
                                <button type="submit">"Save description"</button>
                            </form>
                            {retires
                                .then(|| {
                                    view! {
                                        <NameAndKind
                                            service_id=d.service_id
                                            name=d.name.clone()
                                            category=d.category.clone()
                                        />
                                        <section aria-labelledby="retire">
                                            <h2 id="retire">"Retire this service"</h2>
                                            <p>
                                                "From now on it leaves search, the gap matrix and every total, and takes no more changes. Its history is kept."
                                            </p>
                                            <form method="post" action=crate::api::directory::RetireService::PATH>
                                                <input type="hidden" name="service_id" value=d.service_id.to_string() />
                                                <button type="submit" class="secondary">
                                                    "Retire this service"
                                                </button>
                                            </form>
                                        </section>
                                    }
                                })}
                            <h2>"Recent history"</h2>
                            <RecordTable
                                caption="Changes, newest first"
                                caption_hidden=true
                                testid="history"
                                columns=vec!["When", "Who", "What"]
                            >
                                {d
                                    .history
                                    .into_iter()
                                    .map(|h| {
                                        view! {
                                            <tr>
                                                <td>{crate::domain::local_time::date_time(h.at)}</td>
                                                <td>{h.who.unwrap_or_else(|| "—".into())}</td>
                                                <td>{h.what}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </RecordTable>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Rename a service or move it to another category of the taxonomy (provider admins and administrators).
#[component]
fn NameAndKind(service_id: i64, name: String, category: String) -> impl IntoView {
    let categories = Resource::new(|| (), |_| crate::api::regions::taxonomy());
    view! {
        <section aria-labelledby="name-and-kind">
            <h2 id="name-and-kind">"Name and kind of service"</h2>
            <form method="post" action=crate::api::directory::EditService::PATH class="stacked-form">
                <input type="hidden" name="service_id" value=service_id.to_string() />
                <label for="service-name">"Service name"</label>
                <input id="service-name" name="name" type="text" maxlength="120" required value=name />
                <label for="service-category">"Kind of service"</label>
                <Suspense fallback=|| ()>
                    {
                        let category = category.clone();
                        move || {
                            let category = category.clone();
                            Suspend::new(async move {
                                let all = categories.await.unwrap_or_default();
                                view! {
                                    <select id="service-category" name="category" required>
                                        {all
                                            .into_iter()
                                            .map(|c| {
                                                let selected = c.code == category;
                                                view! {
                                                    <option value=c.code selected=selected>
                                                        {format!("{} ({})", c.name, c.unit)}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                }
                            })
                        }
                    }
                </Suspense>
                <button type="submit">"Save name and kind"</button>
            </form>
        </section>
    }
}
