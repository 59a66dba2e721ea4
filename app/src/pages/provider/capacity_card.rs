//! One service's capacity with its update form. Works as a plain form; once hydrated it saves without a
//! page load and the steppers change the number locally.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::provider::{CapacityResult, ConfirmCapacity, ServiceCard, UpdateCapacity};
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

/// A service's card on "My capacity".
#[component]
pub fn CapacityCard(card: ServiceCard) -> impl IntoView {
    let id = card.service_id;
    let snapshot = RwSignal::new(card.capacity.clone());
    let age = RwSignal::new(card.age_secs);
    let from_query = outcome_from_query(id, &card.capacity);
    let (initial_total, initial_available) = from_query
        .as_ref()
        .and_then(|(_, mine)| mine.clone())
        .unwrap_or_else(|| (card.capacity.total.to_string(), card.capacity.available.to_string()));
    let total = RwSignal::new(initial_total);
    let available = RwSignal::new(initial_available);
    let message: RwSignal<Option<CardMessage>> = RwSignal::new(from_query.map(|(said, _)| said));
    let update = ServerAction::<UpdateCapacity>::new();
    let confirm = ServerAction::<ConfirmCapacity>::new();

    let apply = move |result: &CapacityResult| match result {
        CapacityResult::Saved(s) => {
            snapshot.set(s.clone());
            total.set(s.total.to_string());
            available.set(s.available.to_string());
            age.set(0);
            message.set(Some(CardMessage::Saved));
        }
        CapacityResult::Conflict { current, yours_total, yours_available } => {
            snapshot.set(current.clone());
            total.set(yours_total.to_string());
            available.set(yours_available.to_string());
            message.set(Some(CardMessage::Conflict(conflict_text(current))));
        }
        CapacityResult::Invalid { field, rule } => {
            message.set(Some(CardMessage::Invalid { field: *field, text: rule.to_string() }))
        }
    };
    Effect::new(move |_| {
        if let Some(Ok(r)) = update.value().get() {
            apply(&r);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = confirm.value().get() {
            apply(&r);
        }
    });
    let step = move |delta: i64| {
        let current = available.get_untracked().trim().parse::<i64>().unwrap_or(0);
        available.set((current + delta).max(0).to_string());
    };
    let field_error = move |field: CapacityField| match message.get() {
        Some(CardMessage::Invalid { field: f, text }) if f == field => Some(text),
        _ => None,
    };
    let unit = card.unit.clone();

    view! {
        <article class="card" id=format!("service-{id}") data-testid=format!("service-{id}")>
            <h3>{card.name.clone()}</h3>
            <p class="meta">{card.category_name.clone()} " · " {card.organization_name.clone()}</p>
            <p class="counts" data-testid="counts">
                {move || {
                    let s = snapshot.get();
                    format!(
                        "{} of {} {}s free · {} on hold{}",
                        s.available,
                        s.total,
                        unit,
                        s.on_hold,
                        if s.accepting_referrals { "" } else { " · not accepting referrals" },
                    )
                }}
            </p>
            <p>{move || view! { <FreshnessBadge band=snapshot.get().freshness age_secs=age.get() /> }}</p>
            {move || {
                message
                    .get()
                    .map(|said| {
                        let saved = said == CardMessage::Saved;
                        let class = if saved { "message notice" } else { "message error" };
                        let role = if saved { "status" } else { "alert" };
                        view! {
                            <p class=class role=role data-testid="card-message">
                                {said.text()}
                            </p>
                        }
                    })
            }}
            <ActionForm action=update attr:class="capacity-form">
                <input type="hidden" name="service_id" value=id.to_string() />
                <input type="hidden" name="version" value=move || snapshot.get().version.0.to_string() />
                <input type="hidden" name="seen_total" value=move || snapshot.get().total.to_string() />
                <input type="hidden" name="seen_available" value=move || snapshot.get().available.to_string() />
                <div class="stepper">
                    <button
                        type="submit"
                        name="step"
                        value="-1"
                        class="step"
                        aria-label=format!("One fewer free: {}", card.name)
                        on:click=move |ev| {
                            ev.prevent_default();
                            step(-1);
                        }
                    >
                        "−"
                    </button>
                    <label class="stepper-field">
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
                            aria-invalid=move || field_error(CapacityField::Available).is_some().to_string()
                        />
                    </label>
                    <button
                        type="submit"
                        name="step"
                        value="+1"
                        class="step"
                        aria-label=format!("One more free: {}", card.name)
                        on:click=move |ev| {
                            ev.prevent_default();
                            step(1);
                        }
                    >
                        "+"
                    </button>
                </div>
                {move || field_error(CapacityField::Available).map(|m| view! { <p class="field-error">{m}</p> })}
                <label class="inline-field">
                    <span>"Total"</span>
                    <input
                        name="total"
                        type="number"
                        inputmode="numeric"
                        min="0"
                        required
                        value=total.get_untracked()
                        prop:value=move || total.get()
                        on:input=move |ev| total.set(event_target_value(&ev))
                        aria-invalid=move || field_error(CapacityField::Total).is_some().to_string()
                    />
                </label>
                {move || field_error(CapacityField::Total).map(|m| view! { <p class="field-error">{m}</p> })}
                <label class="checkbox">
                    <input
                        name="accepting"
                        type="checkbox"
                        value="on"
                        checked=card.capacity.accepting_referrals
                        prop:checked=move || snapshot.get().accepting_referrals
                    />
                    " Accepting referrals"
                </label>
                <button type="submit">"Save"</button>
            </ActionForm>
            <ActionForm action=confirm attr:class="confirm-form">
                <input type="hidden" name="service_id" value=id.to_string() />
                <input type="hidden" name="version" value=move || snapshot.get().version.0.to_string() />
                <button type="submit" class="secondary">
                    "Still accurate"
                </button>
            </ActionForm>
            <p class="small">
                <a href=format!("/my-capacity/service/{id}")>"Describe this service and see its history"</a>
            </p>
        </article>
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
