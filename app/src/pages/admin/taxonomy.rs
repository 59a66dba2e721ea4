//! The service taxonomy: list and extend.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::regions::taxonomy;
use crate::components::guard::Guarded;
use crate::components::messages::FormMessages;
use crate::components::record_table::RecordTable;
use crate::domain::taxonomy::CategoryFamily;

/// The taxonomy page.
#[component]
pub fn TaxonomyPage() -> impl IntoView {
    view! {
        <h1>"Service taxonomy"</h1>
        <FormMessages />
        <Guarded roles=crate::domain::access::Area::Administration.roles() children=|_| view! { <Taxonomy /> } />
    }
}

#[component]
fn Taxonomy() -> impl IntoView {
    let categories = Resource::new(|| (), |_| taxonomy());
    view! {
        <h2>"Add a category"</h2>
        <form method="post" action=crate::api::admin::AddCategory::PATH class="stacked-form">
            <label for="cat-code">"Code (lowercase letters and underscores)"</label>
            <input id="cat-code" name="code" type="text" pattern="[a-z_]{2,40}" required />
            <label for="cat-family">"Family"</label>
            <select id="cat-family" name="family">
                {CategoryFamily::ALL
                    .iter()
                    .map(|f| view! { <option value=f.code()>{f.label()}</option> })
                    .collect_view()}
            </select>
            <label for="cat-name">"Name"</label>
            <input id="cat-name" name="name" type="text" maxlength="100" required />
            <label for="cat-unit">"Unit of capacity (e.g. bed, case slot)"</label>
            <input id="cat-unit" name="unit" type="text" maxlength="30" required />
            <label for="cat-term">"Shared taxonomy term (optional, e.g. a 211 code)"</label>
            <input id="cat-term" name="taxonomy_term" type="text" maxlength="60" />
            <button type="submit">"Add category"</button>
        </form>
        <h2>"Categories"</h2>
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                categories
                    .await
                    .map(|list| {
                        view! {
                            <RecordTable
                                caption="Categories"
                                caption_hidden=true
                                columns=vec!["Family", "Name", "Code", "Unit", "Taxonomy term"]
                            >
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <tr>
                                                <td>
                                                    {CategoryFamily::parse(&c.family)
                                                        .map_or("?", CategoryFamily::label)}
                                                </td>
                                                <td>{c.name}</td>
                                                <td>
                                                    <code>{c.code}</code>
                                                </td>
                                                <td>{c.unit}</td>
                                                <td>{c.taxonomy_term.unwrap_or_default()}</td>
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
