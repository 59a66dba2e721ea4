//! Organizations: list, add, edit and retire (administrators).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use leptos_router::hooks::use_params_map;

use crate::api::admin::{EditOrganization, InviteUser, RetireOrganization, list_organizations, organization};
use crate::components::guard::Guarded;
use crate::components::messages::{ErrorMessage, FormMessages};
use crate::components::record_table::RecordTable;

/// The organizations page.
#[component]
pub fn OrganizationsPage() -> impl IntoView {
    view! {
        <h1>"Organizations"</h1>
        <FormMessages />
        <Guarded roles=crate::domain::access::Area::Administration.roles() children=|_| view! { <Organizations /> } />
    }
}

#[component]
fn Organizations() -> impl IntoView {
    let orgs = Resource::new(|| (), |_| list_organizations());
    view! {
        <h2>"Add an organization"</h2>
        <form method="post" action=crate::api::admin::AddOrganization::PATH class="stacked-form">
            <label for="org-name">"Name"</label>
            <input id="org-name" name="name" type="text" maxlength="120" required />
            <label class="checkbox">
                <input name="verified" type="checkbox" value="on" />
                " Verified"
            </label>
            <button type="submit">"Add organization"</button>
        </form>
        <h2>"All organizations"</h2>
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                orgs.await
                    .map(|list| {
                        view! {
                            <RecordTable
                                caption="Organizations"
                                caption_hidden=true
                                columns=vec!["Name", "Verified", "Status", "Sites", "Services"]
                            >
                                {list
                                    .into_iter()
                                    .map(|o| {
                                        view! {
                                            <tr>
                                                <td>
                                                    <a href=format!("/admin/organizations/{}", o.id)>{o.name}</a>
                                                </td>
                                                <td>{if o.verified { "Yes" } else { "No" }}</td>
                                                <td>{if o.retired { "Retired" } else { "Active" }}</td>
                                                <td>{o.sites}</td>
                                                <td>{o.services}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </RecordTable>
                        }
                    })
            })}
        </Suspense>
    }
}

/// One organization: edit it, or retire it with its sites and services.
#[component]
pub fn OrganizationPage() -> impl IntoView {
    view! {
        <h1>"Organization"</h1>
        <FormMessages />
        <Guarded
            roles=crate::domain::access::Area::Administration.roles()
            children=|_| view! { <OrganizationEditor /> }
        />
    }
}

#[component]
fn OrganizationEditor() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok())).unwrap_or(0);
    let org = Resource::new(move || id, organization);
    view! {
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match org.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(o) if o.retired => {
                        view! {
                            <h2>{o.name}</h2>
                            <p data-testid="retired">
                                "Retired: its sites and services are kept with their history and take no more changes."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(o) => {
                        let id = o.id.to_string();
                        view! {
                            <h2>{o.name.clone()}</h2>
                            <p class="meta">{format!("{} sites, {} services", o.sites, o.services)}</p>
                            <form method="post" action=EditOrganization::PATH class="stacked-form">
                                <input type="hidden" name="organization_id" value=id.clone() />
                                <label for="org-name">"Name"</label>
                                <input id="org-name" name="name" type="text" maxlength="120" required value=o.name />
                                <label for="org-description">"What it does"</label>
                                <textarea id="org-description" name="description" maxlength="1000" rows="3">
                                    {o.description}
                                </textarea>
                                <label for="org-website">"Website"</label>
                                <input
                                    id="org-website"
                                    name="website"
                                    type="url"
                                    maxlength="200"
                                    value=o.website.unwrap_or_default()
                                />
                                <label for="org-phone">"Main phone"</label>
                                <input
                                    id="org-phone"
                                    name="phone"
                                    type="tel"
                                    maxlength="30"
                                    value=o.phone.unwrap_or_default()
                                />
                                <label class="checkbox">
                                    <input name="verified" type="checkbox" value="on" checked=o.verified />
                                    " Verified"
                                </label>
                                <button type="submit">"Save organization"</button>
                            </form>
                            <h2>"Invite someone to act for it"</h2>
                            <form method="post" action=InviteUser::PATH class="stacked-form">
                                <input type="hidden" name="organization_id" value=id.clone() />
                                <label for="invite-email">"Email"</label>
                                <input id="invite-email" name="email" type="email" required />
                                <label for="invite-role">"Role"</label>
                                <select id="invite-role" name="role">
                                    <option value="provider_admin">"Provider admin"</option>
                                    <option value="provider_staff">"Provider staff"</option>
                                </select>
                                <button type="submit">"Create invitation link"</button>
                            </form>
                            <h2>"Retire"</h2>
                            <form method="post" action=RetireOrganization::PATH class="stacked-form">
                                <input type="hidden" name="organization_id" value=id />
                                <label class="checkbox">
                                    <input name="confirm" type="checkbox" value="on" required />
                                    " Retire this organization with all its sites and services. They leave search and every total now; their history is kept. This cannot be undone."
                                </label>
                                <button type="submit" class="secondary">
                                    "Retire organization"
                                </button>
                            </form>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
