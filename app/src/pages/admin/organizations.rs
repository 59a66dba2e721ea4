//! Organizations: list and add.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::admin::list_organizations;
use crate::components::guard::Guarded;
use crate::components::messages::FormMessages;
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
                                columns=vec!["Id", "Name", "Verified", "Sites", "Services"]
                            >
                                {list
                                    .into_iter()
                                    .map(|o| {
                                        view! {
                                            <tr>
                                                <td>{o.id}</td>
                                                <td>{o.name}</td>
                                                <td>{if o.verified { "Yes" } else { "No" }}</td>
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
