//! The signed-in person's account: who they are, and two-factor authentication.

use leptos::prelude::*;

use crate::api::auth::totp_setup;
use crate::components::guard::{Guarded, use_viewer};
use crate::components::messages::FormMessages;
use crate::domain::account::{Role, Viewer};

const EVERYONE: &[Role] =
    &[Role::Administrator, Role::Coordinator, Role::Funder, Role::ProviderAdmin, Role::ProviderStaff];

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <h1>"Your account"</h1>
        <FormMessages />
        <AccountGuard />
    }
}

#[component]
fn AccountGuard() -> impl IntoView {
    // The account page must stay reachable before the second factor is set up, so it checks sign-in only.
    match use_viewer() {
        Some(v) => view! { <AccountDetails viewer=v /> }.into_any(),
        None => view! { <Guarded roles=EVERYONE children=|_| () /> }.into_any(),
    }
}

#[component]
fn AccountDetails(viewer: Viewer) -> impl IntoView {
    let setup = Resource::new(|| (), |_| totp_setup());
    view! {
        <dl class="facts">
            <dt>"Name"</dt><dd>{viewer.display_name.clone()}</dd>
            <dt>"Email"</dt><dd>{viewer.email.clone()}</dd>
            <dt>"Role"</dt><dd>{viewer.role.label()}</dd>
        </dl>
        <h2>"Two-factor authentication"</h2>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match setup.await {
                    Ok(None) => view! { <p data-testid="two-factor-on">"On. Sign-in asks for a code from your authenticator app."</p> }.into_any(),
                    Ok(Some(s)) => {
                        let codes = s.recovery_codes.join(" ");
                        view! {
                            <p>"Add Continuum to an authenticator app (for example FreeOTP, Aegis or Google Authenticator) with this key, then enter the 6-digit code it shows."</p>
                            <p class="secret">"Key: " <code data-testid="totp-secret">{s.secret.clone()}</code></p>
                            <p class="hint"><a href=s.url.clone()>"Open in an authenticator app on this device"</a></p>
                            <h3>"Recovery codes"</h3>
                            <p>"Each works once if you lose your device. Save them now: they are shown only here, and work once you confirm."</p>
                            <ul class="recovery-codes" data-testid="recovery-codes">
                                {s.recovery_codes.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}
                            </ul>
                            <form method="post" action="/api/totp_enable" class="stacked-form">
                                <input type="hidden" name="recovery_codes" value=codes />
                                <label for="totp-code">"Code from your app"</label>
                                <input id="totp-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required />
                                <button type="submit">"Turn on two-factor authentication"</button>
                            </form>
                        }
                        .into_any()
                    }
                    Err(_) => view! { <p role="alert">"Two-factor settings could not be loaded."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
