//! The signed-in person's account: who they are, and two-factor authentication.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::admin::take_flashes;
use crate::api::auth::{RECOVERY_CODES_FLASH, TwoFactor, totp_setup};
use crate::components::guard::{Guarded, use_viewer};
use crate::components::messages::{ErrorMessage, FormMessages};
use crate::domain::account::Viewer;

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
        None => view! { <Guarded roles=crate::domain::access::Area::Account.roles() children=|_| () /> }.into_any(),
    }
}

#[component]
fn AccountDetails(viewer: Viewer) -> impl IntoView {
    let setup = Resource::new(|| (), |_| totp_setup());
    let flashes = Resource::new(|| (), |_| take_flashes());
    view! {
        <dl class="facts">
            <dt>"Name"</dt>
            <dd>{viewer.display_name.clone()}</dd>
            <dt>"Email"</dt>
            <dd>{viewer.email.clone()}</dd>
            <dt>"Role"</dt>
            <dd>{viewer.role.label()}</dd>
        </dl>
        <h2>"Two-factor authentication"</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let flashes = flashes.await.unwrap_or_default();
                flashes
                    .iter()
                    .find_map(|f| f.strip_prefix(RECOVERY_CODES_FLASH))
                    .map(|codes| {
                        let codes: Vec<String> = codes.split_whitespace().map(str::to_owned).collect();
                        view! { <RecoveryCodes codes /> }
                    })
            })}
        </Suspense>
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match setup.await {
                    Ok(TwoFactor::On) => {
                        view! {
                            <p data-testid="two-factor-on">
                                "On. Sign-in asks for a code from your authenticator app."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(TwoFactor::SignInAgain) => {
                        view! {
                            <p role="alert">
                                "Two-factor authentication is on for your account, but this session was opened without it. Sign out, then sign in again with a code from your authenticator app."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(TwoFactor::SetUp { secret, url }) => {
                        view! {
                            <p>
                                "Add Continuum to an authenticator app (for example FreeOTP, Aegis or Google Authenticator) with this key, then enter the 6-digit code it shows. Turning it on signs you out everywhere else."
                            </p>
                            <p class="secret">"Key: " <code data-testid="totp-secret">{secret}</code></p>
                            <p class="hint">
                                <a href=url>"Open in an authenticator app on this device"</a>
                            </p>
                            <form method="post" action=crate::api::auth::TotpEnable::PATH class="stacked-form">
                                <label for="totp-code">"Code from your app"</label>
                                <input
                                    id="totp-code"
                                    name="code"
                                    type="text"
                                    inputmode="numeric"
                                    autocomplete="one-time-code"
                                    required
                                />
                                <button type="submit">"Turn on two-factor authentication"</button>
                            </form>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The recovery codes made when the second factor was switched on, shown to this session once.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <section class="message notice" aria-labelledby="recovery-heading">
            <h3 id="recovery-heading">"Your recovery codes"</h3>
            <p>
                "Each works once, instead of a code from your app, if you lose your device. Write them down or print them now: Continuum keeps only a scrambled form and cannot show them again."
            </p>
            <ul class="recovery-codes" data-testid="recovery-codes">
                {codes
                    .into_iter()
                    .map(|c| {
                        view! {
                            <li>
                                <code>{c}</code>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
