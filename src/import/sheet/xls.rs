//! Legacy Excel workbooks (`.xls`, BIFF8 from Excel 97–2003 and BIFF5 from Excel 5/95): the
//! `Workbook` stream of the compound file, read record by record. Only the cells present are
//! kept (never a range sized from the `DIMENSIONS` record), sorted into rows and handed on.
//!
//! The date system (`DATEMODE`: 1904 for workbooks from older Excel for Mac) and each cell's
//! number format decide whether a number is a date.

use std::io::{Cursor, Read};

use encoding_rs::Encoding;

use super::{Assembler, Limits, SheetError, excel_serial_text, is_date_format, mb, number_text};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Biff {
    V5,
    V8,
}

pub struct Book {
    stream: Vec<u8>,
    biff: Biff,
    encoding: &'static Encoding,
    /// Worksheets: name and where their records start in the stream.
    sheets: Vec<(String, usize)>,
    sst_text: String,
    sst_ends: Vec<usize>,
    /// Per XF record: whether its number format shows a date or time.
    xf_date: Vec<bool>,
    pub is_1904: bool,
}

/// One cell as found in the stream.
enum Value {
    Shared(u32),
    Text(String),
    Number(f64, u16),
    Bool(bool),
    Error(u8),
}

fn read_u16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn read_u32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

fn read_f64(d: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(d.get(at..at + 8)?.try_into().ok()?))
}

/// Records of a BIFF stream from `pos`: (type, data, offset of the record).
struct Records<'a> {
    stream: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8], usize);
    fn next(&mut self) -> Option<Self::Item> {
        let at = self.pos;
        let typ = read_u16(self.stream, at)?;
        let len = read_u16(self.stream, at + 2)? as usize;
        let data = self.stream.get(at + 4..at + 4 + len)?;
        self.pos = at + 4 + len;
        Some((typ, data, at))
    }
}

fn codepage(cp: u16) -> &'static Encoding {
    use encoding_rs::*;
    match cp {
        65001 => UTF_8,
        874 => WINDOWS_874,
        932 => SHIFT_JIS,
        936 => GBK,
        949 => EUC_KR,
        950 => BIG5,
        866 => IBM866,
        10000 | 32768 => MACINTOSH,
        10007 => X_MAC_CYRILLIC,
        1250..=1258 => {
            Encoding::for_label(format!("windows-{cp}").as_bytes()).unwrap_or(WINDOWS_1252)
        }
        _ => WINDOWS_1252,
    }
}

/// UTF-16LE units or Latin-1 bytes (BIFF8's "compressed" strings) appended to `out`.
fn push_chars(bytes: &[u8], high: bool, out: &mut String) {
    if high {
        let units = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        out.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')));
    } else {
        out.extend(bytes.iter().map(|&b| b as char));
    }
}

/// An `XLUnicodeString` (BIFF8: 16-bit count, flags, characters) or a BIFF5 byte string
/// (16-bit count, code-page bytes) at the start of `d`.
fn unicode_string(d: &[u8], biff: Biff, enc: &'static Encoding, wide_count: bool) -> String {
    let (cch, mut at) = if wide_count {
        (read_u16(d, 0).unwrap_or(0) as usize, 2)
    } else {
        (d.first().copied().unwrap_or(0) as usize, 1)
    };
    let mut out = String::new();
    match biff {
        Biff::V5 => {
            let bytes = d.get(at..(at + cch).min(d.len())).unwrap_or(&[]);
            out.push_str(&enc.decode_without_bom_handling(bytes).0);
        }
        Biff::V8 => {
            let flags = d.get(at).copied().unwrap_or(0);
            at += 1;
            let high = flags & 1 != 0;
            if flags & 8 != 0 {
                at += 2;
            }
            if flags & 4 != 0 {
                at += 4;
            }
            let n = if high { cch * 2 } else { cch };
            let bytes = d.get(at..(at + n).min(d.len())).unwrap_or(&[]);
            push_chars(bytes, high, &mut out);
        }
    }
    out
}

/// Reads the shared-string table, whose strings run on across CONTINUE records (a string
/// cut by a record boundary goes on after a fresh flags byte).
struct Segments<'a> {
    segs: Vec<&'a [u8]>,
    seg: usize,
    pos: usize,
}

