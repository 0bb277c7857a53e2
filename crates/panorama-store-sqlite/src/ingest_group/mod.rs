//! Event ingests that arrive while the writer is busy are written together: one transaction and
//! one pass of `panorama-store-sql`'s `ingest_batch` over their events in arrival order, then each
//! request takes its own outcomes back.
//!
//! Why: SQLite has one writer, and most of an ingest's cost is per transaction and per statement
//! (the schema load, a dozen look-ups and multi-row inserts, the commit's pages). Services post
//! events from many connections at once; four requests of 1,000 events written as one cost
//! about half of four transactions. Written as one pass, the group gives each event the outcome
//! the requests one after the other would have given it (duplicates across requests, contacts
//! created by an earlier request and found by key in a later one, anonymous ids), except that an
//! outcome names the contact holding the event when the group commits: if a later request of the
//! group merged an anonymous contact into a real one, the earlier request is told the real one.
//!
//! Groups are written by a thread of their own (a one-thread runtime): a request whose client goes
//! away does not take the others' events with it, and the writer's next statement never waits for
//! a runtime thread that is busy parsing a request (a tenth more events a second than a task on
//! the shared runtime in `panorama bench events`).

use crate::events::PendingEvent;
use crate::{SqliteDb, db, metadata};
use panorama_core::contact::WriteContext;
use panorama_core::event::{IncomingEvent, IngestOutcome, IngestStatus};
use panorama_core::{Error, Result};
use panorama_store_sql::events::{StoredIds, ingest_batch};
use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

#[cfg(test)]
mod tests;

/// The most events written in one group, unless one request alone carries more. Events land on
/// random pages of `events` (stored by contact), and a commit writes each page it changed to the
/// WAL once: the more events a group holds, the more of them share a page.
/// `scripts/sqlite-ingest-floor` (SQLite alone, 200,000 events over 10,000 contacts): 5.8 s in
/// transactions of 1,000, 4.1 s of 3,000, 2.4 s of 10,000, 2.0 s of 20,000. The group holds the
/// write lock while it is written (about 0.3 s at 20,000).
pub const INGEST_GROUP_EVENTS_MAX: usize = 20_000;

/// One request waiting for the writer.
pub(crate) struct Job {
    events: Vec<PendingEvent>,
    context: WriteContext,
    reply: oneshot::Sender<Result<Vec<IngestOutcome>>>,
}

/// The queue of ingest requests in front of the writer; its task ends with the last store clone.
pub(crate) struct IngestQueue {
    jobs: mpsc::UnboundedSender<Job>,
}

impl IngestQueue {
    /// Start the thread that writes groups through `writer`; it ends with the queue.
    pub(crate) fn start(writer: SqlitePool) -> Self {
        let (jobs, waiting) = mpsc::unbounded_channel();
        let spawned = std::thread::Builder::new()
            .name("panorama-ingest".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(run(writer, waiting)),
                    Err(error) => tracing::error!(%error, "the event writer could not start"),
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "the event writer thread could not start");
        }
        Self { jobs }
    }

    /// Ingest `events` in order, in a group with whatever else is waiting.
    pub(crate) async fn ingest(
        &self,
        events: Vec<IncomingEvent>,
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>> {
        let (job, answer) = Job::new(events, context.clone())?;
        self.jobs
            .send(job)
            .map_err(|_| Error::internal("the event writer has stopped"))?;
        answer
            .await
            .map_err(|_| Error::internal("the event writer stopped before answering"))?
    }
}

impl Job {
    /// A job for `events`, their properties serialized here, on the requester's task, so the
    /// one writer does not spend its time on it.
    fn new(
        events: Vec<IncomingEvent>,
        context: WriteContext,
    ) -> Result<(Self, oneshot::Receiver<Result<Vec<IngestOutcome>>>)> {
        let (reply, answer) = oneshot::channel();
        let job = Self {
            events: events
                .into_iter()
                .map(PendingEvent::new)
                .collect::<Result<_>>()?,
            context,
            reply,
        };
        Ok((job, answer))
    }

    /// Whether `other` may share this job's transaction: same source and mode. The group is
    /// written at its first request's instant, microseconds to milliseconds before the others'.
    fn joins(&self, other: &Job) -> bool {
        self.context.source == other.context.source && self.context.fast == other.context.fast
    }

    fn answer(self, result: Result<Vec<IngestOutcome>>) {
        // The requester may have gone (its client disconnected); its events are written anyway.
        let _ = self.reply.send(result);
    }

    /// Write this job in a transaction of its own and answer it.
    async fn write_alone(mut self, writer: &mut GroupWriter) {
        let result = writer.write(&self.events, &self.context).await;
        let events = std::mem::take(&mut self.events);
        self.answer(result);
        free_aside(events);
    }
}

