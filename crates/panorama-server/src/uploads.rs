//! Uploaded import files hold personal data (a file may carry 500,000 mobiles), so they live only
//! as long as their job needs them: created 0600 in a 0700 folder, deleted when the job ends, and
//! leftovers (abandoned previews, files of a server killed mid-way) swept when the server starts
//! and every hour once older than `uploads_kept_seconds`.

use crate::AppState;
use panorama_core::store::{JobId, JobState};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// How often the sweep runs after the one at start.
const SWEEP_EVERY_SECONDS: u64 = 60 * 60;

/// Create the uploads folder if needed and make it readable by this user only.
pub(crate) async fn prepare_folder(folder: &Path) -> std::io::Result<()> {
    tokio::fs::create_dir_all(folder).await?;
    restrict(folder, 0o700).await
}

#[cfg(unix)]
async fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    tokio::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).await
}

#[cfg(not(unix))]
async fn restrict(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Create a new upload file, readable and writable by this user only.
pub(crate) async fn create(path: &Path) -> std::io::Result<tokio::fs::File> {
    if let Some(folder) = path.parent() {
        prepare_folder(folder).await?;
    }
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path).await
}

/// Delete an upload file; one already gone is fine.
pub(crate) async fn remove(path: &Path) {
    match tokio::fs::remove_file(path).await {
        Ok(()) => tracing::info!(file = %path.display(), "uploaded file deleted"),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => tracing::warn!(file = %path.display(), %error, "could not delete an upload"),
    }
}

/// Sweep now, then every hour, for as long as the server runs.
pub(crate) fn spawn_sweeper(state: AppState) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = sweep(&state).await {
                tracing::warn!(%error, "sweeping the uploads folder");
            }
            tokio::time::sleep(Duration::from_secs(SWEEP_EVERY_SECONDS)).await;
        }
    });
}

/// Delete the files of the uploads folder older than `uploads_kept_seconds` whose job is not
/// queued or running (a file is named after its job: `JOB_ID.csv`). Returns how many went.
pub async fn sweep(state: &AppState) -> std::io::Result<usize> {
    let folder = &state.settings.uploads_dir;
    if !tokio::fs::try_exists(folder).await.unwrap_or(false) {
        return Ok(0);
    }
    prepare_folder(folder).await?;
    let kept = Duration::from_secs(state.settings.uploads_kept_seconds);
    let mut entries = tokio::fs::read_dir(folder).await?;
    let mut removed = 0;
    while let Some(entry) = entries.next_entry().await? {
        let metadata = entry.metadata().await?;
        let age = metadata
            .modified()
            .ok()
            .and_then(|at| SystemTime::now().duration_since(at).ok())
            .unwrap_or_default();
        if !metadata.is_file() || age < kept {
            continue;
        }
        let path = entry.path();
        let job_id = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        let job = match job_id {
            Some(id) => state.store.get_job(&JobId::from(id)).await.ok().flatten(),
            None => None,
        };
        let waiting = job.is_some_and(|j| matches!(j.state, JobState::Queued | JobState::Running));
        if !waiting {
            remove(&path).await;
            removed += 1;
        }
    }
    Ok(removed)
}
