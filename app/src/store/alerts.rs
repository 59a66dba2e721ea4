//! Saved searches ("alerts") and the in-app notifications they raise when matching fresh capacity appears.

use crate::domain::freshness::FreshnessPolicy;
use crate::domain::search::SearchQuery;
use crate::{on_db, write_tx};

use super::{Db, StoreError, search};

/// Saves a search (its URL query) as an alert and returns its id, or `None` when the coordinator already
/// has `limit` alerts.
pub async fn save(db: &Db, user_id: i64, query: &str, limit: i64, now: i64) -> Result<Option<i64>, StoreError> {
    let postgres = matches!(db, Db::Postgres(_));
    write_tx!(db, |tx| {
        if postgres {
            sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE").bind(user_id).execute(&mut *tx).await?;
        }
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM alerts WHERE user_id = $1").bind(user_id).fetch_one(&mut *tx).await?;
        if count >= limit {
            return Ok(None);
        }
        let (id,): (i64,) =
            sqlx::query_as("INSERT INTO alerts (user_id, query, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(user_id)
                .bind(query)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
        Ok(Some(id))
    })
}

/// After `service_id` changed: every alert whose search now finds it with fresh free units notifies its
/// owner (at most once an hour per alert and service). Returns how many notifications were raised.
pub async fn check(db: &Db, service_id: i64, now: i64, policy: &FreshnessPolicy) -> Result<usize, StoreError> {
    let alerts: Vec<(i64, i64, String)> =
        on_db!(db, |pool| sqlx::query_as("SELECT id, user_id, query FROM alerts").fetch_all(pool).await)?;
    let mut raised = 0;
    for (alert_id, user_id, query) in alerts {
        let mut q = SearchQuery::from_query(&query);
        q.available_now = true;
        q.include_stale = false;
        q.page = 1;
        q.page_size = crate::domain::search::MAX_PAGE_SIZE;
        let page = search::search(db, &q, now, policy).await?;
        if !page.hits.iter().any(|h| h.service_id == service_id) {
            continue;
        }
        let inserted = write_tx!(db, |tx| {
            let recent: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM notifications WHERE alert_id = $1 AND service_id = $2 AND created_at > $3",
            )
            .bind(alert_id)
            .bind(service_id)
            .bind(now - 3600)
            .fetch_optional(&mut *tx)
            .await?;
            if recent.is_none() {
                sqlx::query(
                    "INSERT INTO notifications (user_id, alert_id, service_id, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(user_id)
                .bind(alert_id)
                .bind(service_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            recent.is_none()
        });
        raised += usize::from(inserted);
    }
    Ok(raised)
}

/// A notification as its coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct NotificationRow {
    /// Id.
    pub id: i64,
    /// When.
    pub created_at: i64,
    /// The alert's search (URL query).
    pub query: String,
    /// Service name.
    pub service_name: String,
    /// Town of the site.
    pub town: String,
}

/// A coordinator's newest notifications.
pub async fn notifications(db: &Db, user_id: i64, limit: i64) -> Result<Vec<NotificationRow>, StoreError> {
    const SQL: &str = "SELECT n.id, n.created_at, a.query, s.name AS service_name, t.name AS town
        FROM notifications n JOIN alerts a ON a.id = n.alert_id JOIN services s ON s.id = n.service_id
        JOIN sites si ON si.id = s.site_id JOIN towns t ON t.id = si.town_id
        WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2";
    Ok(on_db!(db, |pool| sqlx::query_as(SQL).bind(user_id).bind(limit).fetch_all(pool).await)?)
}
