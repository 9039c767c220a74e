//! Reading registration exports: CSV in any delimiter and encoding, XLSX/XLS/ODS, with
//! preambles, column roles found from headers or values, and every rejected row accounted for.
//!
//! The entry point is [`import_file`]. It never modifies the input (files are opened
//! read-only), never panics on bad input, and returns what it detected so every guess can be
//! shown and overridden:
//!
//! ```no_run
//! use turnout::import::{import_file, ImportOptions};
//! let imported = import_file("attendees.csv".as_ref(), &ImportOptions::default())?;
//! println!("{} rows, {} rejected", imported.rows.len(), imported.report.rejected_count);
//! # Ok::<(), turnout::import::ImportError>(())
//! ```

mod convert;
mod csv_body;
mod finalize;
pub use finalize::KeptCame;
pub mod headcounts;
pub mod raw;
pub mod roles;
mod sheet;
mod sniff;
mod source;
pub mod timestamp;
pub mod values;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use jiff::tz::TimeZone;
use serde::Serialize;

pub use convert::{MAX_REJECTED_KEPT, Record, TimeFormat};
pub use roles::{Mapping, Role};
pub use source::{FileKind, TextEncoding};
pub use timestamp::OrderReason;
pub use values::{Status, parse_flag};

use crate::dataset::Rows;
use convert::RowConverter;

/// How much of a text file is read to sniff encoding, delimiter, header and roles.
const HEAD_BYTES: usize = 256 * 1024;

/// Choices that override detection. The default detects everything.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Zone for times written without one; default: this machine's zone.
    pub time_zone: Option<TimeZone>,
    /// `role → header` choices that replace what was detected (`--map`).
    pub overrides: Vec<(Role, String)>,
    pub time_format: TimeFormat,
    /// Spreadsheet sheet to read; default: the one that looks most like registrations.
    pub sheet: Option<String>,
    pub delimiter: Option<u8>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Reports bytes and rows read and carries a cancel flag (for the app).
    pub progress: Option<Arc<Progress>>,
    /// The column that splits a series into several events per day (`--by`); ignored for
    /// files that do not have it.
    pub group_by: Option<String>,
    /// Whether the attendance column says who came (`Some(false)`) or who did not
    /// (`Some(true)`, `No-show`); `None` decides from its header.
    pub checkin_negated: Option<bool>,
    /// What the file lists, when the user says (default: detected).
    pub kind: Option<FileContent>,
    /// Whether a booking kept to a start the file shows is past counts as come, in a file
    /// that records cancellations and nothing about who came; `None`: for a lodging's log
    /// (`finalize::presume_kept_came`).
    pub kept_came: Option<bool>,
}

impl ImportOptions {
    pub fn zone(&self) -> TimeZone {
        self.time_zone.clone().unwrap_or_else(TimeZone::system)
    }
}

/// Live progress of one import, shared with the thread that shows it.
#[derive(Debug, Default)]
pub struct Progress {
    bytes: AtomicU64,
    rows: AtomicU64,
    total_bytes: AtomicU64,
    cancelled: AtomicBool,
}

impl Progress {
    pub fn add_bytes(&self, n: u64) {
        self.bytes.fetch_add(n, Ordering::Relaxed);
    }
    pub fn add_rows(&self, n: u64) {
        self.rows.fetch_add(n, Ordering::Relaxed);
    }
    /// (bytes read, total bytes, rows read).
    pub fn snapshot(&self) -> (u64, u64, u64) {
        (
            self.bytes.load(Ordering::Relaxed),
            self.total_bytes.load(Ordering::Relaxed),
            self.rows.load(Ordering::Relaxed),
        )
    }
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// A row that was not loaded, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// Line in the file (row number in a spreadsheet), 1-based.
    pub line: u32,
    pub reason: String,
}

/// Values of one role that could not be read; the rows still loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValueIssue {
    pub role: Role,
    pub count: u64,
    pub first_line: u32,
    pub example: String,
    pub problem: String,
}

impl ValueIssue {
    /// "3 status values not a status Turnout knows; … (first on line 12: 'Walked out')", with
    /// the count and the example written by the caller (its locale, its bidi handling).
    pub fn sentence(&self, count: &str, example: &str) -> String {
        let values = if self.count == 1 { "value" } else { "values" };
        format!(
            "{count} {} {values} {} (first on line {}: '{example}')",
            self.role, self.problem, self.first_line
        )
    }
}

/// What was detected about a file. Each item can be overridden in [`ImportOptions`].
#[derive(Clone, Debug, Serialize)]
pub struct Detected {
    /// What the file lists: registrations, attendance, holds or a quota snapshot.
    pub kind: FileContent,
    /// `csv`, `xlsx`, `xls`, `ods`.
    pub format: String,
    pub encoding: String,
    /// The delimiter, `None` for spreadsheets.
    pub delimiter: Option<String>,
    /// Line (row) of the header, 1-based; 0 when the file has none.
    pub header_line: u32,
    /// How registration times are written, `strftime`-style.
    pub date_format: Option<String>,
    pub date_order: Option<OrderReason>,
    pub time_zone: String,
    pub sheet: Option<String>,
}