impl Segments<'_> {
    fn byte(&mut self) -> Option<u8> {
        loop {
            let s = self.segs.get(self.seg)?;
            if let Some(&b) = s.get(self.pos) {
                self.pos += 1;
                return Some(b);
            }
            self.seg += 1;
            self.pos = 0;
        }
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.byte()?,
            self.byte()?,
            self.byte()?,
            self.byte()?,
        ]))
    }

    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            let s = self.segs.get(self.seg)?;
            let here = (s.len() - self.pos.min(s.len())).min(n);
            if here == 0 {
                self.seg += 1;
                self.pos = 0;
                continue;
            }
            self.pos += here;
            n -= here;
        }
        Some(())
    }

    /// `cch` characters; at each record boundary a new flags byte says their width.
    fn chars(&mut self, cch: usize, mut high: bool, out: &mut String) -> Option<()> {
        let mut left = cch;
        while left > 0 {
            let s = *self.segs.get(self.seg)?;
            let avail = s.len().saturating_sub(self.pos);
            if avail == 0 {
                self.seg += 1;
                self.pos = 0;
                let flags = *self.segs.get(self.seg)?.first()?;
                self.pos = 1;
                high = flags & 1 != 0;
                continue;
            }
            let width = if high { 2 } else { 1 };
            let take = left.min(avail / width);
            if take == 0 {
                // A half character at the end of a record: malformed.
                return None;
            }
            push_chars(&s[self.pos..self.pos + take * width], high, out);
            self.pos += take * width;
            left -= take;
        }
        Some(())
    }
}

impl Book {
    pub fn open(bytes: &[u8], limits: Limits) -> Result<Book, SheetError> {
        let not_xls = |e: std::io::Error| {
            SheetError(format!(
                "it starts like an Excel 97–2003 workbook (.xls) but its container is damaged: {e}"
            ))
        };
        let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(not_xls)?;
        let name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
            .into_iter()
            .find(|n| cf.is_stream(n));
        let Some(name) = name else {
            let what = if cf.is_stream("/WordDocument") {
                "it is a Word document (.doc), not a spreadsheet"
            } else if cf.is_stream("/EncryptedPackage") {
                "it is an encrypted (password-protected) Office file; save an unprotected copy"
            } else if cf.is_stream("/PowerPoint Document") {
                "it is a PowerPoint presentation (.ppt), not a spreadsheet"
            } else {
                "it is an Office compound file without a workbook stream, not a spreadsheet"
            };
            return Err(SheetError(what.to_string()));
        };
        let mut stream = Vec::new();
        cf.open_stream(name)
            .map_err(not_xls)?
            .take(limits.file_bytes.max(1 << 16))
            .read_to_end(&mut stream)
            .map_err(not_xls)?;
        Book::parse_globals(stream, limits)
    }

