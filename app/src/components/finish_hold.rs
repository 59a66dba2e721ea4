//! The plain form that ends a hold: the survivor arrived, or the units are released.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// A one-button form posting `outcome` (`confirmed` or `released`) for hold `hold_id`.
#[component]
pub fn FinishHoldForm(
    /// The hold.
    hold_id: i64,
    /// `confirmed` or `released`.
    outcome: &'static str,
    /// The button's text.
    label: &'static str,
    /// A secondary (less prominent) button.
    #[prop(optional)]
    secondary: bool,
) -> impl IntoView {
    view! {
        <form method="post" action=crate::api::provider::FinishHold::PATH class="inline">
            <input type="hidden" name="hold_id" value=hold_id.to_string() />
            <input type="hidden" name="outcome" value=outcome />
            <button type="submit" class=secondary.then_some("secondary")>
                {label}
            </button>
        </form>
    }
}
