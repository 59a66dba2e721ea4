//! The directory: provider admins add, edit and retire sites and services of their own organizations
//! (administrators of any), rename services and move them to another category. Every change is audited; a
//! new service starts open to everyone, with the counts its provider typed.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

/// What the "add a site or service" forms offer the viewer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DirectoryOptions {
    /// Organizations the viewer acts for: id and name.
    pub organizations: Vec<(i64, String)>,
    /// Their sites: id and "name · town".
    pub sites: Vec<(i64, String)>,
    /// Connecticut's towns: id and name.
    pub towns: Vec<(i64, String)>,
    /// The taxonomy: code and "name (unit)".
    pub categories: Vec<(String, String)>,
}

/// The organizations, sites, towns and categories the viewer may choose from.
#[server(prefix = "/api", endpoint = "directory_choices")]
pub async fn directory_choices() -> Result<DirectoryOptions, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Directory.roles()).await?;
    let state = crate::state::app_state()?;
    let organizations: Vec<(i64, String)> = crate::store::organizations::list_organizations(&state.db)
        .await
        .map_err(super::internal)?
        .into_iter()
        .filter(|o| viewer.acts_for(o.id) && !o.retired)
        .map(|o| (o.id, o.name))
        .collect();
    let ids: Vec<i64> = organizations.iter().map(|(id, _)| *id).collect();
    let sites = crate::store::sites::of_organizations(&state.db, &ids).await.map_err(super::internal)?;
    let towns = crate::store::regions::towns(&state.db).await.map_err(super::internal)?;
    let categories = crate::store::organizations::list_categories(&state.db)
        .await
        .map_err(super::internal)?
        .into_iter()
        .map(|c| (c.code, format!("{} ({})", c.name, c.unit)))
        .collect();
    Ok(DirectoryOptions { organizations, sites, towns, categories })
}

/// Adds a site to one of the viewer's organizations; returns its id.
#[server(prefix = "/api", endpoint = "add_site")]
pub async fn add_site(
    organization_id: i64,
    name: String,
    town_id: Option<i64>,
    street_address: Option<String>,
    confidential: Option<String>,
    intake_phone: Option<String>,
    hours: Option<String>,
    wheelchair: Option<String>,
) -> Result<i64, AppError> {
    use super::describe::{refusal, site_info};
    let viewer = crate::auth::require(crate::domain::access::Area::Directory.roles()).await?;
    let state = crate::state::app_state()?;
    let back = "/my-capacity/new";
    if !viewer.acts_for(organization_id) {
        crate::auth::guard::deny(&viewer, "a site for another organization").await?;
        return Err(super::fail(AppError::NotYours));
    }
    let info = site_info(
        &name,
        town_id,
        street_address.as_deref(),
        confidential.is_some(),
        intake_phone.as_deref(),
        hours.as_deref(),
        wheelchair.is_some(),
    );
    let site = match info.await? {
        Ok(info) => crate::store::providers::NewSite { organization_id, info },
        Err(e) => return Err(super::form_error(back, e).await),
    };
    let now = chrono::Utc::now().timestamp();
    let id = match crate::store::providers::add_site(&state.db, &site, viewer.id, now).await.map_err(super::internal)? {
        Ok(id) => id,
        Err(r) => return Err(super::form_error(back, refusal(r)).await),
    };
    if super::is_plain_form_post().await {
        leptos_axum::redirect("/my-capacity/new?notice=site_added");
    }
    Ok(id)
}

/// Adds a service to one of the viewer's sites, with its total and how many are free now; returns its id.
/// It starts open to everyone: the provider then says who it is for on the service's page.
#[server(prefix = "/api", endpoint = "add_service")]
pub async fn add_service(
    site_id: i64,
    category: String,
    name: String,
    total: String,
    available: String,
    accepting: Option<String>,
) -> Result<i64, AppError> {
    use crate::domain::capacity::{CapacityCounts, CapacityField, parse_field};
    let viewer = crate::auth::require(crate::domain::access::Area::Directory.roles()).await?;
    let state = crate::state::app_state()?;
    let back = "/my-capacity/new";
    super::describe::authorize_site(&viewer, site_id).await?;
    let (name, category) = match service_fields(&name, &category).await? {
        Ok(fields) => fields,
        Err(e) => return Err(super::form_error(back, e).await),
    };
    let counts = parse_field(CapacityField::Total, &total)
        .and_then(|t| parse_field(CapacityField::Available, &available).map(|a| (t, a)))
        .and_then(|(t, a)| CapacityCounts::new(t, a, 0));
    let Ok(counts) = counts else {
        return Err(super::form_error(back, AppError::ServiceCounts).await);
    };
    let eligibility = crate::domain::profile::Eligibility::everyone();
    let service = crate::store::providers::NewService {
        site_id,
        category: &category,
        name,
        eligibility: &eligibility,
        counts,
        accepting_referrals: accepting.is_some(),
    };
    let now = chrono::Utc::now().timestamp();
    let id = match crate::store::providers::add_service(&state.db, &service, viewer.id, now)
        .await
        .map_err(super::internal)?
    {
        Ok(id) => id,
        Err(r) => return Err(super::form_error(back, super::describe::refusal(r)).await),
    };
    super::announce("capacity", id).await;
    if super::is_plain_form_post().await {
        leptos_axum::redirect(&format!("/my-capacity/service/{id}?notice=service_added"));
    }
    Ok(id)
}

