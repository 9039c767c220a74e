//! Spreadsheets (XLSX, XLS, ODS), read as streams of cells within limits set by the file's
//! size, so that no workbook can make Turnout allocate more than its data justifies.
//!
//! A spreadsheet is a compressed or binary container whose declared sizes are not to be
//! trusted: a 1.6 KB file can declare a cell at `XFD1048576` (17 billion cells if the range is
//! materialized), a shared-string table of a trillion entries, or unpack to gigabytes. So the
//! readers here never size anything by what the file declares:
//!
//! - zip containers are unpacked once up front, counting the bytes each part really expands to,
//!   and refused past [`Limits::unpacked`] ([`zipped`]);
//! - cells are streamed in row order into an [`Assembler`] that builds one row at a time, keeps
//!   at most [`MAX_COLUMNS`] columns, cuts cells at Excel's own 32,767-character limit and counts
//!   every character produced against [`Limits::text`] (a shared string referenced a million
//!   times counts a million times);
//! - nothing is allocated from a count the file declares (`uniqueCount`, `DIMENSIONS`,
//!   `number-rows-repeated`).
//!
//! Every refusal names the part, the figure and the limit. The readers themselves are in
//! [`xlsx`], [`ods`] and [`xls`]; this module picks the sheet that looks most like
//! registrations (or the chosen one), finds its header as in delimited files and feeds rows to
//! the converter in blocks.

mod ods;
mod xls;
mod xlsx;
mod zipped;

use std::path::Path;

use rayon::prelude::*;

use super::convert::ChunkOut;
use super::sniff::{HeadRecord, find_header};
use super::timestamp::{days_from_civil, stamp_from_wall_seconds};
use super::{Detected, ImportError, ImportOptions, Imported, Plan, roles};

/// Excel's own limit on the characters in one cell; longer cells are cut.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Columns kept per row. Registration exports have tens of columns, Google Forms a few hundred.
pub const MAX_COLUMNS: u32 = 4_096;
/// Copies of one repeated non-empty row (ODS `number-rows-repeated`) that are read.
pub const MAX_ROW_REPEAT: u32 = 1_000;
/// Rows read from the top of each sheet to find the header and sample values.
const HEAD_ROWS: usize = 600;
/// Text held in one block of rows waiting to be converted.
const BLOCK_BYTES: usize = 16 << 20;

/// Bounds on what one workbook may expand to, derived from the file's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub file_bytes: u64,
    /// Bytes all parts of a zip container may unpack to together: 50× the file, at least
    /// 100 MB (real workbooks compress 5–20×).
    pub unpacked: u64,
    /// Characters (UTF-8 bytes) all cells together may expand to: 16× the file, at least 256 MB.
    pub text: u64,
    /// Entries of a shared-string table: a quarter of the file's bytes, at least 8 million.
    pub shared_strings: u64,
}

impl Limits {
    pub fn for_file(bytes: u64) -> Limits {
        Limits {
            file_bytes: bytes,
            unpacked: bytes.saturating_mul(50).max(100 << 20),
            text: bytes.saturating_mul(16).max(256 << 20),
            shared_strings: (bytes / 4).max(8_000_000),
        }
    }
}

/// Why a workbook could not be read: a sentence that names the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError(pub String);

impl std::fmt::Display for SheetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl SheetError {
    pub fn new(message: impl Into<String>) -> SheetError {
        SheetError(message.into())
    }
}

/// Megabytes for messages: `1,536 MB`.
pub(crate) fn mb(bytes: u64) -> String {
    format!("{} MB", crate::report::thousands(bytes.div_ceil(1 << 20)))
}

/// Turns cells arriving in row order into whole rows, within the limits. Readers call
/// [`Assembler::cell`] for every non-empty cell; rows are handed to `emit`, which returns
/// `false` to stop reading.
pub struct Assembler<'a> {
    limits: Limits,
    width: usize,
    text_used: u64,
    row: u32,
    has_row: bool,
    cells: Vec<String>,
    used: usize,
    stopped: bool,
    /// Cells longer than [`MAX_CELL_CHARS`] that were cut.
    pub cut_cells: u64,
    /// Whether cells beyond the kept columns were seen.
    pub dropped_columns: bool,
    /// Rows repeated more than [`MAX_ROW_REPEAT`] times, as (row, times).
    pub capped_repeats: Vec<(u32, u32)>,
    emit: &'a mut dyn FnMut(u32, &[String]) -> bool,
}

