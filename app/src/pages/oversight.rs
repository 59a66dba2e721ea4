//! The oversight dashboard: unmet need, capacity, time to placement and provider freshness over time, with
//! filters in the URL, charts with text summaries, data tables, and CSV downloads. Small cells suppressed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::AppError;
use crate::api::oversight::oversight;
use crate::api::regions::list_regions;
use crate::components::chart::{BarChart, LineChart, Series};
use crate::components::guard::Guarded;
use crate::components::messages::ErrorMessage;
use crate::components::record_table::RecordTable;
use crate::components::scheme_choice::scheme_choice;
use crate::domain::oversight::{DEFAULT_WEEKS, FilterError, LabelledTable, MAX_WEEKS, OversightFilter};
use crate::domain::profile::VictimType;
use crate::domain::region::RegionScheme;
use crate::domain::suppression::Cell;
use crate::domain::taxonomy::CategoryFamily;

/// The dashboard page.
#[component]
pub fn OversightPage() -> impl IntoView {
    view! {
        <h1>"Oversight"</h1>
        <p class="hint">
            "Aggregates only, for whole weeks that have ended. Counts from 1 to 4 are hidden, and so are further cells wherever totals would reveal them; hidden cells show as “*”. The "
            <a href="/disclosure">"disclosure policy"</a>" says what is published and why."
        </p>
        <Guarded roles=crate::domain::access::Area::Oversight.roles() children=|_| view! { <Dashboard /> } />
    }
}

fn today() -> chrono::NaiveDate {
    crate::domain::local_time::date(chrono::Utc::now().timestamp())
}

