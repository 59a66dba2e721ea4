//! The public statewide picture: fresh capacity by region and victim type, small cells suppressed, no
//! organization named. No sign-in.

use leptos::prelude::*;

use crate::api::oversight::public_overview;
use crate::pages::oversight::DataTable;

/// The public page.
#[component]
pub fn PublicPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| public_overview());
    view! {
        <h1>"Help available across Connecticut now"</h1>
        <p>
            "Free places and appointments at services for survivors of human trafficking, counted only where providers confirmed their numbers recently. Counts from 1 to 4 are hidden, and so is any other count that would give one away; hidden counts show as “*”."
        </p>
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                data.await
                    .map(|d| {
                        view! {
                            <p data-testid="last-updated">
                                {match d.last_updated {
                                    Some(t) => format!("Last updated {}.", crate::domain::local_time::date_time(t)),
                                    None => "No capacity has been reported yet.".to_owned(),
                                }}
                            </p>
                            {d
                                .tables
                                .into_iter()
                                .map(|t| view! { <DataTable table=t download=String::new() /> })
                                .collect_view()}
                        }
                    })
            })}
        </Suspense>
    }
}
