//! Describing services and sites: eligibility, status, languages, site details and the confidential flag.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::profile::Eligibility;

use super::AppError;

/// A service's description and recent history, for its own organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceProfile {
    /// Service id.
    pub service_id: i64,
    /// Site id.
    pub site_id: i64,
    /// Name.
    pub name: String,
    /// Category code.
    pub category: String,
    /// Category name.
    pub category_name: String,
    /// Site and town.
    pub place: String,
    /// Status code.
    pub status: String,
    /// Eligibility rules.
    pub eligibility: Eligibility,
    /// Recent changes: when, who, what (newest first).
    pub history: Vec<HistoryLine>,
}

/// One history line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who.
    pub who: Option<String>,
    /// What happened, in words.
    pub what: String,
}

/// A service's description and history (its organization's staff, and administrators).
#[server(prefix = "/api", endpoint = "service_description")]
pub async fn service_description(service_id: i64) -> Result<ServiceProfile, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::ServiceDescription.roles()).await?;
    let service = super::provider::owned_service_for(&viewer, service_id).await?;
    let state = crate::state::app_state()?;
    let eligibility = crate::store::providers::eligibility(&state.db, service_id)
        .await
        .map_err(super::internal)?
        .ok_or_else(|| super::fail(AppError::NotFound))?;
    let history = crate::store::capacity::history(&state.db, service_id, 30)
        .await
        .map_err(super::internal)?
        .into_iter()
        .map(|h| HistoryLine {
            at: crate::store::from_unix(h.at),
            who: h.who,
            what: match h.kind.as_str() {
                "confirm" => "Confirmed still accurate".to_owned(),
                "created" => format!("Listed with {} of {}", h.new_vacant, h.new_total),
                "arrival" => format!("Survivor arrived: free {} → {}", h.old_vacant.unwrap_or_default(), h.new_vacant),
                _ => format!(
                    "Free {} → {}, total {} → {}",
                    h.old_vacant.unwrap_or_default(),
                    h.new_vacant,
                    h.old_total.unwrap_or_default(),
                    h.new_total
                ),
            },
        })
        .collect();
    Ok(ServiceProfile {
        service_id,
        site_id: service.site_id,
        name: service.name,
        category: service.category,
        category_name: service.category_name,
        place: format!("{}, {}", service.site_name, service.town),
        status: service.status,
        eligibility,
        history,
    })
}

/// Sets a service's eligibility, languages and status. Checkboxes arrive as present (`on`) or absent.
#[server(prefix = "/api", endpoint = "describe_service")]
pub async fn describe_service(
    service_id: i64,
    status: String,
    age_minor: Option<String>,
    age_adult: Option<String>,
    sex: Option<String>,
    labor: Option<String>,
    female: Option<String>,
    male: Option<String>,
    transgender: Option<String>,
    nonbinary: Option<String>,
    min_age: Option<String>,
    max_age: Option<String>,
    // Not `children`: a form control of that name hides the form's DOM `children`, which hydration walks.
    with_children: Option<String>,
    pets: Option<String>,
    wheelchair: Option<String>,
    id_required: Option<String>,
    sobriety: Option<String>,
    languages: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::profile::{AgeGroups, Genders, LanguageCode, TraffickingTypes};
    let viewer = crate::auth::require(crate::domain::access::Area::ServiceDescription.roles()).await?;
    super::provider::changeable_service_for(&viewer, service_id).await?;
    let state = crate::state::app_state()?;
    let back = format!("/my-capacity/service/{service_id}");
    let bits = |flags: &[(bool, i64)]| flags.iter().filter(|(on, _)| *on).fold(0, |m, (_, b)| m | b);
    let invalid = |error: AppError| {
        let back = back.clone();
        async move { Err(super::form_error(&back, error).await) }
    };
    if !matches!(status.as_str(), "active" | "temporarily_closed" | "inactive") {
        return invalid(AppError::Status).await;
    }
    let Ok(age_groups) = AgeGroups::from_bits(bits(&[(age_minor.is_some(), 1), (age_adult.is_some(), 2)])) else {
        return invalid(AppError::AgeGroups).await;
    };
    let Ok(trafficking_types) = TraffickingTypes::from_bits(bits(&[(sex.is_some(), 1), (labor.is_some(), 2)])) else {
        return invalid(AppError::TraffickingTypes).await;
    };
    let Ok(genders) = Genders::from_bits(bits(&[
        (female.is_some(), 1),
        (male.is_some(), 2),
        (transgender.is_some(), 4),
        (nonbinary.is_some(), 8),
    ])) else {
        return invalid(AppError::Genders).await;
    };
    let age = |text: Option<String>| -> Result<Option<u8>, ()> {
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => t.parse::<u8>().ok().filter(|a| *a <= 120).map(Some).ok_or(()),
        }
    };
    let (Ok(min_age), Ok(max_age)) = (age(min_age), age(max_age)) else {
        return invalid(AppError::Ages).await;
    };
    let mut codes = Vec::new();
    for code in languages.unwrap_or_default().split([',', ' ']).map(str::trim).filter(|c| !c.is_empty()) {
        match LanguageCode::parse(&code.to_lowercase()) {
            Ok(l) if !codes.contains(&l) => codes.push(l),
            Ok(_) => {}
            Err(_) => {
                return invalid(AppError::Languages).await;
            }
        }
    }
    let eligibility = Eligibility {
        age_groups,
        trafficking_types,
        genders,
        min_age,
        max_age,
        accepts_children: with_children.is_some(),
        pets_allowed: pets.is_some(),
        wheelchair_accessible: wheelchair.is_some(),
        id_required: id_required.is_some(),
        sobriety_required: sobriety.is_some(),
        languages: codes,
    };
    if eligibility.validate().is_err() {
        return invalid(AppError::AgeRules).await;
    }
    let now = chrono::Utc::now().timestamp();
    crate::store::providers::update_eligibility(&state.db, service_id, &eligibility, &status, viewer.id, now)
        .await
        .map_err(super::internal)?;
    if super::is_plain_form_post().await {
        leptos_axum::redirect(&format!("{back}?notice=saved"));
    }
    Ok(())
}

