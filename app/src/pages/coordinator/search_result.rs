//! One search result: who, where (town only), how much is free and how fresh, whom it serves, and a hold.

use leptos::prelude::*;

use leptos::server_fn::ServerFn;

use crate::api::coordinator::PlaceHold;
use crate::components::freshness_badge::FreshnessBadge;
use crate::domain::search::SearchHit;

/// A result card with its hold form: a plain post that lands on "Your holds" with the hold's answer.
#[component]
pub fn ResultCard(hit: SearchHit) -> impl IntoView {
    let age = (chrono::Utc::now() - hit.last_confirmed_at).num_seconds();
    let counts = match hit.available {
        Some(a) => format!("{a} of {} {}s free", hit.total, hit.unit),
        None => format!("Unknown: the count is out of date ({} {}s in total)", hit.total, hit.unit),
    };
    let holdable = hit.holdable();
    view! {
        <article class="card result" data-testid=format!("result-{}", hit.service_id)>
            <h3>{hit.organization_name.clone()}</h3>
            <p class="meta">{hit.service_name.clone()} " · " {hit.category_name.clone()}</p>
            <p class="meta">{format!("{} ({})", hit.town, hit.region_name.trim_end_matches(" Planning Region"))}</p>
            <p class="counts" data-testid="counts">
                {counts}
                {(hit.on_hold > 0).then(|| format!(" · {} on hold", hit.on_hold))}
                {(!hit.accepting_referrals).then_some(" · not accepting referrals")}
            </p>
            <p>
                <FreshnessBadge band=hit.freshness age_secs=age />
            </p>
            <ul class="chips" aria-label="Serves">
                {hit.serves().into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
            </ul>
            {hit.intake_phone.clone().map(|p| view! { <p>"Intake: " <a href=format!("tel:{p}")>{p.clone()}</a></p> })}
            {holdable
                .then(|| {
                    view! {
                        <form method="post" action=PlaceHold::PATH class="hold-form">
                            <input type="hidden" name="service_id" value=hit.service_id.to_string() />
                            <label class="inline-field">
                                <span>"Units"</span>
                                <input type="number" name="units" min="1" max="20" value="1" />
                            </label>
                            <label class="inline-field">
                                <span>"For"</span>
                                <select name="minutes">
                                    <option value="60">"1 hour"</option>
                                    <option value="120" selected>
                                        "2 hours"
                                    </option>
                                    <option value="240">"4 hours"</option>
                                    <option value="720">"12 hours"</option>
                                    <option value="1440">"24 hours"</option>
                                </select>
                            </label>
                            <button type="submit">"Hold"</button>
                        </form>
                    }
                })}
        </article>
    }
}
