//! The server's settings: the default country, where uploads wait, and every limit an operator
//! may tune, each named with its unit last (`export_rows_max`) and answered with a 4xx problem
//! document naming the limit, the field and the value. Hard domain rules (WeChat's 30-byte label
//! names, string lengths, label group depth) stay constants in core; README's "Limits" lists both.

use panorama_core::mobile::DefaultCountry;
use std::path::PathBuf;

/// Largest request body accepted, in bytes: a full batch of contacts fits with room to spare.
pub const REQUEST_BODY_BYTES_MAX: usize = 32 * 1024 * 1024;
/// Most contacts one batch request may carry (PRODUCT.md §6).
pub const BATCH_CONTACTS_MAX: usize = 10_000;
/// Most events one ingest request may carry (PRODUCT.md §6).
pub const BATCH_EVENTS_MAX: usize = panorama_core::event::EVENTS_BATCH_MAX;
/// Most contacts one page of `GET /api/v1/contacts` may hold.
pub const LIST_PAGE_CONTACTS_MAX: u64 = 500;
/// Most contact ids one bulk action may name; larger selections are sent as a filter.
pub const BULK_IDS_MAX: usize = 10_000;
/// Most rows one export over HTTP may hold. A million rows stream in well under a minute (README,
/// `bench export`), fit one XLSX sheet (1,048,575 rows below the header), and bound how long one
/// request holds a reader and how much of the company one API key can carry off at once.
/// `panorama export` has no limit unless `--rows-max` sets one.
pub const EXPORT_ROWS_MAX: u64 = 1_000_000;
/// An import upload's fields other than `file` (purpose, mapping, labels...) together, in bytes:
/// far more than a mapping of every column needs, little enough to hold in memory. Not a setting:
/// upload routes take no body limit, so this and `import_file_bytes_max` are what bound an upload.
pub const UPLOAD_FIELDS_BYTES_MAX: usize = 1024 * 1024;

/// The company's time zone unless `--time-zone` names another: pages show times in it until the
/// viewer's browser has named its own, and exports write times in it unless asked otherwise.
pub const TIME_ZONE_DEFAULT: &str = "Asia/Shanghai";

/// The zone named `name` (IANA, `Asia/Shanghai`), for `--time-zone`. A name this machine's time
/// zone database does not know is an error naming it.
pub fn time_zone(name: &str) -> panorama_core::Result<jiff::tz::TimeZone> {
    panorama_export::parse_time_zone(Some(name), &jiff::tz::TimeZone::UTC, "time_zone")
}

/// [`TIME_ZONE_DEFAULT`]; China's fixed UTC+08:00 (no summer time since 1991) on a machine
/// without a time zone database.
pub fn time_zone_default() -> jiff::tz::TimeZone {
    time_zone(TIME_ZONE_DEFAULT).unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
}

/// How long a server keeps the attribute definitions it read, in seconds, unless
/// `schema_cache_seconds` says otherwise: the longest another server's metadata change goes unseen
/// by this one. Reading them is one small query, so a few seconds save it on every busy page while
/// an admin working across servers waits no longer than a page load.
pub const SCHEMA_CACHE_SECONDS: u64 = 5;

/// How long an uploaded file whose job is not running is kept, in seconds (a day).
pub const UPLOADS_KEPT_SECONDS: u64 = 24 * 60 * 60;

