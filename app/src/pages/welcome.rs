//! Accepting an invitation or a password reset: choose a name and a password.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use crate::components::messages::FormMessages;

/// The page behind a one-time link.
#[component]
pub fn WelcomePage() -> impl IntoView {
    let token = use_params_map().with_untracked(|p| p.get("token")).unwrap_or_default();
    view! {
        <h1>"Welcome to Continuum"</h1>
        <p>
            "Choose how your name appears next to the changes you make, and a password of at least 8 characters. A long phrase is easier to remember and harder to guess."
        </p>
        <FormMessages />
        <form method="post" action=crate::api::auth::RedeemLink::PATH class="stacked-form">
            <input type="hidden" name="token" value=token />
            <label for="display_name">"Your name"</label>
            <input id="display_name" name="display_name" type="text" autocomplete="name" maxlength="80" />
            <label for="password">"New password"</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete="new-password"
                minlength="8"
                maxlength="128"
                required
            />
            <button type="submit">"Set password"</button>
        </form>
    }
}
