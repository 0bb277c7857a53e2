//! The imports page with the files people have, in Chinese: a GBK file with Chinese headers and
//! values imports with no choice to make; unknown columns get a picker each, are refused in
//! words until decided, then mapped or ignored; the choices saved come back for the same headers.

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text};
use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;
use panorama_core::contact::KeyValue;
use std::path::Path;

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "every character has a GBK form");
    bytes.into_owned()
}

/// Upload `file` from the imports page (in Chinese) and land on its preview.
async fn upload(page: &Page, base: &str, file: &Path) {
    page.goto(format!("{base}/lang/zh?next=/imports"))
        .await
        .expect("the page loads");
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
    click_and_wait(page, "form[action='/imports'] button[type=submit]").await;
}

/// The value each column's picker holds, in file order.
async fn pickers(page: &Page) -> Vec<String> {
    let json: String = eval(
        page,
        "JSON.stringify([...document.querySelectorAll('#column-map select')].map(s => s.value))",
    )
    .await;
    serde_json::from_str(&json).expect("JSON")
}

async fn stored(app: &App, mobile: &str, attribute: &str) -> Option<serde_json::Value> {
    let key = KeyValue {
        attribute: "mobile".into(),
        value: mobile.into(),
    };
    let contact = app.store.find_contact(&key).await.expect("reads");
    contact.and_then(|c| c.attributes.get(attribute).cloned())
}

async fn finish(app: &App, page: &Page) {
    let id: String = eval(page, "location.pathname.split('/').pop()").await;
    let job = app.api_json(&format!("/api/v1/imports/{id}?wait=60")).await;
    assert_eq!(job["state"], "done", "{job}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gbk_file_with_chinese_headers_imports_from_the_page_with_no_choice() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let folder = tempfile::tempdir().expect("a folder");
    let file = folder.path().join("客户.csv");
    std::fs::write(&file, gbk("姓名,手机号,电子邮件,城市,性别,生日\r\n王伟,13800000001,wang@example.com,上海,男,1990-05-01\r\n李娜,13800000002,li@example.com,北京,女,1988-11-23\r\n"))
        .expect("written");
    let page = chromium.open(&format!("{}/imports", app.base)).await;
    upload(&page, &app.base, &file).await;
    assert_eq!(
        pickers(&page).await,
        ["name", "mobile", "email", "city", "gender", "birthday"]
    );
    assert_eq!(text(&page, "[data-count=expected] dt").await, "将导入");
    assert_eq!(text(&page, "[data-count=expected] dd").await, "2");
    assert!(
        text(&page, "#preview").await.contains("女"),
        "enum values in Chinese"
    );
    screenshot(&page, "import-gbk-preview-zh").await;
    click_and_wait(&page, "#start-import").await;
    finish(&app, &page).await;
    assert_eq!(
        stored(&app, "+8613800000002", "gender").await,
        Some("female".into())
    );
    assert_eq!(
        stored(&app, "+8613800000001", "name").await,
        Some("王伟".into())
    );
    assert_eq!(
        stored(&app, "+8613800000002", "city").await,
        Some("北京".into())
    );
    let id: String = eval(&page, "location.pathname.split('/').pop()").await;
    // The redirect after the start announces it; once the job has ended the same address does not.
    let done = chromium
        .open(&format!("{}/imports/{id}?notice=import_started", app.base))
        .await;
    assert_eq!(text(&done, "[data-count=created] dt").await, "新建");
    assert_eq!(text(&done, "[data-count=created] dd").await, "2");
    assert!(
        eval::<bool>(&done, "document.querySelector('.notice') === null").await,
        "no “started” banner once the import has ended"
    );
    let history = chromium.open(&format!("{}/imports", app.base)).await;
    assert!(text(&history, "#import-history").await.contains("新建 2"));
}

const UNKNOWN: &str = "手机号,鞋码,备注\n13800000001,42,老客户\n13800000002,39,新客户\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_columns_are_chosen_on_the_page_and_remembered() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let folder = tempfile::tempdir().expect("a folder");
    let file = folder.path().join("门店.csv");
    std::fs::write(&file, UNKNOWN).expect("written");
    let page = chromium.open(&format!("{}/imports", app.base)).await;
    upload(&page, &app.base, &file).await;
    assert_eq!(pickers(&page).await, ["mobile", "", ""]);
    assert!(
        text(&page, "#column-map tr[data-header=备注]")
            .await
            .contains("没有属性与此列匹配"),
        "an unmatched column says so"
    );

    // Started undecided: refused in words, naming the columns, with the file kept.
    click_and_wait(&page, "#start-import").await;
    let refusal = text(&page, ".error-banner").await;
    assert!(
        refusal.contains("鞋码") && refusal.contains("备注") && !refusal.contains("--map"),
        "{refusal}"
    );
    assert_eq!(pickers(&page).await, ["mobile", "", ""]);
    screenshot(&page, "import-unmapped-zh").await;

    // 鞋码 ignored, 备注 into the company: the preview shows it, then the start imports it.
    let choose = "document.querySelector('#column-1').value = '-'; \
        document.querySelector('#column-2').value = 'company'; \
        document.querySelector('input[name=save]').checked = true; 'ok'";
    let _: String = eval(&page, choose).await;
    click_and_wait(&page, "button[formaction$='/mapping']").await;
    assert_eq!(pickers(&page).await, ["mobile", "-", "company"]);
    assert!(text(&page, "#preview").await.contains("新客户"));
    click_and_wait(&page, "#start-import").await;
    finish(&app, &page).await;
    assert_eq!(
        stored(&app, "+8613800000002", "company").await,
        Some("新客户".into())
    );
    assert_eq!(
        stored(&app, "+8613800000001", "company").await,
        Some("老客户".into())
    );

    // The same headers next month: the saved choices are filled in.
    let next = folder.path().join("门店-6月.csv");
    std::fs::write(&next, UNKNOWN.replace("老客户", "VIP")).expect("written");
    upload(&page, &app.base, &next).await;
    assert_eq!(pickers(&page).await, ["mobile", "-", "company"]);
    assert!(text(&page, "#saved-mapping").await.contains("已按之前"));
    click_and_wait(&page, "#start-import").await;
    finish(&app, &page).await;
    assert_eq!(
        stored(&app, "+8613800000001", "company").await,
        Some("VIP".into())
    );
}
