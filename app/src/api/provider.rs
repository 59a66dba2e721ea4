//! The provider's capacity: see it, update it in a tap, confirm it, answer holds.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::capacity::{CapacityError, CapacityField, CapacitySnapshot, UpdateOutcome};

use super::AppError;

/// One service on the "My capacity" page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCard {
    /// Service id.
    pub service_id: i64,
    /// Site id.
    pub site_id: i64,
    /// Site name.
    pub site_name: String,
    /// Organization name.
    pub organization_name: String,
    /// Town.
    pub town: String,
    /// Category name.
    pub category_name: String,
    /// Unit.
    pub unit: String,
    /// Service name.
    pub name: String,
    /// Status code.
    pub status: String,
    /// Current capacity.
    pub capacity: CapacitySnapshot,
    /// Seconds since last confirmed.
    pub age_secs: i64,
}

/// An active hold as a provider or coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldCard {
    /// Hold id.
    pub id: i64,
    /// Service name.
    pub service_name: String,
    /// Organization running the service.
    pub organization_name: String,
    /// Town.
    pub town: String,
    /// Who placed it.
    pub placed_by: Option<String>,
    /// Units.
    pub units: i64,
    /// Expiry.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Seconds left at read time.
    pub seconds_left: i64,
}

/// The services on the provider home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityOverview {
    /// Services, those needing an update first.
    pub services: Vec<ServiceCard>,
}

/// What an update or confirmation did: typed, shown next to the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapacityResult {
    /// Saved; the new state.
    Saved(CapacitySnapshot),
    /// Someone changed it first: their state, and the values you sent, to re-apply.
    Conflict {
        /// Their state.
        current: CapacitySnapshot,
        /// Your total.
        yours_total: i64,
        /// Your available.
        yours_available: i64,
    },
    /// A number breaks a rule; nothing saved.
    Invalid {
        /// The field whose number is refused.
        field: CapacityField,
        /// The rule it breaks (its words say what to fix).
        rule: CapacityError,
    },
}

impl CapacityResult {
    /// The answer for what the store did; after a conflict, `yours` says which values to offer again.
    pub fn of(outcome: UpdateOutcome, yours: impl FnOnce(&CapacitySnapshot) -> (i64, i64)) -> Self {
        match outcome {
            UpdateOutcome::Saved(s) => CapacityResult::Saved(s),
            UpdateOutcome::Conflict(current) => {
                let (yours_total, yours_available) = yours(&current);
                CapacityResult::Conflict { current, yours_total, yours_available }
            }
            UpdateOutcome::Invalid(rule) => CapacityResult::Invalid { field: rule.field(), rule },
        }
    }
}

/// Checks the viewer may act for the service's organization; refuses (403, audited) otherwise. Unknown
/// services answer 404.
#[cfg(feature = "ssr")]
pub(crate) async fn owned_service_for(
    viewer: &crate::domain::account::Viewer,
    service_id: i64,
) -> Result<crate::store::providers::OwnedService, AppError> {
    let state = crate::state::app_state()?;
    let service = crate::store::providers::owned_service(&state.db, service_id).await.map_err(super::internal)?;
    match service {
        Some(s) if viewer.acts_for(s.organization_id) => Ok(s),
        Some(_) => {
            crate::auth::guard::deny(viewer, "another organization's service").await?;
            Err(super::fail(AppError::NotYours))
        }
        None => Err(super::fail(AppError::NotFound)),
    }
}

/// [`owned_service_for`], for a change: a retired service takes none (409).
#[cfg(feature = "ssr")]
pub(crate) async fn changeable_service_for(
    viewer: &crate::domain::account::Viewer,
    service_id: i64,
) -> Result<crate::store::providers::OwnedService, AppError> {
    let service = owned_service_for(viewer, service_id).await?;
    if service.retired_at.is_some() {
        return Err(super::fail(AppError::Retired));
    }
    Ok(service)
}