impl<'a> Assembler<'a> {
    pub fn new(
        limits: Limits,
        width: u32,
        emit: &'a mut dyn FnMut(u32, &[String]) -> bool,
    ) -> Assembler<'a> {
        Assembler {
            limits,
            width: width.min(MAX_COLUMNS) as usize,
            text_used: 0,
            row: 0,
            has_row: false,
            cells: Vec::new(),
            used: 0,
            stopped: false,
            cut_cells: 0,
            dropped_columns: false,
            capped_repeats: Vec::new(),
            emit,
        }
    }

    /// Whether the consumer wants no more rows.
    pub fn done(&self) -> bool {
        self.stopped
    }

    /// One cell (0-based row and column). Empty text is ignored. A row index different from
    /// the previous cell's starts a new row.
    pub fn cell(&mut self, row: u32, col: u32, text: &str) -> Result<(), SheetError> {
        if self.stopped || text.is_empty() {
            return Ok(());
        }
        if !self.has_row || row != self.row {
            self.flush();
            self.row = row;
            self.has_row = true;
        }
        let col = col as usize;
        if col >= self.width {
            self.dropped_columns = true;
            return Ok(());
        }
        let text = if text.len() > MAX_CELL_CHARS {
            let cut = cell_cut(text);
            if cut < text.len() {
                self.cut_cells += 1;
            }
            &text[..cut]
        } else {
            text
        };
        self.text_used += text.len() as u64;
        if self.text_used > self.limits.text {
            return Err(SheetError(format!(
                "its cells expand to more than {} of text from a {} file (the limit, 16 times \
                 the file and at least 256 MB); it looks built to exhaust memory, not exported \
                 by a spreadsheet program",
                mb(self.limits.text),
                mb(self.limits.file_bytes),
            )));
        }
        if self.cells.len() <= col {
            self.cells.resize(col + 1, String::new());
        }
        let c = &mut self.cells[col];
        c.clear();
        c.push_str(text);
        self.used = self.used.max(col + 1);
        Ok(())
    }

    /// Ends the current row and hands it on, followed by `extra` copies as the rows after it
    /// (a repeated row); copies beyond [`MAX_ROW_REPEAT`] are not read and are reported.
    pub fn end_row_repeated(&mut self, extra: u32) -> Result<(), SheetError> {
        if !self.has_row || self.used == 0 || extra == 0 {
            self.flush();
            return Ok(());
        }
        let row = self.row;
        let copies = extra.min(MAX_ROW_REPEAT);
        if copies < extra {
            self.capped_repeats.push((row, extra + 1));
        }
        let bytes: u64 = self.cells[..self.used].iter().map(|c| c.len() as u64).sum();
        for k in 0..=copies {
            if k > 0 {
                self.text_used += bytes;
                if self.text_used > self.limits.text {
                    return Err(SheetError(format!(
                        "its repeated rows expand to more than {} of text from a {} file",
                        mb(self.limits.text),
                        mb(self.limits.file_bytes)
                    )));
                }
            }
            if self.stopped {
                break;
            }
            if !(self.emit)(row.saturating_add(k), &self.cells[..self.used]) {
                self.stopped = true;
            }
        }
        for c in &mut self.cells[..self.used] {
            c.clear();
        }
        self.used = 0;
        self.has_row = false;
        Ok(())
    }

    /// Hands on the last row.
    pub fn finish(&mut self) {
        self.flush();
    }

    fn flush(&mut self) {
        if self.has_row && self.used > 0 && !self.stopped {
            let used = self.used;
            if !(self.emit)(self.row, &self.cells[..used]) {
                self.stopped = true;
            }
        }
        for c in &mut self.cells[..self.used] {
            c.clear();
        }
        self.used = 0;
        self.has_row = false;
    }
}

