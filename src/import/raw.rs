//! Reading a file's original cells again, for exports that carry every original column (the
//! flagged rows with their scores). Uses what the import detected, so the cells are exactly
//! those of the rows that were loaded.

use std::io::Cursor;
use std::path::Path;

use calamine::{Reader, open_workbook_auto_from_rs};
use rustc_hash::FxHashSet;

use super::{ImportError, ImportReport};

/// The original cells of the rows on `lines`, in file order, as (line, cells).
pub fn read_rows(
    path: &Path,
    report: &ImportReport,
    lines: &FxHashSet<u32>,
) -> Result<Vec<(u32, Vec<String>)>, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let d = &report.detected;
    if let Some(sheet) = &d.sheet {
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
            ImportError::Spreadsheet {
                path: path.to_path_buf(),
                message: e.to_string(),
            }
        })?;
        let range = book
            .worksheet_range(sheet)
            .map_err(|e| ImportError::Spreadsheet {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        return Ok(range
            .rows()
            .enumerate()
            .filter(|(i, _)| lines.contains(&(*i as u32 + 1)))
            .map(|(i, r)| (i as u32 + 1, r.iter().map(|c| c.to_string()).collect()))
            .collect());
    }
    let text: Vec<u8> = match d.encoding.as_str() {
        "UTF-8" => bytes,
        "UTF-8 with BOM" => bytes[3.min(bytes.len())..].to_vec(),
        other => match encoding_rs::Encoding::for_label(other.as_bytes()) {
            Some(enc) => super::source::decode(&bytes, enc).into_bytes(),
            None => bytes,
        },
    };
    let delimiter = match d.delimiter.as_deref() {
        Some("tab") => b'\t',
        Some(s) if s.len() == 1 => s.as_bytes()[0],
        _ => b',',
    };
    let mut rdr = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut out_buf = vec![0u8; 64 * 1024];
    let mut ends = vec![0usize; 256];
    let (mut pos, mut nout, mut nend) = (0usize, 0usize, 0usize);
    let leading = |b: &[u8]| {
        b.iter()
            .take_while(|&&c| c == b'\n' || c == b'\r')
            .filter(|&&c| c == b'\n')
            .count() as u32
    };
    let mut record_line = 1 + leading(&text);
    let mut found = Vec::new();
    loop {
        let (res, nin, o, e) =
            rdr.read_record(&text[pos..], &mut out_buf[nout..], &mut ends[nend..]);
        pos += nin;
        nout += o;
        nend += e;
        match res {
            csv_core::ReadRecordResult::InputEmpty => {}
            csv_core::ReadRecordResult::OutputFull => out_buf.resize(out_buf.len() * 2, 0),
            csv_core::ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            csv_core::ReadRecordResult::Record => {
                if lines.contains(&record_line) {
                    let mut cells = Vec::with_capacity(nend);
                    let mut prev = 0;
                    for &end in &ends[..nend] {
                        cells.push(String::from_utf8_lossy(&out_buf[prev..end]).into_owned());
                        prev = end;
                    }
                    found.push((record_line, cells));
                }
                nout = 0;
                nend = 0;
                record_line = rdr.line() as u32 + leading(&text[pos..]);
            }
            csv_core::ReadRecordResult::End => break,
        }
    }
    Ok(found)
}
