//! `panorama export`: the contacts of a category, search or label, with chosen columns, as CSV or
//! XLSX, into a file or stdout. The filter is the API's `ContactFilter` and the writer is
//! `panorama-export`, so the CLI and `GET /api/v1/contacts/export` give the same file.

use anyhow::Context;
use clap::Args;
use panorama_core::access::AuditAction;
use panorama_core::contact::Columns;
use panorama_core::metadata::Language;
use panorama_core::metadata::Schema;
use panorama_export::{
    ExportColumns, ExportEncoding, ExportFormat, ExportPlan, PreparedExport, parse_language,
    parse_time_zone,
};
use panorama_server::Principal;
use panorama_server::app::filter::ContactFilter;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

/// Bytes buffered before a write to the file or stdout.
pub const OUTPUT_BUFFER_BYTES: usize = 256 * 1024;

/// Options of `export`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  panorama export -o contacts.csv                      every contact, saved columns, UTF-8 with BOM
  panorama export -o fans.xlsx --category wechat_fan --columns name,wechat_nickname,city
  panorama export --q 王 --field name --sort name --encoding gbk -o wang.csv
  panorama export -o 客户.xlsx --lang zh --time-zone Asia/Shanghai
  panorama export --format csv --encoding utf-8 | head")]
pub struct ExportArgs {
    /// Database to export from.
    #[command(flatten)]
    pub database: crate::cli::DatabaseArgs,
    /// File to write; `-` or absent writes to stdout. Its extension (.csv, .xlsx) sets the format
    /// unless --format says otherwise.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// csv or xlsx (default: from the -o extension, else csv). XLSX continues on sheets
    /// `Contacts 2`, `Contacts 3`... past 1,048,576 rows, each with the header row.
    #[arg(long)]
    pub format: Option<String>,
    /// Text encoding of CSV: utf-8, utf-8-bom (default; Excel reads Chinese right) or gbk (Excel on
    /// a Chinese Windows; characters GBK cannot hold, such as emoji, are written as `?` and
    /// counted).
    #[arg(long)]
    pub encoding: Option<String>,
    /// all (default), real_name, anonymous or wechat_fan.
    #[arg(long)]
    pub category: Option<String>,
    /// A searchable attribute to search in, or any (default).
    #[arg(long)]
    pub field: Option<String>,
    /// Keyword: keep contacts whose value contains it, case-insensitively.
    #[arg(long)]
    pub q: Option<String>,
    /// A sortable attribute (default created_at, newest first).
    #[arg(long)]
    pub sort: Option<String>,
    /// asc or desc (default: desc for created_at/updated_at, asc otherwise).
    #[arg(long)]
    pub order: Option<String>,
    /// Only contacts carrying this contact label: its id or its name.
    #[arg(long)]
    pub label: Option<String>,
    /// Attribute names to export, comma-separated, in order: `--columns name,mobile,city`
    /// (default: the columns saved for the contacts list, else name, mobile, email, WeChat
    /// nickname, created at). The header row holds their display names, so the file re-imports
    /// (computed columns such as Created at are dropped there with `--map "Created at=-"`).
    #[arg(long, value_name = "a,b,c")]
    pub columns: Option<String>,
    /// The IANA time zone times are written in, as `YYYY-MM-DD HH:MM:SS` (default: the company's,
    /// the one `panorama serve --time-zone` takes).
    #[arg(long, env = "PANORAMA_TIME_ZONE", value_name = "ZONE",
        default_value = panorama_server::TIME_ZONE_DEFAULT)]
    pub time_zone: String,
    /// The language of the header row: en (default) or zh.
    #[arg(long, value_name = "en|zh")]
    pub lang: Option<String>,
    /// Refuse the export, before writing anything, when it selects more than this many rows.
    /// No limit by default: the file is local and memory stays flat. (The server's
    /// `--export-rows-max`, 1,000,000 by default, bounds exports over HTTP.)
    #[arg(long, value_name = "ROWS")]
    pub rows_max: Option<u64>,
    /// Print the summary (rows, seconds, peak memory) as one JSON object on stderr.
    #[arg(long)]
    pub json: bool,
}