/// Byte length of the first [`MAX_CELL_CHARS`] characters of `text`.
fn cell_cut(text: &str) -> usize {
    if text.as_bytes()[..MAX_CELL_CHARS].is_ascii() {
        return MAX_CELL_CHARS;
    }
    text.char_indices()
        .nth(MAX_CELL_CHARS)
        .map_or(text.len(), |(i, _)| i)
}

/// An Excel serial day number as the text the CSV path would have seen: an ISO wall time, or
/// only the time of day for values under one day. `is_1904` says the workbook counts days
/// from 1904-01-01 (Excel for Mac before 2011) instead of 1899-12-30.
pub fn excel_serial_text(serial: f64, is_1904: bool) -> String {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return number_text(serial);
    }
    let secs_in_day = ((serial.fract()) * 86_400.0).round() as i64;
    if serial < 1.0 {
        let s = secs_in_day.min(86_399);
        return format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    }
    let base = if is_1904 {
        days_from_civil(1904, 1, 1)
    } else {
        days_from_civil(1899, 12, 30)
    };
    let secs = (base + serial.floor() as i64) * 86_400 + secs_in_day;
    match stamp_from_wall_seconds(secs) {
        Some(s) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            s.year, s.a, s.b, s.hour, s.minute, s.second
        ),
        None => number_text(serial),
    }
}

/// A number as the CSV path would have seen it: whole numbers without a decimal point.
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Whether an Excel number format shows a date or time: built-in ids 14–22, 27–36, 45–47 and
/// 50–58, or a custom code with day, month, year, hour or second letters outside quotes,
/// escapes and `[…]` tokens (other than elapsed-time `[h]`).
pub fn is_date_format(id: u32, code: Option<&str>) -> bool {
    if matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58) {
        return true;
    }
    let Some(code) = code else { return false };
    // Only the first section (positive numbers) decides.
    let mut chars = code.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            ';' => break,
            '[' => {
                let mut token = String::new();
                for t in chars.by_ref() {
                    if t == ']' {
                        break;
                    }
                    token.push(t);
                }
                let t = token.to_ascii_lowercase();
                if matches!(t.as_str(), "h" | "hh" | "m" | "mm" | "s" | "ss") {
                    return true;
                }
            }
            'd' | 'D' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' | 'm' | 'M' | 'e' => return true,
            _ => {}
        }
    }
    false
}

/// An open workbook in one of the formats Turnout reads.
enum Book {
    Xlsx(xlsx::Book),
    Ods(ods::Book),
    Xls(xls::Book),
}

impl Book {
    fn open(bytes: Vec<u8>, limits: Limits) -> Result<Book, SheetError> {
        if bytes.starts_with(b"PK") {
            let mut archive = zipped::Archive::open(bytes, limits)?;
            match archive.kind() {
                zipped::Kind::Xlsx => Ok(Book::Xlsx(xlsx::Book::open(archive, limits)?)),
                zipped::Kind::Ods => Ok(Book::Ods(ods::Book::open(archive, limits)?)),
                zipped::Kind::Other(what) => Err(SheetError(what)),
            }
        } else {
            Ok(Book::Xls(xls::Book::open(&bytes, limits)?))
        }
    }

    fn format(&self) -> &'static str {
        match self {
            Book::Xlsx(_) => "xlsx",
            Book::Ods(_) => "ods",
            Book::Xls(_) => "xls",
        }
    }

    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
        }
    }

    /// Streams the cells of sheet `index` in row order into `out`.
    fn read(&mut self, index: usize, out: &mut Assembler) -> Result<(), SheetError> {
        match self {
            Book::Xlsx(b) => b.read(index, out),
            Book::Ods(b) => b.read(index, out),
            Book::Xls(b) => b.read(index, out),
        }?;
        out.finish();
        Ok(())
    }

    fn is_1904(&self) -> bool {
        match self {
            Book::Xlsx(b) => b.is_1904,
            Book::Ods(_) => false,
            Book::Xls(b) => b.is_1904,
        }
    }
}

/// Rows as (0-based row, cells).
pub type SheetRows = Vec<(u32, Vec<String>)>;

