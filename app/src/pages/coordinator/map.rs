//! The region map: Connecticut's planning regions (or counties) shaded by fresh availability, each linked to
//! its search, with a table that says the same in text. Drawn on the server; no map tiles.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::map::region_map;
use crate::components::guard::Guarded;
use crate::components::live::LiveRegion;
use crate::components::record_table::RecordTable;
use crate::components::scheme_choice::scheme_choice;
use crate::domain::profile::VictimType;
use crate::domain::region::RegionScheme;
use crate::domain::suppression::HIDDEN;
use crate::domain::taxonomy::CategoryFamily;

fn shade(available: i64) -> (&'static str, &'static str) {
    match available {
        0 => ("shade-0", "none"),
        1..=2 => ("shade-1", "1 to 2"),
        3..=9 => ("shade-2", "3 to 9"),
        _ => ("shade-3", "10 or more"),
    }
}

/// The map page.
#[component]
pub fn MapPage() -> impl IntoView {
    view! {
        <h1>"Map of fresh capacity"</h1>
        <Guarded
            roles=crate::domain::access::Area::Gaps.roles()
            children=|viewer| view! { <Map can_search=crate::domain::access::Area::Placement.admits(viewer.role) /> }
        />
    }
}

#[component]
fn Map(can_search: bool) -> impl IntoView {
    let query = use_query_map();
    let family = Memo::new(move |_| {
        query.with(|q| q.get("family").and_then(|f| CategoryFamily::parse(&f))).unwrap_or(CategoryFamily::Housing)
    });
    let victim = Memo::new(move |_| {
        query.with(|q| q.get("victim").and_then(|v| VictimType::parse(&v))).unwrap_or(VictimType::AdultSex)
    });
    let scheme = Memo::new(move |_| {
        query.with(|q| q.get("scheme").and_then(|s| RegionScheme::parse(&s).ok())).unwrap_or_default()
    });
    let map =
        Resource::new(move || (scheme.get(), family.get(), victim.get()), |(scheme, f, v)| region_map(scheme, f, v));
    view! {
        {move || {
            let (f, v) = (family.get(), victim.get());
            scheme_choice(
                scheme.get(),
                &|s| format!("/map?family={}&victim={}&scheme={}", f.code(), v.code(), s.code()),
            )
        }}
        <form method="get" action="/map" class="filter-form">
            <input type="hidden" name="scheme" value=move || scheme.get().code() />
            <label for="m-family">"Kind of help"</label>
            <select id="m-family" name="family">
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
            <label for="m-victim">"Victim type"</label>
            <select id="m-victim" name="victim">
                {move || {
                    VictimType::ALL
                        .iter()
                        .map(|v| {
                            view! {
                                <option value=v.code() selected=victim.get() == *v>
                                    {v.label()}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <button type="submit">"Show"</button>
        </form>
        <LiveRegion id="live-map">
            <Suspense fallback=|| {
                view! { <p>"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let (f, v, in_scheme) = (family.get_untracked(), victim.get_untracked(), scheme.get_untracked());
                    map.await
                        .map(|m| {
                            let link = move |region_id: i64| {
                                format!(
                                    "/search?scheme={}&family={}&age={}&type={}&region={region_id}&stale=1",
                                    in_scheme.code(),
                                    f.code(),
                                    v.age_group().code(),
                                    v.trafficking_type().code(),
                                )
                            };
                            let regions = m.regions.clone();
                            view! {
                                <figure class="state-map">
                                    <svg
                                        viewBox=format!("0 0 600 {}", m.height)
                                        role="group"
                                        aria-labelledby="map-title"
                                        data-testid="map"
                                    >
                                        <title id="map-title">
                                            {format!(
                                                "{} for {}: fresh free units by {}",
                                                f.label(),
                                                v.label(),
                                                match in_scheme {
                                                    RegionScheme::Planning => "planning region",
                                                    RegionScheme::County => "county",
                                                },
                                            )}
                                        </title>
                                        {m
                                            .regions
                                            .into_iter()
                                            .map(|r| {
                                                let (class, words) = if r.hidden {
                                                    ("shade-hidden", "hidden")
                                                } else {
                                                    shade(r.available)
                                                };
                                                let label = if r.hidden {
                                                    format!("{}: hidden (a small number)", r.shape.name)
                                                } else {
                                                    format!("{}: {} free ({words})", r.shape.name, r.available)
                                                };
                                                let shape = view! {
                                                    <path d=r.shape.path class=format!("region {class}")>
                                                        <title>{label.clone()}</title>
                                                    </path>
                                                };
                                                if can_search {
                                                    view! {
                                                        <a href=link(r.region_id) aria-label=label>
                                                            {shape}
                                                        </a>
                                                    }
                                                        .into_any()
                                                } else {
                                                    shape.into_any()
                                                }
                                            })
                                            .collect_view()}
                                    </svg>
                                    <figcaption>
                                        <ul class="legend">
                                            {[0, 1, 3, 10]
                                                .into_iter()
                                                .map(|n| {
                                                    let (class, words) = shade(n);
                                                    view! {
                                                        <li>
                                                            <span class=format!("swatch {class}")></span>
                                                            {words}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    </figcaption>
                                </figure>
                                <RecordTable
                                    caption="The map as a table"
                                    testid="map-table"
                                    columns=vec!["Region", "Fresh free units", "Unknown (stale) services"]
                                >
                                    {regions
                                        .into_iter()
                                        .map(|r| {
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        {if can_search {
                                                            view! {
                                                                <a href=link(r.region_id)>{r.shape.name.clone()}</a>
                                                            }
                                                                .into_any()
                                                        } else {
                                                            r.shape.name.clone().into_any()
                                                        }}
                                                    </th>
                                                    <td>
                                                        {if r.hidden {
                                                            HIDDEN.to_owned()
                                                        } else {
                                                            r.available.to_string()
                                                        }}
                                                    </td>
                                                    <td>{r.unknown_services}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </RecordTable>
                            }
                        })
                })}
            </Suspense>
        </LiveRegion>
    }
}
