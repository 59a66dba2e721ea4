//! One service's capacity with its update form. Works as a plain form; once hydrated it saves without a
//! page load and the steppers change the number locally.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::provider::{CapacityResult, ConfirmCapacity, ServiceCard, UpdateCapacity};
use crate::components::freshness_badge::FreshnessBadge;
use crate::domain::capacity::{CapacityError, CapacitySnapshot};

/// What the query string says happened to this card on the last plain-form post.
fn outcome_from_query(id: i64) -> Option<(String, Option<(String, String)>)> {
    let q = use_query_map().get_untracked();
    let mine = || Some((q.get("mine_total").unwrap_or_default(), q.get("mine_available").unwrap_or_default()));
    if q.get("saved").and_then(|s| s.parse::<i64>().ok()) == Some(id) {
        Some(("saved".into(), None))
    } else if q.get("conflict").and_then(|s| s.parse::<i64>().ok()) == Some(id) {
        Some(("conflict".into(), mine()))
    } else if q.get("invalid").and_then(|s| s.parse::<i64>().ok()) == Some(id) {
        Some((
            format!("invalid:{}:{}", q.get("field").unwrap_or_default(), q.get("reason").unwrap_or_default()),
            mine(),
        ))
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
    let from_query = outcome_from_query(id);
    let (initial_total, initial_available) = from_query
        .as_ref()
        .and_then(|(_, mine)| mine.clone())
        .unwrap_or_else(|| (card.capacity.total.to_string(), card.capacity.available.to_string()));
    let total = RwSignal::new(initial_total);
    let available = RwSignal::new(initial_available);
    let message: RwSignal<Option<(String, String)>> =
        RwSignal::new(from_query.map(|(kind, _)| describe(&kind, &card.capacity)));
    let update = ServerAction::<UpdateCapacity>::new();
    let confirm = ServerAction::<ConfirmCapacity>::new();

    let apply = move |result: &CapacityResult| match result {
        CapacityResult::Saved(s) => {
            snapshot.set(s.clone());
            total.set(s.total.to_string());
            available.set(s.available.to_string());
            age.set(0);
            message.set(Some(("saved".into(), "Saved.".into())));
        }
        CapacityResult::Conflict { current, yours_total, yours_available } => {
            snapshot.set(current.clone());
            total.set(yours_total.to_string());
            available.set(yours_available.to_string());
            message.set(Some(("conflict".into(), conflict_text(current))));
        }
        CapacityResult::Invalid { field, message: m, .. } => message.set(Some((format!("invalid {field}"), m.clone()))),
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
    let field_error = move |field: &'static str| {
        message
            .get()
            .filter(|(kind, _)| kind == &format!("invalid {field}") || kind.starts_with(&format!("invalid:{field}:")))
            .map(|(_, m)| m)
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
                    .map(|(kind, text)| {
                        let class = if kind == "saved" { "message notice" } else { "message error" };
                        let role = if kind == "saved" { "status" } else { "alert" };
                        view! {
                            <p class=class role=role data-testid="card-message">
                                {text}
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
                            aria-invalid=move || field_error("available").is_some().to_string()
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
                {move || field_error("available").map(|m| view! { <p class="field-error">{m}</p> })}
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
                        aria-invalid=move || field_error("total").is_some().to_string()
                    />
                </label>
                {move || field_error("total").map(|m| view! { <p class="field-error">{m}</p> })}
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

fn describe(kind: &str, current: &CapacitySnapshot) -> (String, String) {
    if kind == "saved" {
        ("saved".into(), "Saved.".into())
    } else if kind == "conflict" {
        ("conflict".into(), conflict_text(current))
    } else {
        let mut parts = kind.splitn(3, ':');
        let (_, field, code) = (parts.next(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        // Only a known code becomes words: text from a URL is never shown.
        let text = CapacityError::text_for_code(code).unwrap_or("Check the numbers and try again.");
        (format!("invalid:{field}:"), text.to_owned())
    }
}
