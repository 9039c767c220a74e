//! Spreadsheets built byte by byte for tests: XLSX and ODS from their XML parts, XLS from BIFF
//! records in a compound file. Real layouts, synthetic people, nothing committed as binary.
#![allow(dead_code)]

use std::io::{Cursor, Write};

/// A zip archive of `parts`, deflated (or stored, for parts that must not compress).
pub fn zip_parts(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        for (name, data) in parts {
            let method = if *name == "mimetype" {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(method)
                .large_file(data.len() > u32::MAX as usize / 2);
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
    }
    out.into_inner()
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WB_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Styles with cell style 1 = `yyyy-mm-dd hh:mm` (a date) and 0 = General.
pub const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd\ hh:mm"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

/// An XLSX workbook with one sheet `Orders` whose `<sheetData>` content is `rows_xml`, the
/// shared strings `shared` and the 1904 date system when asked.
pub fn xlsx(rows_xml: &str, shared: &[&str], date1904: bool) -> Vec<u8> {
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr{}/><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        if date1904 { r#" date1904="1""# } else { "" }
    );
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows_xml}</sheetData></worksheet>"#
    );
    let mut sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
        shared.len()
    );
    for s in shared {
        sst.push_str(&format!("<si><t>{s}</t></si>"));
    }
    sst.push_str("</sst>");
    zip_parts(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ("xl/sharedStrings.xml", sst.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
    ])
}

/// An XLSX workbook whose parts are given whole (for hostile files).
pub fn xlsx_parts(sheet: &str, sst: &str) -> Vec<u8> {
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    zip_parts(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ("xl/sharedStrings.xml", sst.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
    ])
}

/// An ODS workbook whose `<office:spreadsheet>` content is `tables_xml`.
pub fn ods(tables_xml: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet>{tables_xml}</office:spreadsheet></office:body></office:document-content>"#
    );
    zip_parts(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ])
}

/// A text cell of ODS.
pub fn ods_text(s: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
    )
}

/// BIFF records for an XLS workbook stream.
#[derive(Default)]
pub struct Biff {
    pub bytes: Vec<u8>,
}

impl Biff {
    pub fn record(&mut self, typ: u16, data: &[u8]) -> &mut Self {
        self.bytes.extend(typ.to_le_bytes());
        self.bytes.extend((data.len() as u16).to_le_bytes());
        self.bytes.extend(data);
        self
    }

    pub fn bof(&mut self, sheet: bool) -> &mut Self {
        let mut d = vec![0x00, 0x06];
        d.extend(if sheet { 0x10u16 } else { 0x05u16 }.to_le_bytes());
        d.extend([0u8; 12]);
        self.record(0x0809, &d)
    }

    pub fn eof(&mut self) -> &mut Self {
        self.record(0x000A, &[])
    }