/// Settings of the HTTP layer. `Default` gives the values `panorama serve` starts with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Country applied to mobile numbers written without a country code.
    pub default_country: DefaultCountry,
    /// The company's time zone: pages show times in it until the viewer's browser names its own
    /// (the `panorama_tz` cookie), exports write times in it unless asked for another.
    pub time_zone: jiff::tz::TimeZone,
    /// Where uploaded import files are kept until their job has run.
    pub uploads_dir: PathBuf,
    /// Largest request body accepted, in bytes (import uploads have `import_file_bytes_max`).
    pub request_body_bytes_max: usize,
    /// Most contacts one `POST /api/v1/contacts/batch` may carry.
    pub batch_contacts_max: usize,
    /// Most events one `POST /api/v1/events` may carry.
    pub batch_events_max: usize,
    /// Most contacts one page of the contacts list (`page_size`) may hold.
    pub list_page_contacts_max: u64,
    /// Most contact ids one bulk action (`POST /api/v1/contacts/bulk`) may name.
    pub bulk_ids_max: usize,
    /// Largest import file accepted, in bytes.
    pub import_file_bytes_max: u64,
    /// Most bytes one workbook cell may take; a workbook holding a larger one is refused.
    pub import_cell_bytes_max: u64,
    /// Most bytes a workbook part read whole (shared strings, styles) may take once unpacked.
    pub import_workbook_part_bytes_max: u64,
    /// Most rejected rows one import keeps; the rest are counted as `unlisted`.
    pub import_rejections_kept_max: u64,
    /// Uploaded files older than this, in seconds, whose job is not queued or running are removed
    /// when the server starts (and every hour): abandoned previews do not keep personal data.
    pub uploads_kept_seconds: u64,
    /// Most rows one `GET /api/v1/contacts/export` may hold; a larger selection is refused before
    /// anything is sent.
    pub export_rows_max: u64,
    /// Rows per sheet of an XLSX export, header included (Excel's limit; tests set fewer). Not a
    /// refusal: the export continues on another sheet.
    pub export_sheet_rows_max: u32,
    /// How long a server's claim on a running job holds, in seconds, renewed every third of it
    /// while the job runs: a job whose server was killed is resumed by another one this long
    /// after its last renewal. At least 1.
    pub job_lease_seconds: u64,
    /// A pause after each batch of a bulk action, in milliseconds: 0 but in tests, which slow a
    /// job down to stop its server in the middle of it.
    pub job_batch_pause_millis: u64,
    /// How long this server keeps the attribute definitions it read, in seconds: the longest a
    /// metadata change made by another server on the same database goes unseen here (changes
    /// made through this server are seen at once). 0 reads them for every request.
    pub schema_cache_seconds: u64,
}

impl Settings {
    /// The options of an import `request`, with this server's import limits.
    pub fn import_options(
        &self,
        request: &panorama_import::ImportRequest,
    ) -> panorama_core::Result<panorama_import::ImportOptions> {
        let mut options =
            panorama_import::ImportOptions::from_request(request, self.import_file_bytes_max)?;
        options.read.cell_bytes_max = self.import_cell_bytes_max;
        options.read.workbook_part_bytes_max = self.import_workbook_part_bytes_max;
        options.read.rejections_kept_max = self.import_rejections_kept_max;
        Ok(options)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            default_country: DefaultCountry::CHINA,
            time_zone: time_zone_default(),
            uploads_dir: std::env::temp_dir().join("panorama-uploads"),
            request_body_bytes_max: REQUEST_BODY_BYTES_MAX,
            batch_contacts_max: BATCH_CONTACTS_MAX,
            batch_events_max: BATCH_EVENTS_MAX,
            list_page_contacts_max: LIST_PAGE_CONTACTS_MAX,
            bulk_ids_max: BULK_IDS_MAX,
            import_file_bytes_max: panorama_import::IMPORT_FILE_BYTES_MAX,
            import_cell_bytes_max: panorama_import::CELL_BYTES_MAX,
            import_workbook_part_bytes_max: panorama_import::WORKBOOK_PART_BYTES_MAX,
            import_rejections_kept_max: panorama_import::REJECTIONS_KEPT_MAX,
            uploads_kept_seconds: UPLOADS_KEPT_SECONDS,
            export_rows_max: EXPORT_ROWS_MAX,
            export_sheet_rows_max: panorama_export::XLSX_SHEET_ROWS_MAX,
            job_lease_seconds: panorama_core::store::JOB_LEASE_SECONDS_DEFAULT,
            job_batch_pause_millis: 0,
            schema_cache_seconds: SCHEMA_CACHE_SECONDS,
        }
    }
}
