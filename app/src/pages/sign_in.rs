//! Sign in: email, password and, once set up, a code from an authenticator app.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::components::messages::FormMessages;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let next = use_query_map().with_untracked(|q| q.get("next")).unwrap_or_default();
    view! {
        <h1>"Sign in"</h1>
        <FormMessages />
        <form method="post" action=crate::api::auth::SignIn::PATH class="stacked-form">
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="username" required />
            <label for="password">"Password"</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
            <label for="code">"Authentication code"</label>
            <p class="hint" id="code-hint">
                "The 6-digit code from your authenticator app, or a recovery code. Leave empty if you have not set one up."
            </p>
            <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                aria-describedby="code-hint"
            />
            <input type="hidden" name="next" value=next />
            <button type="submit">"Sign in"</button>
        </form>
        <p class="hint">"No account? Ask your organization's administrator for an invitation."</p>
    }
}
