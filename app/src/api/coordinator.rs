//! The coordinator's actions: hold a bed, see my holds, record needs and outcomes, save alerts.

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::provider::HoldCard;

/// What happened to a hold request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoldResult {
    /// Held until the time given.
    Held {
        /// Hold id.
        hold_id: i64,
        /// The service held.
        service_id: i64,
        /// When it runs out.
        expires_at: chrono::DateTime<chrono::Utc>,
    },
    /// Refused: a typed outcome shown beside the hold form.
    Refused {
        /// The service asked for.
        service_id: i64,
        /// Why.
        reason: AppError,
    },
}

/// Holds units of a service (default two hours), optionally for a recorded need.
#[server(prefix = "/api", endpoint = "place_hold")]
pub async fn place_hold(
    service_id: i64,
    units: String,
    minutes: Option<String>,
    need_id: Option<i64>,
) -> Result<HoldResult, AppError> {
    use crate::domain::hold::HoldRequest;
    let viewer = crate::auth::require(crate::domain::access::Area::Placement.roles()).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    let minutes = minutes.as_deref().map(str::trim).filter(|m| !m.is_empty()).map(|m| m.parse::<i64>().unwrap_or(-1));
    let result = match HoldRequest::new(units.trim().parse().unwrap_or(0), minutes) {
        Err(e) => HoldResult::Refused { service_id, reason: AppError::from(e) },
        Ok(request) => {
            if let Some(need) = need_id {
                let owner = crate::store::needs::owner(&state.db, need).await.map_err(super::internal)?;
                if !owner.is_some_and(|recorded_by| viewer.owns_need(recorded_by)) {
                    crate::auth::guard::deny(&viewer, "another coordinator's need").await?;
                    return Err(super::fail(AppError::NotYours));
                }
            }
            let holder =
                crate::store::holds::Holder { user_id: viewer.id, max_held_units: state.coordinator_limits.held_units };
            match crate::store::holds::place(
                &state.db,
                service_id,
                request,
                Some(holder),
                need_id,
                now,
                &state.freshness,
            )
            .await
            .map_err(super::internal)?
            {
                Ok(hold) => {
                    super::announce("hold", service_id).await;
                    HoldResult::Held { hold_id: hold.id, service_id, expires_at: hold.expires_at }
                }
                Err(e) => HoldResult::Refused { service_id, reason: AppError::from(e) },
            }
        }
    };
    if super::is_plain_form_post().await {
        match &result {
            HoldResult::Held { .. } => leptos_axum::redirect("/holds?notice=held"),
            HoldResult::Refused { reason, .. } => leptos_axum::redirect(&format!("/holds?error={}", reason.code())),
        }
    }
    Ok(result)
}

/// Holds I placed that are still active.
#[server(prefix = "/api", endpoint = "coordinator_holds")]
pub async fn coordinator_holds() -> Result<Vec<HoldCard>, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Placement.roles()).await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now().timestamp();
    Ok(crate::store::holds::active_listings(&state.db, &[], Some(viewer.id), now)
        .await
        .map_err(super::internal)?
        .into_iter()
        .map(|l| super::provider::hold_card(l, now))
        .collect())
}

/// Records a need from form fields `need[town]` (or, when the town is not known, `need[region]`: a planning
/// region), `need[age]`, `need[type]`, `need[gender]`,
/// `need[household]`, `need[urgency]`, `need[wheelchair]`, `need[category_CODE]`, `need[lang_CODE]`.
/// Any other field is refused: nothing identifying can ride along.
#[server(prefix = "/api", endpoint = "record_need")]
pub async fn record_need(need: HashMap<String, String>) -> Result<i64, AppError> {
    use crate::domain::need::{NeedInput, NeedPlace, Urgency};
    use crate::domain::profile::{AgeGroup, Gender, LanguageCode, TraffickingType};
    use crate::domain::taxonomy::CategoryCode;
    let viewer = crate::auth::require(crate::domain::access::Area::Placement.roles()).await?;
    let state = crate::state::app_state()?;
    let back = "/needs/new";
    let known = ["town", "region", "age", "type", "gender", "household", "urgency", "wheelchair"];
    let is_known = |k: &str| {
        known.contains(&k)
            || k.strip_prefix("category_").is_some_and(|c| CategoryCode::parse(c).is_ok())
            || k.strip_prefix("lang_").is_some_and(|l| LanguageCode::parse(l).is_ok())
    };
    let unknown = need.keys().filter(|k| !is_known(k)).count();
    if unknown > 0 {
        // Counted, never logged: a field name could carry anything.
        tracing::warn!(unknown_fields = unknown, "refused a need with unknown fields");
        return Err(super::form_error(back, AppError::UnknownField).await);
    }
    let get = |k: &str| need.get(k).map(|v| v.trim()).unwrap_or_default();
    let categories: Vec<CategoryCode> =
        need.keys().filter_map(|k| k.strip_prefix("category_")).filter_map(|c| CategoryCode::parse(c).ok()).collect();
    let languages: Vec<LanguageCode> =
        need.keys().filter_map(|k| k.strip_prefix("lang_")).filter_map(|l| LanguageCode::parse(l).ok()).collect();
    let place = match (get("town").parse::<i64>(), get("region").parse::<i64>()) {
        (Ok(town), _) => Some(NeedPlace::Town(town)),
        (_, Ok(region)) => Some(NeedPlace::Region(region)),
        _ => None,
    };
    let (Some(place), Some(age_group), Some(trafficking_type), Some(urgency)) =
        (place, AgeGroup::parse(get("age")), TraffickingType::parse(get("type")), Urgency::parse(get("urgency")))
    else {
        return Err(super::form_error(back, AppError::NeedFields).await);
    };
    let input = NeedInput {
        place,
        age_group,
        trafficking_type,
        gender: Gender::parse(get("gender")),
        household_size: get("household").parse().unwrap_or(1),
        languages,
        wheelchair: !get("wheelchair").is_empty(),
        categories,
        urgency,
    };
    let now = chrono::Utc::now().timestamp();
    match crate::store::needs::create(&state.db, &input, Some(viewer.id), now).await.map_err(super::internal)? {
        Ok(id) => {
            if super::is_plain_form_post().await {
                leptos_axum::redirect(&format!("/needs?notice=need_recorded&need={id}"));
            }
            Ok(id)
        }
        Err(e) => Err(super::form_error(back, AppError::from(e)).await),
    }
}