/// A site with its address: provider admins of its organization and administrators only; viewing a
/// confidential address is audited.
#[server(prefix = "/api", endpoint = "site_details")]
pub async fn site_details(site_id: i64) -> Result<super::views::SiteView, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::SiteDetails.roles()).await?;
    let state = crate::state::app_state()?;
    authorize_site(&viewer, site_id).await?;
    let now = chrono::Utc::now().timestamp();
    let site = crate::store::sites::site_details(&state.db, site_id, viewer.id, now)
        .await
        .map_err(super::internal)?
        .ok_or_else(|| super::fail(AppError::NotFound))?;
    Ok(super::views::SiteView::from(site))
}

#[cfg(feature = "ssr")]
pub(crate) async fn authorize_site(viewer: &crate::domain::account::Viewer, site_id: i64) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    match crate::store::sites::site_owner(&state.db, site_id).await.map_err(super::internal)? {
        Some(org) if viewer.acts_for(org) => Ok(()),
        Some(_) => {
            crate::auth::guard::deny(viewer, "another organization's site").await?;
            Err(super::fail(AppError::NotYours))
        }
        None => Err(super::fail(AppError::NotFound)),
    }
}

/// A site as its form gives it, trimmed and checked: the name 1 to 120 characters, the address at most 200,
/// the phone a phone number, the hours at most 120 characters, the town one of Connecticut's. The outer
/// error is a failure to check the town; the inner one what the person must fix.
#[cfg(feature = "ssr")]
pub(crate) async fn site_info<'a>(
    name: &'a str,
    town_id: Option<i64>,
    street_address: Option<&'a str>,
    confidential: bool,
    intake_phone: Option<&'a str>,
    hours: Option<&'a str>,
    wheelchair: bool,
) -> Result<Result<crate::store::providers::SiteInfo<'a>, AppError>, AppError> {
    let optional = |text: Option<&'a str>| text.map(str::trim).filter(|t| !t.is_empty());
    let name = name.trim();
    let (street_address, intake_phone, hours) = (optional(street_address), optional(intake_phone), optional(hours));
    if name.is_empty() || name.chars().count() > 120 || street_address.is_some_and(|a| a.chars().count() > 200) {
        return Ok(Err(AppError::SiteName));
    }
    if intake_phone.is_some_and(|p| !crate::domain::contact::is_phone(p)) {
        return Ok(Err(AppError::Phone));
    }
    if hours.is_some_and(|h| h.chars().count() > 120) {
        return Ok(Err(AppError::Hours));
    }
    let state = crate::state::app_state()?;
    let known = match town_id {
        Some(id) => crate::store::regions::has_town(&state.db, id).await.map_err(super::internal)?,
        None => false,
    };
    let (Some(town_id), true) = (town_id, known) else { return Ok(Err(AppError::Town)) };
    Ok(Ok(crate::store::providers::SiteInfo {
        name,
        town_id,
        street_address,
        address_confidential: confidential,
        intake_phone,
        hours,
        wheelchair_accessible: wheelchair,
    }))
}

/// The refusal of a directory edit as the error a person reads.
#[cfg(feature = "ssr")]
pub(crate) fn refusal(refusal: crate::store::directory::DirectoryRefusal) -> AppError {
    use crate::store::directory::DirectoryRefusal;
    match refusal {
        DirectoryRefusal::NotFound => AppError::NotFound,
        DirectoryRefusal::Retired => AppError::Retired,
        DirectoryRefusal::NameTaken => AppError::Taken,
    }
}

/// Edits a site's name, town, address, confidential flag, intake phone, hours and access (provider admins
/// of its organization and administrators).
#[server(prefix = "/api", endpoint = "edit_site")]
pub async fn edit_site(
    site_id: i64,
    name: String,
    town_id: Option<i64>,
    street_address: Option<String>,
    confidential: Option<String>,
    intake_phone: Option<String>,
    hours: Option<String>,
    wheelchair: Option<String>,
) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::SiteDetails.roles()).await?;
    authorize_site(&viewer, site_id).await?;
    let state = crate::state::app_state()?;
    let back = format!("/my-capacity/site/{site_id}");
    let info = site_info(
        &name,
        town_id,
        street_address.as_deref(),
        confidential.is_some(),
        intake_phone.as_deref(),
        hours.as_deref(),
        wheelchair.is_some(),
    );
    let edit = match info.await? {
        Ok(info) => info,
        Err(e) => return Err(super::form_error(&back, e).await),
    };
    let now = chrono::Utc::now().timestamp();
    if let Err(r) =
        crate::store::directory::edit_site(&state.db, site_id, &edit, viewer.id, now).await.map_err(super::internal)?
    {
        return Err(super::form_error(&back, refusal(r)).await);
    }
    if super::is_plain_form_post().await {
        leptos_axum::redirect(&format!("{back}?notice=saved"));
    }
    Ok(())
}