/// The first [`HEAD_ROWS`] non-empty rows of a sheet, and whether cells beyond the kept
/// columns were seen.
fn head_rows(
    book: &mut Book,
    index: usize,
    limits: Limits,
) -> Result<(SheetRows, bool), SheetError> {
    let mut rows: SheetRows = Vec::new();
    let mut emit = |row: u32, cells: &[String]| {
        let mut cells = cells.to_vec();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        rows.push((row, cells));
        rows.len() < HEAD_ROWS
    };
    let mut asm = Assembler::new(limits, MAX_COLUMNS, &mut emit);
    book.read(index, &mut asm)?;
    let dropped = asm.dropped_columns;
    drop(asm);
    Ok((rows, dropped))
}

/// A sheet reader's error, naming the file.
fn sheet_error(path: &Path) -> impl Fn(SheetError) -> ImportError + '_ {
    move |e| ImportError::Spreadsheet {
        path: path.to_path_buf(),
        message: e.0,
    }
}

/// A workbook opened with the limits for its size.
fn open_book(path: &Path, bytes: Vec<u8>) -> Result<(Book, Limits), ImportError> {
    let limits = Limits::for_file(bytes.len() as u64);
    let book = Book::open(bytes, limits).map_err(sheet_error(path))?;
    Ok((book, limits))
}

