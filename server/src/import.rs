//! Importing a state's directory, from `continuum import PATH [--dry-run]` or the administrators' upload page:
//! an HSDS 3.1 tabular data package (a folder, or a `.zip`, with `datapackage.json` and one CSV per table),
//! HSDS 3.1 JSON (a `.json` list of services or organizations), or the one-sheet template (a `.csv`, one line
//! per service). Every problem is reported by file and line and column (or place in the JSON) and nothing is
//! written while any remains; a dry run reports the plan and writes nothing.

use std::io::Read;
use std::path::Path;

use app::hsds::import::{Files, Package, Problem, Reference};
use app::store::import::{Outcome, Scope};

/// The most an archive may unpack to, so a small archive cannot expand without bound in memory.
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// How an import is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Check and plan only; write nothing.
    pub dry_run: bool,
    /// What the file speaks for, and so may retire.
    pub scope: Scope,
}

/// What an import found and did.
#[derive(Debug, Clone)]
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
        if entry.file_type()?.is_file() && is_package_file(&name) {
            files.insert(name, std::fs::read_to_string(entry.path())?);
        }
    }
    Ok(files)
}

fn is_package_file(name: &str) -> bool {
    name.ends_with(".csv") || name == "datapackage.json"
}

fn whole_file(file: &str, message: impl Into<String>) -> Problem {
    Problem { file: file.to_owned(), line: 0, column: String::new(), message: message.into() }
}

/// The package files inside the archive `bytes` (in its top folder or one folder down), or what is wrong.
fn unzip(file: &str, bytes: &[u8]) -> Result<Files, Problem> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| whole_file(file, "not a zip archive that can be read"))?;
    let mut files = Files::new();
    let mut budget = MAX_UNPACKED_BYTES;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|_| whole_file(file, "an entry of the archive cannot be read"))?;
        let path =
            entry.name().map_err(|_| whole_file(file, "an entry of the archive has no readable name"))?.into_owned();
        let name = path.rsplit('/').next().unwrap_or_default().to_owned();
        if entry.is_dir() || path.starts_with("__MACOSX/") || !is_package_file(&name) || path.matches('/').count() > 1 {
            continue;
        }
        let mut text = String::new();
        let read = (&mut entry).take(budget + 1).read_to_string(&mut text);
        if read.is_err() {
            return Err(whole_file(file, format!("{path} in the archive is not UTF-8 text that can be read")));
        }
        budget =
            budget.checked_sub(text.len() as u64).ok_or_else(|| whole_file(file, "the archive unpacks too large"))?;
        if files.insert(name.clone(), text).is_some() {
            return Err(whole_file(file, format!("the archive holds two files named {name}")));
        }
    }
    Ok(files)
}

/// Reads one uploaded or named file, by the ending of its name: `.zip` (a tabular package), `.json` (HSDS JSON)
/// or `.csv` (the one-sheet template).
pub fn read_file(name: &str, bytes: &[u8], reference: &Reference) -> Package {
    let refused = |message: &str| Package { problems: vec![whole_file(name, message)], ..Package::default() };
    let lower = name.to_lowercase();
    if lower.ends_with(".zip") {
        return match unzip(name, bytes) {
            Ok(files) => app::hsds::import::read(&files, reference),
            Err(problem) => Package { problems: vec![problem], ..Package::default() },
        };
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return refused("not UTF-8 text: save the file as UTF-8") };
    if lower.ends_with(".json") {
        app::hsds::import::read_json(name, text, reference)
    } else if lower.ends_with(".csv") {
        app::hsds::sheet::read_sheet(name, text, reference)
    } else {
        refused("give a .zip package, a .json list or a .csv sheet")
    }
}

/// Checks `package` and, unless a dry run or a problem is found, writes it in one transaction as `actor`.
async fn apply(
    db: &app::store::Db,
    package: &Package,
    actor: Option<i64>,
    options: Options,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Report, app::store::StoreError> {
    if !package.problems.is_empty() {
        return Ok(Report::Problems(package.problems.clone()));
    }
    let now = chrono::Utc::now().timestamp();
    let outcome = app::store::import::apply(db, package, actor, now, !options.dry_run, options.scope, progress).await?;
    if !outcome.problems.is_empty() {
        return Ok(Report::Problems(outcome.problems));
    }
    Ok(Report::Planned(outcome))
}

/// Checks the file `name` (its content `bytes`) and, unless a dry run or a problem is found, writes it as `actor`.
pub async fn import_file(
    db: &app::store::Db,
    name: &str,
    bytes: &[u8],
    actor: Option<i64>,
    options: Options,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Report, app::store::StoreError> {
    let reference = app::store::import::reference(db).await?;
    apply(db, &read_file(name, bytes, &reference), actor, options, progress).await
}

/// Checks the package (a folder) or file at `path` and, unless a dry run or a problem is found, writes it.
pub async fn import(
    db: &app::store::Db,
    path: &Path,
    options: Options,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Report, Box<dyn std::error::Error>> {
    if !path.is_dir() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        return Ok(import_file(db, &name, &std::fs::read(path)?, None, options, progress).await?);
    }
    let reference = app::store::import::reference(db).await?;
    let package = app::hsds::import::read(&read_folder(path)?, &reference);
    Ok(apply(db, &package, None, options, progress).await?)
}
