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
    let rows =
        crate::store::import_reports::recent_reports(&state.db, RECENT_IMPORTS).await.map_err(super::internal)?;
    Ok(rows.into_iter().map(|(id, at, file, outcome)| ImportSummary { id, at, file, outcome }).collect())
}

/// Where an uploaded import stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportStatus {
    /// Still running. `progress` is services checked out of all, known to the instance running it.
    Running {
        /// The uploaded file's name.
        file: String,
        /// When it started (UTC seconds).
        at: i64,
        /// Services checked and the package's services, once reading is done.
        progress: Option<(usize, usize)>,
    },
    /// It stopped before finishing (the server restarted or the database failed): nothing was written.
    Interrupted {
        /// The uploaded file's name.
        file: String,
    },
    /// Done: what it found and did.
    Finished(ImportReport),
}

/// How long an import may run before a report still marked running is taken to have stopped.
pub const STALE_IMPORT_SECONDS: i64 = 15 * 60;

/// What the import of report `id` has come to, for an administrator.
#[server(prefix = "/api", endpoint = "import_report")]
pub async fn uploaded_import(id: i64) -> Result<Option<ImportStatus>, AppError> {
    use crate::store::import_reports::Stored;
    crate::auth::require(crate::domain::access::Area::Administration.roles()).await?;
    let state = crate::state::app_state()?;
    let Some((file, at, stored)) =
        crate::store::import_reports::report(&state.db, id).await.map_err(super::internal)?
    else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp();
    Ok(Some(match stored {
        Stored::Running if now - at < STALE_IMPORT_SECONDS => {
            ImportStatus::Running { file, at, progress: state.imports.of(id) }
        }
        Stored::Running | Stored::Failed => ImportStatus::Interrupted { file },
        Stored::Report(text) => match serde_json::from_str(&text) {
            Ok(report) => ImportStatus::Finished(report),
            Err(_) => ImportStatus::Interrupted { file },
        },
    }))
}

/// The progress of the imports this instance is running, by report id (one per running app, in its state).
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Default)]
pub struct ImportProgress(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<i64, (usize, usize)>>>);

#[cfg(feature = "ssr")]
impl ImportProgress {
    fn running(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<i64, (usize, usize)>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Report `id` has started here: nothing checked yet.
    pub fn start(&self, id: i64) {
        self.running().insert(id, (0, 0));
    }

    /// Report `id` has checked `done` of `total` services.
    pub fn advance(&self, id: i64, done: usize, total: usize) {
        self.running().insert(id, (done, total));
    }

    /// Report `id` is over (its report is kept).
    pub fn finish(&self, id: i64) {
        self.running().remove(&id);
    }

    /// How far report `id` has come, when it runs here and its package has been read.
    pub fn of(&self, id: i64) -> Option<(usize, usize)> {
        self.running().get(&id).copied().filter(|(_, total)| *total > 0)
    }
}