    fn parse_globals(stream: Vec<u8>, limits: Limits) -> Result<Book, SheetError> {
        let mut records = Records {
            stream: &stream,
            pos: 0,
        };
        let biff = match records.next() {
            Some((0x0809, d, _)) => match read_u16(d, 0) {
                Some(0x0600) => Biff::V8,
                Some(0x0500) => Biff::V5,
                Some(v) => {
                    return Err(SheetError(format!(
                        "it is an Excel workbook of an unknown version (BIFF 0x{v:04x}); save it \
                         as .xlsx or CSV"
                    )));
                }
                None => return Err(SheetError("its workbook stream is cut off".to_string())),
            },
            Some((0x0009 | 0x0209 | 0x0409, _, _)) => {
                return Err(SheetError(
                    "it is an Excel 2.x–4.x workbook, too old to read; save it as .xlsx or CSV"
                        .to_string(),
                ));
            }
            _ => {
                return Err(SheetError(
                    "its workbook stream does not start like an Excel workbook".to_string(),
                ));
            }
        };
        let mut encoding = encoding_rs::WINDOWS_1252;
        let mut is_1904 = false;
        let mut formats: Vec<(u16, String)> = Vec::new();
        let mut xf_formats: Vec<u16> = Vec::new();
        let mut sheets: Vec<(String, usize)> = Vec::new();
        let mut sst_segments: Option<Vec<&[u8]>> = None;
        let mut in_sst = false;
        for (typ, d, _) in records.by_ref() {
            if typ != 0x003C {
                in_sst = false;
            }
            match typ {
                0x000A => break,
                0x002F => {
                    return Err(SheetError(
                        "the workbook is password-protected; save an unprotected copy".to_string(),
                    ));
                }
                0x0042 => {
                    if let Some(cp) = read_u16(d, 0) {
                        encoding = codepage(cp);
                    }
                }
                0x0022 => is_1904 = read_u16(d, 0) == Some(1),
                0x041E => {
                    if let Some(id) = read_u16(d, 0) {
                        let code = unicode_string(&d[2..], biff, encoding, biff == Biff::V8);
                        formats.push((id, code));
                    }
                }
                0x00E0 => xf_formats.push(read_u16(d, 2).unwrap_or(0)),
                0x0085 => {
                    let (Some(pos), Some(&kind)) = (read_u32(d, 0), d.get(5)) else {
                        continue;
                    };
                    let name = unicode_string(d.get(6..).unwrap_or(&[]), biff, encoding, false);
                    if kind == 0 {
                        sheets.push((name, pos as usize));
                    }
                }
                0x00FC if biff == Biff::V8 => {
                    sst_segments = Some(vec![d]);
                    in_sst = true;
                }
                0x003C if in_sst => {
                    if let Some(s) = sst_segments.as_mut() {
                        s.push(d);
                    }
                }
                _ => {}
            }
        }
        let xf_date = xf_formats
            .iter()
            .map(|&id| {
                let code = formats
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, c)| c.as_str());
                is_date_format(id as u32, code)
            })
            .collect();
        let mut book = Book {
            biff,
            encoding,
            sheets,
            sst_text: String::new(),
            sst_ends: Vec::new(),
            xf_date,
            is_1904,
            stream: Vec::new(),
        };
        if let Some(segs) = sst_segments {
            book.read_sst(segs, limits)?;
        }
        book.stream = stream;
        Ok(book)
    }

    fn read_sst(&mut self, segs: Vec<&[u8]>, limits: Limits) -> Result<(), SheetError> {
        let mut r = Segments {
            segs,
            seg: 0,
            pos: 8,
        };
        while let Some(cch) = r.u16() {
            let Some(flags) = r.byte() else { break };
            let runs = if flags & 8 != 0 { r.u16() } else { Some(0) };
            let ext = if flags & 4 != 0 { r.u32() } else { Some(0) };
            let (Some(runs), Some(ext)) = (runs, ext) else {
                break;
            };
            if r.chars(cch as usize, flags & 1 != 0, &mut self.sst_text)
                .is_none()
            {
                break;
            }
            if self.sst_ends.len() as u64 >= limits.shared_strings {
                return Err(SheetError(format!(
                    "its shared-string table holds more than {} strings from a {} file",
                    crate::report::thousands(limits.shared_strings),
                    mb(limits.file_bytes)
                )));
            }
            self.sst_ends.push(self.sst_text.len());
            if r.skip(runs as usize * 4).is_none() || r.skip(ext as usize).is_none() {
                break;
            }
        }
        Ok(())
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    fn shared(&self, i: u32) -> &str {
        let i = i as usize;
        match self.sst_ends.get(i) {
            Some(&end) => {
                let start = if i == 0 { 0 } else { self.sst_ends[i - 1] };
                &self.sst_text[start..end]
            }
            None => "",
        }
    }

    pub fn read(&mut self, index: usize, out: &mut Assembler) -> Result<(), SheetError> {
        let (_, start) = self.sheets[index];
        let mut cells: Vec<(u32, u16, Value)> = Vec::new();
        let mut depth = 0usize;
        let mut formula_at: Option<(u32, u16)> = None;
        let records = Records {
            stream: &self.stream,
            pos: start,
        };
        let (biff, enc) = (self.biff, self.encoding);
        for (typ, d, _) in records {
            let rc = || Some((read_u16(d, 0)? as u32, read_u16(d, 2)?));
            match typ {
                0x0809 => depth += 1,
                0x000A => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ if depth > 1 => {}
                0x00FD => {
                    if let (Some((r, c)), Some(i)) = (rc(), read_u32(d, 6)) {
                        cells.push((r, c, Value::Shared(i)));
                    }
                }
                0x0204 | 0x00D6 => {
                    if let Some((r, c)) = rc() {
                        let s = unicode_string(d.get(6..).unwrap_or(&[]), biff, enc, true);
                        cells.push((r, c, Value::Text(s)));
                    }
                }
                0x0203 => {
                    if let (Some((r, c)), Some(xf), Some(v)) =
                        (rc(), read_u16(d, 4), read_f64(d, 6))
                    {
                        cells.push((r, c, Value::Number(v, xf)));
                    }
                }
                0x027E => {
                    if let (Some((r, c)), Some(xf), Some(rk)) =
                        (rc(), read_u16(d, 4), read_u32(d, 6))
                    {
                        cells.push((r, c, Value::Number(rk_value(rk), xf)));
                    }
                }
                0x00BD => {
                    if let Some((r, first)) = rc() {
                        let n = d.len().saturating_sub(6) / 6;
                        for k in 0..n {
                            let at = 4 + k * 6;
                            if let (Some(xf), Some(rk)) = (read_u16(d, at), read_u32(d, at + 2)) {
                                let c = first.saturating_add(k as u16);
                                cells.push((r, c, Value::Number(rk_value(rk), xf)));
                            }
                        }
                    }
                }
                0x0205 => {
                    if let (Some((r, c)), Some(&v), Some(&err)) = (rc(), d.get(6), d.get(7)) {
                        let value = if err == 0 {
                            Value::Bool(v != 0)
                        } else {
                            Value::Error(v)
                        };
                        cells.push((r, c, value));
                    }
                }
                0x0006 => {
                    let Some((r, c)) = rc() else { continue };
                    let Some(raw) = d.get(6..14) else { continue };
                    formula_at = None;
                    if raw[6] == 0xFF && raw[7] == 0xFF {
                        match raw[0] {
                            0 => formula_at = Some((r, c)),
                            1 => cells.push((r, c, Value::Bool(raw[2] != 0))),
                            2 => cells.push((r, c, Value::Error(raw[2]))),
                            _ => {}
                        }
                    } else if let (Some(xf), Some(v)) = (read_u16(d, 4), read_f64(d, 6)) {
                        cells.push((r, c, Value::Number(v, xf)));
                    }
                }
                0x0207 => {
                    if let Some((r, c)) = formula_at.take() {
                        cells.push((r, c, Value::Text(unicode_string(d, biff, enc, true))));
                    }
                }
                _ => {}
            }
        }
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        for (r, c, v) in &cells {
            let text: std::borrow::Cow<str> = match v {
                Value::Shared(i) => self.shared(*i).into(),
                Value::Text(s) => s.as_str().into(),
                Value::Number(f, xf) => {
                    if self.xf_date.get(*xf as usize).copied().unwrap_or(false) {
                        excel_serial_text(*f, self.is_1904).into()
                    } else {
                        number_text(*f).into()
                    }
                }
                Value::Bool(b) => if *b { "true" } else { "false" }.into(),
                Value::Error(e) => error_text(*e).into(),
            };
            out.cell(*r, *c as u32, &text)?;
            if out.done() {
                break;
            }
        }
        Ok(())
    }
}

