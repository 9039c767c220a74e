//! Spreadsheets: the first byte picks how the rest is packed, so the fuzzer reaches the XML
//! and BIFF parsers instead of stopping at zip checksums. 0: XLSX worksheet XML (the second
//! half of the input is the shared-string table); 1: ODS content.xml; 2: an XLS workbook
//! stream in a compound file; anything else: the bytes as a file. Every run must end in rows
//! or an error, never a panic, and within the memory limit libFuzzer is given; the same bytes
//! read as a headcount file likewise.
#![no_main]

use std::io::{Cursor, Write};
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use turnout::import::{ImportOptions, import_bytes};

fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    out.into_inner()
}

const WORKBOOK: &[u8] = br#"<workbook xmlns:r="r"><workbookPr date1904="1"/><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>"#;
const RELS: &[u8] = br#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="x/styles" Target="styles.xml"/></Relationships>"#;
const STYLES: &[u8] = br#"<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>"#;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let bytes = match kind {
        0 => {
            let (sheet, sst) = rest.split_at(rest.len() / 2);
            zip(&[
                ("xl/workbook.xml", WORKBOOK),
                ("xl/_rels/workbook.xml.rels", RELS),
                ("xl/worksheets/sheet1.xml", sheet),
                ("xl/sharedStrings.xml", sst),
                ("xl/styles.xml", STYLES),
            ])
        }
        1 => zip(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", rest),
        ]),
        2 => {
            let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
            cf.create_stream("/Workbook")
                .unwrap()
                .write_all(rest)
                .unwrap();
            cf.flush().unwrap();
            cf.into_inner().into_inner()
        }
        _ => rest.to_vec(),
    };
    let opts = ImportOptions {
        time_zone: Some(jiff::tz::TimeZone::UTC),
        ..ImportOptions::default()
    };
    let _ = turnout::import::headcounts::read_bytes(
        Path::new("fuzz.xlsx"),
        bytes.clone(),
        &jiff::tz::TimeZone::UTC,
        None,
    );
    if let Ok(f) = import_bytes(Path::new("fuzz.xlsx"), &bytes, &opts) {
        let r = &f.report;
        assert_eq!(
            r.rows_read,
            r.rows_loaded + r.rejected_count + r.merged_rows
        );
        assert_eq!(f.rows.len() as u64, r.rows_loaded);
    }
});