    /// A cell with a shared string.
    pub fn label_sst(&mut self, row: u16, col: u16, index: u32) -> &mut Self {
        let mut d = Vec::new();
        d.extend(row.to_le_bytes());
        d.extend(col.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(index.to_le_bytes());
        self.record(0x00FD, &d)
    }

    /// A number with cell format `xf`.
    pub fn number(&mut self, row: u16, col: u16, xf: u16, v: f64) -> &mut Self {
        let mut d = Vec::new();
        d.extend(row.to_le_bytes());
        d.extend(col.to_le_bytes());
        d.extend(xf.to_le_bytes());
        d.extend(v.to_le_bytes());
        self.record(0x0203, &d)
    }
}

/// BIFF8 `XLUnicodeString` bytes (16-bit count, flags, Latin-1 or UTF-16 characters).
pub fn biff_string(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut d = Vec::new();
    d.extend((units.len() as u16).to_le_bytes());
    if units.iter().all(|&u| u < 256) {
        d.push(0);
        d.extend(units.iter().map(|&u| u as u8));
    } else {
        d.push(1);
        for u in units {
            d.extend(u.to_le_bytes());
        }
    }
    d
}

/// An XLS workbook with one worksheet `Orders` of the rows given as (row, cells); texts go
/// through the shared-string table, numbers are dates (format `m/d/yy h:mm`) when `dates`
/// says so. `date1904` writes Excel for Mac's date system. `dimensions` is written as given.
pub fn xls(
    header: &[&str],
    rows: &[(Vec<String>, Vec<f64>)],
    date1904: bool,
    dimensions: (u32, u32, u16, u16),
) -> Vec<u8> {
    let mut strings: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    for (texts, _) in rows {
        strings.extend(texts.iter().cloned());
    }
    let mut g = Biff::default();
    g.bof(false);
    g.record(0x0042, &1200u16.to_le_bytes());
    g.record(0x0022, &(date1904 as u16).to_le_bytes());
    // XF 0: General; XF 1: built-in date format 22 (m/d/yy h:mm).
    for fmt in [0u16, 22] {
        let mut d = vec![0u8, 0];
        d.extend(fmt.to_le_bytes());
        d.extend([0u8; 16]);
        g.record(0x00E0, &d);
    }
    // BOUNDSHEET with a placeholder position, patched below.
    let bound_at = g.bytes.len() + 4;
    let mut bs = vec![0u8; 4];
    bs.extend([0u8, 0u8]);
    let name = biff_string("Orders");
    bs.push(name[0]);
    bs.extend(&name[2..]);
    g.record(0x0085, &bs);
    let mut sst = Vec::new();
    sst.extend((strings.len() as u32).to_le_bytes());
    sst.extend((strings.len() as u32).to_le_bytes());
    for s in &strings {
        sst.extend(biff_string(s));
    }
    g.record(0x00FC, &sst);
    g.eof();
    let sheet_at = g.bytes.len() as u32;
    g.bytes[bound_at..bound_at + 4].copy_from_slice(&sheet_at.to_le_bytes());
    g.bof(true);
    let mut dims = Vec::new();
    dims.extend(dimensions.0.to_le_bytes());
    dims.extend(dimensions.1.to_le_bytes());
    dims.extend(dimensions.2.to_le_bytes());
    dims.extend(dimensions.3.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    g.record(0x0200, &dims);
    for (c, _) in header.iter().enumerate() {
        g.label_sst(0, c as u16, c as u32);
    }
    let mut next = header.len() as u32;
    for (r, (texts, numbers)) in rows.iter().enumerate() {
        let row = r as u16 + 1;
        for (c, v) in numbers.iter().enumerate() {
            g.number(row, c as u16, 1, *v);
        }
        for (c, _) in texts.iter().enumerate() {
            g.label_sst(row, (numbers.len() + c) as u16, next);
            next += 1;
        }
    }
    g.eof();
    compound_file(&g.bytes)
}

/// A compound file holding `workbook` as its `Workbook` stream.
pub fn compound_file(workbook: &[u8]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    {
        let mut s = cf.create_stream("/Workbook").unwrap();
        s.write_all(workbook).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

/// Excel's serial day number (1900 system) of a UTC date and time.
pub fn excel_serial(y: i32, m: u32, d: u32, hh: u32, mm: u32) -> f64 {
    let date = jiff::civil::date(y as i16, m as i8, d as i8);
    let epoch = jiff::civil::date(1899, 12, 30);
    let days = (date - epoch).get_days() as f64;
    days + (hh * 3600 + mm * 60) as f64 / 86_400.0
}

/// Writes bits least-significant first, as DEFLATE does.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, which DEFLATE writes most-significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let rev = code.reverse_bits() >> (32 - len);
        self.put(rev as u64, len);
    }

    fn literal(&mut self, b: u8) {
        if b < 144 {
            self.code(0x30 + b as u32, 8);
        } else {
            self.code(0x190 + (b as u32 - 144), 9);
        }
    }
}

/// A raw DEFLATE stream (fixed Huffman codes) of `prefix`, then `byte` repeated `count` times,
/// then `suffix`, built directly so a gigabyte costs a few megabytes and no time.
pub fn deflate_run(prefix: &[u8], byte: u8, count: u64, suffix: &[u8]) -> Vec<u8> {
    deflate_repeat(prefix, &[byte], count, suffix)
}

/// Distance code, extra bits and their value for a DEFLATE back-reference distance.
fn distance_code(dist: u32) -> (u32, u32, u32) {
    let mut base = 1u32;
    for code in 0..30u32 {
        let extra = if code < 4 { 0 } else { code / 2 - 1 };
        let next = base + (1 << extra);
        if dist < next {
            return (code, extra, dist - base);
        }
        base = next;
    }
    panic!("distance {dist} is beyond 32 KB");
}

/// A raw DEFLATE stream of `prefix`, then `unit` repeated `times` times (as back-references
/// to the previous copy; `unit` is at most 32 KB), then `suffix`.
pub fn deflate_repeat(prefix: &[u8], unit: &[u8], times: u64, suffix: &[u8]) -> Vec<u8> {
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // last block
    b.put(1, 2); // fixed Huffman codes
    for &c in prefix {
        b.literal(c);
    }
    if times > 0 && !unit.is_empty() {
        for &c in unit {
            b.literal(c);
        }
        let len = unit.len() as u64;
        let (code, extra, value) = distance_code(unit.len() as u32);
        let copy = (times - 1) * len;
        let mut done = 0u64;
        while copy - done >= 258 {
            b.code(0xC5, 8); // length 258 (code 285)
            b.code(code, 5);
            b.put(value as u64, extra);
            done += 258;
        }
        while done < copy {
            b.literal(unit[(done % len) as usize]);
            done += 1;
        }
    }
    for &c in suffix {
        b.literal(c);
    }
    b.code(0, 7); // end of block
    if b.n > 0 {
        b.out.push(b.acc as u8);
    }
    b.out
}

/// CRC-32 (IEEE), as zip stores it.
pub fn crc32(data: &[u8]) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|mut c| {
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                };
            }
            c
        })
        .collect();
    let mut crc = !0u32;
    for &b in data {
        crc = table[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// A zip archive written by hand: each part is (name, raw deflate data, declared unpacked
/// size, CRC). Declared sizes and CRCs may lie, as in a crafted file.
pub fn zip_raw(parts: &[(&str, Vec<u8>, u32, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data, declared, crc) in parts {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(8u16.to_le_bytes()); // deflate
            h.extend(0u32.to_le_bytes()); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend(declared.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attrs
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_at = out.len() as u32;
    let cd_len = central.len() as u32;
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend(cd_len.to_le_bytes());
    out.extend(cd_at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// A part as raw deflate data with its declared size and CRC.
pub type RawPart = (Vec<u8>, u32, u32);

/// A part of plain text, deflated, with its true size and CRC.
pub fn raw_part(text: &[u8]) -> RawPart {
    (
        deflate_run(text, b' ', 0, b""),
        text.len() as u32,
        crc32(text),
    )
}

/// A minimal XLSX with the given worksheet and shared-string parts, for hostile files.
pub fn xlsx_raw(sheet: RawPart, sst: RawPart) -> Vec<u8> {
    let plain = |name, s: &str| {
        (
            name,
            deflate_run(s.as_bytes(), b' ', 0, b""),
            s.len() as u32,
            crc32(s.as_bytes()),
        )
    };
    let workbook = r#"<workbook xmlns:r="r"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    zip_raw(&[
        plain("_rels/.rels", RELS),
        plain("xl/workbook.xml", workbook),
        plain("xl/_rels/workbook.xml.rels", WB_RELS),
        ("xl/worksheets/sheet1.xml", sheet.0, sheet.1, sheet.2),
        ("xl/sharedStrings.xml", sst.0, sst.1, sst.2),
    ])
}