/// The provider home: my organizations' services and the holds on them.
#[server(prefix = "/api", endpoint = "my_capacity")]
pub async fn my_capacity() -> Result<CapacityOverview, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::ProviderCapacity.roles()).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let owned =
        crate::store::providers::owned_services(&state.db, &viewer.organization_ids).await.map_err(super::internal)?;
    let ids: Vec<i64> = owned.iter().map(|s| s.service_id).collect();
    let mut snapshots =
        crate::store::capacity::snapshots(&state.db, &ids, now, &state.freshness).await.map_err(super::internal)?;
    let mut services: Vec<ServiceCard> = owned
        .into_iter()
        .filter_map(|s| {
            let capacity = snapshots.remove(&s.service_id)?;
            Some(ServiceCard {
                age_secs: now - capacity.last_confirmed_at.timestamp(),
                capacity,
                service_id: s.service_id,
                site_id: s.site_id,
                site_name: s.site_name,
                organization_name: s.organization_name,
                town: s.town,
                category_name: s.category_name,
                unit: s.unit,
                name: s.name,
                status: s.status,
            })
        })
        .collect();
    // Needs updating first, oldest first within each band.
    services.sort_by_key(|c| (c.capacity.freshness.update_urgency(), -c.age_secs, c.service_id));
    Ok(CapacityOverview { services })
}

#[cfg(feature = "ssr")]
pub(crate) fn hold_card(l: crate::store::holds::HoldListing, now: i64) -> HoldCard {
    HoldCard {
        id: l.hold.id,
        service_name: l.service_name,
        organization_name: l.organization_name,
        town: l.town,
        placed_by: l.placed_by,
        units: l.hold.units,
        seconds_left: l.hold.expires_at.timestamp() - now,
        expires_at: l.hold.expires_at,
    }
}

/// Updates a service's counts. `step` (`+1` or `-1`) adjusts `available` by one: a single tap.
/// `seen_total` and `seen_available` are the numbers the form was loaded with: on a conflict, fields the
/// provider did not touch take the other person's values, so re-applying changes only what they changed.
#[server(prefix = "/api", endpoint = "update_capacity")]
pub async fn update_capacity(
    service_id: i64,
    version: i64,
    total: String,
    available: String,
    accepting: Option<String>,
    step: Option<String>,
    seen_total: Option<String>,
    seen_available: Option<String>,
) -> Result<CapacityResult, AppError> {
    use crate::domain::capacity::{CapacityChange, Version, merge_after_conflict, parse_field};
    let viewer = crate::auth::require(crate::domain::access::Area::ProviderCapacity.roles()).await?;
    changeable_service_for(&viewer, service_id).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let parsed_total = parse_field(CapacityField::Total, &total).map_err(|e| (CapacityField::Total, e));
    let parsed_available = parse_field(CapacityField::Available, &available).map_err(|e| (CapacityField::Available, e));
    let delta = match step.as_deref() {
        Some("+1") => 1,
        Some("-1") => -1,
        _ => 0,
    };
    let result = match (parsed_total, parsed_available) {
        (Err((field, rule)), _) | (_, Err((field, rule))) => CapacityResult::Invalid { field, rule },
        (Ok(_), Ok(a)) if a + delta < 0 => {
            CapacityResult::Invalid { field: CapacityField::Available, rule: CapacityError::NegativeAvailable }
        }
        (Ok(t), Ok(a)) => {
            let change = CapacityChange {
                total: t,
                available: a + delta,
                accepting_referrals: accepting.is_some(),
                expected_version: Version(version),
            };
            let outcome =
                crate::store::capacity::update(&state.db, service_id, change, Some(viewer.id), now, &state.freshness)
                    .await
                    .map_err(super::internal)?;
            let seen = |s: &Option<String>| s.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
            CapacityResult::of(outcome, |current| {
                merge_after_conflict(current, (t, a + delta), (seen(&seen_total), seen(&seen_available)))
            })
        }
    };
    if matches!(result, CapacityResult::Saved(_)) {
        super::announce("capacity", service_id).await;
    }
    redirect_plain_post(service_id, &result, &total, &available).await;
    Ok(result)
}