/// A role and the header(s) it was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MappedRole {
    pub role: Role,
    pub headers: Vec<String>,
    pub columns: Vec<usize>,
    /// `true` when the user chose it rather than detection.
    pub chosen: bool,
    /// For `checked_in`: yes in this column means the person did *not* come (`No-show`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub negated: bool,
}

/// Everything an import says about its file besides the rows.
#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub path: PathBuf,
    pub file_bytes: u64,
    pub detected: Detected,
    pub headers: Vec<String>,
    pub mapping: Vec<MappedRole>,
    /// Data rows read (loaded + rejected + merged).
    pub rows_read: u64,
    pub rows_loaded: u64,
    pub rejected_count: u64,
    /// The first [`MAX_REJECTED_KEPT`] rejected rows.
    pub rejected: Vec<Rejected>,
    pub value_issues: Vec<ValueIssue>,
    /// Repeat rows of one registration folded into one (Zoom writes a row per join).
    pub merged_rows: u64,
    /// A booking log with cancellations and nothing about who came: whether its kept
    /// bookings on past starts are counted as come, and how many ([`finalize::KeptCame`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_came: Option<finalize::KeptCame>,
    /// What a row counts: bookings in a lodging's log that gives no party size, people
    /// otherwise ([`crate::dataset::Unit`]).
    pub counts: crate::dataset::Unit,
    pub warnings: Vec<String>,
    /// A column that may say where each event takes place, for the user to split events by
    /// ([`roles::group_hint`]); never applied unasked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_hint: Option<String>,
    /// Up to five non-empty sample values per column, for the import review. Holds personal
    /// data, so it is never serialized.
    #[serde(skip)]
    pub samples: Vec<Vec<String>>,
}

impl ImportReport {
    /// The header a role was read from, if it is mapped.
    pub fn header_for(&self, role: Role) -> Option<String> {
        self.mapping
            .iter()
            .find(|m| m.role == role)
            .map(|m| m.headers.join(" + "))
    }
}

/// Rows and report of one file.
#[derive(Clone, Debug)]
pub struct Imported {
    pub rows: Rows,
    pub report: ImportReport,
}

/// Why a file could not be used at all. Row-level problems are not errors: they are
/// [`Rejected`] rows in the report.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: could not read the file: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: this is {what}, not a file; Turnout reads only regular files")]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "{path}: the workbook is {size}; Turnout reads spreadsheets up to {limit}. Save it as CSV \
         (CSV files of any size load)"
    )]
    SheetTooBig {
        path: PathBuf,
        size: String,
        limit: String,
    },
    #[error("{path}: this is not a registration export; it looks like {what}")]
    NotText { path: PathBuf, what: String },
    #[error(
        "{path}: line 1 runs past {kib} KiB without a line break; this is not a delimited export"
    )]
    LineTooLong { path: PathBuf, kib: usize },
    #[error("{path}: the header is on line {header_line} but no data rows follow it")]
    HeaderOnly { path: PathBuf, header_line: u32 },
    #[error(
        "{path}: this does not look like a registration export: no column is named like a \
         registration time, a name, an e-mail address, a ticket or a status (first line: \
         '{first_line}')"
    )]
    NotAnExport { path: PathBuf, first_line: String },
    #[error(
        "{path}: no column holds the registration time (columns: {headers}); choose the one \
         that does (dashboard: View menu, Import review; command line: --map registered_at=HEADER){hint}"
    )]
    NoTimeColumn {
        path: PathBuf,
        headers: String,
        /// What the file looks like instead, when that is clear (a headcount file).
        hint: String,
        /// Each column's header and a sample value, so that a person can pick the column.
        columns: Vec<(String, String)>,
    },
    #[error(
        "{path}: --map {role}={header}: there is no column named '{header}' (columns: {headers})"
    )]
    UnknownHeader {
        path: PathBuf,
        role: Role,
        header: String,
        headers: String,
    },
    #[error(
        "{path}: --by {header}: there is no column named '{header}' to split events by \
         (columns: {headers})"
    )]
    UnknownGroup {
        path: PathBuf,
        header: String,
        headers: String,
    },
    #[error("{path}: could not read the spreadsheet: {message}")]
    Spreadsheet { path: PathBuf, message: String },
    #[error("{path}: no sheet named '{sheet}' (sheets: {sheets})")]
    NoSuchSheet {
        path: PathBuf,
        sheet: String,
        sheets: String,
    },
    #[error("{path}: loading was cancelled")]
    Cancelled { path: PathBuf },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where an import reads from: a file on disk or bytes already in memory.
