//! Importing a directory: upload an HSDS package, JSON list or one-sheet CSV (checked only, or written), and
//! read what it found: the plan or what was done, or every problem by file, line and column.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::import::{ImportReport, ImportStatus, recent_imports, uploaded_import};
use crate::components::guard::Guarded;
use crate::components::live::LivePoll;
use crate::components::messages::FormMessages;
use crate::components::record_table::RecordTable;

/// The import page.
#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <h1>"Import a directory"</h1>
        <FormMessages />
        <Guarded roles=crate::domain::access::Area::Administration.roles() children=|_| view! { <Import /> } />
    }
}

#[component]
fn Import() -> impl IntoView {
    let query = use_query_map();
    let id = Memo::new(move |_| query.with(|q| q.get("report").and_then(|r| r.parse::<i64>().ok())));
    let report = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => uploaded_import(id).await,
                None => Ok(None),
            }
        },
    );
    view! {
        // In the browser, a running import (`data-live-poll`) is asked after every second until it is done.
        <LivePoll every_secs=1 />
        <div id="live-import" data-live>
            <Suspense fallback=|| {
                view! { <p>"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(Some(ImportStatus::Finished(report))) => view! { <Report report /> }.into_any(),
                        Ok(Some(ImportStatus::Running { file, progress, .. })) => {
                            view! { <Running file progress id=id.get_untracked().unwrap_or_default() /> }.into_any()
                        }
                        Ok(Some(ImportStatus::Interrupted { file })) => {
                            view! {
                                <p class="message error" role="status" data-testid="import-interrupted">
                                    {format!(
                                        "The import of {file} stopped before it finished: nothing was written. Upload it again.",
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <crate::components::messages::ErrorMessage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
        <form method="post" action="/admin/import" enctype="multipart/form-data" class="stacked-form">
            <label for="import-file">"File"</label>
            <p class="hint" id="import-file-hint">
                "An HSDS 3.1 tabular data package as a .zip (datapackage.json and one CSV per table), "
                "an HSDS 3.1 JSON list of services or organizations (.json), or the one-sheet template (.csv). "
                "Rows are matched by their ids: importing the same file again changes nothing."
            </p>
            <input
                id="import-file"
                name="file"
                type="file"
                accept=".zip,.json,.csv"
                required
                aria-describedby="import-file-hint"
            />
            <label class="checkbox">
                <input type="checkbox" name="dry_run" value="yes" checked />
                "Dry run: check the file and show the plan, write nothing"
            </label>
            <label class="checkbox">
                <input type="checkbox" name="whole_directory" value="yes" aria-describedby="whole-hint" />
                "This file is the whole directory"
            </label>
            <p class="hint" id="whole-hint">
                "Without this, the file speaks only for the organizations it names: their sites and services it "
                "no longer lists are retired, and every other organization is left as it is. With it, whatever an "
                "earlier import brought in that the file no longer names is retired, organizations included."
            </p>
            <button type="submit">"Check and import"</button>
        </form>
        <RecentImports />
    }
}

/// The latest imports, newest first, each linking to its report.
#[component]
fn RecentImports() -> impl IntoView {
    let recent = Resource::new(|| (), |_| recent_imports());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = recent.await.unwrap_or_default();
                (!list.is_empty())
                    .then(|| {
                        view! {
                            <h2>"Recent imports"</h2>
                            <RecordTable
                                caption="Recent imports"
                                caption_hidden=true
                                columns=vec!["When", "File", "Outcome"]
                                testid="recent-imports"
                            >
                                {list
                                    .into_iter()
                                    .map(|i| {
                                        let when = chrono::DateTime::from_timestamp(i.at, 0)
                                            .map(crate::domain::local_time::date_time);
                                        view! {
                                            <tr>
                                                <td>
                                                    <a href=format!("/admin/import?report={}", i.id)>{when}</a>
                                                </td>
                                                <td>{i.file}</td>
                                                <td>{i.outcome}</td>
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

/// An import still running: how far it has come, and (without JavaScript) a link to look again.
#[component]
fn Running(file: String, progress: Option<(usize, usize)>, id: i64) -> impl IntoView {
    let said = match progress {
        Some((done, total)) => format!("Importing {file}: {done} of {total} services checked."),
        None => format!("Importing {file}: reading the file."),
    };
    view! {
        <section aria-labelledby="running-heading" data-testid="import-running" data-live-poll>
            <h2 id="running-heading">{format!("Importing: {file}")}</h2>
            <p role="status">{said}</p>
            {match progress {
                Some((done, total)) => {
                    view! { <progress max=total value=done aria-labelledby="running-heading"></progress> }.into_any()
                }
                None => view! { <progress aria-labelledby="running-heading"></progress> }.into_any(),
            }}
            <p>
                <a href=format!("/admin/import?report={id}")>"Check again"</a>
                " (the page also checks by itself every second when JavaScript is on)."
            </p>
        </section>
    }
}

/// What one import found and did.
#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let when = chrono::DateTime::from_timestamp(report.at, 0).map(crate::domain::local_time::date_time);
    let outcome = if !report.problems.is_empty() {
        let n = report.problem_count();
        format!("{n} problem{} found: nothing was written. Fix them and upload again.", if n == 1 { "" } else { "s" })
    } else if report.written {
        "Imported: the directory now holds what the file says.".to_owned()
    } else {
        "Dry run: nothing was written. Untick \u{201c}Dry run\u{201d} and upload again to import.".to_owned()
    };
    let class = if report.problems.is_empty() { "message notice" } else { "message error" };
    view! {
        <section aria-labelledby="report-heading" data-testid="import-report">
            <h2 id="report-heading">{format!("Report: {}", report.file)}</h2>
            <p class=class role="status">
                {outcome}
            </p>
            <p class="hint">{when.map(|w| format!("Checked {w}."))}</p>
            {(!report.tallies.is_empty())
                .then(|| {
                    view! {
                        <RecordTable
                            caption=if report.written { "What was imported" } else { "The plan" }
                            columns=vec!["", "Add", "Change", "Unchanged", "Retire"]
                            testid="import-plan"
                        >
                            {report
                                .tallies
                                .iter()
                                .map(|t| {
                                    view! {
                                        <tr>
                                            <th scope="row">{t.what.clone()}</th>
                                            <td>{t.counts.added}</td>
                                            <td>{t.counts.changed}</td>
                                            <td>{t.counts.unchanged}</td>
                                            <td>{t.counts.retired}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </RecordTable>
                    }
                })}
            {(!report.problems.is_empty())
                .then(|| {
                    view! {
                        <RecordTable
                            caption="Problems"
                            columns=vec!["File", "Line", "Column or place", "Problem"]
                            testid="import-problems"
                        >
                            {report
                                .problems
                                .iter()
                                .map(|p| {
                                    view! {
                                        <tr>
                                            <td>{p.file.clone()}</td>
                                            <td>{(p.line > 0).then_some(p.line)}</td>
                                            <td>
                                                <code>{p.column.clone()}</code>
                                            </td>
                                            <td>{p.message.clone()}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </RecordTable>
                    }
                })}
            {(report.more_problems > 0)
                .then(|| {
                    view! {
                        <p>
                            {format!(
                                "…and {} more. The command line (continuum import --dry-run) lists them all.",
                                report.more_problems,
                            )}
                        </p>
                    }
                })}
        </section>
    }
}