/// Without JavaScript the browser follows a redirect back to the page, carrying only codes and the numbers
/// the provider typed (never anything about a person).
#[cfg(feature = "ssr")]
async fn redirect_plain_post(service_id: i64, result: &CapacityResult, total: &str, available: &str) {
    if !super::is_plain_form_post().await {
        return;
    }
    let enc = super::auth::urlencode;
    let target = match result {
        CapacityResult::Saved(_) => format!("/my-capacity?saved={service_id}#service-{service_id}"),
        CapacityResult::Conflict { yours_total, yours_available, .. } => format!(
            "/my-capacity?conflict={service_id}&mine_total={yours_total}&mine_available={yours_available}#service-{service_id}"
        ),
        CapacityResult::Invalid { field, rule } => format!(
            "/my-capacity?invalid={service_id}&field={}&reason={}&mine_total={}&mine_available={}#service-{service_id}",
            field.name(),
            rule.code(),
            enc(total),
            enc(available)
        ),
    };
    leptos_axum::redirect(&target);
}

/// Confirms the counts are still accurate: one tap.
#[server(prefix = "/api", endpoint = "confirm_capacity")]
pub async fn confirm_capacity(service_id: i64, version: i64) -> Result<CapacityResult, AppError> {
    use crate::domain::capacity::Version;
    let viewer = crate::auth::require(crate::domain::access::Area::ProviderCapacity.roles()).await?;
    changeable_service_for(&viewer, service_id).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let outcome = crate::store::capacity::confirm(
        &state.db,
        service_id,
        Version(version),
        Some(viewer.id),
        now,
        &state.freshness,
    )
    .await
    .map_err(super::internal)?;
    // Confirming changes no number: after a conflict there is nothing of the provider's to keep.
    let result = CapacityResult::of(outcome, |current| (current.total, current.available));
    let (t, a) = match &result {
        CapacityResult::Saved(s) => (s.total.to_string(), s.available.to_string()),
        _ => (String::new(), String::new()),
    };
    if matches!(result, CapacityResult::Saved(_)) {
        super::announce("capacity", service_id).await;
    }
    redirect_plain_post(service_id, &result, &t, &a).await;
    Ok(result)
}

