//! Administration: users and invitations, organizations, taxonomy and the audit log.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::views::{AuditView, OrganizationView, UserView};
#[cfg(feature = "ssr")]
use crate::domain::account::Role;

/// A new invitation: the link is shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteLink {
    /// Path of the one-time link, e.g. `/welcome/abc...`.
    pub path: String,
    /// Who it is for.
    pub email: String,
}

/// People an administrator manages (all) or a provider admin manages (their organizations').
#[server(prefix = "/api", endpoint = "admin_users")]
pub async fn list_users() -> Result<Vec<UserView>, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::People.roles()).await?;
    let state = crate::state::app_state()?;
    let org = (viewer.role == Role::ProviderAdmin).then(|| viewer.organization_ids.first().copied().unwrap_or(-1));
    let rows = crate::store::accounts::list_users(&state.db, org).await.map_err(super::internal)?;
    Ok(rows.into_iter().map(UserView::from).collect())
}

/// Invites someone. Administrators may give any role; provider admins invite colleagues into their own
/// organization only, as provider staff or provider admins.
#[server(prefix = "/api", endpoint = "admin_invite")]
pub async fn invite_user(email: String, role: String, organization_id: Option<i64>) -> Result<InviteLink, AppError> {
    use crate::domain::account::Email;
    let viewer = crate::auth::require(crate::domain::access::Area::People.roles()).await?;
    let state = crate::state::app_state()?;
    let back = "/admin/users";
    let Ok(email) = Email::parse(&email) else {
        return Err(super::form_error(back, AppError::Email).await);
    };
    let Some(role) = Role::parse(&role) else {
        return Err(super::form_error(back, AppError::Role).await);
    };
    let organizations: Vec<i64> = organization_id.into_iter().collect();
    if role.is_provider() && organizations.is_empty() {
        return Err(super::form_error(back, AppError::Organization).await);
    }
    if viewer.role == Role::ProviderAdmin && (!role.is_provider() || !organizations.iter().all(|o| viewer.acts_for(*o)))
    {
        crate::auth::guard::deny(&viewer, "invite outside own organization").await?;
        return Err(super::fail(AppError::InviteOutside));
    }
    let now = chrono::Utc::now().timestamp();
    let orgs = if role.is_provider() { organizations } else { Vec::new() };
    let created =
        crate::auth::invite(&state.db, &email, role, &orgs, Some(viewer.id), now).await.map_err(super::internal)?;
    // Only administrators learn that an email already has an account; anyone else gets a link that looks
    // the same and leads nowhere (the attempt is audited for administrators).
    let created = match created {
        Err(crate::store::accounts::LinkError::EmailTaken) if viewer.role != Role::Administrator => {
            let entry = crate::store::audit::AuditEntry {
                actor_id: Some(viewer.id),
                action: "user.invite_existing",
                entity: "user",
                ..Default::default()
            };
            crate::store::audit::record(&state.db, entry, now).await.map_err(super::internal)?;
            Ok(crate::auth::secret::new_token())
        }
        other => other,
    };
    match created {
        Ok(token) => {
            let link = InviteLink { path: format!("/welcome/{token}"), email: email.as_str().to_owned() };
            if super::is_plain_form_post().await {
                if let Some((_, session)) = crate::auth::guard::viewer_and_session().await? {
                    let body = format!("Invitation for {}: {}", link.email, link.path);
                    crate::store::sessions::push_flash(&state.db, &session, &body, now)
                        .await
                        .map_err(super::internal)?;
                }
                leptos_axum::redirect("/admin/users?notice=invited");
            }
            Ok(link)
        }
        Err(_) => Err(super::form_error(back, AppError::Taken).await),
    }
}

/// Creates a password-reset link for someone (administrators only), shown to the administrator once.
#[server(prefix = "/api", endpoint = "admin_reset_link")]
pub async fn reset_link(user_id: i64) -> Result<InviteLink, AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let Some(user) = crate::store::accounts::credentials_by_id(&state.db, user_id).await.map_err(super::internal)?
    else {
        return Err(super::form_error("/admin/users", AppError::NotFound).await);
    };
    let now = chrono::Utc::now().timestamp();
    let token = crate::auth::reset_link(&state.db, user.id, Some(viewer.id), now).await.map_err(super::internal)?;
    let email = crate::store::accounts::viewer(&state.db, user.id)
        .await
        .map_err(super::internal)?
        .map(|v| v.email)
        .unwrap_or_default();
    let link = InviteLink { path: format!("/welcome/{token}"), email };
    if super::is_plain_form_post().await {
        if let Some((_, session)) = crate::auth::guard::viewer_and_session().await? {
            let body = format!("Password reset link for {}: {}", link.email, link.path);
            crate::store::sessions::push_flash(&state.db, &session, &body, now).await.map_err(super::internal)?;
        }
        leptos_axum::redirect("/admin/users?notice=reset_link");
    }
    Ok(link)
}