/// Export and report the row count on stderr.
pub async fn run(args: ExportArgs) -> anyhow::Result<()> {
    let to_stdout = args
        .output
        .as_ref()
        .is_none_or(|path| path.as_os_str() == "-");
    let format = match (&args.format, &args.output) {
        (Some(text), _) => ExportFormat::parse(Some(text), "--format")?,
        (None, Some(path)) if !to_stdout => ExportFormat::from_path(path).with_context(|| {
            format!(
                "cannot tell the format from `{}`: name it .csv or .xlsx, or pass --format",
                path.display()
            )
        })?,
        (None, _) => ExportFormat::Csv,
    };
    let encoding = ExportEncoding::parse(args.encoding.as_deref(), "--encoding")?;
    let zone = parse_time_zone(
        Some(&args.time_zone),
        &panorama_server::time_zone_default(),
        "--time-zone",
    )?;
    let language = parse_language(args.lang.as_deref(), Language::En, "--lang")?;
    let store = crate::database::open(&args.database.database).await?;
    let schema = Schema::new(store.list_attributes().await?);
    let label = match args.label.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() && !text.bytes().all(|b| b.is_ascii_digit()) => {
            let ids = panorama_import::resolve_labels(store.as_ref(), &[text.to_owned()]).await?;
            ids.first().map(ToString::to_string)
        }
        other => other.map(str::to_owned),
    };
    let filter = ContactFilter {
        category: args.category.clone(),
        field: args.field.clone(),
        q: args.q.clone(),
        sort: args.sort.clone(),
        order: args.order.clone(),
        label,
    };
    let query = filter.to_query(&schema, panorama_core::contact::SearchMode::Substring)?;
    let columns = match args.columns.as_deref() {
        Some(text) => Columns::parse_list(&schema, text)?,
        // The CLI acts as the web application's local administrator: it exports their view.
        None => {
            panorama_server::app::views::contact_columns(
                store.as_ref(),
                &schema,
                &Principal::local_admin(),
            )
            .await?
        }
    };
    let mut plan = ExportPlan::new(
        query,
        ExportColumns::new(&schema, &columns, language).in_zone(zone.clone()),
        format,
        encoding,
    );
    plan.rows_max = args.rows_max.unwrap_or(u64::MAX);
    let started = Instant::now();
    let mut audited = serde_json::json!({
        "filter": &filter, "format": format!("{format:?}").to_lowercase(),
        "columns": columns.names(), "masked": false, "via": "cli",
        "time_zone": panorama_core::event::zone_name(&zone), "lang": language.code(),
    });
    let prepared = PreparedExport::prepare(store.clone(), plan).await?;
    audited["rows"] = serde_json::json!(prepared.rows());
    // PRODUCT.md §5: every export is in the audit log, the CLI's too.
    crate::cmd::users::audit(store.as_ref(), AuditAction::Export, "contacts", audited).await?;
    let out: Box<dyn Write + Send> = if to_stdout {
        Box::new(std::io::stdout())
    } else {
        let path = args.output.clone().unwrap_or_default();
        let file =
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        Box::new(file)
    };
    let out = BufWriter::with_capacity(OUTPUT_BUFFER_BYTES, out);
    let (summary, _) = prepared.write_to(out).await?;
    report(&args, format, summary, started.elapsed().as_secs_f64());
    Ok(())
}

fn report(
    args: &ExportArgs,
    format: ExportFormat,
    summary: panorama_export::ExportSummary,
    seconds: f64,
) {
    let peak = crate::cmd::import::peak_memory_bytes();
    if args.json {
        eprintln!(
            "{}",
            serde_json::json!({
                "rows": summary.rows, "format": format.extension(), "seconds": seconds,
                "unmappable": summary.unmappable, "sheets": summary.sheets,
                "peak_memory_bytes": peak,
            })
        );
        return;
    }
    let target = match &args.output {
        Some(path) if path.as_os_str() != "-" => path.display().to_string(),
        _ => "stdout".to_owned(),
    };
    eprintln!(
        "exported {} rows to {target} ({}) in {seconds:.1} s",
        summary.rows,
        format.extension()
    );
    if summary.unmappable > 0 {
        eprintln!(
            "{} characters GBK cannot hold were written as `?`; use --encoding utf-8-bom to keep them",
            summary.unmappable
        );
    }
}
