//! XLSX (Office Open XML) workbooks: the workbook part for sheet names and the date system,
//! shared strings into one arena, styles for which cells are dates, and each worksheet
//! streamed cell by cell. Nothing is sized from what the file declares (`uniqueCount`,
//! `dimension`).

use std::io::{BufRead, BufReader};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::zipped::Archive;
use super::{Assembler, Limits, SheetError, excel_serial_text, is_date_format, number_text};

/// A sheet's name and the archive part that holds it.
struct SheetRef {
    name: String,
    part: String,
}

/// Strings in one buffer: string `i` is `text[ends[i - 1]..ends[i]]`.
#[derive(Default)]
struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..end])
    }
}

pub struct Book {
    archive: Archive,
    sheets: Vec<SheetRef>,
    strings: Strings,
    /// Per cell style (`s` attribute): whether its number format is a date or time.
    date_styles: Vec<bool>,
    pub is_1904: bool,
}

fn xml_error(part: &str, reader_pos: u64, e: impl std::fmt::Display) -> SheetError {
    SheetError(format!(
        "part '{part}' is not well-formed XML near byte {reader_pos}: {e}"
    ))
}

/// Attribute `local` (any namespace prefix) of an element, unescaped.
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().map_while(Result::ok).find_map(|a| {
        (a.key.local_name().as_ref() == local).then(|| {
            quick_xml::escape::unescape(&a.value)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
    })
}

/// Appends an entity or character reference to `out`.
pub(super) fn push_ref(r: &BytesRef, out: &mut String) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
        out.push_str(s);
    }
}