/// One workbook's rows, converted in parallel blocks bounded by cell count.
pub fn import_sheet(
    path: &Path,
    bytes: Vec<u8>,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let size = bytes.len() as u64;
    let fail = sheet_error(path);
    let (mut book, limits) = open_book(path, bytes)?;
    let format = book.format();
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(fail(SheetError::new("the workbook has no sheets")));
    }
    let candidates: Vec<usize> = match &opts.sheet {
        Some(wanted) => vec![
            names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(wanted.trim()))
                .ok_or_else(|| ImportError::NoSuchSheet {
                    path: path.to_path_buf(),
                    sheet: wanted.clone(),
                    sheets: names.join(", "),
                })?,
        ],
        None => (0..names.len()).collect(),
    };
    // The sheet whose best header row names the most roles.
    let mut best: Option<(u32, usize, SheetRows)> = None;
    let mut problems: Vec<String> = Vec::new();
    let mut far_cells = false;
    for index in candidates {
        let head = match head_rows(&mut book, index, limits) {
            Ok((h, dropped)) => {
                far_cells |= dropped;
                h
            }
            Err(e) => {
                problems.push(format!("sheet '{}': {e}", names[index]));
                continue;
            }
        };
        if head.is_empty() {
            continue;
        }
        let score = head
            .iter()
            .take(80)
            .map(|(_, r)| roles::header_score(r))
            .max()
            .unwrap_or(0);
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, index, head));
        }
    }
    let Some((_, index, head)) = best else {
        let message = if problems.is_empty() {
            format!(
                "every sheet is empty (sheets: {}){}",
                names
                    .iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if far_cells {
                    format!(
                        "; cells beyond column {} are not read",
                        crate::report::thousands(MAX_COLUMNS as u64)
                    )
                } else {
                    String::new()
                }
            )
        } else {
            problems.join("; ")
        };
        return Err(fail(SheetError(message)));
    };
    let name = names[index].clone();
    let records: Vec<HeadRecord> = head
        .iter()
        .take(100)
        .enumerate()
        .map(|(i, (_, cells))| HeadRecord {
            start: i,
            end: i + 1,
            cells: cells.clone(),
        })
        .collect();
    let choice = find_header(&records);
    let header_row = head[choice.index].0;
    let (headers, data_from) = if choice.has_header {
        (head[choice.index].1.clone(), choice.index + 1)
    } else {
        let n = head[choice.index].1.len();
        (
            (1..=n).map(|i| format!("Column {i}")).collect(),
            choice.index,
        )
    };
    let first_data_row = if choice.has_header {
        header_row + 1
    } else {
        header_row
    };
    let header_line = header_row + 1;
    let sample: Vec<&[String]> = head[data_from..]
        .iter()
        .take(500)
        .map(|(_, r)| r.as_slice())
        .collect();
    if sample.is_empty() {
        return Err(ImportError::HeaderOnly {
            path: path.to_path_buf(),
            header_line,
        });
    }
    let plan = Plan::new(path, headers, &sample, opts)?;
    let width = head
        .iter()
        .map(|(_, r)| r.len())
        .max()
        .unwrap_or(0)
        .max(plan.headers.len())
        .max(1) as u32;

    // Stream the chosen sheet again, converting blocks of rows in parallel.
    let conv = &plan.converter;
    let progress = opts.progress.as_deref();
    if let Some(p) = progress {
        p.add_bytes(size);
    }
    let block_rows = (4_000_000 / width as usize).clamp(64, 16_384);
    let mut chunk = conv.new_chunk(1024);
    let mut block: SheetRows = Vec::with_capacity(block_rows);
    let mut cancelled = false;
    let convert = |block: &mut SheetRows, chunk: &mut ChunkOut| {
        let parts: Vec<ChunkOut> = block
            .par_chunks(2_048)
            .map(|part| {
                let mut out = conv.new_chunk(part.len());
                for (line, cells) in part {
                    conv.push(cells.as_slice(), *line, &mut out);
                }
                out
            })
            .collect();
        for mut p in parts {
            chunk.append(&mut p);
        }
        block.clear();
    };
    // Blocks are also cut by the text they hold, so long cells cannot pile up.
    let mut block_bytes = 0usize;
    let mut emit = |row: u32, cells: &[String]| {
        if row < first_data_row {
            return true;
        }
        block_bytes += cells.iter().map(String::len).sum::<usize>();
        block.push((row.saturating_add(1), cells.to_vec()));
        if block.len() >= block_rows || block_bytes >= BLOCK_BYTES {
            block_bytes = 0;
            if let Some(p) = progress {
                p.add_rows(block.len() as u64);
                if p.is_cancelled() {
                    cancelled = true;
                    return false;
                }
            }
            convert(&mut block, &mut chunk);
        }
        true
    };
    let mut asm = Assembler::new(limits, width, &mut emit);
    let read = book.read(index, &mut asm);
    let (cut_cells, dropped_columns, capped) = (
        asm.cut_cells,
        asm.dropped_columns,
        std::mem::take(&mut asm.capped_repeats),
    );
    drop(asm);
    read.map_err(|e| fail(SheetError(format!("sheet '{name}': {e}"))))?;
    if cancelled {
        return Err(ImportError::Cancelled {
            path: path.to_path_buf(),
        });
    }
    if let Some(p) = progress {
        p.add_rows(block.len() as u64);
    }
    convert(&mut block, &mut chunk);

    let detected = Detected {
        kind: crate::import::FileContent::Registrations,
        format: format.to_string(),
        encoding: if book.is_1904() {
            "spreadsheet (1904 date system)".to_string()
        } else {
            "spreadsheet".to_string()
        },
        delimiter: None,
        header_line: if choice.has_header { header_line } else { 0 },
        date_format: None,
        date_order: None,
        time_zone: String::new(),
        sheet: Some(name),
    };
    let mut imported = plan.finish(path, size, chunk, detected, opts);
    let warnings = &mut imported.report.warnings;
    if book.is_1904() {
        warnings.push(
            "the workbook counts dates from 1904 (Excel for Mac); dates were read that way"
                .to_string(),
        );
    }
    if cut_cells > 0 {
        warnings.push(format!(
            "{cut_cells} cells were longer than Excel's limit of {MAX_CELL_CHARS} characters and \
             were cut"
        ));
    }
    if dropped_columns {
        warnings.push(format!(
            "cells beyond column {width} (the last one with a header) were ignored"
        ));
    }
    for (row, times) in capped {
        warnings.push(format!(
            "row {} is repeated {times} times in the file; only {MAX_ROW_REPEAT} copies were read",
            row + 1
        ));
    }
    Ok(imported)
}

