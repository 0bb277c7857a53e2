//! The benchmark's files: 12 columns (name, mobile, email, wechat_openid, gender, city, member_id
//! and five custom attributes of mixed types), written as CSV and as XLSX.

use anyhow::Context;
use panorama_core::metadata::NewAttribute;
use std::io::{BufWriter, Write};
use std::path::Path;

/// The header of the benchmark files.
pub const HEADER: [&str; 12] = [
    "name",
    "mobile",
    "email",
    "wechat_openid",
    "gender",
    "city",
    "member_id",
    "shoe_size",
    "vip_tier",
    "lifetime_value",
    "last_visit_on",
    "sms_verified",
];

const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"];
const CITIES: [&str; 8] = [
    "上海", "北京", "广州", "深圳", "杭州", "成都", "南京", "武汉",
];
const TIERS: [&str; 4] = ["bronze", "silver", "gold", "platinum"];

/// The five custom attributes the files carry.
pub fn custom_attributes() -> Vec<NewAttribute> {
    let attribute = |name: &str, display: &str, kind: &str, values: &[&str]| NewAttribute {
        name: name.into(),
        display_name: display.into(),
        attribute_type: kind.into(),
        enum_values: values.iter().map(|v| (*v).to_owned()).collect(),
        ..NewAttribute::default()
    };
    vec![
        attribute("shoe_size", "Shoe size", "integer", &[]),
        attribute("vip_tier", "VIP tier", "enum", &TIERS),
        attribute("lifetime_value", "Lifetime value", "decimal", &[]),
        attribute("last_visit_on", "Last visit", "date", &[]),
        attribute("sms_verified", "SMS verified", "boolean", &[]),
    ]
}

/// Row `n` of the file: deterministic, every key unique, mainland mobiles in their plain form.
pub fn row(n: u64) -> [String; 12] {
    let pick = |list: &[&str], salt: u64| {
        list[usize::try_from((n / salt) % list.len() as u64).unwrap_or(0)].to_owned()
    };
    // A bijective scramble keeps mobiles unique but out of order, as real files are.
    let subscriber = (n.wrapping_mul(2_654_435_761) % 100_000_000) ^ 0x55;
    [
        format!(
            "{}{}{}",
            pick(&SURNAMES, 1),
            pick(&GIVEN, 7),
            pick(&GIVEN, 3)
        ),
        format!("138{subscriber:08}"),
        format!("user{n}@example.com"),
        if n % 5 < 2 {
            format!("oBench{n:022}")
        } else {
            String::new()
        },
        ["male", "female", "unknown"][usize::try_from(n % 3).unwrap_or(0)].to_owned(),
        pick(&CITIES, 11),
        format!("M{n:09}"),
        (34 + n % 12).to_string(),
        pick(&TIERS, 13),
        format!("{}.{:02}", n % 10_000, n % 100),
        format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
        if n.is_multiple_of(2) {
            "true".into()
        } else {
            "false".into()
        },
    ]
}

/// Write `rows` rows as a UTF-8 CSV file.
pub fn write_csv(path: &Path, rows: u64) -> anyhow::Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
    out.write_record(HEADER)?;
    for n in 0..rows {
        out.write_record(row(n))?;
    }
    out.into_inner()
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .flush()?;
    Ok(())
}

/// Write `rows` rows as an XLSX workbook, in constant memory.
pub fn write_xlsx(path: &Path, rows: u64) -> anyhow::Result<()> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    for (column, name) in (0u16..).zip(HEADER) {
        sheet.write_string(0, column, name)?;
    }
    for n in 0..rows {
        let line = u32::try_from(n + 1).context("too many rows for one sheet")?;
        for (column, cell) in (0u16..).zip(row(n)) {
            if !cell.is_empty() {
                sheet.write_string(line, column, cell)?;
            }
        }
    }
    workbook.save(path)?;
    Ok(())
}
