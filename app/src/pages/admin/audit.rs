//! The audit log: browse and filter by action.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::admin::audit_log;
use crate::components::guard::Guarded;
use crate::components::record_table::RecordTable;

/// The audit log page.
#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <h1>"Audit log"</h1>
        <Guarded roles=crate::domain::access::Area::Administration.roles() children=|_| view! { <Audit /> } />
    }
}

#[component]
fn Audit() -> impl IntoView {
    let action = use_query_map().with_untracked(|q| q.get("action")).unwrap_or_default();
    let filter = action.clone();
    let entries = Resource::new(move || filter.clone(), |a| audit_log(Some(a)));
    view! {
        <form method="get" action="/admin/audit" role="search" class="filter-form">
            <label for="audit-action">"Action starts with (e.g. sign_in, user., address.view)"</label>
            <input id="audit-action" name="action" type="search" value=action />
            <button type="submit">"Filter"</button>
        </form>
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                entries
                    .await
                    .map(|list| {
                        view! {
                            <RecordTable
                                caption="Audit entries, newest first"
                                caption_hidden=true
                                testid="audit-table"
                                columns=vec!["When", "Who", "Action", "What", "Change"]
                            >
                                {list
                                    .into_iter()
                                    .map(|e| {
                                        view! {
                                            <tr>
                                                <td>
                                                    {crate::domain::local_time::at(e.at.timestamp())
                                                        .format("%Y-%m-%d %H:%M:%S %Z")
                                                        .to_string()}
                                                </td>
                                                <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                                <td>
                                                    <code>{e.action}</code>
                                                </td>
                                                <td>
                                                    {format!(
                                                        "{} {}",
                                                        e.entity,
                                                        e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                                                    )}
                                                </td>
                                                <td>
                                                    {match (e.old_value, e.new_value) {
                                                        (Some(o), Some(n)) => format!("{o} → {n}"),
                                                        (None, Some(n)) => n,
                                                        (Some(o), None) => o,
                                                        (None, None) => String::new(),
                                                    }}
                                                </td>
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