/// The non-empty rows of a workbook's first sheet that has any, as (0-based row, cells), for
/// small side files such as headcounts: dates come as text, as in registration sheets. More
/// than `max_rows` rows is an error, not a silent cut.
pub fn sheet_table(path: &Path, bytes: Vec<u8>, max_rows: usize) -> Result<SheetRows, ImportError> {
    let fail = sheet_error(path);
    let (mut book, limits) = open_book(path, bytes)?;
    let names = book.sheet_names();
    let mut problem = None;
    for (index, name) in names.iter().enumerate() {
        let mut rows: SheetRows = Vec::new();
        let mut too_many = false;
        let mut emit = |row: u32, cells: &[String]| {
            let mut cells = cells.to_vec();
            while cells.last().is_some_and(|c| c.trim().is_empty()) {
                cells.pop();
            }
            if cells.is_empty() {
                return true;
            }
            if rows.len() >= max_rows {
                too_many = true;
                return false;
            }
            rows.push((row, cells));
            true
        };
        let mut asm = Assembler::new(limits, MAX_COLUMNS, &mut emit);
        let read = book.read(index, &mut asm);
        drop(asm);
        if let Err(e) = read {
            problem.get_or_insert_with(|| format!("sheet '{name}': {e}"));
            continue;
        }
        if too_many {
            return Err(fail(SheetError::new(format!(
                "sheet '{name}' has more than {max_rows} rows"
            ))));
        }
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    match problem {
        Some(p) => Err(fail(SheetError::new(p))),
        None => Err(ImportError::Empty {
            path: path.to_path_buf(),
        }),
    }
}

/// The cells of the rows on `lines` of a sheet, for exports that carry every original column.
pub fn sheet_rows_on_lines(
    path: &Path,
    bytes: Vec<u8>,
    sheet: &str,
    lines: &rustc_hash::FxHashSet<u32>,
    found: &mut dyn FnMut(u32, &[String]),
) -> Result<(), ImportError> {
    let fail = sheet_error(path);
    let (mut book, limits) = open_book(path, bytes)?;
    let names = book.sheet_names();
    let index = names
        .iter()
        .position(|n| n == sheet)
        .ok_or_else(|| ImportError::NoSuchSheet {
            path: path.to_path_buf(),
            sheet: sheet.to_string(),
            sheets: names.join(", "),
        })?;
    let mut emit = |row: u32, cells: &[String]| {
        let line = row.saturating_add(1);
        if lines.contains(&line) {
            found(line, cells);
        }
        true
    };
    let mut asm = Assembler::new(limits, MAX_COLUMNS, &mut emit);
    book.read(index, &mut asm).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_in_both_date_systems() {
        // 2015-06-29 09:15:43 is serial 42184.38591 in the 1900 system and 1462 days less in
        // the 1904 system.
        let t = 42_184.0 + (9.0 * 3600.0 + 15.0 * 60.0 + 43.0) / 86_400.0;
        assert_eq!(excel_serial_text(t, false), "2015-06-29 09:15:43");
        assert_eq!(excel_serial_text(t - 1_462.0, true), "2015-06-29 09:15:43");
        assert_eq!(excel_serial_text(0.5, false), "12:00:00");
    }

    #[test]
    fn date_formats() {
        assert!(is_date_format(14, None));
        assert!(is_date_format(164, Some("yyyy-mm-dd hh:mm")));
        assert!(is_date_format(165, Some("[$-409]d-mmm-yy;@")));
        assert!(!is_date_format(166, Some("0.00")));
        assert!(!is_date_format(167, Some("#,##0 \"days\"")));
        assert!(!is_date_format(168, Some("[Red]0.00")));
        assert!(is_date_format(169, Some("[h]:mm:ss")));
    }

    #[test]
    fn the_assembler_bounds_text_and_columns() {
        let limits = Limits {
            text: 100,
            ..Limits::for_file(10)
        };
        let mut rows = Vec::new();
        let mut emit = |r: u32, c: &[String]| {
            rows.push((r, c.to_vec()));
            true
        };
        let mut asm = Assembler::new(limits, 3, &mut emit);
        asm.cell(0, 0, "a").unwrap();
        asm.cell(0, 2, "c").unwrap();
        asm.cell(0, 50, "far").unwrap();
        asm.cell(4, 1, "b").unwrap();
        assert!(asm.cell(5, 0, &"x".repeat(200)).is_err());
        assert!(asm.dropped_columns);
        drop(asm);
        assert_eq!(rows[0], (0, vec!["a".into(), String::new(), "c".into()]));
        assert_eq!(rows[1], (4, vec![String::new(), "b".into()]));
    }
}
