//! The live-update stream (`GET /events`, server-sent events) and, on PostgreSQL, the listener that
//! carries other instances' events into this one.

use std::convert::Infallible;
use std::time::Duration;

use app::live::{CHANNEL, Events, LiveEvent};
use app::state::AppState;
use app::store::Db;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use crate::shutdown::Shutdown;

/// Streams live events to a signed-in browser. The first event is always `resync`, so a reconnecting
/// page refetches what it shows and misses nothing that happened while it was disconnected.
/// The stream ends when the server begins shutting down.
pub async fn events(State(state): State<AppState>, headers: HeaderMap, shutdown: Shutdown) -> Response {
    let now = chrono::Utc::now().timestamp();
    match app::auth::session::resolve(&state.db, &state.sessions, &headers, now).await {
        Ok(Some(_)) => {
            let until_shutdown = stream_of(state.events.clone()).take_until(async move { shutdown.begun().await });
            Sse::new(until_shutdown).keep_alive(KeepAlive::default()).into_response()
        }
        Ok(None) => StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "could not check the session of an event stream");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn to_sse(event: &LiveEvent) -> Event {
    Event::default().event(event.kind.clone()).data(serde_json::to_string(event).unwrap_or_default())
}

fn stream_of(events: Events) -> impl Stream<Item = Result<Event, Infallible>> {
    let receiver = events.subscribe();
    stream::unfold((receiver, true), |(mut receiver, first)| async move {
        if first {
            return Some((Ok(to_sse(&LiveEvent::resync())), (receiver, false)));
        }
        let event = match receiver.recv().await {
            Ok(e) => e,
            // Too slow to keep up: tell the page to refetch everything rather than skip silently.
            Err(RecvError::Lagged(_)) => LiveEvent::resync(),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(to_sse(&event)), (receiver, false)))
    })
}

/// On PostgreSQL, forwards `pg_notify` events from every instance to this instance's pages, reconnecting
/// after failures (and telling pages to resync, as notifications may have been missed meanwhile).
pub async fn listen(db: Db, events: Events) {
    let Db::Postgres(pool) = db else { return };
    loop {
        match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if listener.listen(CHANNEL).await.is_ok() {
                    events.deliver_locally(LiveEvent::resync());
                    while let Ok(notification) = listener.recv().await {
                        if let Ok(event) = serde_json::from_str::<LiveEvent>(notification.payload()) {
                            events.deliver_locally(event);
                        }
                    }
                }
                tracing::warn!("lost the live-update listener; reconnecting");
            }
            Err(e) => tracing::warn!(error = ?e, "could not start the live-update listener; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
