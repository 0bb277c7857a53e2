//! WAL checkpoints off the writer: each commit on the writer connection wakes a task that copies
//! the committed WAL pages into the database file on a connection of its own.
//!
//! Why: SQLite's automatic checkpoint runs on the connection that commits, so the one writer
//! stopped every 40 MB of WAL to copy and `fsync` them (150-200 ms each, about a third of the
//! writer's time under a steady event ingest). A `PASSIVE` checkpoint never blocks the writer or
//! readers, so it can run beside them. The writer keeps its automatic checkpoint as a backstop: the
//! WAL can only start over once every frame is copied, which a checkpoint running beside a busy
//! writer rarely catches; the writer's own checkpoint then has only the last few commits to copy.

use sqlx::sqlite::{LockedSqliteHandle, SqliteConnectOptions};
use sqlx::{ConnectOptions, SqliteConnection};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// The least time between two background checkpoints, in milliseconds. Each ends in an `fsync`
/// of the database file; a short pause keeps a stream of small commits from syncing each one,
/// while the copy stays close behind the writer (the further it lags, the more the writer's own
/// checkpoint has to copy: at 250 ms the writer still paid 60% of what it paid without this).
pub const CHECKPOINT_INTERVAL_MS: u64 = 20;

/// The background checkpoint task of one store; stopped when the last clone of the store goes.
pub(crate) struct Checkpointer {
    wake: Arc<Notify>,
    task: JoinHandle<()>,
    /// Counts the passes that found every WAL frame copied (read by tests).
    #[cfg_attr(not(test), allow(dead_code))]
    caught_up: watch::Receiver<u64>,
}

impl Checkpointer {
    /// Start the task on its own connection to the database of `options`.
    pub(crate) fn start(options: SqliteConnectOptions) -> Self {
        let wake = Arc::new(Notify::new());
        let (count, caught_up) = watch::channel(0);
        let task = tokio::spawn(run(options, wake.clone(), count));
        Self {
            wake,
            task,
            caught_up,
        }
    }

    /// Changes each time a pass finds the whole WAL copied into the database file.
    #[cfg(test)]
    pub(crate) fn caught_up(&self) -> watch::Receiver<u64> {
        self.caught_up.clone()
    }

    /// What a writer connection needs to wake the task.
    pub(crate) fn signal(&self) -> CommitSignal {
        CommitSignal(self.wake.clone())
    }

    /// Stop the task (its connection closes with it).
    pub(crate) fn stop(&self) {
        self.task.abort();
    }
}

/// Wakes the checkpoint task; kept by the writer pool, which installs it on each connection.
#[derive(Clone)]
pub(crate) struct CommitSignal(Arc<Notify>);

impl CommitSignal {
    /// Make `handle` (a writer connection) wake the task on each of its commits.
    pub(crate) fn watch(&self, handle: &mut LockedSqliteHandle<'_>) {
        let wake = self.0.clone();
        // Runs inside SQLite's commit, before it completes: it only leaves a wake-up behind.
        handle.set_commit_hook(move || {
            wake.notify_one();
            true
        });
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Wait for commits; after each (at most one per interval), checkpoint until the WAL is copied.
async fn run(options: SqliteConnectOptions, wake: Arc<Notify>, caught_up: watch::Sender<u64>) {
    let mut connection: Option<SqliteConnection> = None;
    let interval = Duration::from_millis(CHECKPOINT_INTERVAL_MS);
    let mut next = Instant::now();
    loop {
        wake.notified().await;
        // A commit wakes the task before it completes: the first pass waits an interval for it
        // to land, and passes go on until one finds every frame copied. A commit still being
        // written after that is copied after the next commit (or by the writer, or at close).
        next = next.max(Instant::now() + interval);
        loop {
            tokio::time::sleep_until(next).await;
            next = Instant::now() + interval;
            if connection.is_none() {
                connection = match options.connect().await {
                    Ok(open) => Some(open),
                    Err(error) => {
                        // The writer's own checkpoint still runs; try again on the next commit.
                        tracing::warn!(%error, "cannot open the background checkpoint's connection");
                        None
                    }
                };
            }
            let Some(open) = connection.as_mut() else {
                break;
            };
            match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(open)
                .await
            {
                Ok((_, log, copied)) if copied < log => continue,
                Ok(_) => {
                    caught_up.send_modify(|passes| *passes += 1);
                    break;
                }
                Err(error) => {
                    // The writer's own checkpoint still runs; try again on the next commit.
                    tracing::warn!(%error, "background checkpoint failed");
                    connection = None;
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use panorama_core::contact::{ContactRecord, WriteContext};
    use panorama_core::metadata::Schema;
    use panorama_core::store::{ContactStore, MetadataStore};
    use panorama_core::value::ParseOptions;
    use std::time::Duration;

    /// The database file comes to hold every page of a write with no checkpoint by the writer:
    /// these contacts stay far below its 10,000-page backstop.
    #[tokio::test]
    async fn commits_reach_the_database_file_without_the_writer_checkpointing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("checkpoint.db");
        let store = crate::SqliteStore::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let mut caught_up = store.checkpointer.caught_up();
        let schema = Schema::new(store.list_attributes().await.unwrap());
        let records: Vec<ContactRecord> = (0..300)
            .map(|n| json_record(&schema, &format!("1380000{n:04}")))
            .collect();
        store
            .upsert_contacts(&records, &WriteContext::now("test"))
            .await
            .unwrap();
        let (pages, page_size): (i64, i64) =
            sqlx::query_as("SELECT page_count, page_size FROM pragma_page_count, pragma_page_size")
                .fetch_one(&store.reader)
                .await
                .unwrap();
        let expected = u64::try_from(pages * page_size).unwrap();
        // Each further commit wakes the task again, so a pass that ran before the first commit
        // had landed is followed by one that copies it.
        let mut more = 0;
        while std::fs::metadata(&path).unwrap().len() < expected {
            assert!(
                more < 20,
                "the database file never held the first write's pages"
            );
            let record = json_record(&schema, &format!("1390000{more:04}"));
            store
                .upsert_contacts(&[record], &WriteContext::now("test"))
                .await
                .unwrap();
            more += 1;
            tokio::time::timeout(Duration::from_secs(10), caught_up.changed())
                .await
                .expect("the background checkpoint copies the WAL within 10 s")
                .unwrap();
        }
    }

    fn json_record(schema: &Schema, mobile: &str) -> ContactRecord {
        let json = serde_json::json!({ "mobile": mobile });
        ContactRecord::from_json(schema, json.as_object().unwrap(), ParseOptions::default())
            .unwrap()
    }
}
