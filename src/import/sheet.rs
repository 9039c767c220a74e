//! Spreadsheets (XLSX, XLS, ODS) through calamine: the sheet that looks most like
//! registrations (or the chosen one), its header found as in delimited files.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Sheets};
use rayon::prelude::*;

use super::convert::ChunkOut;
use super::sniff::{HeadRecord, find_header};
use super::timestamp::{days_from_civil, stamp_from_wall_seconds};
use super::{Detected, ImportError, ImportOptions, Imported, Plan, roles};

/// A cell as the text the CSV path would have seen. Dates become ISO wall times.
fn cell_text(cell: &Data, is_1904: bool) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "true" } else { "false" }.to_string(),
        Data::DateTime(dt) => {
            let base = if is_1904 {
                days_from_civil(1904, 1, 1)
            } else {
                days_from_civil(1899, 12, 30)
            };
            let secs = ((base as f64 + dt.as_f64()) * 86_400.0).round() as i64;
            match stamp_from_wall_seconds(secs) {
                Some(s) => format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    s.year, s.a, s.b, s.hour, s.minute, s.second
                ),
                None => dt.as_f64().to_string(),
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn sheet_rows(
    book: &mut Sheets<Cursor<Vec<u8>>>,
    name: &str,
    path: &Path,
) -> Result<Vec<Vec<String>>, ImportError> {
    let range = book
        .worksheet_range(name)
        .map_err(|e| ImportError::Spreadsheet {
            path: path.to_path_buf(),
            message: format!("sheet '{name}': {e}"),
        })?;
    // calamine does not expose the 1904 flag for the automatic reader; such files are rare.
    let is_1904 = false;
    Ok(range
        .rows()
        .map(|r| r.iter().map(|c| cell_text(c, is_1904)).collect())
        .collect())
}

fn head_records(rows: &[Vec<String>]) -> Vec<HeadRecord> {
    rows.iter()
        .take(100)
        .enumerate()
        .map(|(i, cells)| HeadRecord {
            start: i,
            end: i + 1,
            cells: cells.clone(),
        })
        .collect()
}

pub fn import_sheet(
    path: &Path,
    bytes: Vec<u8>,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let size = bytes.len() as u64;
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        ImportError::Spreadsheet {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    })?;
    let format = match &book {
        Sheets::Xls(_) => "xls",
        Sheets::Xlsx(_) => "xlsx",
        Sheets::Xlsb(_) => "xlsb",
        Sheets::Ods(_) => "ods",
    };
    let names = book.sheet_names();
    let (name, rows) = match &opts.sheet {
        Some(wanted) => {
            let name = names
                .iter()
                .find(|n| n.eq_ignore_ascii_case(wanted))
                .cloned()
                .ok_or_else(|| ImportError::NoSuchSheet {
                    path: path.to_path_buf(),
                    sheet: wanted.clone(),
                    sheets: names.join(", "),
                })?;
            let rows = sheet_rows(&mut book, &name, path)?;
            (name, rows)
        }
        None => {
            // The sheet whose best header row names the most roles.
            let mut best: Option<(u32, String, Vec<Vec<String>>)> = None;
            for name in &names {
                let Ok(rows) = sheet_rows(&mut book, name, path) else {
                    continue;
                };
                let score = rows
                    .iter()
                    .take(80)
                    .map(|r| roles::header_score(r))
                    .max()
                    .unwrap_or(0);
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, name.clone(), rows));
                }
            }
            let (_, name, rows) = best.ok_or_else(|| ImportError::Empty {
                path: path.to_path_buf(),
            })?;
            (name, rows)
        }
    };
    let records = head_records(&rows);
    if records.iter().all(|r| r.cells.iter().all(|c| c.is_empty())) {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    let choice = find_header(&records);
    let (headers, data_from) = if choice.has_header {
        (rows[choice.index].clone(), choice.index + 1)
    } else {
        let n = rows[choice.index].len();
        (
            (1..=n).map(|i| format!("Column {i}")).collect(),
            choice.index,
        )
    };
    let header_line = choice.index as u32 + 1;
    let data = &rows[data_from..];
    if data.is_empty() {
        return Err(ImportError::HeaderOnly {
            path: path.to_path_buf(),
            header_line,
        });
    }
    let sample: Vec<&[String]> = data.iter().take(500).map(|r| r.as_slice()).collect();
    let plan = Plan::new(path, headers, &sample, opts)?;
    let conv = &plan.converter;
    let chunks: Vec<ChunkOut> = data
        .par_chunks(16_384)
        .enumerate()
        .map(|(k, block)| {
            let mut out = conv.new_chunk(block.len());
            for (i, row) in block.iter().enumerate() {
                if row.iter().all(|c| c.is_empty()) {
                    continue;
                }
                let line = (data_from + k * 16_384 + i + 1) as u32;
                conv.push(row.as_slice(), line, &mut out);
            }
            out
        })
        .collect();
    let mut chunk = conv.new_chunk(data.len());
    for mut c in chunks {
        chunk.append(&mut c);
    }
    let detected = Detected {
        format: format.to_string(),
        encoding: "spreadsheet".to_string(),
        delimiter: None,
        header_line: if choice.has_header { header_line } else { 0 },
        date_format: None,
        date_order: None,
        time_zone: String::new(),
        sheet: Some(name),
    };
    Ok(plan.finish(path, size, chunk, detected, opts))
}