/// A service's name and category as typed: the name 1 to 120 characters, the category one the taxonomy has.
#[cfg(feature = "ssr")]
async fn service_fields<'a>(
    name: &'a str,
    category: &str,
) -> Result<Result<(&'a str, crate::domain::taxonomy::CategoryCode), AppError>, AppError> {
    let state = crate::state::app_state()?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Ok(Err(AppError::ServiceName));
    }
    match crate::domain::taxonomy::CategoryCode::parse(category.trim()) {
        Ok(code)
            if crate::store::organizations::has_category(&state.db, code.as_str())
                .await
                .map_err(super::internal)? =>
        {
            Ok(Ok((name, code)))
        }
        _ => Ok(Err(AppError::Category)),
    }
}

/// Renames one of the viewer's services or moves it to another category of the taxonomy.
#[server(prefix = "/api", endpoint = "edit_service")]
pub async fn edit_service(service_id: i64, name: String, category: String) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Directory.roles()).await?;
    let state = crate::state::app_state()?;
    let back = format!("/my-capacity/service/{service_id}");
    super::provider::changeable_service_for(&viewer, service_id).await?;
    let (name, category) = match service_fields(&name, &category).await? {
        Ok(fields) => fields,
        Err(e) => return Err(super::form_error(&back, e).await),
    };
    let now = chrono::Utc::now().timestamp();
    if let Err(r) = crate::store::directory::edit_service(&state.db, service_id, name, &category, viewer.id, now)
        .await
        .map_err(super::internal)?
    {
        return Err(super::form_error(&back, super::describe::refusal(r)).await);
    }
    super::announce("service", service_id).await;
    if super::is_plain_form_post().await {
        leptos_axum::redirect(&format!("{back}?notice=saved"));
    }
    Ok(())
}

/// Retires one of the viewer's services: from now on it leaves search, the gap matrix and every total and
/// takes no more changes; its history stays.
#[server(prefix = "/api", endpoint = "retire_service")]
pub async fn retire_service(service_id: i64) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Directory.roles()).await?;
    let state = crate::state::app_state()?;
    let back = format!("/my-capacity/service/{service_id}");
    super::provider::owned_service_for(&viewer, service_id).await?;
    let now = chrono::Utc::now().timestamp();
    if let Err(r) =
        crate::store::directory::retire_service(&state.db, service_id, viewer.id, now).await.map_err(super::internal)?
    {
        return Err(super::form_error(&back, super::describe::refusal(r)).await);
    }
    super::announce("capacity", service_id).await;
    if super::is_plain_form_post().await {
        leptos_axum::redirect("/my-capacity?notice=service_retired");
    }
    Ok(())
}

/// Retires one of the viewer's sites and every service at it, once the person ticked the confirmation.
#[server(prefix = "/api", endpoint = "retire_site")]
pub async fn retire_site(site_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Directory.roles()).await?;
    let state = crate::state::app_state()?;
    let back = format!("/my-capacity/site/{site_id}");
    super::describe::authorize_site(&viewer, site_id).await?;
    if confirm.is_none() {
        return Err(super::form_error(&back, AppError::ConfirmRetire).await);
    }
    let now = chrono::Utc::now().timestamp();
    if let Err(r) =
        crate::store::directory::retire_site(&state.db, site_id, viewer.id, now).await.map_err(super::internal)?
    {
        return Err(super::form_error(&back, super::describe::refusal(r)).await);
    }
    state.events.publish(&state.db, crate::live::LiveEvent::resync()).await;
    if super::is_plain_form_post().await {
        leptos_axum::redirect("/my-capacity?notice=site_retired");
    }
    Ok(())
}
