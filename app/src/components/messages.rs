//! Messages carried in the query string after a form post: `?error=code` and `?notice=code`. Only codes
//! travel in URLs; the words live here.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn error_text(code: &str) -> &'static str {
    match code {
        "credentials" => "The email or password is not right.",
        "code" => {
            "That code is not right or was already used. Use the next code from your authenticator app, or a recovery code."
        }
        "throttled" => "Too many attempts. Wait a while and try again, or ask an administrator to unlock the account.",
        "too_short" => "Use at least 8 characters.",
        "too_long" => "Use at most 128 characters.",
        "too_common" => "That password is too common: it appears in lists attackers try first. Choose another.",
        "link" => "This link is invalid, expired or already used. Ask for a new one.",
        "name" => "Check the name: it is empty or too long.",
        "email" => "Enter an email address such as name@example.org.",
        "role" => "Choose a role.",
        "organization" => "Provider accounts need an organization.",
        "taken" => "That already exists.",
        "self" => "You cannot disable your own account.",
        "not_found" => "That no longer exists.",
        "no_setup" => "Start the set-up again.",
        "unknown_field" => "The form carried a field Continuum does not record.",
        "need_fields" => "Choose a region, age group, trafficking type and urgency.",
        "need_invalid" => {
            "Check the need: choose at least one service, a household of 1 to 12 and at most five languages."
        }
        "outcome" => "Choose an outcome.",
        "reason_required" => "Choose at least one reason the need was not met.",
        "reasons_not_allowed" => "Reasons apply only when the need was not met or was met outside the region.",
        "already_closed" => "This need is already closed.",
        "hold_units" => "Hold between 1 and 20 units.",
        "hold_duration" => "A hold lasts between 5 minutes and 24 hours.",
        "hold_unavailable" => "No longer available: someone else took the last units, or the count is out of date.",
        "hold_not_accepting" => "This service is not accepting referrals right now.",
        "hold_ended" => "This hold has already ended.",
        "alert_limit" => "You have as many alerts as one coordinator may. Delete one first.",
        "hold_limit" => "You hold as many units as one coordinator may. Release a hold you no longer need first.",
        _ => "That did not work. Check the form and try again.",
    }
}

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

/// Shows the error or notice named in the query string, announced to screen readers.
#[component]
pub fn FormMessages() -> impl IntoView {
    let query = use_query_map();
    view! {
        {move || {
            query
                .with(|q| q.get("error"))
                .map(|code| {
                    view! {
                        <p class="message error" role="alert" data-testid="form-error">
                            {error_text(&code)}
                        </p>
                    }
                })
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
