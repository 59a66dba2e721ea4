//! The choice between Connecticut's two ways of grouping towns (planning regions or counties), as two links
//! that keep a page's other filters: it works the same with and without JavaScript.

use leptos::prelude::*;

use crate::domain::region::RegionScheme;

/// Links to the page in each scheme; `href` gives the address for a scheme, `current` is marked as such.
pub fn scheme_choice(current: RegionScheme, href: &dyn Fn(RegionScheme) -> String) -> impl IntoView + use<> {
    let links = RegionScheme::ALL.map(|scheme| (scheme, href(scheme)));
    view! {
        <nav class="scheme-choice" aria-label="Group towns by">
            {links
                .into_iter()
                .map(|(scheme, url)| {
                    view! {
                        <a href=url aria-current=(scheme == current).then_some("page")>
                            {scheme.label()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
