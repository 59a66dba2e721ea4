//! Reports of directory imports uploaded by administrators: what each found and did, for the upload page.
//! The upload itself is a plain HTTP form post (`POST /admin/import`, in the server crate), so it works
//! without JavaScript and can carry a file larger than a server function's body.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

/// How many problems a report keeps; the rest are counted.
pub const REPORTED_PROBLEMS: usize = 500;

/// What an import adds, changes, leaves and retires of one kind (organizations, sites or services).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// "organizations", "sites" or "services".
    pub what: String,
    /// New.
    pub added: usize,
    /// Different from what the database held.
    pub changed: usize,
    /// Already as the file says.
    pub unchanged: usize,
    /// Imported before, absent now.
    pub retired: usize,
}

/// One problem, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemLine {
    /// The file (inside a package, the table's file).
    pub file: String,
    /// The line (0: the whole file, or JSON, where `column` is the place).
    pub line: usize,
    /// The column, or the place in JSON.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// What one uploaded import found and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The uploaded file's name.
    pub file: String,
    /// Whether it was only checked.
    pub dry_run: bool,
    /// Whether anything was written.
    pub written: bool,
    /// When (UTC seconds).
    pub at: i64,
    /// The plan or what was done (empty when problems stopped it).
    pub tallies: Vec<Tally>,
    /// The first [`REPORTED_PROBLEMS`] problems.
    pub problems: Vec<ProblemLine>,
    /// Problems beyond those listed.
    pub more_problems: usize,
}

/// An earlier import, as the list of recent ones shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Its report's id.
    pub id: i64,
    /// The report.
    pub report: ImportReport,
}

/// How many recent imports the upload page lists.
pub const RECENT_IMPORTS: i64 = 20;

/// The latest imports, newest first, for an administrator.
#[server(prefix = "/api", endpoint = "recent_imports")]
pub async fn recent_imports() -> Result<Vec<ImportSummary>, AppError> {
    crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let rows = crate::store::import::recent_reports(&state.db, RECENT_IMPORTS).await.map_err(super::internal)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, text)| Some(ImportSummary { id, report: serde_json::from_str(&text).ok()? }))
        .collect())
}

/// The report of import `id`, for an administrator.
#[server(prefix = "/api", endpoint = "import_report")]
pub async fn uploaded_import(id: i64) -> Result<Option<ImportReport>, AppError> {
    crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let text = crate::store::import::report(&state.db, id).await.map_err(super::internal)?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}