/// An RK number: 30 bits of an integer or of a double's high bits, optionally divided by 100.
fn rk_value(rk: u32) -> f64 {
    let v = if rk & 2 != 0 {
        ((rk as i32) >> 2) as f64
    } else {
        f64::from_bits(((rk & 0xFFFF_FFFC) as u64) << 32)
    };
    if rk & 1 != 0 { v / 100.0 } else { v }
}

fn error_text(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0F => "#VALUE!",
        0x17 => "#REF!",
        0x1D => "#NAME?",
        0x24 => "#NUM!",
        0x2A => "#N/A",
        _ => "#ERROR",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rk_numbers() {
        assert_eq!(rk_value((42 << 2) | 2), 42.0);
        assert_eq!(rk_value((1234 << 2) | 3), 12.34);
        let hi = (1.5f64.to_bits() >> 32) as u32;
        assert_eq!(rk_value(hi), 1.5);
    }

    #[test]
    fn shared_strings_continue_across_records() {
        // Two strings; the second starts in the first record and goes on, now as UTF-16, in
        // a CONTINUE record.
        let mut first = vec![0u8; 8];
        first.extend([3, 0, 0]);
        first.extend(b"abc");
        first.extend([4, 0, 0]);
        first.extend(b"de");
        let mut cont = vec![1u8];
        for ch in "fé".encode_utf16() {
            cont.extend(ch.to_le_bytes());
        }
        let mut book = Book {
            stream: Vec::new(),
            biff: Biff::V8,
            encoding: encoding_rs::WINDOWS_1252,
            sheets: Vec::new(),
            sst_text: String::new(),
            sst_ends: Vec::new(),
            xf_date: Vec::new(),
            is_1904: false,
        };
        book.read_sst(vec![&first, &cont], Limits::for_file(100))
            .unwrap();
        assert_eq!(book.shared(0), "abc");
        assert_eq!(book.shared(1), "defé");
        assert_eq!(book.shared(2), "");
    }
}
