//! A running job's progress recorder and lease keeper: the work hands each step of progress to
//! [`Progress`]; the keeper writes the steps in order through the lease (each write renews it)
//! and renews it every third of its length between them, and stops the run as soon as the lease
//! is lost or a write fails.

use panorama_core::Error;
use panorama_core::store::{JobKind, JobLease, JobRejection, JobState};
use serde::Serialize;
use serde_json::Value as Json;
use tokio::sync::{mpsc, oneshot};

/// How a running job tells its progress: handed to its work by the runner
/// ([`run`](super::run)). Clones report to the same keeper.
pub struct Progress<K: JobKind> {
    sender: mpsc::UnboundedSender<Step<K::Counts>>,
}

impl<K: JobKind> Clone for Progress<K> {
    fn clone(&self) -> Self {
        Self {
            sender: self.sender.clone(),
        }
    }
}

/// One step of progress on its way to the job's record.
pub(super) struct Step<C> {
    rows_done: u64,
    rows_total: Option<u64>,
    counts: C,
    rejected: Vec<JobRejection>,
    /// Told once the step is written, for work that waits for it.
    written: Option<oneshot::Sender<()>>,
}

impl<K: JobKind> Progress<K> {
    pub(super) fn new(sender: mpsc::UnboundedSender<Step<K::Counts>>) -> Self {
        Self { sender }
    }

    /// Record how far the job is, with the rows rejected since the last step: written in order
    /// while the work goes on, so recording never slows it down.
    pub fn record(
        &self,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: K::Counts,
        rejected: Vec<JobRejection>,
    ) {
        let step = Step {
            rows_done,
            rows_total,
            counts,
            rejected,
            written: None,
        };
        // A closed keeper means the run is stopping (lease lost, or a write failed): the work is
        // dropped at its next await.
        let _ = self.sender.send(step);
    }

    /// Record a step as [`Progress::record`] does, and wait until it is written: work whose
    /// record says what was done (a bulk action resumes after the contacts recorded) goes on
    /// only once it is. When the run stops first, this never returns (the work is dropped).
    pub async fn record_written(&self, rows_done: u64, rows_total: Option<u64>, counts: K::Counts) {
        let (written, told) = oneshot::channel();
        let step = Step {
            rows_done,
            rows_total,
            counts,
            rejected: Vec::new(),
            written: Some(written),
        };
        if self.sender.send(step).is_err() || told.await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Why a run stops before its work ends.
pub(super) enum Stop {
    /// Another worker holds the job now.
    Lost,
    /// Recording failed.
    Failed(Error),
}

/// The keeper of one run: its lease, the counts last written, and who to tell of each write.
pub(super) struct Keeper<'a> {
    lease: &'a JobLease,
    last: Json,
    recorded: &'a (dyn Fn() + Send + Sync),
}

impl<'a> Keeper<'a> {
    /// A keeper for `lease`, whose job's record holds `counts`.
    pub(super) fn new(
        lease: &'a JobLease,
        counts: Json,
        recorded: &'a (dyn Fn() + Send + Sync),
    ) -> Self {
        Self {
            lease,
            last: counts,
            recorded,
        }
    }

    /// Write `steps` and renew the lease until `done` is told (then write the steps left and
    /// end, `None`) or the run must stop (`Some`). Hands itself back for the run's end.
    pub(super) async fn keep<C: Serialize>(
        mut self,
        mut steps: mpsc::UnboundedReceiver<Step<C>>,
        mut done: oneshot::Receiver<()>,
    ) -> (Self, Option<Stop>) {
        let every = self.lease.renew_every();
        let start = tokio::time::Instant::now() + every;
        let mut renewal = tokio::time::interval_at(start, every);
        renewal.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut open = true;
        loop {
            tokio::select! {
                step = steps.recv(), if open => match step {
                    Some(step) => {
                        if let Err(stop) = self.write(step).await {
                            return (self, Some(stop));
                        }
                    }
                    None => open = false,
                },
                _ = &mut done => {
                    steps.close();
                    while let Some(step) = steps.recv().await {
                        if let Err(stop) = self.write(step).await {
                            return (self, Some(stop));
                        }
                    }
                    return (self, None);
                }
                _ = renewal.tick() => match self.lease.renew().await {
                    Ok(true) => {}
                    Ok(false) => return (self, Some(Stop::Lost)),
                    // Tried again at the next tick: if the lease really ran out meanwhile, the
                    // next renewal or progress record says so.
                    Err(error) => {
                        tracing::warn!(job = %self.lease.job_id(), %error, "renewing a job's lease");
                    }
                },
            }
        }
    }

    async fn write<C: Serialize>(&mut self, step: Step<C>) -> Result<(), Stop> {
        let counts =
            serde_json::to_value(&step.counts).map_err(|e| Stop::Failed(Error::internal(e)))?;
        let lease = self.lease;
        match lease
            .progress(step.rows_done, step.rows_total, &counts, &step.rejected)
            .await
        {
            Ok(true) => {
                self.last = counts;
                if let Some(written) = step.written {
                    let _ = written.send(());
                }
                (self.recorded)();
                Ok(())
            }
            Ok(false) => Err(Stop::Lost),
            Err(error) => Err(Stop::Failed(error)),
        }
    }

    /// End the job done with `counts`; false when the lease was lost.
    pub(super) async fn done(&self, counts: &Json) -> panorama_core::Result<bool> {
        self.lease.finish(JobState::Done, counts, None).await
    }

    /// End the job failed with `error` and the counts last written (the one failure path of every
    /// kind); false when the lease was lost.
    pub(super) async fn fail(&self, error: &Error) -> panorama_core::Result<bool> {
        let reason = error.to_string();
        self.lease
            .finish(JobState::Failed, &self.last, Some(&reason))
            .await
    }
}
