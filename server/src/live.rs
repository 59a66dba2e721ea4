//! The live-update stream (`GET /events`, server-sent events) and, on PostgreSQL, the listener that
//! carries other instances' events into this one.
//!
//! A stream admits the same people as the pages (session, second factor), carries only what the viewer's
//! role may see, re-checks the session every [`RECHECK`], and ends at once when its session is signed out or
//! its account disabled (on any instance), or when the server shuts down.

use std::collections::HashSet;
use std::convert::Infallible;
use std::time::Duration;

use app::domain::account::{Role, Viewer};
use app::live::{CHANNEL, LiveEvent};
use app::state::AppState;
use app::store::{Db, StoreError};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::shutdown::Shutdown;

/// How often an open stream re-checks its session, role and organizations.
pub const RECHECK: Duration = Duration::from_secs(60);

/// Streams live events to a signed-in browser. The first event is always `resync`, so a reconnecting
/// page refetches what it shows and misses nothing that happened while it was disconnected.
pub async fn events(State(state): State<AppState>, headers: HeaderMap, shutdown: Shutdown) -> Response {
    let (viewer, session) = match crate::door::admit(&state, &headers, app::domain::access::Area::Account.roles()).await
    {
        Ok(admitted) => admitted,
        Err(refusal) => return refusal,
    };
    // Subscribe before reading the scope, so nothing published meanwhile is missed.
    let receiver = state.events.subscribe();
    let scope = match Scope::of(&state.db, &viewer).await {
        Ok(scope) => scope,
        Err(e) => {
            tracing::error!(error = ?e, "could not read the scope of an event stream");
            return crate::limits::plain_error(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "Please try again in a moment.",
            );
        }
    };
    let recheck = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
    let watch = Watch { state, session, user_id: viewer.id, scope, receiver, recheck, started: false };
    let stream = stream_of(watch).take_until(async move { shutdown.begun().await });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

/// What a viewer's stream may carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Coordinators and administrators: every service's changes (they search them all).
    Everything,
    /// Funders: that something changed, never which service (they see aggregates only).
    Aggregates,
    /// Provider staff and admins: their own organizations' services only.
    Services(HashSet<i64>),
}

impl Scope {
    /// The scope of `viewer`'s role (a provider's services read from the database).
    pub async fn of(db: &Db, viewer: &Viewer) -> Result<Self, StoreError> {
        Ok(match viewer.role {
            Role::Administrator | Role::Coordinator => Scope::Everything,
            Role::Funder => Scope::Aggregates,
            Role::ProviderAdmin | Role::ProviderStaff => Scope::Services(
                app::store::providers::owned_services(db, &viewer.organization_ids)
                    .await?
                    .into_iter()
                    .map(|s| s.service_id)
                    .collect(),
            ),
        })
    }

    /// The event as this viewer may see it, or `None` when it is not theirs to see.
    pub fn visible(&self, event: &LiveEvent) -> Option<LiveEvent> {
        match event.kind.as_str() {
            "resync" => Some(LiveEvent::resync()),
            "session_ended" | "user_ended" => None,
            "alert" => matches!(self, Scope::Everything).then(|| event.clone()),
            _ => match self {
                Scope::Everything => Some(event.clone()),
                Scope::Aggregates => Some(LiveEvent { service_id: None, ..event.clone() }),
                Scope::Services(mine) => event.service_id.filter(|id| mine.contains(id)).map(|_| event.clone()),
            },
        }
    }
}

/// One open stream's state.
struct Watch {
    state: AppState,
    session: String,
    user_id: i64,
    scope: Scope,
    receiver: broadcast::Receiver<LiveEvent>,
    recheck: tokio::time::Interval,
    started: bool,
}

impl Watch {
    /// Re-reads the session and the scope; `false` when the stream must end.
    async fn still_admitted(&mut self) -> bool {
        let now = chrono::Utc::now().timestamp();
        match app::auth::session::check(&self.state.db, &self.state.sessions, &self.session, now).await {
            Ok(Some((viewer, _)))
                if crate::door::refusal(&viewer, app::domain::access::Area::Account.roles()).is_none() =>
            {
                match Scope::of(&self.state.db, &viewer).await {
                    Ok(scope) => {
                        self.scope = scope;
                        true
                    }
                    Err(_) => false,
                }
            }
            _ => false,
        }
    }
}

fn to_sse(event: &LiveEvent) -> Event {
    Event::default().event(event.kind.clone()).data(serde_json::to_string(event).unwrap_or_default())
}

fn stream_of(watch: Watch) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(watch, |mut w| async move {
        if !w.started {
            w.started = true;
            return Some((Ok(to_sse(&LiveEvent::resync())), w));
        }
        loop {
            let received = tokio::select! {
                _ = w.recheck.tick() => None,
                received = w.receiver.recv() => Some(received),
            };
            let event = match received {
                None => {
                    if !w.still_admitted().await {
                        return None;
                    }
                    continue;
                }
                Some(Ok(event)) => event,
                // Too slow to keep up: tell the page to refetch everything rather than skip silently.
                Some(Err(RecvError::Lagged(_))) => LiveEvent::resync(),
                Some(Err(RecvError::Closed)) => return None,
            };
            if event.ends(&w.session, w.user_id) {
                return None;
            }
            if let Some(visible) = w.scope.visible(&event) {
                return Some((Ok(to_sse(&visible)), w));
            }
        }
    })
}

/// On PostgreSQL, forwards `pg_notify` events from every instance to this instance's pages, reconnecting
/// after failures (and telling pages to resync, as notifications may have been missed meanwhile).
pub async fn listen(db: Db, events: app::live::Events) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_only_its_share_of_the_events() {
        let capacity = LiveEvent::service("capacity", 7);
        let alert = LiveEvent::service("alert", 7);
        assert_eq!(Scope::Everything.visible(&capacity), Some(capacity.clone()));
        assert_eq!(Scope::Everything.visible(&alert), Some(alert.clone()));
        assert_eq!(Scope::Aggregates.visible(&capacity).unwrap().service_id, None, "funders never learn which service");
        assert_eq!(Scope::Aggregates.visible(&alert), None);
        let mine = Scope::Services(HashSet::from([7]));
        let theirs = Scope::Services(HashSet::from([8]));
        assert_eq!(mine.visible(&capacity), Some(capacity.clone()));
        assert_eq!(theirs.visible(&capacity), None, "another organization's activity stays hidden");
        assert_eq!(theirs.visible(&alert), None);
        for scope in [Scope::Everything, Scope::Aggregates, mine] {
            assert_eq!(scope.visible(&LiveEvent::resync()), Some(LiveEvent::resync()));
            assert_eq!(scope.visible(&LiveEvent::session_ended("abc")), None, "internal events stay internal");
            assert_eq!(scope.visible(&LiveEvent::user_ended(3)), None);
        }
    }

    #[test]
    fn only_the_matching_session_or_account_ends() {
        assert!(LiveEvent::session_ended("abc").ends("abc", 1));
        assert!(!LiveEvent::session_ended("abc").ends("xyz", 1));
        assert!(LiveEvent::user_ended(1).ends("xyz", 1));
        assert!(!LiveEvent::user_ended(2).ends("xyz", 1));
        assert!(!LiveEvent::resync().ends("abc", 1));
    }
}
