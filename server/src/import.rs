//! `continuum import PATH [--dry-run]`: brings a state's directory in from an HSDS 3.1 tabular data package
//! (a folder with `datapackage.json` and one CSV per table) or from the one-sheet template (a `.csv` file, one
//! line per service). Every problem is reported by file, line and column and nothing is written while any
//! remains; a dry run reports the plan and writes nothing.

use std::path::Path;

use app::hsds::import::{Files, Problem};
use app::store::import::Outcome;

/// What an import found and did.
#[derive(Debug)]
pub enum Report {
    /// The package has problems: nothing was written.
    Problems(Vec<Problem>),
    /// The plan (written unless it was a dry run).
    Planned(Outcome),
}

/// Reads the package's files: the data package description and every CSV in the folder.
pub fn read_folder(path: &Path) -> std::io::Result<Files> {
    let mut files = Files::new();
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && (name.ends_with(".csv") || name == "datapackage.json") {
            files.insert(name, std::fs::read_to_string(entry.path())?);
        }
    }
    Ok(files)
}

/// Checks the package (a folder) or sheet (a file) at `path` and, unless `dry_run` or a problem is found, writes it in one transaction.
pub async fn import(
    db: &app::store::Db,
    path: &Path,
    dry_run: bool,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Report, Box<dyn std::error::Error>> {
    let reference = app::store::import::reference(db).await?;
    let package = if path.is_dir() {
        app::hsds::import::read(&read_folder(path)?, &reference)
    } else {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        app::hsds::sheet::read_sheet(&name, &std::fs::read_to_string(path)?, &reference)
    };
    if !package.problems.is_empty() {
        return Ok(Report::Problems(package.problems));
    }
    let now = chrono::Utc::now().timestamp();
    let outcome = app::store::import::apply(db, &package, None, now, !dry_run, progress).await?;
    if !outcome.problems.is_empty() {
        return Ok(Report::Problems(outcome.problems));
    }
    Ok(Report::Planned(outcome))
}