#[derive(Clone, Copy)]
enum Origin<'a> {
    File(&'a Path),
    Bytes(&'a [u8]),
}

impl<'a> Origin<'a> {
    fn open(&self, path: &Path) -> Result<(Box<dyn Read + Send + 'a>, u64), ImportError> {
        match *self {
            Origin::File(file_path) => {
                let file: File = crate::fsutil::open_regular(file_path).map_err(|e| match e {
                    crate::fsutil::OpenError::NotAFile(what) => ImportError::NotAFile {
                        path: path.to_path_buf(),
                        what,
                    },
                    crate::fsutil::OpenError::Io(source) => ImportError::Io {
                        path: path.to_path_buf(),
                        source,
                    },
                })?;
                let size = file.metadata().map_err(io_error(path))?.len();
                Ok((Box::new(file), size))
            }
            Origin::Bytes(bytes) => Ok((Box::new(bytes), bytes.len() as u64)),
        }
    }
}

/// Spreadsheets are read whole into memory: files beyond this are refused (CSV has no limit).
pub const MAX_SHEET_BYTES: u64 = 1 << 30;

/// Reads one export file (opened read-only). See the module documentation.
pub fn import_file(path: &Path, opts: &ImportOptions) -> Result<Imported, ImportError> {
    import_from(path, Origin::File(path), opts).map(|i| with_kind(i, opts))
}

/// Reads an export that is already in memory; `name` stands for its path in messages.
pub fn import_bytes(
    name: &Path,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    import_from(name, Origin::Bytes(bytes), opts).map(|i| with_kind(i, opts))
}

/// What a file lists, and so where it belongs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileContent {
    /// Sign-ups for an event (the default).
    #[default]
    Registrations,
    /// People who came: a check-in list or a meeting's participants, with no registrations.
    Attendance,
    /// A log of holds and carts (items held, released, bought).
    Holds,
    /// A quota or availability snapshot.
    Quota,
}

impl FileContent {
    pub const ALL: [FileContent; 4] = [
        FileContent::Registrations,
        FileContent::Attendance,
        FileContent::Holds,
        FileContent::Quota,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FileContent::Registrations => "registrations",
            FileContent::Attendance => "attendance",
            FileContent::Holds => "holds",
            FileContent::Quota => "quota",
        }
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            FileContent::Registrations => "a registration list",
            FileContent::Attendance => "an attendance (check-in) list",
            FileContent::Holds => "a log of holds and carts",
            FileContent::Quota => "a quota snapshot",
        }
    }

    pub fn from_name(name: &str) -> Option<FileContent> {
        FileContent::ALL
            .into_iter()
            .find(|k| k.name() == name.trim().to_lowercase())
    }
}

fn with_kind(mut imported: Imported, opts: &ImportOptions) -> Imported {
    imported.report.detected.kind = opts.kind.unwrap_or_else(|| classify(&imported));
    imported
}

/// Decides what a file lists from its columns and values:
/// - a quota snapshot has `Total quota`, `Paid orders`, `Pending orders`;
/// - a hold log has an expiry column or an action column, and mostly holds that are
///   pending or ran out;
/// - an attendance list has join/leave times (Zoom participants) or check-ins on every row,
///   and no registration time.
pub fn classify(imported: &Imported) -> FileContent {
    let r = &imported.report;
    let norm: Vec<String> = r
        .headers
        .iter()
        .map(|h| roles::normalize_header(h))
        .collect();
    let has = |w: &str| norm.iter().any(|h| h == w);
    if has("total quota") && has("paid orders") && has("pending orders") {
        return FileContent::Quota;
    }
    let mapped = |role: Role| r.mapping.iter().any(|m| m.role == role);
    let rows = &imported.rows;
    let n = rows.len().max(1);
    let held = rows
        .status
        .iter()
        .filter(|s| matches!(s, Status::Pending | Status::Expired))
        .count();
    let action = r.header_for(Role::Status).is_some_and(|h| {
        matches!(
            roles::normalize_header(&h).as_str(),
            "action" | "event type"
        )
    });
    if (mapped(Role::HoldExpiresAt) || action) && held * 2 >= n {
        return FileContent::Holds;
    }
    if !mapped(Role::RegisteredAt) && !mapped(Role::EventAt) {
        let meeting = norm
            .iter()
            .any(|h| h.starts_with("join time") || h.starts_with("leave time"));
        let all_came = !rows.is_empty() && (0..rows.len()).all(|i| rows.came(i));
        if meeting || (mapped(Role::CheckedIn) && all_came) {
            return FileContent::Attendance;
        }
    }
    FileContent::Registrations
}

fn import_from(path: &Path, origin: Origin, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let (mut input, size) = origin.open(path)?;
    if let Some(p) = &opts.progress {
        p.total_bytes.store(size, Ordering::Relaxed);
    }
    let mut head = Vec::with_capacity(HEAD_BYTES.min(size as usize));
    (&mut input)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_error(path))?;
    if head.is_empty() {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    match source::file_kind(&head) {
        FileKind::Zip | FileKind::Ole => {
            if size > MAX_SHEET_BYTES {
                return Err(ImportError::SheetTooBig {
                    path: path.to_path_buf(),
                    size: sheet::mb(size),
                    limit: sheet::mb(MAX_SHEET_BYTES),
                });
            }
            let mut all = head;
            input.read_to_end(&mut all).map_err(io_error(path))?;
            sheet::import_sheet(path, all, opts)
        }
        FileKind::Binary(what) => Err(ImportError::NotText {
            path: path.to_path_buf(),
            what: what.to_string(),
        }),
        FileKind::Text => import_text(path, origin, input, head, size, opts),
    }
}

