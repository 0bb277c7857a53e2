//! Job rows both databases share: the columns a job is read with, a row back as a
//! [`JobRecord`], and a job's rejected rows written in batches.

use crate::convert::timestamp;
use crate::{Arg, Backend, DbRow, sql};
use panorama_core::Result;
use panorama_core::store::{JobId, JobRecord, JobRejection, JobState};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The columns of a job, as [`job_record`] reads them.
pub(crate) const JOB_SELECT: &str = "job_id, kind, state, file_name, purpose, options, actor, \
     created_at, started_at, finished_at, rows_done, rows_total, counts, error, preview, claimed_until";

/// Rejected rows written per statement: 7 bind parameters each, well within SQLite's 32,766 and
/// PostgreSQL's 65,535.
pub(crate) const REJECTIONS_PER_STATEMENT: usize = 500;

/// The stored id of `job_id`; `None` when it is not a UUID, so names no job.
pub(crate) fn stored_id(job_id: &JobId) -> Option<Uuid> {
    job_id.uuid()
}

/// A domain count as the stored integer.
pub(crate) fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The job a row of [`JOB_SELECT`] holds.
pub(crate) fn job_record<R: DbRow>(row: &R) -> Result<JobRecord> {
    let time = |i: usize| row.opt_i64(i)?.map(timestamp).transpose();
    Ok(JobRecord {
        job_id: JobId::from(row.id(0)?.to_string()),
        kind: row.text(1)?,
        state: JobState::parse(&row.text(2)?)?,
        file_name: row.text(3)?,
        purpose: row.text(4)?,
        options: row.json(5)?,
        actor: row.text(6)?,
        created_at: row.time(7)?,
        started_at: time(8)?,
        finished_at: time(9)?,
        rows_done: row.count(10)?,
        rows_total: row.opt_i64(11)?.map(|n| u64::try_from(n).unwrap_or(0)),
        counts: row.json(12)?,
        error: row.opt_text(13)?,
        preview: row.opt_json_value(14)?,
        claimed_until: time(15)?,
    })
}

/// Keep a job's rejected rows in the caller's transaction; a row rejected again replaces its
/// earlier entry. One statement may not change a row twice, so within the call the last
/// rejection of a row wins before anything is written.
pub(crate) async fn insert_rejections<B: Backend>(
    connection: &mut B::Conn,
    job_id: Uuid,
    rejected: &[JobRejection],
) -> Result<()> {
    let by_row: BTreeMap<u64, &JobRejection> = rejected.iter().map(|r| (r.row, r)).collect();
    let rows: Vec<&JobRejection> = by_row.into_values().collect();
    for chunk in rows.chunks(REJECTIONS_PER_STATEMENT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = i * 7;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5,
                    n + 6,
                    n + 7
                )
            })
            .collect();
        let mut statement = sql(format!(
            "INSERT INTO job_rejections (job_id, row, \"column\", value, code, reason, cells)
             VALUES {}
             ON CONFLICT (job_id, row) DO UPDATE SET \"column\" = excluded.\"column\",
                 value = excluded.value, code = excluded.code, reason = excluded.reason,
                 cells = excluded.cells",
            values.join(", ")
        ));
        for rejection in chunk {
            statement = statement
                .bind(job_id)
                .bind(signed(rejection.row))
                .bind(&rejection.column)
                .bind(&rejection.value)
                .bind(&rejection.code)
                .bind(&rejection.reason)
                .bind_arg(Arg::json(&rejection.cells))?;
        }
        statement.execute::<B>(connection).await?;
    }
    Ok(())
}
