//! The read-only HSDS 3.1 API under `/hsds/`, as Open Referral's API description lays it out: paged lists of
//! services, organizations, services at locations and taxonomy terms, and each one by id. For signed-in
//! coordinators, funders and administrators; every document is built from the live directory on request.

use app::domain::access::Area;
use app::hsds::Directory;
use app::hsds::documents::Page;
use app::state::AppState;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::limits::{plain_error, plain_error_text};

/// Results per page when a request names none, and the most it may ask for.
const PER_PAGE: (usize, usize) = (50, 500);

/// The `/hsds/` routes.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/hsds/", get(root))
        .route("/hsds/services", get(|s, h, q| list(s, h, q, |d| d.service_list())))
        .route("/hsds/services/{id}", get(|s, h, p| one(s, h, p, |d| d.services.clone(), |x| x.id.clone())))
        .route("/hsds/organizations", get(|s, h, q| list(s, h, q, |d| d.organization_list())))
        .route("/hsds/organizations/{id}", get(|s, h, p| one(s, h, p, |d| d.organizations.clone(), |x| x.id.clone())))
        .route("/hsds/service_at_locations", get(|s, h, q| list(s, h, q, |d| d.service_at_locations.clone())))
        .route(
            "/hsds/service_at_locations/{id}",
            get(|s, h, p| one(s, h, p, |d| d.service_at_locations.clone(), |x| x.id.clone())),
        )
        .route("/hsds/taxonomy_terms", get(|s, h, q| list(s, h, q, |d| d.taxonomy_terms.clone())))
        .route("/hsds/taxonomy_terms/{id}", get(|s, h, p| one(s, h, p, |d| d.taxonomy_terms.clone(), |x| x.id.clone())))
}

/// What this API is.
async fn root(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refusal) = crate::door::admit(&state, &headers, Area::DirectoryData.roles()).await {
        return refusal;
    }
    Json(serde_json::json!({
        "version": "3.1",
        "profile": "https://docs.openreferral.org/en/latest/hsds/",
        "openapi_url": "https://docs.openreferral.org/en/latest/hsds/openapi.html",
    }))
    .into_response()
}

/// The live directory, for a viewer admitted to it.
async fn directory(state: &AppState, headers: &HeaderMap) -> Result<Directory, Response> {
    crate::door::admit(state, headers, Area::DirectoryData.roles()).await?;
    let now = chrono::Utc::now().timestamp();
    match app::store::hsds::directory(&state.db, now, &state.freshness).await {
        Ok(rows) => Ok(Directory::build(&rows)),
        Err(e) => {
            tracing::error!(error = ?e, "could not read the directory");
            Err(plain_error(StatusCode::SERVICE_UNAVAILABLE, "Please try again in a moment."))
        }
    }
}

/// `page` and `per_page` from a query string: whole numbers from 1 (`per_page` at most 500).
fn paging(query: Option<&str>) -> Result<(usize, usize), String> {
    let (mut page, mut per_page) = (1, PER_PAGE.0);
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let number = || value.parse::<usize>().ok().filter(|n| *n >= 1);
        match key.as_ref() {
            "page" => page = number().ok_or("page is a whole number from 1")?,
            "per_page" => {
                per_page = number().filter(|n| *n <= PER_PAGE.1).ok_or("per_page is a whole number from 1 to 500")?;
            }
            _ => {}
        }
    }
    Ok((page, per_page))
}

async fn list<T: serde::Serialize + Clone>(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    items: impl FnOnce(&Directory) -> Vec<T>,
) -> Response {
    let (page, per_page) = match paging(query.as_deref()) {
        Ok(paging) => paging,
        Err(message) => return plain_error_text(StatusCode::BAD_REQUEST, message),
    };
    match directory(&state, &headers).await {
        Ok(d) => Json(Page::of(&items(&d), page, per_page)).into_response(),
        Err(refusal) => refusal,
    }
}

async fn one<T: serde::Serialize>(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(wanted): Path<String>,
    items: impl FnOnce(&Directory) -> Vec<T>,
    id_of: impl Fn(&T) -> String,
) -> Response {
    match directory(&state, &headers).await {
        Ok(d) => match items(&d).into_iter().find(|x| id_of(x) == wanted) {
            Some(found) => Json(found).into_response(),
            None => plain_error(StatusCode::NOT_FOUND, "No such entry in the directory."),
        },
        Err(refusal) => refusal,
    }
}

/// Writes the live directory into `dir` as HSDS 3.1 files (`continuum export hsds DIR`): the tabular data
/// package at the top and the JSON lists under `json/`. Returns how many files were written.
pub async fn export(
    db: &app::store::Db,
    policy: &app::domain::freshness::FreshnessPolicy,
    dir: &std::path::Path,
) -> Result<usize, Box<dyn std::error::Error>> {
    let now = chrono::Utc::now().timestamp();
    let rows = app::store::hsds::directory(db, now, policy).await?;
    let files = app::hsds::files::export(&Directory::build(&rows));
    for (name, contents) in &files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, contents)?;
    }
    Ok(files.len())
}
