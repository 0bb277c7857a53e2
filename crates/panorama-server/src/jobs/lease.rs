//! Keeping a job's lease while its work runs: renewed every third of its length, and the work
//! dropped (between two awaits, so a batch's transaction is committed or rolled back whole) as
//! soon as a renewal says another worker holds the job.

use panorama_core::store::JobLease;
use std::future::Future;

/// Run `work` while renewing `lease`; `None` when the lease was lost before `work` ended.
pub(super) async fn while_held<T>(lease: &JobLease, work: impl Future<Output = T>) -> Option<T> {
    let keeper = async {
        let every = lease.renew_every();
        loop {
            tokio::time::sleep(every).await;
            match lease.renew().await {
                Ok(true) => {}
                Ok(false) => return,
                // Tried again at the next tick: if the lease really ran out meanwhile, the next
                // renewal or progress record says so.
                Err(error) => {
                    tracing::warn!(job = lease.job_id(), %error, "renewing a job's lease")
                }
            }
        }
    };
    tokio::select! {
        outcome = work => Some(outcome),
        () = keeper => None,
    }
}
