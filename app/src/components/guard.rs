//! Page guards: a page for some roles redirects anonymous visitors to sign in and tells others they lack
//! access (403). Server functions check again on their own: this only shapes the page.
//!
//! The viewer is known before the page renders: the server resolves the session cookie of every page request
//! (see the server's `page_viewer` middleware) and the browser receives the same value with the hydration data.
//! Nothing here waits, so a page creates its resources directly in its components, never inside a
//! `Suspense` child closure: re-running such a closure on the server creates a new resource with a new
//! pending task each time, and the page never finishes rendering.

use leptos::prelude::*;
use leptos::server::SharedValue;
use leptos_router::hooks::use_location;

use crate::domain::account::{Role, Viewer};

/// The person viewing this page, or `None` when signed out; fixed for the life of the page (signing in
/// and out are full-page form posts).
#[derive(Clone, Debug)]
pub struct CurrentViewer(pub Option<Viewer>);

/// The viewer of a page request, placed in the request's extensions by the server before rendering.
#[derive(Clone, Debug, Default)]
pub struct RequestViewer(pub Option<Viewer>);

/// Provides [`CurrentViewer`]; called once by the app. Rendered on the server from the request, read back
/// from the hydration data in the browser.
pub fn provide_viewer() {
    let viewer = SharedValue::new(request_viewer).into_inner();
    provide_context(CurrentViewer(viewer));
}

/// The viewer the server resolved for this request.
#[cfg(feature = "ssr")]
fn request_viewer() -> Option<Viewer> {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestViewer>().cloned())
        .and_then(|viewer| viewer.0)
}

/// In the browser the value comes from the hydration data; this runs only if it is missing.
#[cfg(not(feature = "ssr"))]
fn request_viewer() -> Option<Viewer> {
    None
}

/// The current viewer, from context.
pub fn use_viewer() -> Option<Viewer> {
    use_context::<CurrentViewer>().and_then(|v| v.0)
}

/// Renders `children` with the viewer when they hold one of `roles` (and a second factor where required).
#[component]
pub fn Guarded<F, IV>(roles: &'static [Role], children: F) -> impl IntoView
where
    F: FnOnce(Viewer) -> IV + 'static,
    IV: IntoView + 'static,
{
    match use_viewer() {
        Some(v) if roles.contains(&v.role) => {
            if v.second_factor_pending() {
                redirect_to("/account?notice=two_factor_required");
                view! { <p>"Set up two-factor authentication on your account page first."</p> }.into_any()
            } else {
                children(v).into_any()
            }
        }
        Some(_) => {
            set_forbidden();
            view! {
                <h1>"No access"</h1>
                <p>"Your role does not include this page. " <a href="/">"Go to the start page"</a> "."</p>
            }
            .into_any()
        }
        None => {
            let location = use_location();
            let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
            redirect_to(&format!("/sign-in?next={}", crate::api::auth::urlencode(&here)));
            view! { <p>"Sign in to continue: " <a href="/sign-in">"sign in"</a> "."</p> }.into_any()
        }
    }
}

fn set_forbidden() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::FORBIDDEN);
    }
}

/// Sends the browser elsewhere: a 302 during server rendering, a navigation once hydrated.
pub fn redirect_to(path: &str) {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(path);
    #[cfg(not(feature = "ssr"))]
    {
        let navigate = leptos_router::hooks::use_navigate();
        navigate(path, Default::default());
    }
}