/// Undoes OOXML's `_xHHHH_` escapes of control characters.
fn unescape_ooxml(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("_x") {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Resolves a relationship target against the folder of the part that refers to it.
fn resolve(base_dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Relationships of a part: (id, type, target).
fn relationships(archive: &mut Archive, rels: &str) -> Vec<(String, String, String)> {
    let Ok(text) = archive.part_text(rels) else {
        return Vec::new();
    };
    let mut r = Reader::from_str(&text);
    let mut out = Vec::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                out.push((
                    attr(&e, "Id").unwrap_or_default(),
                    attr(&e, "Type").unwrap_or_default(),
                    attr(&e, "Target").unwrap_or_default(),
                ));
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

impl Book {
    pub fn open(mut archive: Archive, limits: Limits) -> Result<Book, SheetError> {
        let workbook_part = relationships(&mut archive, "_rels/.rels")
            .into_iter()
            .find(|(_, ty, _)| ty.ends_with("/officeDocument"))
            .map(|(_, _, target)| resolve("", &target))
            .filter(|p| archive.contains(p))
            .unwrap_or_else(|| "xl/workbook.xml".to_string());
        let dir = workbook_part
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string());
        let rels_part = format!("{dir}/_rels/{}.rels", &workbook_part[dir.len() + 1..]);
        let rels = relationships(&mut archive, &rels_part);
        let target_of = |ty: &str| {
            rels.iter()
                .find(|(_, t, _)| t.ends_with(ty))
                .map(|(_, _, target)| resolve(&dir, target))
        };

        // Workbook: date system and sheets in tab order.
        let text = archive.part_text(&workbook_part)?;
        let mut r = Reader::from_str(&text);
        let mut is_1904 = false;
        let mut sheets = Vec::new();
        loop {
            match r.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                    "workbookPr" => {
                        is_1904 = attr(&e, "date1904")
                            .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
                    }
                    "sheet" => {
                        let name = attr(&e, "name").unwrap_or_default();
                        let id = attr(&e, "id").unwrap_or_default();
                        let part = rels
                            .iter()
                            .find(|(rid, _, _)| *rid == id)
                            .map(|(_, _, t)| resolve(&dir, t))
                            .unwrap_or_else(|| {
                                format!("{dir}/worksheets/sheet{}.xml", sheets.len() + 1)
                            });
                        sheets.push(SheetRef { name, part });
                    }
                    _ => {}
                },
                Ok(Event::Eof) => break,
                Err(e) => {
                    return Err(xml_error(&workbook_part, r.buffer_position(), e));
                }
                _ => {}
            }
        }
        // Chart sheets and dialogs have no cells.
        sheets.retain(|s| archive.contains(&s.part));

        let mut book = Book {
            strings: Strings::default(),
            date_styles: Vec::new(),
            sheets,
            is_1904,
            archive,
        };
        let sst = target_of("/sharedStrings").unwrap_or_else(|| format!("{dir}/sharedStrings.xml"));
        if book.archive.contains(&sst) {
            book.strings = read_shared_strings(&mut book.archive, &sst, limits)?;
        }
        let styles = target_of("/styles").unwrap_or_else(|| format!("{dir}/styles.xml"));
        if book.archive.contains(&styles) {
            book.date_styles = read_date_styles(&mut book.archive, &styles)?;
        }
        Ok(book)
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|s| s.name.clone()).collect()
    }

    pub fn read(&mut self, index: usize, out: &mut Assembler) -> Result<(), SheetError> {
        let part = self.sheets[index].part.clone();
        let values = Values {
            strings: &self.strings,
            date_styles: &self.date_styles,
            is_1904: self.is_1904,
        };
        let mut r = Reader::from_reader(BufReader::new(self.archive.part(&part)?));
        let mut buf = Vec::new();
        let (mut row, mut col) = (0u32, 0u32);
        let mut row_seen = false;
        // The cell being read: type, style, where its value text goes.
        let mut cell_type = String::new();
        let mut cell_style = 0usize;
        let mut value = String::new();
        let mut inline = String::new();
        let mut in_value = false;
        let mut in_inline_t = false;
        let mut phonetic = false;
        let mut in_cell = false;
        loop {
            buf.clear();
            let event = r
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(&part, r.buffer_position(), e))?;
            match event {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                    let next = if row_seen { row.saturating_add(1) } else { 0 };
                    row = attr(&e, "r")
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .map_or(next, |r| r.saturating_sub(1));
                    row_seen = true;
                    col = 0;
                }
                Event::Start(e) if e.local_name().as_ref() == "c" => {
                    start_cell(&e, &mut row, &mut col, &mut cell_type, &mut cell_style);
                    value.clear();
                    inline.clear();
                    in_cell = true;
                }
                Event::Empty(e) if e.local_name().as_ref() == "c" => {
                    start_cell(&e, &mut row, &mut col, &mut cell_type, &mut cell_style);
                    col = col.saturating_add(1);
                }
                Event::Start(e) if in_cell => match e.local_name().as_ref() {
                    "v" => in_value = true,
                    "t" if !phonetic => in_inline_t = true,
                    "rPh" => phonetic = true,
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "v" => in_value = false,
                    "t" => in_inline_t = false,
                    "rPh" => phonetic = false,
                    "c" if in_cell => {
                        in_cell = false;
                        let text = values.text(&cell_type, cell_style, &value, &inline);
                        out.cell(row, col, &text)?;
                        col = col.saturating_add(1);
                        if out.done() {
                            return Ok(());
                        }
                    }
                    "sheetData" => return Ok(()),
                    _ => {}
                },
                // Text past Excel's cell limit is not kept (the assembler reports the cut).
                Event::Text(t) if in_cell && (in_value || in_inline_t) => {
                    let target = if in_value { &mut value } else { &mut inline };
                    if target.len() <= CELL_BYTES {
                        target.push_str(&t.xml10_content());
                    }
                }
                Event::CData(t) if in_cell && (in_value || in_inline_t) => {
                    let target = if in_value { &mut value } else { &mut inline };
                    if target.len() <= CELL_BYTES {
                        target.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(g) if in_cell && (in_value || in_inline_t) => {
                    push_ref(&g, if in_value { &mut value } else { &mut inline });
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }
}

/// Bytes of one cell's text that are kept while reading: Excel's 32,767 characters at up to
/// four bytes each, so the assembler can tell that a longer cell was cut.
const CELL_BYTES: usize = super::MAX_CELL_CHARS * 4 + 4;

/// What turns a cell's raw value into text.
struct Values<'a> {
    strings: &'a Strings,
    date_styles: &'a [bool],
    is_1904: bool,
}

impl Values<'_> {
    fn text<'v>(
        &'v self,
        ty: &str,
        style: usize,
        value: &'v str,
        inline: &'v str,
    ) -> std::borrow::Cow<'v, str> {
        use std::borrow::Cow;
        match ty {
            "s" => value
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| self.strings.get(i))
                .map(Cow::Borrowed)
                .unwrap_or(Cow::Borrowed("")),
            "inlineStr" => unescape_ooxml(inline),
            "str" | "d" | "e" => unescape_ooxml(value),
            "b" => Cow::Borrowed(if value.trim() == "1" { "true" } else { "false" }),
            _ => {
                let v = value.trim();
                if v.is_empty() {
                    return Cow::Borrowed("");
                }
                match v.parse::<f64>() {
                    Ok(f) if self.date_styles.get(style).copied().unwrap_or(false) => {
                        Cow::Owned(excel_serial_text(f, self.is_1904))
                    }
                    Ok(f) => Cow::Owned(number_text(f)),
                    Err(_) => Cow::Borrowed(v),
                }
            }
        }
    }
}

