//! One service's capacity with its update form: plain forms that save and come back with the answer; the
//! steppers change the number locally once hydrated.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::api::provider::{ConfirmCapacity, ServiceCard, UpdateCapacity};
use crate::components::freshness_badge::FreshnessBadge;
use crate::domain::capacity::{CapacityError, CapacityField, CapacitySnapshot};

/// What the card says about the last save.
#[derive(Debug, Clone, PartialEq)]
enum CardMessage {
    /// Saved.
    Saved,
    /// Someone saved first: what they set.
    Conflict(String),
    /// A number breaks a rule, beside its field.
    Invalid {
        /// The field.
        field: CapacityField,
        /// What to fix.
        text: String,
    },
}

impl CardMessage {
    fn text(&self) -> String {
        match self {
            CardMessage::Saved => "Saved.".to_owned(),
            CardMessage::Conflict(text) => text.clone(),
            CardMessage::Invalid { text, .. } => text.clone(),
        }
    }
}

/// What the query string says happened to this card on the last plain-form post, and the numbers the
/// provider typed. Only codes are read from the URL: a field name and a rule code become words here.
fn outcome_from_query(id: i64, current: &CapacitySnapshot) -> Option<(CardMessage, Option<(String, String)>)> {
    let q = use_query_map().get_untracked();
    let mine = || Some((q.get("mine_total").unwrap_or_default(), q.get("mine_available").unwrap_or_default()));
    let names_this_card = |key: &str| q.get(key).and_then(|s| s.parse::<i64>().ok()) == Some(id);
    if names_this_card("saved") {
        Some((CardMessage::Saved, None))
    } else if names_this_card("conflict") {
        Some((CardMessage::Conflict(conflict_text(current)), mine()))
    } else if names_this_card("invalid") {
        let field = q.get("field").as_deref().and_then(CapacityField::parse).unwrap_or(CapacityField::Available);
        let text = q.get("reason").as_deref().and_then(CapacityError::text_for_code);
        let text = text.unwrap_or("Check the numbers and try again.").to_owned();
        Some((CardMessage::Invalid { field, text }, mine()))
    } else {
        None
    }
}

/// A service's card on "My capacity": plain forms that save and come back with the answer; once hydrated,
/// the − / + steppers change the number in the form without a round trip (the [`Stepper`] island).
#[component]
pub fn CapacityCard(card: ServiceCard) -> impl IntoView {
    let id = card.service_id;
    let snapshot = card.capacity.clone();
    let from_query = outcome_from_query(id, &card.capacity);
    let (total, available) = from_query
        .as_ref()
        .and_then(|(_, mine)| mine.clone())
        .unwrap_or_else(|| (card.capacity.total.to_string(), card.capacity.available.to_string()));
    let message = from_query.map(|(said, _)| said);
    let field_error = |field: CapacityField| match &message {
        Some(CardMessage::Invalid { field: f, text }) if *f == field => Some(text.clone()),
        _ => None,
    };
    let available_error = field_error(CapacityField::Available);
    let total_error = field_error(CapacityField::Total);
    let version = snapshot.version.0.to_string();

    view! {
        <article class="card" id=format!("service-{id}") data-testid=format!("service-{id}")>
            <h3>{card.name.clone()}</h3>
            <p class="meta">{card.category_name.clone()} " · " {card.organization_name.clone()}</p>
            <p class="counts" data-testid="counts">
                {format!(
                    "{} of {} {}s free · {} on hold{}",
                    snapshot.available,
                    snapshot.total,
                    card.unit,
                    snapshot.on_hold,
                    if snapshot.accepting_referrals { "" } else { " · not accepting referrals" },
                )}
            </p>
            <p>
                <FreshnessBadge band=snapshot.freshness age_secs=card.age_secs />
            </p>
            {message
                .as_ref()
                .map(|said| {
                    let saved = *said == CardMessage::Saved;
                    let class = if saved { "message notice" } else { "message error" };
                    let role = if saved { "status" } else { "alert" };
                    view! {
                        <p class=class role=role data-testid="card-message">
                            {said.text()}
                        </p>
                    }
                })}
            <form method="post" action=UpdateCapacity::PATH class="capacity-form">
                <input type="hidden" name="service_id" value=id.to_string() />
                <input type="hidden" name="version" value=version.clone() />
                <input type="hidden" name="seen_total" value=snapshot.total.to_string() />
                <input type="hidden" name="seen_available" value=snapshot.available.to_string() />
                <Stepper name=card.name.clone() available invalid=available_error.is_some() />
                {available_error.map(|m| view! { <p class="field-error">{m}</p> })}
                <label class="inline-field">
                    <span>"Total"</span>
                    <input
                        name="total"
                        type="number"
                        inputmode="numeric"
                        min="0"
                        required
                        value=total
                        aria-invalid=total_error.is_some().to_string()
                    />
                </label>
                {total_error.map(|m| view! { <p class="field-error">{m}</p> })}
                <label class="checkbox">
                    <input name="accepting" type="checkbox" value="on" checked=snapshot.accepting_referrals />
                    " Accepting referrals"
                </label>
                <button type="submit">"Save"</button>
            </form>
            <form method="post" action=ConfirmCapacity::PATH class="confirm-form">
                <input type="hidden" name="service_id" value=id.to_string() />
                <input type="hidden" name="version" value=version />
                <button type="submit" class="secondary">
                    "Still accurate"
                </button>
            </form>
            <p class="small">
                <a href=format!("/my-capacity/service/{id}")>"Describe this service and see its history"</a>
            </p>
        </article>
    }
}

/// "Free now" between its − and + buttons. Without JavaScript each button is a submit that saves one step
/// at once (`step=-1` / `step=+1`); hydrated, they change the number in the form and Save sends it.
#[island]
pub fn Stepper(name: String, available: String, invalid: bool) -> impl IntoView {
    let available = RwSignal::new(available);
    let button = move |delta: i64, label: String, symbol: &'static str| {
        view! {
            <button
                type="submit"
                name="step"
                value=format!("{delta:+}")
                class="step"
                aria-label=label
                on:click=move |ev| {
                    ev.prevent_default();
                    let current = available.get_untracked().trim().parse::<i64>().unwrap_or(0);
                    available.set((current + delta).max(0).to_string());
                }
            >
                {symbol}
            </button>
        }
    };
    view! {
        <div class="stepper">
            {button(-1, format!("One fewer free: {name}"), "−")} <label class="stepper-field">
                <span>"Free now"</span>
                <input
                    name="available"
                    type="number"
                    inputmode="numeric"
                    min="0"
                    required
                    value=available.get_untracked()
                    prop:value=move || available.get()
                    on:input=move |ev| available.set(event_target_value(&ev))
                    aria-invalid=invalid.to_string()
                />
            </label> {button(1, format!("One more free: {name}"), "+")}
        </div>
    }
}

fn conflict_text(current: &CapacitySnapshot) -> String {
    format!(
        "Someone changed this since you loaded the page: {} set {} of {} free at {}. Your numbers are still in the form: save again to apply them on top.",
        current.last_changed_by.clone().unwrap_or_else(|| "another person".into()),
        current.available,
        current.total,
        crate::domain::local_time::time_of_day(current.last_changed_at)
    )
}
