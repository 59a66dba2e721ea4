//! The site navigation: links for the viewer's role, and sign in or out.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::guard::use_viewer;

/// The header's navigation.
#[component]
pub fn Nav() -> impl IntoView {
    let links = match use_viewer() {
        None => view! {
            <ul class="nav">
                <li>
                    <a href="/public">"Statewide picture"</a>
                </li>
                <li>
                    <a href="/sign-in">"Sign in"</a>
                </li>
            </ul>
        }
        .into_any(),
        Some(v) => {
            let links = crate::domain::access::navigation(v.role);
            view! {
                <ul class="nav">
                    {links
                        .iter()
                        .map(|(href, label, _)| {
                            view! {
                                <li>
                                    <a href=*href>{*label}</a>
                                </li>
                            }
                        })
                        .collect_view()} <li>
                        <a href="/account">{v.display_name.clone()}</a>
                    </li> <li>
                        <form method="post" action=crate::api::auth::SignOut::PATH class="inline">
                            <button type="submit" class="link-button">
                                "Sign out"
                            </button>
                        </form>
                    </li>
                </ul>
            }
            .into_any()
        }
    };
    view! { <nav aria-label="Main">{links}</nav> }
}