fn filter_from(params: &leptos_router::params::ParamsMap) -> Result<OversightFilter, FilterError> {
    let keys = ["from", "to", "scheme", "region", "victim", "family", "split"];
    let pairs: Vec<(&str, String)> = keys.iter().filter_map(|k| params.get(k).map(|v| (*k, v))).collect();
    OversightFilter::from_pairs(today(), pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

fn values(cells: &[Cell]) -> Vec<Option<f64>> {
    cells
        .iter()
        .map(|c| match c {
            Cell::Shown(n) => Some(*n as f64),
            Cell::Suppressed => None,
        })
        .collect()
}

#[component]
fn Dashboard() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from));
    let data = Resource::new(
        move || filter.get().map(|f| f.to_query_string()),
        |query| async move {
            match query {
                Ok(q) => oversight(q).await,
                Err(e) => Err(AppError::from(e)),
            }
        },
    );
    let scheme = Memo::new(move |_| filter.with(|f| f.as_ref().map(|f| f.scheme).unwrap_or_default()));
    let regions = Resource::new(move || scheme.get(), |scheme| list_regions(Some(scheme)));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let all = regions.await.unwrap_or_default();
                let f = filter.get_untracked().unwrap_or_else(|_| OversightFilter::last_weeks(today(), DEFAULT_WEEKS));
                let here = f.clone();
                view! {
                    {scheme_choice(
                        f.scheme,
                        &|scheme| {
                            let mut other = here.clone();
                            other.scheme = scheme;
                            other.region_id = None;
                            format!("/oversight?{}", other.to_query_string())
                        },
                    )}
                    <Filters filter=f regions=all />
                }
            })}
        </Suspense>
        <Transition fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let qs = filter.get_untracked().map(|f| f.to_query_string()).unwrap_or_default();
                let by_county = filter.get_untracked().is_ok_and(|f| f.scheme == RegionScheme::County);
                let (region_column, freshness_caption) = if by_county {
                    ("County", "Freshness by county, last week shown")
                } else {
                    ("Planning region", "Freshness by planning region, last week shown")
                };
                match data.await {
                    Err(e) => view! { <ErrorMessage error=e testid="filter-error" /> }.into_any(),
                    Ok(v) => {
                        let weeks = v.needs.rows.clone();
                        let col = |c: usize| values(&v.needs.table.cells.iter().map(|r| r[c]).collect::<Vec<_>>());
                        let unmet_total: i64 = v
                            .needs
                            .table
                            .cells
                            .iter()
                            .flat_map(|r| r[1..].iter())
                            .filter_map(|c| match c {
                                Cell::Shown(n) => Some(*n),
                                _ => None,
                            })
                            .sum();
                        let cap_labels: Vec<String> = v
                            .capacity
                            .iter()
                            .map(|w| w.week.format("%Y-%m-%d").to_string())
                            .collect();
                        let last_cap = v.capacity.last().and_then(|w| w.values[0].zip(w.values[1]));
                        let capacity_summary = match last_cap {
                            Some((total, free)) => {
                                let in_use = if total > 0.0 { 100.0 * (1.0 - free / total) } else { 0.0 };
                                format!(
                                    "In the last week shown: {total:.0} units in total, {free:.0} free with fresh counts ({in_use:.0}% in use or unknown).",
                                )
                            }
                            None => {
                                "The last week shown is hidden: fewer than three organizations, or a small number of units in use."
                                    .to_owned()
                            }
                        };
                        let last_compliance = v.compliance.last().and_then(|w| w.values[0]).map_or(0.0, |c| c * 100.0);
                        view! {
                            <section class="dashboard-section" aria-labelledby="needs-title">
                                <h2 id="needs-title">"Unmet need"</h2>
                                <BarChart
                                    title="Needs by week".into()
                                    unit="needs".into()
                                    labels=weeks.clone()
                                    series=vec![
                                        Series {
                                            name: "Placed in region".into(),
                                            values: col(0),
                                        },
                                        Series {
                                            name: "Not placed".into(),
                                            values: col(1),
                                        },
                                        Series {
                                            name: "Placed outside region".into(),
                                            values: col(2),
                                        },
                                    ]
                                    summary=format!(
                                        "At least {unmet_total} needs went unmet (not placed or placed outside their region) in the weeks shown; hidden small counts are not included.",
                                    )
                                />
                                <DataTable
                                    table=v.needs.clone()
                                    download=format!("/oversight/export.csv?table=needs&{qs}")
                                />
                                <h3>{v.not_placed.title.clone()}</h3>
                                <DataTable
                                    table=v.not_placed.clone()
                                    download=format!("/oversight/export.csv?table=unmet&{qs}")
                                />
                            </section>
                            <section class="dashboard-section" aria-labelledby="placement-title">
                                <h2 id="placement-title">"Time to placement"</h2>
                                <LineChart
                                    title="Median hours from recording to placement, by week recorded".into()
                                    unit="hours".into()
                                    labels=weeks.clone()
                                    series=vec![
                                        Series {
                                            name: "Median hours".into(),
                                            values: v.placement_hours.iter().map(|w| w.values[0]).collect(),
                                        },
                                    ]
                                    summary="How long placed needs took from being recorded to being placed; a week is missing where fewer than five were placed, or their count is hidden."
                                        .into()
                                />
                                <p>
                                    <a href=format!("/oversight/export.csv?table=placement&{qs}") download="">
                                        "Download time to placement as CSV"
                                    </a>
                                </p>
                            </section>
                            <section class="dashboard-section" aria-labelledby="capacity-title">
                                <h2 id="capacity-title">"Capacity"</h2>
                                <LineChart
                                    title="Total and fresh available units, end of each week".into()
                                    unit="units".into()
                                    labels=cap_labels.clone()
                                    series=vec![
                                        Series {
                                            name: "Total".into(),
                                            values: v.capacity.iter().map(|w| w.values[0]).collect(),
                                        },
                                        Series {
                                            name: "Fresh available".into(),
                                            values: v.capacity.iter().map(|w| w.values[1]).collect(),
                                        },
                                    ]
                                    summary=capacity_summary
                                />
                                <p>
                                    <a href=format!("/oversight/export.csv?table=capacity&{qs}") download="">
                                        "Download capacity as CSV"
                                    </a>
                                </p>
                            </section>
                            <section class="dashboard-section" aria-labelledby="compliance-title">
                                <h2 id="compliance-title">"Provider data freshness"</h2>
                                <LineChart
                                    title="Share of services confirmed within their freshness threshold".into()
                                    unit="share".into()
                                    labels=cap_labels
                                    series=vec![
                                        Series {
                                            name: "Fresh".into(),
                                            values: v.compliance.iter().map(|w| w.values[0]).collect(),
                                        },
                                    ]
                                    summary=format!(
                                        "{last_compliance:.0}% of services had fresh counts at the end of the last week shown.",
                                    )
                                />
                                <RecordTable
                                    caption=freshness_caption
                                    testid="compliance-by-region"
                                    columns=vec![region_column, "Services", "Fresh", "Share"]
                                >
                                    {v
                                        .compliance_by_region
                                        .iter()
                                        .map(|(r, s, f)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        {r.trim_end_matches(" Planning Region").to_owned()}
                                                    </th>
                                                    <td>{*s}</td>
                                                    <td>{*f}</td>
                                                    <td>
                                                        {format!(
                                                            "{:.0}%",
                                                            if *s == 0 { 0.0 } else { 100.0 * *f as f64 / *s as f64 },
                                                        )}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </RecordTable>
                                <RecordTable
                                    caption="Freshness by organization, now"
                                    testid="compliance-by-organization"
                                    columns=vec!["Organization", "Services", "Fresh"]
                                >
                                    {v
                                        .compliance_by_organization
                                        .iter()
                                        .map(|(o, s, f)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{o.clone()}</th>
                                                    <td>{*s}</td>
                                                    <td>{*f}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </RecordTable>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A suppressed table with its totals and a CSV download link.
#[component]
pub fn DataTable(table: LabelledTable, download: String) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on small screens)">
            <table class="data" data-testid="data-table">
                <caption>{table.title.clone()}</caption>
                <thead>
                    <tr>
                        <th scope="col"></th>
                        {table.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                        <th scope="col">"Total"</th>
                    </tr>
                </thead>
                <tbody>
                    {table
                        .rows
                        .iter()
                        .enumerate()
                        .map(|(r, label)| {
                            view! {
                                <tr>
                                    <th scope="row">{label.clone()}</th>
                                    {table
                                        .table
                                        .cells[r]
                                        .iter()
                                        .map(|c| view! { <td>{c.display()}</td> })
                                        .collect_view()}
                                    <td>{table.table.row_totals[r].display()}</td>
                                </tr>
                            }
                        })
                        .collect_view()} <tr class="totals">
                        <th scope="row">"Total"</th>
                        {table.table.column_totals.iter().map(|c| view! { <td>{c.display()}</td> }).collect_view()}
                        <td>{table.table.total.display()}</td>
                    </tr>
                </tbody>
            </table>
        </div>
        <p>
            <a href=download download="">
                {format!("Download “{}” as CSV", table.title)}
            </a>
        </p>
    }
}

/// Options for a week select, newest first, with `chosen` selected (and listed even when it is older).
fn week_options(days: &[chrono::NaiveDate], chosen: chrono::NaiveDate) -> impl IntoView + use<> {
    let mut days = days.to_vec();
    if !days.contains(&chosen) {
        days.push(chosen);
    }
    days.into_iter()
        .map(|d| {
            view! {
                <option value=d.to_string() selected=d == chosen>
                    {d.format("%a %-d %b %Y").to_string()}
                </option>
            }
        })
        .collect_view()
}

#[component]
fn Filters(filter: OversightFilter, regions: Vec<crate::domain::region::RegionSummary>) -> impl IntoView {
    let splits = [("", "No split"), ("region", "Region"), ("victim", "Victim type")];
    let split_code = filter.split.code();
    let region_label = match filter.scheme {
        RegionScheme::Planning => "Planning region",
        RegionScheme::County => "County",
    };
    // Figures are published for whole weeks that have ended: the choices are Mondays and Sundays.
    let last = OversightFilter::last_weeks(today(), 1);
    let sundays: Vec<chrono::NaiveDate> = (0..MAX_WEEKS).map(|i| last.to - chrono::Duration::weeks(i)).collect();
    let mondays: Vec<chrono::NaiveDate> = (0..MAX_WEEKS).map(|i| last.from - chrono::Duration::weeks(i)).collect();
    view! {
        <form method="get" action="/oversight" class="search-form" aria-label="Dashboard filters">
            <label for="o-from">"From the week of"</label>
            <select id="o-from" name="from">
                {week_options(&mondays, filter.from)}
            </select>
            <label for="o-to">"To the week ending"</label>
            <select id="o-to" name="to">
                {week_options(&sundays, filter.to)}
            </select>
            <input type="hidden" name="scheme" value=filter.scheme.code() />
            <label for="o-region">{region_label}</label>
            <select id="o-region" name="region">
                <option value="" selected=filter.region_id.is_none()>
                    "Statewide"
                </option>
                {regions
                    .into_iter()
                    .map(|r| {
                        view! {
                            <option value=r.id.to_string() selected=filter.region_id == Some(r.id)>
                                {r.name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="o-victim">"Victim type"</label>
            <select id="o-victim" name="victim">
                <option value="" selected=filter.victim.is_none()>
                    "All"
                </option>
                {VictimType::ALL
                    .iter()
                    .map(|v| {
                        view! {
                            <option value=v.code() selected=filter.victim == Some(*v)>
                                {v.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="o-family">"Services"</label>
            <select id="o-family" name="family">
                <option value="" selected=filter.family.is_none()>
                    "All"
                </option>
                {CategoryFamily::ALL
                    .iter()
                    .map(|f| {
                        view! {
                            <option value=f.code() selected=filter.family == Some(*f)>
                                {f.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="o-split">"Split needs not placed by"</label>
            <select id="o-split" name="split">
                {splits
                    .into_iter()
                    .map(|(v, l)| {
                        view! {
                            <option value=v selected=split_code == v>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit">"Update"</button>
        </form>
    }
}
