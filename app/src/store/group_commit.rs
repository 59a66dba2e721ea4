//! Group commit on SQLite: writers queued behind one another share one transaction and one fsync.
//!
//! SQLite makes a commit durable by syncing its write-ahead log to disk, so writers that commit one at a time
//! can never commit more often than the disk syncs. Here each writer's work runs in its own savepoint inside a
//! transaction the writers hand along: a writer that finishes while others are queued releases its savepoint
//! and hands the transaction to the next; the last one queued (or the [`MAX_MEMBERS`]th) commits for all of
//! them. Every writer's [`Turn::commit`] returns only once that commit is durable, so an acknowledged write is
//! on disk; if the shared commit fails, every member gets the error and nothing of theirs was written. A
//! writer that fails or is dropped undoes its own savepoint and nobody else's.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

use super::{StoreError, WAIT_LIMIT};

/// The most writers one commit makes durable.
pub const MAX_MEMBERS: usize = 64;

/// How long a writer that handed the transaction on waits before checking that somebody will commit it (the
/// writer it was handed to may have been cancelled before its turn).
const HANDED_ON_CHECK: Duration = Duration::from_millis(5);

/// What a shared commit ended in, told to every member: `None` until it ends.
type Outcome = Option<Result<(), Arc<str>>>;

/// The write side of one SQLite database: the open shared transaction, if any, behind a fair lock.
#[derive(Default)]
pub struct Writer {
    batch: Arc<Mutex<Option<Batch>>>,
    queued: Arc<AtomicUsize>,
    counts: Arc<Counts>,
}

/// Commits made and the writes they made durable, since the pool opened.
#[derive(Debug, Default)]
struct Counts {
    commits: AtomicU64,
    writes: AtomicU64,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("queued", &self.queued).field("counts", &self.counts).finish()
    }
}

/// A transaction begun and not yet committed, with the writers whose work it holds.
struct Batch {
    tx: sqlx::Transaction<'static, Sqlite>,
    members: usize,
    committed: watch::Sender<Outcome>,
    counts: Arc<Counts>,
}

/// One writer's turn: the shared transaction, with this writer's savepoint open until it commits. The first
/// writer of a transaction needs none: undoing its work is rolling the transaction back.
pub struct Turn {
    guard: Option<OwnedMutexGuard<Option<Batch>>>,
    batch: Arc<Mutex<Option<Batch>>>,
    queued: Arc<AtomicUsize>,
    savepoint: bool,
}

/// Counts a writer as queued until it has its turn or gives up.
struct Queued(Arc<AtomicUsize>);

impl Queued {
    fn new(counter: &Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Self(counter.clone())
    }
}

impl Drop for Queued {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Writer {
    /// How many writers are waiting for their turn.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    /// How many commits this writer made, and how many writes they made durable.
    pub fn commit_counts(&self) -> (u64, u64) {
        (self.counts.commits.load(Ordering::Relaxed), self.counts.writes.load(Ordering::Relaxed))
    }

    /// Waits (at most [`WAIT_LIMIT`]) for this writer's turn, joining the open transaction or beginning one.
    pub async fn begin(&self, pool: &SqlitePool) -> Result<Turn, StoreError> {
        let queued = Queued::new(&self.queued);
        let mut guard =
            tokio::time::timeout(WAIT_LIMIT, self.batch.clone().lock_owned()).await.map_err(|_| StoreError::Busy)?;
        drop(queued);
        if guard.is_none() {
            let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            *guard = Some(Batch { tx, members: 0, committed: watch::channel(None).0, counts: self.counts.clone() });
        }
        let savepoint = guard.as_ref().is_some_and(|batch| batch.members > 0);
        let mut turn = Turn { guard: Some(guard), batch: self.batch.clone(), queued: self.queued.clone(), savepoint };
        if savepoint {
            sqlx::query("SAVEPOINT writer").execute(turn.connection()).await?;
        }
        Ok(turn)
    }
}

impl Turn {
    /// The shared transaction's connection.
    pub fn connection(&mut self) -> &mut SqliteConnection {
        let batch = self.guard.as_mut().and_then(|g| g.as_mut()).expect("a turn holds an open transaction");
        &mut batch.tx
    }

