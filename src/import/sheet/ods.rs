//! OpenDocument spreadsheets (LibreOffice, Google Sheets' ODS download): `content.xml`
//! streamed table by table. Repeated rows and columns are never expanded into memory: empty
//! ones only move the position, non-empty ones are handed on as copies within the limits.

use std::io::BufReader;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::xlsx::push_ref;
use super::zipped::Archive;
use super::{Assembler, Limits, MAX_COLUMNS, SheetError, number_text};

pub struct Book {
    archive: Archive,
    names: Vec<String>,
}

const CONTENT: &str = "content.xml";
/// Bytes of one cell's text kept while reading (Excel's limit at up to four bytes a character).
const CELL_BYTES: usize = super::MAX_CELL_CHARS * 4;

fn xml_error(pos: u64, e: impl std::fmt::Display) -> SheetError {
    SheetError(format!(
        "part '{CONTENT}' is not well-formed XML near byte {pos}: {e}"
    ))
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().map_while(Result::ok).find_map(|a| {
        (a.key.local_name().as_ref() == local).then(|| {
            quick_xml::escape::unescape(&a.value)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
    })
}

fn repeat(e: &BytesStart, local: &str) -> u32 {
    attr(e, local)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

/// `PT09H15M43S` → `09:15:43`.
fn iso_duration_time(v: &str) -> Option<String> {
    let rest = v.trim().strip_prefix("PT")?;
    let (mut h, mut m, mut s) = (0u64, 0u64, 0f64);
    let mut num = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => num.push(c),
            'H' => h = num.parse().ok()?,
            'M' => m = num.parse().ok()?,
            'S' => s = num.parse().ok()?,
            _ => return None,
        }
        if c.is_ascii_alphabetic() {
            num.clear();
        }
    }
    Some(format!("{:02}:{:02}:{:02}", h % 24, m, s.round() as u64))
}

/// Whether a `table:table` element starts at this depth of nesting (tables inside cells are
/// part of their cell, not sheets).
fn is_table(e: &BytesStart) -> bool {
    e.local_name().as_ref() == "table" && e.name().as_ref().starts_with("table:")
        || e.name().as_ref() == "table"
}

impl Book {
    pub fn open(mut archive: Archive, _limits: Limits) -> Result<Book, SheetError> {
        let mut names = Vec::new();
        {
            let mut r = Reader::from_reader(BufReader::new(archive.part(CONTENT)?));
            let mut buf = Vec::new();
            let mut depth = 0usize;
            loop {
                buf.clear();
                match r
                    .read_event_into(&mut buf)
                    .map_err(|e| xml_error(r.buffer_position(), e))?
                {
                    Event::Start(e) if is_table(&e) => {
                        if depth == 0 {
                            names.push(
                                attr(&e, "name")
                                    .unwrap_or_else(|| format!("Sheet{}", names.len() + 1)),
                            );
                        }
                        depth += 1;
                    }
                    Event::Empty(e) if is_table(&e) && depth == 0 => {
                        names.push(
                            attr(&e, "name").unwrap_or_else(|| format!("Sheet{}", names.len() + 1)),
                        );
                    }
                    Event::End(e) if is_table_end(e.name().as_ref()) => {
                        depth = depth.saturating_sub(1)
                    }
                    Event::Eof => break,
                    _ => {}
                }
            }
        }
        Ok(Book { archive, names })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.names.clone()
    }

    pub fn read(&mut self, index: usize, out: &mut Assembler) -> Result<(), SheetError> {
        let mut r = Reader::from_reader(BufReader::new(self.archive.part(CONTENT)?));
        let mut buf = Vec::new();
        let mut tables_seen = 0usize;
        let mut depth = 0usize;
        let mut inside = false;
        let (mut row, mut col) = (0u32, 0u32);
        let mut row_repeat = 1u32;
        let mut row_has_cells = false;
        // The cell being read.
        let mut cell_value: Option<String> = None;
        let mut cell_repeat = 1u32;
        let mut text = String::new();
        let mut in_cell = false;
        let mut paragraphs = 0usize;
        let mut in_p = 0usize;
        let mut in_note = 0usize;
        loop {
            buf.clear();
            let event = r
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(r.buffer_position(), e))?;
            match event {
                Event::Eof => return Ok(()),
                Event::Start(e) if is_table(&e) => {
                    if depth == 0 {
                        inside = tables_seen == index;
                        tables_seen += 1;
                    }
                    depth += 1;
                }
                Event::End(e) if is_table_end(e.name().as_ref()) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 && inside {
                        return Ok(());
                    }
                }
                _ if !inside || depth != 1 && !in_cell => {}
                Event::Start(e) if e.local_name().as_ref() == "table-row" && !in_cell => {
                    row_repeat = repeat(&e, "number-rows-repeated");
                    row_has_cells = false;
                    col = 0;
                }
                Event::Empty(e) if e.local_name().as_ref() == "table-row" && !in_cell => {
                    row = row.saturating_add(repeat(&e, "number-rows-repeated"));
                }
                Event::End(e) if e.local_name().as_ref() == "table-row" && !in_cell => {
                    if row_has_cells {
                        out.end_row_repeated(row_repeat - 1)?;
                        if out.done() {
                            return Ok(());
                        }
                    }
                    row = row.saturating_add(row_repeat);
                }
                Event::Empty(e) if is_cell(&e) && !in_cell => {
                    let value = simple_value(&e);
                    let n = repeat(&e, "number-columns-repeated");
                    if let Some(v) = value {
                        emit_cells(out, row, col, n, &v)?;
                        row_has_cells = true;
                    }
                    col = col.saturating_add(n);
                }
                Event::Start(e) if is_cell(&e) && !in_cell => {
                    in_cell = true;
                    cell_value = simple_value(&e);
                    cell_repeat = repeat(&e, "number-columns-repeated");
                    text.clear();
                    paragraphs = 0;
                }
                Event::End(e) if is_cell_end(e.local_name().as_ref()) && in_cell => {
                    in_cell = false;
                    let value = cell_value
                        .take()
                        .unwrap_or_else(|| std::mem::take(&mut text));
                    if !value.is_empty() {
                        emit_cells(out, row, col, cell_repeat, &value)?;
                        row_has_cells = true;
                    }
                    col = col.saturating_add(cell_repeat);
                }
                Event::Start(e) if in_cell => match e.local_name().as_ref() {
                    "p" | "h" if in_note == 0 => {
                        if paragraphs > 0 {
                            text.push('\n');
                        }
                        paragraphs += 1;
                        in_p += 1;
                    }
                    "annotation" => in_note += 1,
                    _ => {}
                },
                Event::Empty(e) if in_cell && in_p > 0 && in_note == 0 => {
                    match e.local_name().as_ref() {
                        "s" => {
                            let n = repeat(&e, "c").min(1_000) as usize;
                            text.extend(std::iter::repeat_n(' ', n));
                        }
                        "tab" => text.push('\t'),
                        "line-break" => text.push('\n'),
                        _ => {}
                    }
                }
                Event::End(e) if in_cell => match e.local_name().as_ref() {
                    "p" | "h" if in_note == 0 => in_p = in_p.saturating_sub(1),
                    "annotation" => in_note = in_note.saturating_sub(1),
                    _ => {}
                },
                Event::Text(t)
                    if in_cell && in_p > 0 && in_note == 0 && text.len() <= CELL_BYTES =>
                {
                    text.push_str(&t.xml10_content());
                }
                Event::GeneralRef(g) if in_cell && in_p > 0 && in_note == 0 => {
                    push_ref(&g, &mut text)
                }
                _ => {}
            }
        }
    }
}

