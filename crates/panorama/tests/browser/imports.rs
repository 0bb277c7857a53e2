//! The imports page: a template to download, upload with options, preview, start, progress,
//! counts and the history.

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text};
use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_is_previewed_started_and_counted() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let folder = tempfile::tempdir().expect("a folder");
    let file = folder.path().join("会员.csv");
    std::fs::write(&file, "手机号,EMAIL,Name,城市\n13800000001,a@example.com,王伟,上海\nabc,b@example.com,Bad,北京\n13800000002,,Bo,\n")
        .expect("written");
    let page = chromium.open(&format!("{}/imports", app.base)).await;
    let template: String = eval(
        &page,
        "document.querySelector('.template-links a').getAttribute('href')",
    )
    .await;
    assert_eq!(template, "/imports/template/upsert.csv");
    let input = page
        .find_element("input[type=file]")
        .await
        .expect("the file input");
    let files = SetFileInputFilesParams::builder()
        .files(vec![file.display().to_string()])
        .backend_node_id(input.backend_node_id)
        .build()
        .expect("parameters");
    page.execute(files).await.expect("the file is chosen");
    click_and_wait(&page, "form[action='/imports'] button[type=submit]").await;

    assert_eq!(
        text(&page, ".notice").await,
        "File read: check the preview, then start the import."
    );
    assert_eq!(text(&page, "[data-count=total] dd").await, "3");
    assert_eq!(text(&page, "[data-count=invalid] dd").await, "1");
    let first: String = eval(
        &page,
        "document.querySelector('#preview tbody td').textContent",
    )
    .await;
    assert_eq!(first, "+8613800000001");
    assert!(text(&page, "#preview-errors").await.contains("abc"));
    screenshot(&page, "import-preview").await;
    assert_eq!(
        app.store
            .overview(jiff::Timestamp::now())
            .await
            .expect("counts")
            .all,
        0,
        "a preview writes nothing"
    );

    click_and_wait(&page, "#start-import").await;
    // The page refreshes itself while the job runs; the test waits on the API's `wait`, which
    // answers when the job finishes.
    let id: String = eval(&page, "location.pathname.split('/').pop()").await;
    let job = app.api_json(&format!("/api/v1/imports/{id}?wait=60")).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["counts"]["created"], 2);
    let done = chromium.open(&format!("{}/imports/{id}", app.base)).await;
    assert_eq!(text(&done, "[data-state]").await, "Done");
    assert_eq!(text(&done, "[data-count=created] dd").await, "2");
    screenshot(&done, "import-done").await;
    let history = chromium.open(&format!("{}/imports", app.base)).await;
    assert!(text(&history, "#import-history").await.contains("会员.csv"));
}