    /// Keeps this writer's work and returns once it is durable: committed now if nobody is queued, otherwise
    /// by whoever commits the shared transaction.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        if self.savepoint {
            sqlx::query("RELEASE writer").execute(self.connection()).await?;
        }
        let mut guard = self.guard.take().expect("a turn holds the lock until it commits");
        let batch = guard.as_mut().expect("a turn holds an open transaction");
        batch.members += 1;
        let outcome = batch.committed.subscribe();
        if self.queued.load(Ordering::SeqCst) > 0 && batch.members < MAX_MEMBERS {
            drop(guard);
            return handed_on(&self.batch, &self.queued, outcome).await;
        }
        finish(&mut guard).await;
        told(&outcome)
    }
}

impl Drop for Turn {
    /// A turn dropped before its commit undoes its savepoint, then commits or hands on what the members before
    /// it kept. That takes statements, so it runs as a task that keeps the lock until it is done.
    fn drop(&mut self) {
        let Some(guard) = self.guard.take() else { return };
        let (savepoint, queued) = (self.savepoint, self.queued.clone());
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(undo(guard, savepoint, queued))),
            // No runtime left (shutting down): the transaction is rolled back with its connection.
            Err(_) => drop(guard),
        }
    }
}

/// Undoes a dropped turn's savepoint; then rolls back a transaction nobody kept anything in, commits one whose
/// members nobody else will commit, or leaves it for the writer queued next.
async fn undo(mut guard: OwnedMutexGuard<Option<Batch>>, savepoint: bool, queued: Arc<AtomicUsize>) {
    let Some(batch) = guard.as_mut() else { return };
    if savepoint && let Err(e) = undo_savepoint(&mut batch.tx).await {
        tracing::warn!(error = ?e, "could not undo a dropped write; rolling back its whole group");
        if let Some(batch) = guard.take() {
            let _ = batch.committed.send(Some(Err("the group's transaction failed".into())));
        }
        return;
    }
    if batch.members == 0 {
        guard.take();
    } else if queued.load(Ordering::SeqCst) == 0 {
        finish(&mut guard).await;
    }
}

async fn undo_savepoint(tx: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("ROLLBACK TO writer").execute(&mut *tx).await?;
    sqlx::query("RELEASE writer").execute(&mut *tx).await?;
    Ok(())
}

/// Commits the shared transaction and tells every member how it ended.
async fn finish(guard: &mut OwnedMutexGuard<Option<Batch>>) {
    let Some(batch) = guard.take() else { return };
    let members = batch.members;
    let counts = batch.counts.clone();
    let result = batch.tx.commit().await.map_err(|e| {
        tracing::error!(error = ?e, members, "a group commit failed");
        Arc::<str>::from("the commit failed")
    });
    if result.is_ok() {
        counts.commits.fetch_add(1, Ordering::Relaxed);
        counts.writes.fetch_add(members as u64, Ordering::Relaxed);
    }
    let _ = batch.committed.send(Some(result));
}

/// Waits for the commit of a transaction this writer handed on. Should the writer it was handed to give up
/// before its turn, this one takes the lock back and commits it.
async fn handed_on(
    batch: &Arc<Mutex<Option<Batch>>>,
    queued: &AtomicUsize,
    mut outcome: watch::Receiver<Outcome>,
) -> Result<(), StoreError> {
    loop {
        if outcome.borrow().is_some() {
            return told(&outcome);
        }
        tokio::select! {
            changed = outcome.changed() => {
                if changed.is_err() && outcome.borrow().is_none() {
                    return Err(StoreError::NotDurable("the group's transaction was dropped".into()));
                }
            }
            () = tokio::time::sleep(HANDED_ON_CHECK) => {
                if queued.load(Ordering::SeqCst) > 0 {
                    continue; // a queued writer carries the transaction on
                }
                let mut guard =
                    tokio::time::timeout(WAIT_LIMIT, batch.clone().lock_owned()).await.map_err(|_| StoreError::Busy)?;
                // Nobody holds the lock, so nobody is working in the transaction: if it is still ours and no
                // writer is queued to carry it on, end it.
                if outcome.borrow().is_none() && queued.load(Ordering::SeqCst) == 0 {
                    finish(&mut guard).await;
                }
            }
        }
    }
}

/// The outcome a member was told.
fn told(outcome: &watch::Receiver<Outcome>) -> Result<(), StoreError> {
    match &*outcome.borrow() {
        Some(Ok(())) => Ok(()),
        Some(Err(why)) => Err(StoreError::NotDurable(why.to_string())),
        None => Err(StoreError::NotDurable("the group's transaction ended without a commit".into())),
    }
}
