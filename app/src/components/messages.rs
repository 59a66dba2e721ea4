//! Messages carried in the query string after a form post: `?error=code` and `?notice=code`. Only codes
//! travel in URLs; the words of errors live in [`AppError`], those of notices here.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::AppError;

fn notice_text(code: &str) -> &'static str {
    match code {
        "signed_out" => "You are signed out.",
        "password_set" => "Your password is set. Sign in now.",
        "two_factor_on" => {
            "Two-factor authentication is on, and your other sessions have ended. Save the recovery codes below now."
        }
        "two_factor_required" => "Your role requires two-factor authentication. Set it up to continue.",
        "invited" => {
            "Invitation created. Copy the link below and send it to the person; it is shown here for two minutes only."
        }
        "reset_link" => "Password reset link created. Send it to the person; it is shown here for two minutes only.",
        "role_changed" => "Role changed. The person must sign in again.",
        "disabled" => "Account disabled. Its sessions have ended.",
        "enabled" => "Account enabled.",
        "unlocked" => "Sign-in unlocked: the account may try again now.",
        "added" => "Added.",
        "site_added" => "Site added. Add its services below.",
        "service_retired" => "Service retired: it has left search and the totals; its history is kept.",
        "site_retired" => {
            "Site retired with its services: they have left search and the totals; their history is kept."
        }
        "organization_retired" => {
            "Organization retired with its sites and services: they have left search and the totals; history is kept."
        }
        "service_added" => "Service added and open to everyone. Say who it is for below.",
        "saved" => "Saved.",
        "held" => "Held. The provider sees your hold; release it if plans change.",
        "need_recorded" => "Need recorded. Close it with its outcome when you know it.",
        "need_closed" => "Need closed with its outcome.",
        "alert_saved" => "Alert saved. Matching fresh capacity will appear here.",
        "arrived" => "Marked as arrived: the units are now in use.",
        "released" => "Hold released: the units are free again.",
        _ => "Done.",
    }
}

/// The one way an error reaches a person: its words, announced to screen readers.
#[component]
pub fn ErrorMessage(
    /// What went wrong.
    error: AppError,
    /// The `data-testid` of the message.
    #[prop(default = "error")]
    testid: &'static str,
) -> impl IntoView {
    view! {
        <p class="message error" role="alert" data-testid=testid>
            {error.message()}
        </p>
    }
}

/// Shows the error or notice named in the query string, announced to screen readers. Only a code
/// [`AppError`] knows becomes words; any other text in the URL is never shown.
#[component]
pub fn FormMessages() -> impl IntoView {
    let query = use_query_map();
    view! {
        {move || {
            query
                .with(|q| q.get("error"))
                .and_then(|code| AppError::parse(&code))
                .map(|error| view! { <ErrorMessage error testid="form-error" /> })
        }}
        {move || {
            query
                .with(|q| q.get("notice"))
                .map(|code| {
                    view! {
                        <p class="message notice" role="status" data-testid="form-notice">
                            {notice_text(&code)}
                        </p>
                    }
                })
        }}
    }
}
