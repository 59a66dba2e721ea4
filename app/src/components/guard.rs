//! Page guards: a page for some roles redirects anonymous visitors to sign in and tells others they lack
//! access (403). Server functions check again on their own: this only shapes the page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::auth::current_viewer;
use crate::domain::account::{Role, Viewer};

/// The viewer of the current request, loaded once per navigation and shared through context.
#[derive(Clone, Copy)]
pub struct ViewerResource(pub Resource<Result<Option<Viewer>, ServerFnError>>);

/// Provides [`ViewerResource`]; called once by the app.
pub fn provide_viewer() {
    let location = use_location();
    let resource = Resource::new(move || location.pathname.get(), |_| current_viewer());
    provide_context(ViewerResource(resource));
}

/// Renders `children` with the viewer when they hold one of `roles` (and a second factor where required).
#[component]
pub fn Guarded<F, IV>(roles: &'static [Role], children: F) -> impl IntoView
where
    F: Fn(Viewer) -> IV + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let ViewerResource(viewer) = expect_context::<ViewerResource>();
    let location = use_location();
    let children = std::sync::Arc::new(children);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let children = children.clone();
                let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                Suspend::new(async move {
                    match viewer.await {
                        Ok(Some(v)) if roles.contains(&v.role) => {
                            if v.role.requires_second_factor() && !v.totp_enabled {
                                redirect_to("/account?notice=two_factor_required");
                                view! { <p>"Set up two-factor authentication on your account page first."</p> }.into_any()
                            } else {
                                children(v).into_any()
                            }
                        }
                        Ok(Some(_)) => {
                            set_forbidden();
                            view! {
                                <h1>"No access"</h1>
                                <p>"Your role does not include this page. " <a href="/">"Go to the start page"</a> "."</p>
                            }
                            .into_any()
                        }
                        Ok(None) => {
                            redirect_to(&format!("/sign-in?next={}", crate::api::auth::urlencode(&here)));
                            view! { <p>"Sign in to continue: " <a href="/sign-in">"sign in"</a> "."</p> }.into_any()
                        }
                        Err(_) => view! { <p role="alert">"Something went wrong. Please try again."</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
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
