//! Reading a file's original cells again, for exports that carry every original column (the
//! flagged rows with their scores). Uses what the import detected, so the cells are exactly
//! those of the rows that were loaded. The file is streamed: memory stays at one buffer
//! whatever its size.

use std::io::Read;
use std::path::Path;

use rustc_hash::FxHashSet;

use super::{ImportError, ImportReport, MAX_SHEET_BYTES};

const BUF: usize = 1 << 20;

/// Calls `found(line, cells)` for the rows on `lines`, in file order.
pub fn for_rows(
    path: &Path,
    report: &ImportReport,
    lines: &FxHashSet<u32>,
    found: &mut dyn FnMut(u32, &[String]),
) -> Result<(), ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let d = &report.detected;
    if let Some(sheet) = &d.sheet {
        let bytes = crate::fsutil::read_regular(path, MAX_SHEET_BYTES).map_err(|message| {
            ImportError::Spreadsheet {
                path: path.to_path_buf(),
                message,
            }
        })?;
        return super::sheet::sheet_rows_on_lines(path, bytes, sheet, lines, found);
    }
    let file = crate::fsutil::open_regular(path).map_err(|e| match e {
        crate::fsutil::OpenError::NotAFile(what) => ImportError::NotAFile {
            path: path.to_path_buf(),
            what,
        },
        crate::fsutil::OpenError::Io(source) => io(source),
    })?;
    let mut text = Decoded::new(file, d.encoding.as_str());
    let delimiter = match d.delimiter.as_deref() {
        Some("tab") => b'\t',
        Some(s) if s.len() == 1 => s.as_bytes()[0],
        _ => b',',
    };
    let mut rdr = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut out_buf = vec![0u8; 64 * 1024];
    let mut ends = vec![0usize; 256];
    let (mut nout, mut nend) = (0usize, 0usize);
    let mut cells: Vec<String> = Vec::new();
    text.fill_past_newlines().map_err(io)?;
    let mut record_line = 1 + leading_newlines(text.rest());
    loop {
        // csv-core reads an empty input as the end of the file.
        while text.rest().is_empty() && !text.eof {
            text.refill().map_err(io)?;
        }
        let input = text.rest();
        let (res, nin, o, e) = rdr.read_record(input, &mut out_buf[nout..], &mut ends[nend..]);
        text.pos += nin;
        nout += o;
        nend += e;
        match res {
            csv_core::ReadRecordResult::InputEmpty => {}
            csv_core::ReadRecordResult::OutputFull => out_buf.resize(out_buf.len() * 2, 0),
            csv_core::ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            csv_core::ReadRecordResult::Record => {
                if lines.contains(&record_line) {
                    cells.clear();
                    let mut prev = 0;
                    for &end in &ends[..nend] {
                        cells.push(String::from_utf8_lossy(&out_buf[prev..end]).into_owned());
                        prev = end;
                    }
                    found(record_line, &cells);
                }
                nout = 0;
                nend = 0;
                text.fill_past_newlines().map_err(io)?;
                record_line = rdr.line() as u32 + leading_newlines(text.rest());
            }
            csv_core::ReadRecordResult::End => break,
        }
    }
    Ok(())
}

fn leading_newlines(b: &[u8]) -> u32 {
    b.iter()
        .take_while(|&&c| c == b'\n' || c == b'\r')
        .filter(|&&c| c == b'\n')
        .count() as u32
}

/// The file's text as UTF-8, decoded from its detected encoding a buffer at a time.
struct Decoded<R: Read> {
    input: R,
    decoder: Option<encoding_rs::Decoder>,
    raw: Vec<u8>,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    started: bool,
    skip_bom: bool,
}

impl<R: Read> Decoded<R> {
    fn new(input: R, encoding: &str) -> Decoded<R> {
        let (decoder, skip_bom) = match encoding {
            "UTF-8" => (None, false),
            "UTF-8 with BOM" => (None, true),
            other => (
                encoding_rs::Encoding::for_label(other.as_bytes())
                    .map(|e| e.new_decoder_with_bom_removal()),
                false,
            ),
        };
        Decoded {
            input,
            decoder,
            raw: vec![0u8; BUF],
            buf: Vec::with_capacity(BUF * 2),
            pos: 0,
            eof: false,
            started: false,
            skip_bom,
        }
    }

    fn rest(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Drops what was consumed and reads the next piece of the file.
    fn refill(&mut self) -> std::io::Result<()> {
        self.buf.drain(..self.pos);
        self.pos = 0;
        if self.eof {
            return Ok(());
        }
        let n = self.input.read(&mut self.raw)?;
        let mut raw = &self.raw[..n];
        if !self.started && self.skip_bom {
            raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
        }
        self.started = true;
        self.eof = n == 0;
        match &mut self.decoder {
            None => self.buf.extend_from_slice(raw),
            Some(d) => {
                let mut s = String::with_capacity(
                    d.max_utf8_buffer_length(raw.len()).unwrap_or(raw.len() * 3),
                );
                let _ = d.decode_to_string(raw, &mut s, self.eof);
                self.buf.extend_from_slice(s.as_bytes());
            }
        }
        Ok(())
    }

    /// Makes sure the text after the current position holds more than newlines, or all that
    /// is left, so the line of the next record can be told.
    fn fill_past_newlines(&mut self) -> std::io::Result<()> {
        while !self.eof && self.rest().iter().all(|&b| b == b'\n' || b == b'\r') {
            self.refill()?;
        }
        Ok(())
    }
}
