//! A table of records: it scrolls sideways on a narrow screen (and can be scrolled from the keyboard), has a
//! caption for screen readers, and column headings.

use leptos::prelude::*;

/// A table with `columns` as its headings and `children` as its body rows.
#[component]
pub fn RecordTable(
    /// What the table lists.
    #[prop(into)]
    caption: String,
    /// Whether the caption is for screen readers only (the page heading already says it).
    #[prop(optional)]
    caption_hidden: bool,
    /// Column headings, in order.
    columns: Vec<&'static str>,
    /// A `data-testid` for the table, if any.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The body rows.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on small screens)">
            <table data-testid=testid>
                <caption class=caption_hidden.then_some("visually-hidden")>{caption}</caption>
                <thead>
                    <tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
