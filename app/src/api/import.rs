//! Reports of directory imports uploaded by administrators: what each found and did, for the upload page.
//! The upload itself is a plain HTTP form post (`POST /admin/import`, in the server crate), so it works
//! without JavaScript and can carry a file larger than a server function's body.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use crate::domain::import::{Counts, Problem};

/// How many problems a report keeps; the rest are counted.
pub const REPORTED_PROBLEMS: usize = 500;

/// What an import adds, changes, leaves and retires of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// "organizations", "sites" or "services".
    pub what: String,
    /// The counts.
    pub counts: Counts,
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
    pub problems: Vec<Problem>,
    /// Problems beyond those listed.
    pub more_problems: usize,
}

impl ImportReport {
    /// Every problem found, listed or not.
    pub fn problem_count(&self) -> usize {
        self.problems.len() + self.more_problems
    }

    /// The outcome in a few words, for the list of recent imports.
    pub fn outcome(&self) -> String {
        match self.problem_count() {
            0 if self.written => "imported".to_owned(),
            0 => "dry run, nothing written".to_owned(),
            1 => "1 problem, nothing written".to_owned(),
            n => format!("{n} problems, nothing written"),
        }
    }
}

/// An earlier import, as the list of recent ones shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Its report's id.
    pub id: i64,
    /// When (UTC seconds).
    pub at: i64,
    /// The uploaded file's name.
    pub file: String,
    /// [`ImportReport::outcome`].
    pub outcome: String,
}

/// How many recent imports the upload page lists.
pub const RECENT_IMPORTS: i64 = 20;

/// The latest imports, newest first, for an administrator.
#[server(prefix = "/api", endpoint = "recent_imports")]
pub async fn recent_imports() -> Result<Vec<ImportSummary>, AppError> {
    crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let rows = crate::store::import::recent_reports(&state.db, RECENT_IMPORTS).await.map_err(super::internal)?;
    Ok(rows.into_iter().map(|(id, at, file, outcome)| ImportSummary { id, at, file, outcome }).collect())
}

/// The report of import `id`, for an administrator.
#[server(prefix = "/api", endpoint = "import_report")]
pub async fn uploaded_import(id: i64) -> Result<Option<ImportReport>, AppError> {
    crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let text = crate::store::import::report(&state.db, id).await.map_err(super::internal)?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}