/// Messages left for this session by a plain-form POST (shown once).
#[server(prefix = "/api", endpoint = "flashes")]
pub async fn take_flashes() -> Result<Vec<String>, AppError> {
    let state = crate::state::app_state()?;
    let Some((_, session)) = crate::auth::guard::viewer_and_session().await? else { return Ok(Vec::new()) };
    crate::store::sessions::take_flashes(&state.db, &session, chrono::Utc::now().timestamp())
        .await
        .map_err(super::internal)
}

/// Lets an account that backed off after failed sign-ins try again at once (administrators only).
#[server(prefix = "/api", endpoint = "admin_unlock_sign_in")]
pub async fn unlock_sign_in(user_id: i64) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let Some(account) = crate::store::accounts::viewer(&state.db, user_id).await.map_err(super::internal)? else {
        return Err(super::form_error("/admin/users", AppError::NotFound).await);
    };
    let now = chrono::Utc::now().timestamp();
    crate::store::throttle::unlock(&state.db, viewer.id, user_id, &account.email, now)
        .await
        .map_err(super::internal)?;
    if super::is_plain_form_post().await {
        leptos_axum::redirect("/admin/users?notice=unlocked");
    }
    Ok(())
}

/// Changes someone's role (administrators only).
#[server(prefix = "/api", endpoint = "admin_set_role")]
pub async fn set_user_role(user_id: i64, role: String) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let Some(role) = Role::parse(&role) else {
        return Err(super::form_error("/admin/users", AppError::Role).await);
    };
    let now = chrono::Utc::now().timestamp();
    if !crate::store::accounts::set_role(&state.db, viewer.id, user_id, role, now).await.map_err(super::internal)? {
        return Err(super::form_error("/admin/users", AppError::NotFound).await);
    }
    state.events.publish(&state.db, crate::live::LiveEvent::user_ended(user_id)).await;
    if super::is_plain_form_post().await {
        leptos_axum::redirect("/admin/users?notice=role_changed");
    }
    Ok(())
}

/// Disables or re-enables an account (administrators only); disabling ends its sessions at once.
#[server(prefix = "/api", endpoint = "admin_set_disabled")]
pub async fn set_user_disabled(user_id: i64, disabled: bool) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    if user_id == viewer.id {
        return Err(super::form_error("/admin/users", AppError::SelfDisable).await);
    }
    let now = chrono::Utc::now().timestamp();
    if !crate::store::accounts::set_disabled(&state.db, viewer.id, user_id, disabled, now)
        .await
        .map_err(super::internal)?
    {
        return Err(super::form_error("/admin/users", AppError::NotFound).await);
    }
    if disabled {
        state.events.publish(&state.db, crate::live::LiveEvent::user_ended(user_id)).await;
    }
    if super::is_plain_form_post().await {
        leptos_axum::redirect(if disabled { "/admin/users?notice=disabled" } else { "/admin/users?notice=enabled" });
    }
    Ok(())
}

/// The newest audit entries, optionally filtered by action prefix (administrators only).
#[server(prefix = "/api", endpoint = "admin_audit")]
pub async fn audit_log(action: Option<String>) -> Result<Vec<AuditView>, AppError> {
    crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let prefix = action.filter(|a| !a.trim().is_empty() && a.len() <= 60);
    let rows = crate::store::audit::list(&state.db, prefix.as_deref(), 200).await.map_err(super::internal)?;
    Ok(rows.into_iter().map(AuditView::from).collect())
}

/// Organizations (administrators only).
#[server(prefix = "/api", endpoint = "admin_organizations")]
pub async fn list_organizations() -> Result<Vec<OrganizationView>, AppError> {
    crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    crate::store::organizations::list_organizations(&state.db).await.map_err(super::internal)
}

/// Adds an organization (administrators only).
#[server(prefix = "/api", endpoint = "admin_add_organization")]
pub async fn add_organization(name: String, verified: Option<String>) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(super::form_error("/admin/organizations", AppError::OrganizationName).await);
    }
    let now = chrono::Utc::now().timestamp();
    let org = crate::store::providers::NewOrganization {
        name,
        description: "",
        website: None,
        phone: None,
        victim_service_provider: true,
        verified: verified.is_some(),
    };
    match crate::store::organizations::create_organization_audited(&state.db, &org, viewer.id, now)
        .await
        .map_err(super::internal)?
    {
        true => {
            if super::is_plain_form_post().await {
                leptos_axum::redirect("/admin/organizations?notice=added");
            }
            Ok(())
        }
        false => Err(super::form_error("/admin/organizations", AppError::Taken).await),
    }
}

