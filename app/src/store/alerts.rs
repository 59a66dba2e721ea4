//! Saved searches ("alerts") and the in-app notifications they raise when matching fresh capacity appears.

use crate::domain::freshness::FreshnessPolicy;
use crate::domain::search::SearchQuery;

use super::{Db, StoreError, query, search};

/// Saves a search (its URL query) as an alert and returns its id, or `None` when the coordinator already
/// has `limit` alerts.
pub async fn save(db: &Db, user_id: i64, search_query: &str, limit: i64, now: i64) -> Result<Option<i64>, StoreError> {
    let mut tx = db.write().await?;
    if tx.is_postgres() {
        // One coordinator's alerts at a time (SQLite's write lock already serializes everyone).
        query("SELECT id FROM users WHERE id = $1 FOR UPDATE").bind(user_id).execute(&mut tx).await?;
    }
    let (count,): (i64,) =
        query("SELECT COUNT(*) FROM alerts WHERE user_id = $1").bind(user_id).fetch_one(&mut tx).await?;
    if count >= limit {
        return Ok(None);
    }
    let (id,): (i64,) = query("INSERT INTO alerts (user_id, query, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(user_id)
        .bind(search_query)
        .bind(now)
        .fetch_one(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// After `service_id` changed: every alert whose search now finds it with fresh free units notifies its
/// owner (at most once an hour per alert and service). Returns how many notifications were raised.
pub async fn check(db: &Db, service_id: i64, now: i64, policy: &FreshnessPolicy) -> Result<usize, StoreError> {
    let alerts: Vec<(i64, i64, String)> = query("SELECT id, user_id, query FROM alerts").fetch_all(db).await?;
    let mut raised = 0;
    for (alert_id, user_id, saved) in alerts {
        let mut q = SearchQuery::from_query(&saved);
        q.available_now = true;
        q.include_stale = false;
        q.page = 1;
        q.page_size = crate::domain::search::MAX_PAGE_SIZE;
        let page = search::search(db, &q, now, policy).await?;
        if !page.hits.iter().any(|h| h.service_id == service_id) {
            continue;
        }
        // Within the hour nothing new is inserted; the statement says how many rows it added.
        let mut tx = db.write().await?;
        let inserted = query(
            "INSERT INTO notifications (user_id, alert_id, service_id, created_at)
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS (
                 SELECT 1 FROM notifications WHERE alert_id = $2 AND service_id = $3 AND created_at > $5)",
        )
        .bind(user_id)
        .bind(alert_id)
        .bind(service_id)
        .bind(now)
        .bind(now - 3600)
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        raised += inserted as usize;
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
    query(SQL).bind(user_id).bind(limit).fetch_all(db).await
}