fn import_text(
    path: &Path,
    origin: Origin,
    mut input: Box<dyn Read + Send + '_>,
    head: Vec<u8>,
    size: u64,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let complete = head.len() as u64 >= size;
    let encoding = match opts.encoding {
        Some(e) if e == encoding_rs::UTF_8 => TextEncoding::Utf8 {
            bom: if head.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            },
        },
        Some(e) => TextEncoding::Other(e),
        None => source::detect_encoding(&head, complete),
    };
    // UTF-8 streams from the input; other encodings are transcoded in memory first.
    let (text_head, decoded, base): (Vec<u8>, Option<Vec<u8>>, usize) = match encoding {
        TextEncoding::Utf8 { bom } => (head[bom..].to_vec(), None, bom),
        TextEncoding::Other(enc) => {
            let mut all = head.clone();
            input.read_to_end(&mut all).map_err(io_error(path))?;
            let text = source::decode(&all, enc).into_bytes();
            (text[..text.len().min(HEAD_BYTES)].to_vec(), Some(text), 0)
        }
    };
    let head_complete = complete || decoded.as_ref().is_some_and(|d| d.len() <= HEAD_BYTES);
    let delimiter = opts
        .delimiter
        .unwrap_or_else(|| sniff::sniff_delimiter(&text_head, head_complete));
    let spaced = sniff::spaced_quotes(&text_head, delimiter);
    let mut text_head = text_head;
    if spaced {
        sniff::unspace_quotes(&mut text_head, delimiter);
    }
    let records = sniff::head_records(&text_head, delimiter, 800, head_complete);
    if records.is_empty() {
        if !head_complete && memchr::memchr(b'\n', &text_head).is_none() {
            return Err(ImportError::LineTooLong {
                path: path.to_path_buf(),
                kib: HEAD_BYTES / 1024,
            });
        }
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    let choice = sniff::find_header(&records);
    let header_rec = &records[choice.index];
    let header_line = 1 + memchr::memchr_iter(b'\n', &text_head[..header_rec.start]).count() as u32;
    let (headers, data_start, samples_from) = if choice.has_header {
        (header_rec.cells.clone(), header_rec.end, choice.index + 1)
    } else {
        let n = header_rec.cells.len();
        let names = (1..=n).map(|i| format!("Column {i}")).collect();
        (names, header_rec.start, choice.index)
    };
    let sample_rows: Vec<&[String]> = records[samples_from..]
        .iter()
        .map(|r| r.cells.as_slice())
        .collect();
    // Nothing in the file is named like anything an export holds (`/etc/passwd`, a note).
    let no_roles = records
        .iter()
        .take(50)
        .all(|r| roles::header_score(&r.cells) == 0);
    if no_roles && (sample_rows.is_empty() || records.iter().take(50).all(|r| r.cells.len() < 2)) {
        let first = records[0].cells.join(",");
        let first: String = first.chars().take(60).collect();
        return Err(ImportError::NotAnExport {
            path: path.to_path_buf(),
            first_line: first,
        });
    }
    if sample_rows.is_empty() && head_complete {
        return Err(ImportError::HeaderOnly {
            path: path.to_path_buf(),
            header_line,
        });
    }
    let mut plan = Plan::new(path, headers, &sample_rows, opts)?;
    plan.converter.unspace_quotes = spaced;
    let first_line = 1 + memchr::memchr_iter(b'\n', &text_head[..data_start]).count() as u32;
    let sample_bytes: usize = records[samples_from..]
        .iter()
        .map(|r| r.end - r.start)
        .sum();
    let avg = (sample_bytes / sample_rows.len().max(1)).max(16);
    let body_bytes = decoded
        .as_ref()
        .map_or(size as usize, |d| d.len())
        .saturating_sub(data_start + base);
    let est_rows = body_bytes / avg + 1024;

    let progress = opts.progress.as_deref();
    if let Some(p) = progress {
        p.add_bytes((data_start + base) as u64);
    }
    // UTF-8: go on from the head already read, then the rest of the input; otherwise the
    // transcoded text.
    let mut body: Box<dyn Read + Send + '_> = match &decoded {
        None => Box::new((&head[base + data_start..]).chain(input)),
        Some(text) => Box::new(&text[data_start..]),
    };
    let chunk = csv_body::read_body(
        &mut body,
        delimiter,
        first_line,
        &plan.converter,
        est_rows,
        progress,
    )
    .map_err(io_error(path))?
    .ok_or_else(|| ImportError::Cancelled {
        path: path.to_path_buf(),
    })?;

    if chunk.lossy_fields > 0
        && !chunk.has_utf8_text
        && opts.encoding.is_none()
        && matches!(encoding, TextEncoding::Utf8 { .. })
    {
        // Text that looked like UTF-8 at the top (plain ASCII) isn't further down, and nothing
        // in the file is UTF-8 beyond ASCII: the whole file is in a legacy encoding.
        let mut all = Vec::new();
        origin
            .open(path)?
            .0
            .read_to_end(&mut all)
            .map_err(io_error(path))?;
        let retry = ImportOptions {
            encoding: Some(source::guess_legacy(&all, true)),
            ..opts.clone()
        };
        return import_from(path, origin, &retry);
    }

    let detected = Detected {
        kind: FileContent::Registrations,
        format: "csv".to_string(),
        encoding: encoding.name(),
        delimiter: Some(delimiter_name(delimiter)),
        header_line: if choice.has_header { header_line } else { 0 },
        date_format: None,
        date_order: None,
        time_zone: String::new(),
        sheet: None,
    };
    let (lossy, lossy_rows, first_lossy) = (
        chunk.lossy_fields,
        chunk.lossy_rows,
        chunk.first_lossy_line.unwrap_or(0),
    );
    let mut imported = plan.finish(path, size, chunk, detected, opts);
    if lossy > 0 {
        imported.report.warnings.push(format!(
            "{lossy} value{} on {lossy_rows} row{} (first on line {first_lossy}) {} not valid {}: \
             their stray bytes were read as Windows-1252 (Latin-1), the rest of the file as {}",
            if lossy == 1 { "" } else { "s" },
            if lossy_rows == 1 { "" } else { "s" },
            if lossy == 1 { "was" } else { "were" },
            imported.report.detected.encoding,
            imported.report.detected.encoding
        ));
    }
    Ok(imported)
}

pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_string(),
        d => (d as char).to_string(),
    }
}

/// The mapping and converter for one file, decided from its header and sample rows.
struct Plan {
    headers: Vec<String>,
    mapping: Mapping,
    chosen: Vec<Role>,
    /// `checked_in` columns whose yes means "did not come".
    negated: Vec<usize>,
    converter: RowConverter,
    samples: Vec<Vec<String>>,
    /// The `--by` column, when this file (one event, no event times) has none of that name.
    group_missing: Option<String>,
}

impl Plan {
    fn new(
        path: &Path,
        headers: Vec<String>,
        sample_rows: &[&[String]],
        opts: &ImportOptions,
    ) -> Result<Plan, ImportError> {
        let mut samples = vec![Vec::new(); headers.len()];
        for row in sample_rows.iter().take(500) {
            for (c, v) in row.iter().enumerate().take(headers.len()) {
                samples[c].push(v.clone());
            }
        }
        let mut mapping = roles::detect(&headers, &samples);
        let list = || headers.join(", ");
        // `--by COLUMN` that names no column of this file: an error where the file is a
        // series (its events would silently be whole days), a note where it is one event.
        let mut group_missing = None;
        if let Some(g) = opts.group_by.as_deref().filter(|g| !g.trim().is_empty()) {
            let n = roles::normalize_header(g);
            if let Some(col) = headers.iter().position(|h| roles::normalize_header(h) == n) {
                for cols in mapping.values_mut() {
                    cols.retain(|&c| c != col);
                }
                mapping.retain(|_, cols| !cols.is_empty());
                mapping.insert(Role::Group, vec![col]);
            } else {
                group_missing = Some(g.trim().to_string());
            }
        }
        let mut chosen = Vec::new();
        for (role, header) in &opts.overrides {
            if header.trim().is_empty() {
                mapping.remove(role);
                chosen.push(*role);
                continue;
            }
            // `Y + M + D`: a date in year, month and day columns.
            let parts: Vec<&str> = header.split('+').map(str::trim).collect();
            if parts.len() == 3 && matches!(role, Role::RegisteredAt | Role::EventAt) {
                let mut cols = Vec::new();
                for part in parts {
                    let col = headers
                        .iter()
                        .position(|x| x.trim() == part)
                        .ok_or_else(|| ImportError::UnknownHeader {
                            path: path.to_path_buf(),
                            role: *role,
                            header: part.to_string(),
                            headers: list(),
                        })?;
                    cols.push(col);
                }
                for c in mapping.values_mut() {
                    c.retain(|x| !cols.contains(x));
                }
                mapping.retain(|_, c| !c.is_empty());
                mapping.insert(*role, cols);
                chosen.push(*role);
                continue;
            }
            let find = |h: &str| {
                headers
                    .iter()
                    .position(|x| x.trim() == h.trim())
                    .or_else(|| {
                        let n = roles::normalize_header(h);
                        headers.iter().position(|x| roles::normalize_header(x) == n)
                    })
            };
            let col = find(header).ok_or_else(|| ImportError::UnknownHeader {
                path: path.to_path_buf(),
                role: *role,
                header: header.clone(),
                headers: list(),
            })?;
            for cols in mapping.values_mut() {
                cols.retain(|&c| c != col);
            }
            mapping.retain(|_, cols| !cols.is_empty());
            mapping.insert(*role, vec![col]);
            chosen.push(*role);
        }
        if let Some(header) = &group_missing
            && mapping.contains_key(&Role::EventAt)
            && !mapping.contains_key(&Role::Group)
        {
            return Err(ImportError::UnknownGroup {
                path: path.to_path_buf(),
                header: header.clone(),
                headers: list(),
            });
        }
        let from_lead_days =
            mapping.contains_key(&Role::EventAt) && mapping.contains_key(&Role::LeadDays);
        if !mapping.contains_key(&Role::RegisteredAt) && !from_lead_days {
            let identity = [
                Role::Email,
                Role::Name,
                Role::FirstName,
                Role::OrderId,
                Role::RegistrantId,
                Role::Status,
                Role::TicketType,
            ]
            .iter()
            .filter(|r| mapping.contains_key(r))
            .count();
            // A list of who came (a meeting's participants, a check-in list) needs no
            // registration time.
            let attendance = mapping.contains_key(&Role::CheckedIn)
                || headers.iter().any(|h| {
                    let n = roles::normalize_header(h);
                    n.starts_with("join time") || n.starts_with("leave time")
                });
            if identity < 3 && !(attendance && identity >= 1) {
                return Err(ImportError::NoTimeColumn {
                    path: path.to_path_buf(),
                    headers: list(),
                    hint: if headcounts::looks_like_headcounts(&headers) {
                        ". It looks like a count of people per day (a headcount file): give it \
                         as one (dashboard: File › Add headcounts…; command line: --headcounts \
                         FILE)"
                            .to_string()
                    } else {
                        String::new()
                    },
                    columns: headers
                        .iter()
                        .enumerate()
                        .map(|(c, h)| {
                            let sample = samples
                                .get(c)
                                .and_then(|col| col.iter().find(|v| !v.trim().is_empty()))
                                .cloned()
                                .unwrap_or_default();
                            (h.clone(), sample)
                        })
                        .collect(),
                });
            }
        }
        let negated: Vec<usize> = mapping
            .get(&Role::CheckedIn)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&c| {
                opts.checkin_negated
                    .unwrap_or_else(|| roles::is_negated_checkin(&headers[c]))
            })
            .collect();
        let converter = RowConverter::new(&mapping, &headers, opts.time_format.clone(), &negated);
        Ok(Plan {
            headers,
            mapping,
            chosen,
            negated,
            converter,
            samples,
            group_missing,
        })
    }

    /// The registration-time format, named from the most common shape in the samples.
    fn date_format(&self, day_first: bool) -> Option<String> {
        if let TimeFormat::Strftime(f) = &self.converter_time_format() {
            return Some(f.clone());
        }
        let col = *self.mapping.get(&Role::RegisteredAt)?.first()?;
        let mut counts: Vec<(timestamp::Shape, usize)> = Vec::new();
        for v in &self.samples[col] {
            if let Some((_, shape)) = timestamp::parse(v.as_bytes()) {
                match counts.iter_mut().find(|(s, _)| *s == shape) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((shape, 1)),
                }
            }
        }
        let (shape, _) = counts.into_iter().max_by_key(|(_, n)| *n)?;
        let mut f = shape.format(day_first);
        if let Some(&t) = self
            .mapping
            .get(&Role::RegisteredTime)
            .and_then(|c| c.first())
        {
            f.push_str(&format!(" + time of day from '{}'", self.headers[t]));
        }
        Some(f)
    }

    /// Whether the file is a lodging's log: its event is an arrival or a stay, or it gives
    /// days booked ahead.
    fn is_lodging(&self) -> bool {
        self.mapping.contains_key(&Role::LeadDays)
            || self.mapping.get(&Role::EventAt).is_some_and(|cols| {
                cols.iter().any(|&c| {
                    let h = roles::normalize_header(&self.headers[c]);
                    ["arrival", "check in date", "checkin", "stay", "night"]
                        .iter()
                        .any(|w| h.contains(w))
                })
            })
    }

    /// Rows of a series file (rows carry their own event time) whose event time is blank or
    /// unreadable belong to no event: said, with how many and the first line, since no
    /// forecast counts them. A file without any event time is one event and loses nothing.
    fn undated_note(&self, rows: &Rows) -> Option<String> {
        let ev = rows.event_at.as_ref()?;
        let missing = ev.iter().filter(|&&t| t == crate::dataset::NO_TIME).count();
        if missing == 0 || missing == ev.len() {
            return None;
        }
        let first = ev.iter().position(|&t| t == crate::dataset::NO_TIME)?;
        let column = self.columns_of(Role::EventAt);
        Some(format!(
            "{missing} row{} (first on line {}) {} no event time in '{column}' (blank or \
             unreadable): {} to no event of the series, and no forecast counts {}",
            if missing == 1 { "" } else { "s" },
            rows.line.get(first).copied().unwrap_or(0),
            if missing == 1 { "has" } else { "have" },
            if missing == 1 {
                "it belongs"
            } else {
                "they belong"
            },
            if missing == 1 { "it" } else { "them" },
        ))
    }

    /// The header(s) a role was read from, joined ("Date + Time").
    fn columns_of(&self, role: Role) -> String {
        self.mapping
            .get(&role)
            .map(|cols| {
                cols.iter()
                    .map(|&c| self.headers[c].as_str())
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .unwrap_or_default()
    }

    /// Rows of a series file made on a later local day than their own event's (an
    /// appointment "scheduled" the day after it took place: a typing slip, or a booking
    /// entered afterwards). Said, since the forecast counts them only when they say the person
    /// came (registered at the door), and leaves the rest out of that event.
    fn after_event_note(&self, rows: &Rows, tz: &jiff::tz::TimeZone) -> Option<String> {
        use crate::dataset::NO_TIME;
        use crate::timefmt::local_day;
        let ev = rows.event_at.as_ref()?;
        let after = |i: usize| {
            let (t, e) = (rows.registered_at[i], ev[i]);
            t != NO_TIME && e != NO_TIME && t > e && local_day(t, tz) > local_day(e, tz)
        };
        let mut hits = (0..rows.len()).filter(|&i| after(i));
        let first = hits.next()?;
        let n = 1 + hits.count();
        Some(format!(
            "{n} row{} (first on line {}) {} made on a later day than {} event ('{}' after \
             '{}'): counted with {} event only if {} say{} the person came",
            if n == 1 { "" } else { "s" },
            rows.line[first],
            if n == 1 { "was" } else { "were" },
            if n == 1 { "its" } else { "their" },
            self.columns_of(Role::RegisteredAt),
            self.columns_of(Role::EventAt),
            if n == 1 { "its" } else { "their" },
            if n == 1 { "it" } else { "they" },
            if n == 1 { "s" } else { "" },
        ))
    }

    /// A group column whose values are written more than one way ("CENTRO", "Centro"): they
    /// are one group (`dataset::events::GroupSpellings`), said with the spellings.
    fn spellings_note(&self, rows: &Rows) -> Option<String> {
        rows.event_at.as_ref()?;
        let column = rows.text(Role::Group)?;
        let merged =
            crate::dataset::events::GroupSpellings::of_columns(std::iter::once(column)).merged();
        if merged.is_empty() {
            return None;
        }
        let quote = |v: &str| format!("'{v}'");
        let shown: Vec<String> = merged
            .iter()
            .take(3)
            .map(|(name, others)| {
                let others: Vec<String> = others.iter().map(|o| quote(o)).collect();
                format!("{} also as {}", quote(name), others.join(", "))
            })
            .collect();
        Some(format!(
            "'{}' writes {} group{} more than one way ({}{}): each is one group, named as most \
             of its rows write it",
            self.columns_of(Role::Group),
            merged.len(),
            if merged.len() == 1 { "" } else { "s" },
            shown.join("; "),
            if merged.len() > 3 { "; …" } else { "" },
        ))
    }

    fn converter_time_format(&self) -> TimeFormat {
        self.converter.time_format().clone()
    }

    fn finish(
        self,
        path: &Path,
        size: u64,
        mut chunk: convert::ChunkOut,
        mut detected: Detected,
        opts: &ImportOptions,
    ) -> Imported {
        let tz = opts.zone();
        let decision = finalize::resolve_times(&mut chunk, &tz, &opts.time_format);
        finalize::reject_far_from_event(&mut chunk, &tz);
        let not_yet = finalize::settle_presumed(&mut chunk.rows, &tz);
        let lodging = self.is_lodging();
        let kept_came = finalize::presume_kept_came(&mut chunk.rows, &tz, opts.kept_came, lodging);
        let merged_rows = if self
            .headers
            .iter()
            .any(|h| roles::normalize_header(h) == "join time")
        {
            finalize::merge_repeat_joins(&mut chunk.rows)
        } else {
            0
        };
        chunk.rows.shrink_to_fit();
        chunk.rejected.sort_by_key(|r| r.line);
        detected.date_format = self.date_format(decision.day_first);
        detected.date_order = self
            .mapping
            .contains_key(&Role::RegisteredAt)
            .then_some(decision.reason);
        detected.time_zone = tz.iana_name().unwrap_or("fixed offset").to_string();
        let mut warnings = Vec::new();
        let from_lead_days =
            self.mapping.contains_key(&Role::EventAt) && self.mapping.contains_key(&Role::LeadDays);
        if !self.mapping.contains_key(&Role::RegisteredAt) && !from_lead_days {
            warnings.push(
                "no registration-time column: rows are counted but cannot be placed in time"
                    .to_string(),
            );
        }
        if decision.reason == OrderReason::Assumed {
            warnings.push(
                "every date fits both day/month and month/day; read as month/day (US). Use \
                 --date-format dmy if that is wrong"
                    .to_string(),
            );
        }
        let (gaps, folds) = chunk.dst;
        if gaps > 0 {
            warnings.push(format!(
                "{gaps} registration time{} fall in the hour skipped when clocks went forward \
                 ({}): read as after the change",
                if gaps == 1 { "" } else { "s" },
                tz.iana_name().unwrap_or("the file's zone")
            ));
        }
        if folds > 0 {
            warnings.push(format!(
                "{folds} registration time{} fall in the hour that happened twice when clocks \
                 went back ({}): read as the first of the two",
                if folds == 1 { "" } else { "s" },
                tz.iana_name().unwrap_or("the file's zone")
            ));
        }
        warnings.extend(not_yet.note());
        warnings.extend(kept_came.and_then(|k| k.note()));
        if merged_rows > 0 {
            warnings.push(format!(
                "{merged_rows} repeat rows (one per extra join of the same registrant) were folded \
                 into their registration"
            ));
        }
        warnings.extend(self.undated_note(&chunk.rows));
        warnings.extend(self.after_event_note(&chunk.rows, &tz));
        warnings.extend(self.spellings_note(&chunk.rows));
        if let Some(g) = &self.group_missing {
            warnings.push(format!(
                "no column named '{g}' to split events by (--by): the file has no event time \
                 either, so it is one event"
            ));
        }
        let mapping = self
            .mapping
            .iter()
            .map(|(role, cols)| MappedRole {
                role: *role,
                headers: cols.iter().map(|&c| self.headers[c].clone()).collect(),
                columns: cols.clone(),
                chosen: self.chosen.contains(role),
                negated: *role == Role::CheckedIn && cols.iter().any(|c| self.negated.contains(c)),
            })
            .collect();
        // A hotel's row books a room (or as many as a rooms column says); unless the log
        // counts the guests, what is counted is bookings.
        let counts_guests = [Role::Quantity, Role::Guests].iter().any(|r| {
            self.mapping.get(r).is_some_and(|cols| {
                cols.iter().any(|&c| {
                    let h = roles::normalize_header(&self.headers[c]);
                    [
                        "adult", "guest", "person", "people", "visitor", "pax", "party",
                    ]
                    .iter()
                    .any(|w| h.contains(w))
                })
            })
        });
        let counts = if lodging && !counts_guests {
            crate::dataset::Unit::Bookings
        } else {
            crate::dataset::Unit::People
        };
        let group_hint =
            roles::group_hint(&self.headers, &self.mapping).map(|c| self.headers[c].clone());
        let report = ImportReport {
            path: path.to_path_buf(),
            file_bytes: size,
            detected,
            group_hint,
            headers: self.headers,
            mapping,
            rows_read: chunk.rows_read,
            rows_loaded: chunk.rows.len() as u64,
            rejected_count: chunk.rejected_count,
            rejected: chunk.rejected,
            value_issues: chunk.issues,
            merged_rows,
            kept_came,
            counts,
            warnings,
            samples: self
                .samples
                .iter()
                .map(|col| {
                    col.iter()
                        .filter(|v| !v.trim().is_empty())
                        .take(5)
                        .cloned()
                        .collect()
                })
                .collect(),
        };
        Imported {
            rows: chunk.rows,
            report,
        }
    }
}

/// Reads one export as a [`Table`](crate::dataset::Table) of the given edition, labelled with the file's name.
/// A past edition without a known start gets one inferred from its check-in times.
pub fn load_table(
    path: &Path,
    edition: crate::dataset::Edition,
    opts: &ImportOptions,
) -> Result<crate::dataset::Table, ImportError> {
    use crate::dataset::Edition;
    let mut imported = import_file(path, opts)?;
    let edition = match edition {
        Edition::Past { event_start: None } => {
            let inferred = infer_event_start(&imported.rows);
            imported.report.warnings.push(match inferred {
                Some(t) => format!(
                    "event start inferred from check-in times: {} (give FILE@START to set it)",
                    crate::timefmt::rfc3339(t)
                ),
                None => "event start unknown: no check-in times (give FILE@START)".to_string(),
            });
            Edition::Past {
                event_start: inferred,
            }
        }
        e => e,
    };
    let label = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok(crate::dataset::Table {
        label,
        edition,
        rows: imported.rows,
        report: imported.report,
    })
}

/// The hour in which the earliest 2% of check-ins had happened: doors opening.
fn infer_event_start(rows: &Rows) -> Option<i64> {
    let mut times: Vec<i64> = rows
        .checked_in
        .as_ref()?
        .iter()
        .copied()
        .filter(|&t| t != crate::dataset::NO_TIME && t != crate::dataset::CHECKED_IN_UNKNOWN_TIME)
        .collect();
    if times.is_empty() {
        return None;
    }
    let k = times.len() / 50;
    let (_, t, _) = times.select_nth_unstable(k);
    Some(t.div_euclid(3600) * 3600)
}
