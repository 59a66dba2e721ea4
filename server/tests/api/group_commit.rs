//! Group commit on SQLite: writers queued together share one commit, every write is on disk when its commit
//! returns, and a writer that gives up, during its turn or before it, undoes only its own work. (PostgreSQL
//! groups concurrent commits itself; its writers are covered by the concurrency tests.)

use std::time::Duration;

use app::store::audit::{self, AuditEntry};
use app::store::{Db, query};

use crate::helpers::{Backend, TestApp, on_backend};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn entry(action: &str) -> AuditEntry<'_> {
    AuditEntry { actor_id: None, action, entity: "test", entity_id: None, old_value: None, new_value: None }
}

/// Audit rows with `action`, read through a pool of its own: only what is committed to the file.
async fn on_disk(app: &TestApp, action: &str) -> i64 {
    let fresh = app::store::connect(&app.database_url).await.unwrap();
    let (n,): (i64,) =
        query("SELECT COUNT(*) FROM audit_log WHERE action = $1").bind(action).fetch_one(&fresh).await.unwrap();
    fresh.close().await;
    n
}

async fn until_queued(db: &Db, writers: usize) {
    while db.writers_queued() < Some(writers) {
        tokio::task::yield_now().await;
    }
}

async fn sixty_four_writers_share_commits_and_each_is_on_disk_when_acknowledged(app: TestApp) {
    let (commits_before, writes_before) = app.db.commit_counts().unwrap();
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let db = app.db.clone();
            tokio::spawn(async move { audit::record(&db, entry("test.grouped"), now()).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("acknowledged");
    }
    let (commits, writes) = app.db.commit_counts().unwrap();
    assert_eq!(writes - writes_before, 64, "every write made durable by some commit");
    assert!(commits - commits_before < 64, "writers queued together shared commits: {}", commits - commits_before);
    assert_eq!(on_disk(&app, "test.grouped").await, 64);
    // Each writer read the chain's head inside the shared transaction, so the chain has no fork.
    assert!(audit::verify(&app.db).await.unwrap().is_ok());
}

async fn a_writer_dropped_in_its_turn_undoes_only_its_own_work(app: TestApp) {
    let mut first = app.db.write().await.unwrap();
    // Read while this writer holds its turn: no commit can happen until it lets go.
    let (commits_before, _) = app.db.commit_counts().unwrap();
    audit::append(&mut first, &entry("test.kept"), now()).await.unwrap();
    let (in_turn, holding) = tokio::sync::oneshot::channel();
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let db = app.db.clone();
    let second = tokio::spawn(async move {
        let mut tx = db.write().await.unwrap();
        audit::append(&mut tx, &entry("test.dropped"), now()).await.unwrap();
        in_turn.send(()).unwrap();
        let _ = released.await;
        drop(tx);
    });
    until_queued(&app.db, 1).await;
    let committing = tokio::spawn(first.commit());
    holding.await.unwrap();
    assert_eq!(app.db.commit_counts().unwrap().0, commits_before, "the first writer handed its transaction on");
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(!committing.is_finished(), "and its commit waits until the transaction is durable");
    assert_eq!(on_disk(&app, "test.kept").await, 0, "which it is not yet");
    release.send(()).unwrap();
    second.await.unwrap();
    committing.await.unwrap().expect("the first write is acknowledged");
    assert_eq!((on_disk(&app, "test.kept").await, on_disk(&app, "test.dropped").await), (1, 0));
    assert!(audit::verify(&app.db).await.unwrap().is_ok());
}

async fn a_writer_that_gives_up_before_its_turn_leaves_the_others_committed(app: TestApp) {
    let mut first = app.db.write().await.unwrap();
    audit::append(&mut first, &entry("test.before_cancel"), now()).await.unwrap();
    let db = app.db.clone();
    let waiting = tokio::spawn(async move {
        let _turn = db.write().await;
        std::future::pending::<()>().await;
    });
    until_queued(&app.db, 1).await;
    let committing = tokio::spawn(first.commit());
    // The queued writer goes away (a closed connection, say), in its turn or before it.
    waiting.abort();
    let acknowledged = tokio::time::timeout(Duration::from_secs(10), committing).await;
    acknowledged.expect("the first writer is not left waiting").unwrap().expect("acknowledged");
    assert_eq!(on_disk(&app, "test.before_cancel").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_queued_together_share_commits() {
    on_backend(Backend::Sqlite, sixty_four_writers_share_commits_and_each_is_on_disk_when_acknowledged).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_writer_undoes_only_its_own_work() {
    on_backend(Backend::Sqlite, a_writer_dropped_in_its_turn_undoes_only_its_own_work).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_writer_leaves_the_others_committed() {
    on_backend(Backend::Sqlite, a_writer_that_gives_up_before_its_turn_leaves_the_others_committed).await;
}