fn is_table_end(name: &str) -> bool {
    name == "table:table" || name == "table"
}

fn is_cell(e: &BytesStart) -> bool {
    is_cell_end(e.local_name().as_ref())
}

fn is_cell_end(local: &str) -> bool {
    local == "table-cell" || local == "covered-table-cell"
}

/// The value a cell carries in its attributes (numbers, dates, times, booleans); `None` for
/// strings, whose value is their text.
fn simple_value(e: &BytesStart) -> Option<String> {
    let ty = attr(e, "value-type")?;
    match ty.as_str() {
        "float" | "percentage" | "currency" => {
            let v = attr(e, "value")?;
            Some(v.trim().parse::<f64>().map_or(v.clone(), number_text))
        }
        "date" => attr(e, "date-value"),
        "time" => attr(e, "time-value").map(|v| iso_duration_time(&v).unwrap_or(v)),
        "boolean" => attr(e, "boolean-value"),
        _ => None,
    }
}

/// A cell repeated `n` times across columns (only as many as a row keeps).
fn emit_cells(
    out: &mut Assembler,
    row: u32,
    col: u32,
    n: u32,
    value: &str,
) -> Result<(), SheetError> {
    for k in 0..n.min(MAX_COLUMNS) {
        out.cell(row, col.saturating_add(k), value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(
            iso_duration_time("PT09H15M43S").as_deref(),
            Some("09:15:43")
        );
        assert_eq!(iso_duration_time("PT9H5M0.4S").as_deref(), Some("09:05:00"));
        assert_eq!(iso_duration_time("P1D"), None);
    }
}