/// Updates several services in one submit: fields `fields[total_ID]`, `fields[available_ID]`,
/// `fields[version_ID]` and `fields[accepting_ID]`. Each service is saved or reported on its own.
#[server(prefix = "/api", endpoint = "bulk_update")]
pub async fn bulk_update(
    fields: std::collections::HashMap<String, String>,
) -> Result<Vec<(i64, CapacityResult)>, AppError> {
    use crate::domain::capacity::{CapacityChange, Version, merge_after_conflict, parse_field};
    let viewer = crate::auth::require(crate::domain::access::Area::ProviderCapacity.roles()).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let mut ids: Vec<i64> =
        fields.keys().filter_map(|k| k.strip_prefix("version_")).filter_map(|id| id.parse().ok()).collect();
    ids.sort_unstable();
    if ids.len() > 200 {
        return Err(super::fail(AppError::TooManyServices));
    }
    // Every service is checked before any is changed: a refusal never leaves half the form saved.
    for &id in &ids {
        changeable_service_for(&viewer, id).await?;
    }
    let mut results = Vec::new();
    for id in ids {
        let get = |name: &str| fields.get(&format!("{name}_{id}")).map(String::as_str).unwrap_or_default();
        let Ok(version) = get("version").parse::<i64>() else {
            // Only a hand-made form lacks the hidden version; the row is refused, the others still saved.
            let rule = CapacityError::NotANumber;
            results.push((id, CapacityResult::Invalid { field: CapacityField::Available, rule }));
            continue;
        };
        let parsed = (
            parse_field(CapacityField::Total, get("total")).map_err(|rule| (CapacityField::Total, rule)),
            parse_field(CapacityField::Available, get("available")).map_err(|rule| (CapacityField::Available, rule)),
        );
        let (total, available) = match parsed {
            (Ok(total), Ok(available)) => (total, available),
            (Err((field, rule)), _) | (_, Err((field, rule))) => {
                results.push((id, CapacityResult::Invalid { field, rule }));
                continue;
            }
        };
        let change = CapacityChange {
            total,
            available,
            accepting_referrals: fields.contains_key(&format!("accepting_{id}")),
            expected_version: Version(version),
        };
        let outcome = crate::store::capacity::update(&state.db, id, change, Some(viewer.id), now, &state.freshness)
            .await
            .map_err(super::internal)?;
        let result =
            CapacityResult::of(outcome, |current| merge_after_conflict(current, (total, available), (None, None)));
        if matches!(result, CapacityResult::Saved(_)) {
            super::announce("capacity", id).await;
        }
        results.push((id, result));
    }
    if super::is_plain_form_post().await {
        let saved = results.iter().filter(|(_, r)| matches!(r, CapacityResult::Saved(_))).count();
        let problems: Vec<String> = results
            .iter()
            .filter(|(_, r)| !matches!(r, CapacityResult::Saved(_)))
            .map(|(id, _)| id.to_string())
            .collect();
        leptos_axum::redirect(&format!("/my-capacity/bulk?saved={saved}&problems={}", problems.join(",")));
    }
    Ok(results)
}

/// Ends a hold: the provider confirms arrival or releases it; the coordinator who placed it may release it.
#[server(prefix = "/api", endpoint = "finish_hold")]
pub async fn finish_hold(hold_id: i64, outcome: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::domain::hold::HoldState;
    let viewer = crate::auth::require(crate::domain::access::Area::EndHold.roles()).await?;
    let state = crate::state::app_state()?;
    let back = if viewer.role == Role::Coordinator { "/holds" } else { "/my-capacity" };
    let outcome = match outcome.as_str() {
        "confirmed" => HoldState::Confirmed,
        "released" => HoldState::Released,
        _ => {
            return Err(super::form_error(back, AppError::HoldOutcome).await);
        }
    };
    let Some((org, placed_by)) =
        crate::store::providers::hold_owner(&state.db, hold_id).await.map_err(super::internal)?
    else {
        return Err(super::form_error(back, AppError::NotFound).await);
    };
    let allowed = viewer.acts_for(org)
        || (viewer.role == Role::Coordinator && placed_by == Some(viewer.id) && outcome == HoldState::Released);
    if !allowed {
        crate::auth::guard::deny(&viewer, "another organization's hold").await?;
        return Err(super::fail(AppError::NotYours));
    }
    let now = chrono::Utc::now().timestamp();
    match crate::store::holds::finish(&state.db, hold_id, outcome, Some(viewer.id), now, &state.freshness)
        .await
        .map_err(super::internal)?
    {
        Ok(hold) => {
            super::announce("hold", hold.service_id).await;
            if super::is_plain_form_post().await {
                leptos_axum::redirect(&format!(
                    "{back}?notice={}",
                    if outcome == HoldState::Confirmed { "arrived" } else { "released" }
                ));
            }
            Ok(())
        }
        Err(e) => Err(super::form_error(back, AppError::from(e)).await),
    }
}

/// Active holds on my organizations' services (polled by the open page).
#[server(prefix = "/api", endpoint = "my_holds")]
pub async fn my_holds() -> Result<Vec<HoldCard>, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::ProviderCapacity.roles()).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    Ok(crate::store::holds::active_listings(&state.db, &viewer.organization_ids, None, now)
        .await
        .map_err(super::internal)?
        .into_iter()
        .map(|l| hold_card(l, now))
        .collect())
}