/// Reads a `<c>` element's position, type and style; `row`/`col` keep running counters for
/// cells without an `r` attribute.
fn start_cell(e: &BytesStart, row: &mut u32, col: &mut u32, ty: &mut String, style: &mut usize) {
    ty.clear();
    *style = 0;
    for a in e.attributes().map_while(Result::ok) {
        match a.key.local_name().as_ref() {
            "r" => {
                if let Some((r, c)) = cell_ref(a.value.as_bytes()) {
                    *row = r;
                    *col = c;
                }
            }
            "t" => ty.push_str(&a.value),
            "s" => *style = a.value.trim().parse().unwrap_or(0),
            _ => {}
        }
    }
}

/// `B3` → (row 2, column 1), 0-based.
fn cell_ref(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0u32;
    for &b in &r[..letters] {
        col = col * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u32;
    }
    let digits = std::str::from_utf8(&r[letters..]).ok()?;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

fn read_shared_strings(
    archive: &mut Archive,
    part: &str,
    limits: Limits,
) -> Result<Strings, SheetError> {
    let mut r = Reader::from_reader(BufReader::new(archive.part(part)?));
    let mut strings = Strings::default();
    let mut buf = Vec::new();
    let (mut in_si, mut in_t, mut phonetic) = (false, false, false);
    loop {
        buf.clear();
        match r
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(part, r.buffer_position(), e))?
        {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => in_si = true,
                "t" if in_si && !phonetic => in_t = true,
                "rPh" => phonetic = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => {
                push_string(&mut strings, limits, part)?;
            }
            Event::End(e) => match e.local_name().as_ref() {
                "si" => {
                    in_si = false;
                    push_string(&mut strings, limits, part)?;
                }
                "t" => in_t = false,
                "rPh" => phonetic = false,
                _ => {}
            },
            Event::Text(t) if in_t => strings.text.push_str(&t.xml10_content()),
            Event::CData(t) if in_t => strings.text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if in_t => push_ref(&g, &mut strings.text),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(strings)
}

/// Closes the string being collected at the end of the arena.
fn push_string(strings: &mut Strings, limits: Limits, part: &str) -> Result<(), SheetError> {
    if strings.ends.len() as u64 >= limits.shared_strings {
        return Err(SheetError(format!(
            "part '{part}' holds more than {} shared strings from a {} file; a real workbook of \
             this size holds far fewer",
            crate::report::thousands(limits.shared_strings),
            super::mb(limits.file_bytes)
        )));
    }
    let start = strings.ends.last().copied().unwrap_or(0);
    let s = &strings.text[start..];
    if s.contains("_x") {
        let fixed = unescape_ooxml(s).into_owned();
        strings.text.truncate(start);
        strings.text.push_str(&fixed);
    }
    strings.ends.push(strings.text.len());
    Ok(())
}

/// Whether each cell style (`cellXfs` entry) shows numbers as dates or times.
fn read_date_styles(archive: &mut Archive, part: &str) -> Result<Vec<bool>, SheetError> {
    let mut r = Reader::from_reader(BufReader::new(archive.part(part)?));
    read_styles_from(&mut r, part)
}

fn read_styles_from<R: BufRead>(r: &mut Reader<R>, part: &str) -> Result<Vec<bool>, SheetError> {
    let mut custom: Vec<(u32, String)> = Vec::new();
    let mut xf_formats: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match r
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(part, r.buffer_position(), e))?
        {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    let id = attr(&e, "numFmtId").and_then(|v| v.parse().ok());
                    if let (Some(id), Some(code)) = (id, attr(&e, "formatCode")) {
                        custom.push((id, code));
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => xf_formats.push(
                    attr(&e, "numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0),
                ),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(xf_formats
        .iter()
        .map(|&id| {
            let code = custom
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, c)| c.as_str());
            is_date_format(id, code)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_escapes() {
        assert_eq!(cell_ref(b"A1"), Some((0, 0)));
        assert_eq!(cell_ref(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref(b"ZZ100000"), Some((99_999, 701)));
        assert_eq!(cell_ref(b"A0"), None);
        assert_eq!(cell_ref(b"ABCD1"), None);
        assert_eq!(unescape_ooxml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_ooxml("_x_y"), "_x_y");
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(resolve("xl/a", "../b.xml"), "xl/b.xml");
    }
}
