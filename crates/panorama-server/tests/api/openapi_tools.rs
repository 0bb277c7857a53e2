//! The served OpenAPI document, checked by the tools others use on it: openapi-spec-validator
//! says it is valid OpenAPI 3.1, and openapi-python-client makes a client from it that lists and
//! creates contacts with an API key. The tools live in a virtualenv that `scripts/api-tools`
//! installs (CI runs it first; here it runs if the tools are missing).

use crate::helpers::TestApp;
use std::path::{Path, PathBuf};
use tokio::process::Command;
use tokio::sync::OnceCell;

/// The virtualenv holding the tools, installed once per test binary.
async fn tools() -> &'static Path {
    static TOOLS: OnceCell<PathBuf> = OnceCell::const_new();
    TOOLS
        .get_or_init(|| async {
            let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
            let output = Command::new("bash")
                .arg(repo.join("scripts/api-tools"))
                .output()
                .await
                .expect("run scripts/api-tools");
            assert!(
                output.status.success(),
                "scripts/api-tools could not install the OpenAPI tools (python3 and PyPI are \
                 needed): {}",
                String::from_utf8_lossy(&output.stderr)
            );
            PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
        })
        .await
}

/// Run `program` with `args` in `directory`, asserting it succeeds; its standard output.
async fn run(program: &Path, args: &[&str], directory: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(directory)
        .output()
        .await
        .unwrap_or_else(|error| panic!("run {}: {error}", program.display()));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{} {args:?} failed:\n{stdout}\n{}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The served document, saved in a fresh temporary folder.
async fn served_document(app: &TestApp) -> (tempfile::TempDir, PathBuf) {
    let reply = app.get("/api/openapi.json").await;
    assert_eq!(reply.status, 200);
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("openapi.json");
    std::fs::write(&path, reply.body.to_string()).expect("write the document");
    (folder, path)
}

#[tokio::test]
async fn the_served_document_is_valid_openapi_3_1() {
    let app = TestApp::spawn().await;
    let tools = tools().await;
    let (folder, document) = served_document(&app).await;
    let path = document.to_string_lossy();
    let said = run(
        &tools.join("bin/openapi-spec-validator"),
        &[path.as_ref()],
        folder.path(),
    )
    .await;
    assert!(said.contains("OK"), "{said}");
}

/// Lists contacts, creates one and reads it back through the generated client; prints `ok`.
const CLIENT_SCRIPT: &str = r#"
import sys
from panorama_api_client import AuthenticatedClient
from panorama_api_client.api.contacts import get_contact, list_contacts, upsert_contact
from panorama_api_client.models import ContactInput

client = AuthenticatedClient(base_url=sys.argv[1], token=sys.argv[2], raise_on_unexpected_status=True)
before = list_contacts.sync_detailed(client=client)
assert before.status_code == 200, before
assert before.parsed.total == 0, before.parsed
body = ContactInput.from_dict({"attributes": {"name": "Ada", "mobile": "13800138000"}})
created = upsert_contact.sync_detailed(client=client, body=body)
assert created.status_code == 201, created
contact_id = created.parsed.contact.contact_id
read = get_contact.sync(contact_id=contact_id, client=client)
assert read.attributes["name"] == "Ada", read
after = list_contacts.sync(client=client)
assert after.total == 1 and after.items[0].contact_id == contact_id, after
print("ok")
"#;

#[tokio::test]
async fn a_generated_python_client_calls_the_api() {
    let app = TestApp::spawn().await;
    let key = app.key(panorama_core::access::Role::Marketer).await;
    let tools = tools().await;
    let (folder, document) = served_document(&app).await;
    let path = document.to_string_lossy();
    let generated = folder.path().join("client");
    let generated_path = generated.to_string_lossy();
    // No formatting hooks: the generator would want ruff, and a warning fails the run.
    let config = folder.path().join("generator.yaml");
    std::fs::write(&config, "post_hooks: []\n").expect("write the generator's config");
    let config_path = config.to_string_lossy();
    run(
        &tools.join("bin/openapi-python-client"),
        &[
            "generate",
            "--path",
            path.as_ref(),
            "--output-path",
            generated_path.as_ref(),
            "--meta",
            "none",
            "--fail-on-warning",
            "--config",
            config_path.as_ref(),
        ],
        folder.path(),
    )
    .await;
    let script = folder.path().join("use_client.py");
    std::fs::write(&script, CLIENT_SCRIPT).expect("write the script");
    // With `--meta none` the package is the folder itself; Python finds it by its parent.
    let package_parent = folder.path().join("package");
    std::fs::create_dir(&package_parent).expect("a folder");
    std::fs::rename(&generated, package_parent.join("panorama_api_client")).expect("move");
    let said = Command::new(tools.join("bin/python"))
        .arg(&script)
        .arg(&app.address)
        .arg(&key)
        .env("PYTHONPATH", &package_parent)
        .output()
        .await
        .expect("run the client script");
    assert!(
        said.status.success() && String::from_utf8_lossy(&said.stdout).trim() == "ok",
        "{}\n{}",
        String::from_utf8_lossy(&said.stdout),
        String::from_utf8_lossy(&said.stderr)
    );
}
