//! Every page as a new user sees it: in the Chinese interface no English word that is not data,
//! and at 390 px no page wider than the screen, in either language, with no Chinese word broken
//! one character per line.

use crate::harness::{Chromium, chromium, eval, screenshot};
use crate::site::{Site, ascii_words};
use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::input::{DispatchKeyEventParams, DispatchKeyEventType};
use std::collections::BTreeSet;

/// Latin words Chinese software writes as they are: the brand, acronyms, file formats,
/// encodings and keyboard keys ("导出 Excel", "GBK", "按住 Ctrl").
const LATIN_IN_CHINESE: &[&str] = &[
    "panorama", "id", "openid", "unionid", "appid", "api", "csv", "xlsx", "xls", "json", "excel",
    "gbk", "utc", "ctrl", "mac",
];

/// Every piece of text a person reads on the page, interface and data alike: text nodes and the
/// attributes shown as tooltips, placeholders and accessible names. Left out: `<code>` (machine
/// names shown as such), elements marked `translate="no"` (data) and elements in a language of
/// their own (the language switch names each language in itself).
const READ_TEXTS: &str = r#"(() => {
  const skipped = el => el.closest('script, style, code, [translate="no"], body [lang]') !== null;
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text && node.parentElement && !skipped(node.parentElement)) { texts.push(text); }
  }
  for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label], [alt], input[type=submit]')) {
    if (skipped(el)) { continue; }
    for (const name of ['title', 'placeholder', 'aria-label', 'alt']) {
      const value = el.getAttribute(name);
      if (value) { texts.push(value); }
    }
    if (el.type === 'submit' && el.value) { texts.push(el.value); }
  }
  return texts;
})()"#;

/// The English words of `texts` that are not data: tokens holding an `@` (addresses), digits and
/// letters together (ids, order numbers, times), IANA zone names, words of stored data and the
/// Latin words Chinese software keeps are left out. Each word comes with the text it is in.
fn english_words(texts: &[String], data: &BTreeSet<String>) -> Vec<(String, String)> {
    let zones = [
        "Africa/",
        "America/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Pacific/",
        "Etc/",
    ];
    let mut found = Vec::new();
    for text in texts {
        for token in text.split_whitespace() {
            let letters = token.chars().any(|c| c.is_ascii_alphabetic());
            let digits = token.chars().any(|c| c.is_ascii_digit());
            let zone = zones
                .iter()
                .any(|z| token.trim_start_matches('(').starts_with(z));
            if !letters || digits || token.contains('@') || zone {
                continue;
            }
            for word in ascii_words(token) {
                if !data.contains(&word) && !LATIN_IN_CHINESE.contains(&word.as_str()) {
                    found.push((word, text.chars().take(80).collect()));
                }
            }
        }
    }
    found
}

/// Show the interface in `code` (`en`, `zh`) from now on.
async fn switch_language(page: &Page, base: &str, code: &str) {
    go(page, &format!("{base}/lang/{code}?next=/contacts")).await;
}

async fn go(page: &Page, url: &str) {
    page.goto(url).await.expect("the page opens");
    page.wait_for_navigation().await.expect("the page loads");
}

async fn open_signed_in(chromium: &Chromium, site: &Site) -> Page {
    chromium.open(&format!("{}/contacts", site.app.base)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chinese_interface_shows_no_english_word_that_is_not_data() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let site = Site::spawn().await;
    let data = site.data_words().await;
    let page = open_signed_in(&chromium, &site).await;
    switch_language(&page, &site.app.base, "zh").await;
    let mut pages = site.pages();
    pages.push("/sign-in".to_owned());
    let mut report = Vec::new();
    for path in &pages {
        go(&page, &format!("{}{path}", site.app.base)).await;
        let texts: Vec<String> = eval(&page, READ_TEXTS).await;
        assert!(!texts.is_empty(), "{path} shows nothing");
        let found = english_words(&texts, &data);
        if !found.is_empty() {
            let name = format!("zh{}", path.replace(['/', '?', '='], "-"));
            screenshot(&page, &name).await;
            let words: BTreeSet<String> = found.iter().map(|(w, _)| w.clone()).collect();
            let contexts: BTreeSet<String> = found.iter().map(|(_, t)| t.clone()).collect();
            report.push(format!(
                "{path}: {}\n    in: {}",
                words.into_iter().collect::<Vec<_>>().join(", "),
                contexts.into_iter().collect::<Vec<_>>().join(" | ")
            ));
        }
    }
    assert!(
        report.is_empty(),
        "English interface words on Chinese pages:\n{}",
        report.join("\n")
    );
}

/// What overflows at the current width: the document's and the viewport's width, the elements
/// sticking out past the right edge outside any box of their own that scrolls or clips, and the
/// short Chinese labels broken one character per line.
const MEASURE: &str = r#"(() => {
  const width = document.documentElement.clientWidth;
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const boxed = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') { return true; }
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !boxed(el)) { wide.push(describe(el) + ' ' + Math.round(r.right) + 'px'); }
  }
  const broken = [];
  for (const el of document.body.querySelectorAll('th, button, .button, label, nav a, .chip, .tab-count, h1, h2, h3, dt, legend, summary, .stat-label')) {
    for (const node of el.childNodes) {
      const text = node.nodeType === 3 ? node.textContent.trim() : '';
      if (!/^[\u3400-\u9fff]{2,8}$/.test(text)) { continue; }
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size >= text.length || (text.length <= 4 && lines.size > 1)) { broken.push(describe(el) + ' "' + text + '"'); }
    }
  }
  return { width, document: document.documentElement.scrollWidth, wide: wide.slice(0, 6), broken: broken.slice(0, 6) };
})()"#;