/// Take each waiting job with whatever queued behind it, and write them.
async fn run(writer: SqlitePool, mut waiting: mpsc::UnboundedReceiver<Job>) {
    let mut writer = GroupWriter::new(writer);
    let mut next: Option<Job> = None;
    loop {
        let first = match next.take() {
            Some(job) => job,
            None => match waiting.recv().await {
                Some(job) => job,
                None => return,
            },
        };
        let mut events = first.events.len();
        let mut group = vec![first];
        while let Ok(job) = waiting.try_recv() {
            if group[0].joins(&job) && events + job.events.len() <= INGEST_GROUP_EVENTS_MAX {
                events += job.events.len();
                group.push(job);
            } else {
                next = Some(job);
                break;
            }
        }
        write_group(&mut writer, group).await;
    }
}

/// Write `group` as one transaction and answer each job. When that fails, each job is written
/// alone, so only a job that fails by itself gets an error.
pub(crate) async fn write_group(writer: &mut GroupWriter, mut group: Vec<Job>) {
    if group.len() == 1
        && let Some(job) = group.pop()
    {
        return job.write_alone(writer).await;
    }
    let lengths: Vec<usize> = group.iter().map(|job| job.events.len()).collect();
    let mut all = Vec::with_capacity(lengths.iter().sum());
    for job in &mut group {
        all.append(&mut job.events);
    }
    let combined = writer.write(&all, &group[0].context).await;
    match combined {
        Ok(outcomes) => {
            let mut outcomes = outcomes.into_iter();
            for (job, length) in group.into_iter().zip(lengths) {
                job.answer(Ok(outcomes.by_ref().take(length).collect()));
            }
            free_aside(all);
        }
        Err(error) => {
            tracing::warn!(%error, jobs = group.len(), "a grouped ingest failed; writing each alone");
            let mut all = all.into_iter();
            for (job, length) in group.iter_mut().zip(&lengths) {
                job.events = all.by_ref().take(*length).collect();
            }
            for job in group {
                job.write_alone(writer).await;
            }
        }
    }
}

/// Free a written group's events on a thread of the blocking pool: tens of thousands of small
/// texts, allocated by the requests' threads, are slow to free from another one, and the writer's
/// thread is the one the next group waits for.
fn free_aside(events: Vec<PendingEvent>) {
    if !events.is_empty() {
        drop(tokio::task::spawn_blocking(move || drop(events)));
    }
}

/// The writer connection, and what the last group said about ids stored before.
pub(crate) struct GroupWriter {
    pool: SqlitePool,
    /// How the next group is first written: `LookUp` after a group that held duplicates, since
    /// a sender that resends one batch usually resends the next (a whole file sent again took
    /// 1.5 times as long assuming each batch new), and `AssumeNone` again after one that held
    /// none.
    first_pass: StoredIds,
}

impl GroupWriter {
    pub(crate) fn new(pool: SqlitePool) -> Self {
        Self {
            pool,
            first_pass: StoredIds::AssumeNone,
        }
    }

    /// `ingest_batch` over `events` with the schema as it is now: first as `first_pass` says, and
    /// when that assumed no id stored and one was, again in a new transaction with every id
    /// looked up.
    async fn write(
        &mut self,
        events: &[PendingEvent],
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>> {
        if self.first_pass == StoredIds::AssumeNone
            && let Some(outcomes) =
                write_once(&self.pool, events, context, StoredIds::AssumeNone).await?
        {
            return Ok(outcomes);
        }
        let outcomes = write_once(&self.pool, events, context, StoredIds::LookUp)
            .await?
            .ok_or_else(|| {
                Error::internal("an ingest with every id looked up found a stored one")
            })?;
        self.first_pass = if outcomes.iter().any(|o| o.status == IngestStatus::Duplicate) {
            StoredIds::LookUp
        } else {
            StoredIds::AssumeNone
        };
        Ok(outcomes)
    }
}

/// One transaction, committed when `ingest_batch` answers and rolled back when it does not.
async fn write_once(
    writer: &SqlitePool,
    events: &[PendingEvent],
    context: &WriteContext,
    stored_ids: StoredIds,
) -> Result<Option<Vec<IngestOutcome>>> {
    let mut tx = crate::store::begin_write(writer).await?;
    let schema = metadata::load_schema(&mut tx).await?;
    let outcomes = ingest_batch::<SqliteDb>(&mut tx, &schema, events, context, stored_ids).await?;
    if outcomes.is_some() {
        tx.commit().await.map_err(db)?;
    } else {
        tx.rollback().await.map_err(db)?;
    }
    Ok(outcomes)
}
