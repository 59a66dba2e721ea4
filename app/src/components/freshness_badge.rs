//! A freshness badge: the band and the age in words, never a number without its age.

use leptos::prelude::*;

use crate::domain::freshness::{FreshnessBand, age_in_words};

/// "Fresh · updated 3 h ago".
#[component]
pub fn FreshnessBadge(band: FreshnessBand, age_secs: i64) -> impl IntoView {
    let text = format!("{} · updated {}", band.label(), age_in_words(age_secs));
    view! {
        <span class=format!("badge {}", band.code()) data-testid="freshness">
            {text}
        </span>
    }
}