#[derive(serde::Deserialize)]
struct Measure {
    width: u64,
    document: u64,
    wide: Vec<String>,
    broken: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_and_a_laptop_in_both_languages() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let site = Site::spawn().await;
    let page = open_signed_in(&chromium, &site).await;
    let mut pages = site.pages();
    pages.push("/sign-in".to_owned());
    let mut report = Vec::new();
    for (width, height) in [(390, 844), (1366, 768)] {
        page.execute(SetDeviceMetricsOverrideParams::new(
            width, height, 1.0, false,
        ))
        .await
        .expect("the window is resized");
        for code in ["en", "zh"] {
            switch_language(&page, &site.app.base, code).await;
            for path in &pages {
                go(&page, &format!("{}{path}", site.app.base)).await;
                let measured: Measure = eval(&page, MEASURE).await;
                if measured.document > measured.width || !measured.broken.is_empty() {
                    let name = format!("w{width}-{code}{}", path.replace(['/', '?', '='], "-"));
                    screenshot(&page, &name).await;
                    // A full-page screenshot resizes the window and then clears the size.
                    page.execute(SetDeviceMetricsOverrideParams::new(
                        width, height, 1.0, false,
                    ))
                    .await
                    .expect("the window is resized again");
                    report.push(format!(
                        "{width}px {code} {path}: document {} px wide in {} px; sticking out: {}; broken: {}",
                        measured.document,
                        measured.width,
                        measured.wide.join(", "),
                        measured.broken.join(", ")
                    ));
                }
            }
        }
    }
    assert!(
        report.is_empty(),
        "pages that do not fit:\n{}",
        report.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_navigation_is_a_menu_that_the_keyboard_closes() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = crate::harness::App::spawn(1).await;
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    page.execute(SetDeviceMetricsOverrideParams::new(390, 844, 1.0, false))
        .await
        .expect("the window is resized");
    go(&page, &format!("{}/metadata/events", app.base)).await;
    let shown = "document.querySelector('.topbar nav').checkVisibility()";
    assert!(!eval::<bool>(&page, shown).await, "folded at first");
    page.find_element(".menu-button")
        .await
        .expect("the menu button")
        .click()
        .await
        .expect("a click");
    assert!(eval::<bool>(&page, shown).await, "the menu opens");
    let expanded: String = eval(
        &page,
        "document.querySelector('.menu-button').getAttribute('aria-expanded')",
    )
    .await;
    assert_eq!(expanded, "true");
    page.bring_to_front().await.expect("the tab is in front");
    page.find_element(".topbar nav a[href='/labels']")
        .await
        .expect("a link in the menu")
        .focus()
        .await
        .expect("focus");
    for kind in [DispatchKeyEventType::KeyDown, DispatchKeyEventType::KeyUp] {
        let key = DispatchKeyEventParams::builder()
            .r#type(kind)
            .key("Escape")
            .code("Escape")
            .windows_virtual_key_code(27)
            .build()
            .expect("a key event");
        page.execute(key).await.expect("Escape is pressed");
    }
    assert!(!eval::<bool>(&page, shown).await, "Escape folds it");
    let focused: bool = eval(
        &page,
        "document.activeElement === document.querySelector('.menu-button')",
    )
    .await;
    assert!(focused, "focus goes back to the button");
}
