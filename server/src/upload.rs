//! `POST /admin/import`: an administrator uploads a directory (a `.zip` package, a `.json` list or a `.csv`
//! sheet) as a plain multipart form, so it works without JavaScript. The import runs as for the command line,
//! after the response: the browser is sent to its report, which shows how far it has come, then what it found.

use app::api::AppError;
use app::api::import::{ImportReport, REPORTED_PROBLEMS, Tally};
use app::domain::access::Area;
use app::state::AppState;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use crate::import::Report;
use crate::limits::{plain_error, plain_error_text};

/// Where the upload form is.
pub const PAGE: &str = "/admin/import";

/// The uploaded file and how to apply it.
struct Upload {
    name: String,
    bytes: Vec<u8>,
    options: crate::import::Options,
}

async fn read_form(mut form: Multipart) -> Result<Option<Upload>, Response> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            let most = crate::limits::MAX_UPLOAD_BYTES / (1024 * 1024);
            plain_error_text(StatusCode::PAYLOAD_TOO_LARGE, format!("The file is too large: upload at most {most} MB."))
        } else {
            plain_error(StatusCode::BAD_REQUEST, "The upload could not be read. Try again.")
        }
    };
    let (mut file, mut options) = (None, crate::import::Options::default());
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(unreadable)?;
                if !name.is_empty() && !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            Some("dry_run") => options.dry_run = true,
            Some("whole_directory") => options.scope = app::store::import::Scope::WholeDirectory,
            _ => {}
        }
    }
    Ok(file.map(|(name, bytes)| Upload { name, bytes, options }))
}

/// Starts importing the uploaded file and sends the browser to its report: the finished report when the
/// import is done within [`SHOWN_AT_ONCE`], else its progress until it is. The import runs on after the
/// response, as for the command line.
pub async fn upload(State(state): State<AppState>, headers: HeaderMap, form: Multipart) -> Response {
    let (viewer, _) = match crate::door::admit(&state, &headers, Area::Administration.roles()).await {
        Ok(admitted) => admitted,
        Err(refusal) => return refusal,
    };
    let upload = match read_form(form).await {
        Ok(Some(upload)) => upload,
        Ok(None) => return Redirect::to(&format!("{PAGE}?error={}", AppError::ImportFile.code())).into_response(),
        Err(refusal) => return refusal,
    };
    let now = chrono::Utc::now().timestamp();
    let id = match app::store::import_reports::start_report(&state.db, viewer.id, now, &upload.name).await {
        Ok(id) => id,
        Err(e) => {
            tracing::error!(error = ?e, "an uploaded import could not start");
            return plain_error(StatusCode::SERVICE_UNAVAILABLE, "The import could not start. Try again.");
        }
    };
    state.imports.start(id);
    let mut running = tokio::spawn(run(state, upload, viewer.id, id, now));
    // A small file is done at once and its report shows straight away; a large one shows its progress. The
    // import goes on either way.
    let _ = tokio::time::timeout(SHOWN_AT_ONCE, &mut running).await;
    Redirect::to(&format!("{PAGE}?report={id}")).into_response()
}

/// How long the upload waits for its import before showing the progress instead of the report.
const SHOWN_AT_ONCE: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs an uploaded import to its end and keeps its report (or that it could not finish).
async fn run(state: AppState, upload: Upload, user_id: i64, id: i64, now: i64) {
    let progress = state.imports.clone();
    let done = crate::import::import_file(
        &state.db,
        &upload.name,
        &upload.bytes,
        Some(user_id),
        upload.options,
        &mut |done, total| progress.advance(id, done, total),
    )
    .await;
    let kept = match done {
        Ok(report) => {
            let shown = shown(&upload, report, now);
            let text = serde_json::to_string(&shown).unwrap_or_default();
            let kept = app::store::import_reports::finish_report(&state.db, id, &shown.outcome(), Some(&text)).await;
            if shown.written {
                state.events.publish(&state.db, app::live::LiveEvent::resync()).await;
            }
            kept
        }
        Err(e) => {
            tracing::error!(error = ?e, report = id, "an uploaded import failed: nothing was written");
            app::store::import_reports::finish_report(&state.db, id, "could not finish, nothing written", None).await
        }
    };
    if let Err(e) = kept {
        // The report stays "running" and reads as stopped once it is older than an import may take.
        tracing::error!(error = ?e, report = id, "an uploaded import's report could not be kept");
    }
    state.imports.finish(id);
}

/// The report as the upload page shows it.
fn shown(upload: &Upload, report: Report, now: i64) -> ImportReport {
    let (tallies, mut problems, written) = match report {
        Report::Planned(o) => {
            let tally = |what: &str, counts| Tally { what: what.to_owned(), counts };
            let tallies =
                vec![tally("organizations", o.organizations), tally("sites", o.sites), tally("services", o.services)];
            (tallies, Vec::new(), o.written)
        }
        Report::Problems(p) => (Vec::new(), p, false),
    };
    let more_problems = problems.len().saturating_sub(REPORTED_PROBLEMS);
    problems.truncate(REPORTED_PROBLEMS);
    ImportReport {
        file: upload.name.clone(),
        dry_run: upload.options.dry_run,
        written,
        at: now,
        tallies,
        problems,
        more_problems,
    }
}
