//! One search result: who, where (town only), how much is free and how fresh, whom it serves, and a hold.

use leptos::prelude::*;

use crate::api::coordinator::{HoldResult, PlaceHold};
use crate::components::freshness_badge::FreshnessBadge;
use crate::components::messages::ErrorMessage;
use crate::domain::search::SearchHit;

/// A result card with its hold form. The hold action belongs to the page, so its answer survives the live
/// refresh that the hold itself triggers.
#[component]
pub fn ResultCard(hit: SearchHit, hold: ServerAction<PlaceHold>) -> impl IntoView {
    let id = hit.service_id;
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
                        <ActionForm action=hold attr:class="hold-form">
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
                        </ActionForm>
                    }
                })}
            {move || {
                hold.value()
                    .get()
                    .and_then(|r| match r {
                        Ok(HoldResult::Held { expires_at, service_id, .. }) if service_id == id => {
                            Some(
                                view! {
                                    <p class="message notice" role="status" data-testid="hold-message">
                                        {format!("Held until {}. ", crate::domain::local_time::time_of_day(expires_at))}
                                        <a href="/holds">"Your holds"</a>
                                    </p>
                                }
                                    .into_any(),
                            )
                        }
                        Ok(HoldResult::Refused { reason, service_id }) if service_id == id => {
                            Some(view! { <ErrorMessage error=reason testid="hold-message" /> }.into_any())
                        }
                        _ => None,
                    })
            }}
        </article>
    }
}