/// Closes one of my needs with an outcome and reasons: `close[outcome]`, `close[reason_CODE]`.
#[server(prefix = "/api", endpoint = "close_need")]
pub async fn close_need(need_id: i64, close: HashMap<String, String>) -> Result<(), AppError> {
    use crate::domain::need::{NeedClosing, Outcome, UnmetReason};
    let viewer = crate::auth::require(crate::domain::access::Area::Placement.roles()).await?;
    let state = crate::state::app_state()?;
    let back = "/needs";
    match crate::store::needs::owner(&state.db, need_id).await.map_err(super::internal)? {
        None => return Err(super::form_error(back, AppError::NotFound).await),
        Some(recorded_by) if !viewer.owns_need(recorded_by) => {
            crate::auth::guard::deny(&viewer, "another coordinator's need").await?;
            return Err(super::fail(AppError::NotYours));
        }
        Some(_) => {}
    }
    let unknown = close.keys().filter(|k| *k != "outcome" && !k.starts_with("reason_")).count();
    if unknown > 0 {
        tracing::warn!(unknown_fields = unknown, "refused a closing with unknown fields");
        return Err(super::form_error(back, AppError::UnknownField).await);
    }
    let Some(outcome) = close.get("outcome").and_then(|o| Outcome::parse(o)) else {
        return Err(super::form_error(back, AppError::Outcome).await);
    };
    let reasons: Vec<UnmetReason> =
        close.keys().filter_map(|k| k.strip_prefix("reason_")).filter_map(UnmetReason::parse).collect();
    let now = chrono::Utc::now().timestamp();
    match crate::store::needs::close(&state.db, need_id, &NeedClosing { outcome, reasons }, Some(viewer.id), None, now)
        .await
        .map_err(super::internal)?
    {
        Ok(()) => {
            if super::is_plain_form_post().await {
                leptos_axum::redirect("/needs?notice=need_closed");
            }
            Ok(())
        }
        Err(e) => Err(super::form_error(back, AppError::from(e)).await),
    }
}

/// A need in the coordinator's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedSummary {
    /// Id.
    pub id: i64,
    /// Recorded.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Region name.
    pub region: String,
    /// Profile in words.
    pub profile: String,
    /// Urgency code.
    pub urgency: String,
    /// Outcome code once closed.
    pub outcome: Option<String>,
}

/// My needs, open ones first.
#[server(prefix = "/api", endpoint = "my_needs")]
pub async fn my_needs() -> Result<Vec<NeedSummary>, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Placement.roles()).await?;
    let state = crate::state::app_state()?;
    let rows = crate::store::needs::for_coordinator(&state.db, viewer.id, 100).await.map_err(super::internal)?;
    Ok(rows
        .into_iter()
        .map(|r| NeedSummary {
            id: r.id,
            created_at: crate::store::from_unix(r.created_at),
            region: r.region,
            profile: format!("{}, {}", r.age_group, r.trafficking_type),
            urgency: r.urgency,
            outcome: r.outcome,
        })
        .collect())
}

/// Saves the current search as an alert.
#[server(prefix = "/api", endpoint = "save_alert")]
pub async fn save_alert(query: String) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Placement.roles()).await?;
    let state = crate::state::app_state()?;
    // Store the normalized form: only known filters survive.
    let normalized = crate::domain::search::SearchQuery::from_query(&query).to_query_string();
    let now = chrono::Utc::now().timestamp();
    let limit = state.coordinator_limits.alerts;
    if crate::store::alerts::save(&state.db, viewer.id, &normalized, limit, now)
        .await
        .map_err(super::internal)?
        .is_none()
    {
        return Err(super::form_error("/notifications", AppError::AlertLimit).await);
    }
    if super::is_plain_form_post().await {
        leptos_axum::redirect("/notifications?notice=alert_saved");
    }
    Ok(())
}

/// A notification raised by one of my alerts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Service and town.
    pub what: String,
    /// The alert's search, to open.
    pub query: String,
}

/// My newest notifications.
#[server(prefix = "/api", endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<Vec<NotificationView>, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Placement.roles()).await?;
    let state = crate::state::app_state()?;
    let rows = crate::store::alerts::notifications(&state.db, viewer.id, 50).await.map_err(super::internal)?;
    Ok(rows
        .into_iter()
        .map(|n| NotificationView {
            at: crate::store::from_unix(n.created_at),
            what: format!("{} in {}", n.service_name, n.town),
            query: n.query,
        })
        .collect())
}
