//! The one job runner: every kind of job (imports, bulk actions, and what comes next: exports,
//! segment snapshots, webhook deliveries) runs through [`run`], under one lease keeper, one
//! progress recorder ([`Progress`]) and one failure path.
//!
//! The work runs beside its keeper. When the lease is lost the work is dropped at once, between
//! two awaits, so a batch's transaction is committed or rolled back whole; each kind makes a run
//! safe to repeat, so the new holder's run gives the outcome of one. A work that fails ends the
//! job failed with the counts last recorded; one that succeeds ends it done with its final
//! counts. Both ends are fenced by the lease, so a worker that lost the job writes nothing.

use super::Progress;
use super::progress::{Keeper, Stop};
use panorama_core::store::{Job, JobKind, JobLease, JobRecord, counts_json};
use panorama_core::{Error, Result};
use serde_json::Value as Json;
use std::future::Future;
use tokio::sync::{mpsc, oneshot};

/// How a run ended, once its end is recorded.
#[derive(Debug)]
pub enum Ended<T> {
    /// The work finished: the job is done, with the work's answer.
    Done(T),
    /// The work (or recording its progress) failed: the job is failed with this reason.
    Failed(Error),
    /// Another worker took the job over (its lease ran out): this run stopped and wrote nothing
    /// more; the job goes on with its new holder.
    Lost,
}

/// Run the job `lease` holds, of kind `K`: `work` gets the job as recorded and its
/// [`Progress`], and answers its outcome with the final counts. `recorded` is called after each
/// progress write (a server tells the requests watching the job). `Err` only when the job's end
/// could not be written.
pub async fn run<K, T, W, Fut>(
    lease: &JobLease,
    recorded: &(dyn Fn() + Send + Sync),
    work: W,
) -> Result<Ended<T>>
where
    K: JobKind,
    W: FnOnce(Job<K>, Progress<K>) -> Fut,
    Fut: Future<Output = Result<(T, K::Counts)>>,
{
    let record = lease.store().get_job(lease.job_id()).await;
    let counts = match &record {
        Ok(Some(record)) => record.counts.clone(),
        _ => Json::Object(serde_json::Map::new()),
    };
    let keeper = Keeper::new(lease, counts, recorded);
    let job = record.and_then(|record| {
        record
            .ok_or_else(|| Error::not_found("job", lease.job_id().as_str()))
            .and_then(JobRecord::typed::<K>)
    });
    let job = match job {
        Ok(job) => job,
        Err(error) => return failed(&keeper, error).await,
    };
    let (sender, steps) = mpsc::unbounded_channel();
    let (done, told) = oneshot::channel();
    let mut work = Box::pin(work(job, Progress::new(sender)));
    let mut kept = Box::pin(keeper.keep(steps, told));
    let outcome = tokio::select! {
        outcome = &mut work => outcome,
        (keeper, stop) = &mut kept => {
            // The run must stop: its work is dropped here, between two of its awaits.
            drop(work);
            return stopped(&keeper, stop).await;
        }
    };
    drop(work);
    // Whatever the work recorded is written before its end.
    let _ = done.send(());
    let (keeper, stop) = kept.await;
    if stop.is_some() {
        return stopped(&keeper, stop).await;
    }
    match outcome {
        Ok((answer, counts)) => {
            let counts = counts_json(Some(&counts))?;
            Ok(if keeper.done(&counts).await? {
                Ended::Done(answer)
            } else {
                Ended::Lost
            })
        }
        Err(error) => failed(&keeper, error).await,
    }
}

/// The end of a run its keeper stopped.
async fn stopped<T>(keeper: &Keeper<'_>, stop: Option<Stop>) -> Result<Ended<T>> {
    match stop {
        None | Some(Stop::Lost) => Ok(Ended::Lost),
        Some(Stop::Failed(error)) => failed(keeper, error).await,
    }
}

/// The one failure path: the job ends failed with its last counts, unless it was taken over.
async fn failed<T>(keeper: &Keeper<'_>, error: Error) -> Result<Ended<T>> {
    Ok(if keeper.fail(&error).await? {
        Ended::Failed(error)
    } else {
        Ended::Lost
    })
}