/// One organization, retired or not (administrators only).
#[server(prefix = "/api", endpoint = "admin_organization")]
pub async fn organization(organization_id: i64) -> Result<OrganizationView, AppError> {
    crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    crate::store::organizations::organization(&state.db, organization_id)
        .await
        .map_err(super::internal)?
        .ok_or_else(|| super::fail(AppError::NotFound))
}

/// Edits an organization's name, description, website, phone and verification (administrators only).
#[server(prefix = "/api", endpoint = "admin_edit_organization")]
pub async fn edit_organization(
    organization_id: i64,
    name: String,
    description: Option<String>,
    website: Option<String>,
    phone: Option<String>,
    verified: Option<String>,
) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let back = format!("/admin/organizations/{organization_id}");
    let optional = |text: &Option<String>| text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    let (name, description, website, phone) =
        (name.trim(), optional(&description).unwrap_or_default(), optional(&website), optional(&phone));
    let problem = if name.is_empty() || name.chars().count() > 120 || description.chars().count() > 1000 {
        Some(AppError::OrganizationName)
    } else if website.as_deref().is_some_and(|w| {
        !(w.starts_with("https://") || w.starts_with("http://")) || w.len() > 200 || w.contains(char::is_whitespace)
    }) {
        Some(AppError::Website)
    } else if phone.as_deref().is_some_and(|p| !crate::domain::contact::is_phone(p)) {
        Some(AppError::Phone)
    } else {
        None
    };
    if let Some(problem) = problem {
        return Err(super::form_error(&back, problem).await);
    }
    let edit = crate::store::directory::OrganizationEdit {
        name,
        description: &description,
        website: website.as_deref(),
        phone: phone.as_deref(),
        verified: verified.is_some(),
    };
    let now = chrono::Utc::now().timestamp();
    if let Err(r) = crate::store::directory::edit_organization(&state.db, organization_id, &edit, viewer.id, now)
        .await
        .map_err(super::internal)?
    {
        return Err(super::form_error(&back, super::describe::refusal(r)).await);
    }
    if super::is_plain_form_post().await {
        leptos_axum::redirect(&format!("{back}?notice=saved"));
    }
    Ok(())
}

/// Retires an organization with its sites and services, once the administrator ticked the confirmation.
#[server(prefix = "/api", endpoint = "admin_retire_organization")]
pub async fn retire_organization(organization_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    let viewer = crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let back = format!("/admin/organizations/{organization_id}");
    if confirm.is_none() {
        return Err(super::form_error(&back, AppError::ConfirmRetire).await);
    }
    let now = chrono::Utc::now().timestamp();
    if let Err(r) = crate::store::directory::retire_organization(&state.db, organization_id, viewer.id, now)
        .await
        .map_err(super::internal)?
    {
        return Err(super::form_error(&back, super::describe::refusal(r)).await);
    }
    state.events.publish(&state.db, crate::live::LiveEvent::resync()).await;
    if super::is_plain_form_post().await {
        leptos_axum::redirect("/admin/organizations?notice=organization_retired");
    }
    Ok(())
}

/// Adds a service category (administrators only).
#[server(prefix = "/api", endpoint = "admin_add_category")]
pub async fn add_category(
    code: String,
    family: String,
    name: String,
    unit: String,
    taxonomy_term: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::taxonomy::{CategoryCode, CategoryFamily};
    let viewer = crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let back = "/admin/taxonomy";
    let (Ok(code), Some(family)) = (CategoryCode::parse(code.trim()), CategoryFamily::parse(&family)) else {
        return Err(super::form_error(back, AppError::CategoryCode).await);
    };
    let (name, unit) = (name.trim(), unit.trim());
    if name.is_empty() || unit.is_empty() || name.len() > 100 || unit.len() > 30 {
        return Err(super::form_error(back, AppError::CategoryName).await);
    }
    let Ok(taxonomy_term) = crate::domain::taxonomy::taxonomy_term(taxonomy_term.as_deref()) else {
        return Err(super::form_error(back, AppError::TaxonomyTerm).await);
    };
    let category = crate::store::organizations::NewCategory { code: &code, family, name, unit, taxonomy_term };
    let now = chrono::Utc::now().timestamp();
    if !crate::store::organizations::add_category(&state.db, &category, viewer.id, now)
        .await
        .map_err(super::internal)?
    {
        return Err(super::form_error(back, AppError::Taken).await);
    }
    if super::is_plain_form_post().await {
        leptos_axum::redirect("/admin/taxonomy?notice=added");
    }
    Ok(())
}
