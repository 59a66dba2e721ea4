//! `POST /admin/import`: an administrator uploads a directory (a `.zip` package, a `.json` list or a `.csv`
//! sheet) as a plain multipart form, so it works without JavaScript. The import runs as for the command line,
//! its report is kept, and the browser is sent to the upload page showing it.

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

/// Imports the uploaded file and redirects to its report.
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
    let saved = async {
        let report = crate::import::import_file(
            &state.db,
            &upload.name,
            &upload.bytes,
            Some(viewer.id),
            upload.options,
            &mut |_, _| {},
        )
        .await?;
        let shown = shown(&upload, report, now);
        let text = serde_json::to_string(&shown).unwrap_or_default();
        app::store::import::save_report(&state.db, viewer.id, now, &shown.file, &shown.outcome(), &text).await
    };
    match saved.await {
        Ok(id) => {
            if !upload.options.dry_run {
                state.events.publish(&state.db, app::live::LiveEvent::resync()).await;
            }
            Redirect::to(&format!("{PAGE}?report={id}")).into_response()
        }
        Err(e) => {
            tracing::error!(error = ?e, "an uploaded import failed");
            plain_error(StatusCode::SERVICE_UNAVAILABLE, "The import could not finish. Nothing was written. Try again.")
        }
    }
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
