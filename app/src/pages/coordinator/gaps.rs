//! The gap matrix: regions by the four headline victim types, fresh free units in each cell, zero cells
//! unmistakable, unknown (stale) capacity apart; every cell links to its search.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::search::gap_matrix;
use crate::components::guard::Guarded;
use crate::components::live::LiveRegion;
use crate::components::scheme_choice::scheme_choice;
use crate::domain::gaps::worst_gaps;
use crate::domain::profile::VictimType;
use crate::domain::region::{RegionScheme, short_region_name};
use crate::domain::suppression::HIDDEN;
use crate::domain::taxonomy::CategoryFamily;

/// The gap matrix page.
#[component]
pub fn GapsPage() -> impl IntoView {
    view! {
        <h1>"Where help is missing"</h1>
        <Guarded
            roles=crate::domain::access::Area::Gaps.roles()
            children=|viewer| view! { <Gaps can_search=crate::domain::access::Area::Placement.admits(viewer.role) /> }
        />
    }
}

#[component]
fn Gaps(can_search: bool) -> impl IntoView {
    let query = use_query_map();
    let family = Memo::new(move |_| {
        query.with(|q| q.get("family").and_then(|f| CategoryFamily::parse(&f))).unwrap_or(CategoryFamily::Housing)
    });
    let scheme = Memo::new(move |_| {
        query.with(|q| q.get("scheme").and_then(|s| RegionScheme::parse(&s).ok())).unwrap_or_default()
    });
    let rows = Resource::new(move || (scheme.get(), family.get()), |(scheme, f)| gap_matrix(scheme, f));
    view! {
        {move || {
            let f = family.get();
            scheme_choice(scheme.get(), &|s| format!("/gaps?family={}&scheme={}", f.code(), s.code()))
        }}
        <form method="get" action="/gaps" class="filter-form">
            <input type="hidden" name="scheme" value=move || scheme.get().code() />
            <label for="g-family">"Kind of help"</label>
            <select id="g-family" name="family">
                {move || {
                    CategoryFamily::ALL
                        .iter()
                        .map(|f| {
                            view! {
                                <option value=f.code() selected=family.get() == *f>
                                    {f.label()}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <button type="submit">"Show"</button>
        </form>
        <p class="hint">
            "Each cell counts free units at services that serve that victim type and whose numbers are fresh. "
            "“None” means no fresh capacity at all; out-of-date listings are counted apart as unknown. "
            "For funders, small numbers are hidden (“*”) as on the public page."
        </p>
        <LiveRegion id="live-gaps">
            <Suspense fallback=|| {
                view! { <p>"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let f = family.get_untracked();
                    let in_scheme = scheme.get_untracked().code();
                    rows.await
                        .map(|rows| {
                            let worst = worst_gaps(&rows, 5);
                            view! {
                                <h2>"Worst gaps"</h2>
                                <ul data-testid="gap-summary">
                                    {worst
                                        .into_iter()
                                        .map(|(region, v, cell)| {
                                            view! {
                                                <li>
                                                    {format!(
                                                        "{}: {} — {}",
                                                        short_region_name(&region),
                                                        v.label(),
                                                        if cell.available == 0 {
                                                            "no fresh capacity".to_owned()
                                                        } else {
                                                            format!("{} free", cell.available)
                                                        },
                                                    )}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <div
                                    class="table-scroll"
                                    tabindex="0"
                                    role="region"
                                    aria-label="Table (scrolls sideways on small screens)"
                                >
                                    <table class="gap-matrix" data-testid="gap-matrix">
                                        <caption>{format!("{} capacity by region and victim type", f.label())}</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">"Region"</th>
                                                {VictimType::ALL
                                                    .iter()
                                                    .map(|v| view! { <th scope="col">{v.label()}</th> })
                                                    .collect_view()}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows
                                                .into_iter()
                                                .map(|row| {
                                                    view! {
                                                        <tr>
                                                            <th scope="row">
                                                                {short_region_name(&row.region_name).to_owned()}
                                                            </th>
                                                            {VictimType::ALL
                                                                .iter()
                                                                .map(|v| {
                                                                    let cell = row.cell(*v);
                                                                    let href = format!(
                                                                        "/search?scheme={}&family={}&age={}&type={}&region={}&stale=1",
                                                                        in_scheme,
                                                                        f.code(),
                                                                        v.age_group().code(),
                                                                        v.trafficking_type().code(),
                                                                        row.region_id,
                                                                    );
                                                                    if cell.hidden {
                                                                        let label = format!(
                                                                            "{}, {}: hidden (a small number)",
                                                                            row.region_name,
                                                                            v.label(),
                                                                        );
                                                                        return view! {
                                                                            <td class="hidden-count">
                                                                                <span aria-label=label>{HIDDEN}</span>
                                                                            </td>
                                                                        }
                                                                            .into_any();
                                                                    }
                                                                    let text = if cell.available == 0 {
                                                                        "None".to_owned()
                                                                    } else {
                                                                        cell.available.to_string()
                                                                    };
                                                                    let label = format!(
                                                                        "{}, {}: {}",
                                                                        row.region_name,
                                                                        v.label(),
                                                                        text,
                                                                    );
                                                                    let value = if can_search {
                                                                        view! {
                                                                            <a href=href aria-label=label>
                                                                                {text}
                                                                            </a>
                                                                        }
                                                                            .into_any()
                                                                    } else {
                                                                        view! { <span aria-label=label>{text}</span> }.into_any()
                                                                    };
                                                                    view! {
                                                                        <td class=if cell.available == 0 {
                                                                            "zero"
                                                                        } else {
                                                                            ""
                                                                        }>
                                                                            {value}
                                                                            {(cell.unknown_services > 0)
                                                                                .then(|| {
                                                                                    view! {
                                                                                        <span class="unknown">
                                                                                            {format!(" +{} unknown", cell.unknown_services)}
                                                                                        </span>
                                                                                    }
                                                                                })}
                                                                        </td>
                                                                    }
                                                                        .into_any()
                                                                })
                                                                .collect_view()}
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                        })
                })}
            </Suspense>
        </LiveRegion>
    }
}
