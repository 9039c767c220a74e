//! Spreadsheets: XLSX, XLS and ODS in the shapes real programs write (Excel for Mac's 1904
//! date system among them), and crafted workbooks that must end in a clear error or a bounded
//! read, never in a huge allocation.

mod common;

use std::path::{Path, PathBuf};

use common::sheets::*;
use common::*;
use turnout::import::{ImportError, Role, import_file};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn error_of(path: &Path) -> String {
    match import_file(path, &chicago()) {
        Ok(f) => panic!("{} loaded {} rows", path.display(), f.rows.len()),
        Err(e) => e.to_string(),
    }
}

fn year_of(t: i64) -> i16 {
    jiff::Timestamp::from_second(t)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .year()
}

/// Orders placed in June 2015, as (e-mail, name) texts and an Excel serial.
fn june_2015_orders(date1904: bool) -> Vec<(Vec<String>, Vec<f64>)> {
    let shift = if date1904 { 1_462.0 } else { 0.0 };
    (0..5)
        .map(|i| {
            (
                vec![format!("guest{i}@example.org"), format!("Guest {i}")],
                vec![excel_serial(2015, 6, 20 + i, 9 + i, 30) - shift],
            )
        })
        .collect()
}

#[test]
fn an_xls_from_excel_for_mac_keeps_its_dates_in_2015() {
    let dir = tempfile::tempdir().unwrap();
    for date1904 in [false, true] {
        let bytes = xls(
            &["Order Date", "Email", "Name"],
            &june_2015_orders(date1904),
            date1904,
            (0, 6, 0, 3),
        );
        let path = write(dir.path(), &format!("orders-{date1904}.xls"), &bytes);
        let f = import_file(&path, &chicago()).unwrap();
        assert_eq!(f.rows.len(), 5, "{:?}", f.report.rejected);
        assert_eq!(f.report.detected.format, "xls");
        assert_eq!(
            header(&f, Role::RegisteredAt).as_deref(),
            Some("Order Date")
        );
        assert_eq!(text(&f, Role::Email, 2), "guest2@example.org");
        // 2015-06-20 09:30 in Chicago.
        assert_eq!(f.rows.registered_at[0], utc("2015-06-20T14:30:00Z"));
        assert!(f.rows.registered_at.iter().all(|&t| year_of(t) == 2015));
        assert_eq!(
            f.report.warnings.iter().any(|w| w.contains("1904")),
            date1904,
            "{:?}",
            f.report.warnings
        );
    }
}

#[test]
fn an_xlsx_in_the_1904_date_system_keeps_its_dates() {
    let dir = tempfile::tempdir().unwrap();
    for date1904 in [false, true] {
        let serial = excel_serial(2015, 6, 29, 9, 15) - if date1904 { 1_462.0 } else { 0.0 };
        let rows = format!(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
               <row r="2"><c r="A2" s="1"><v>{serial}</v></c><c r="B2" t="inlineStr"><is><t>ana@example.org</t></is></c></row>
               <row r="3"><c r="A3" s="1"><v>{}</v></c><c r="B3" t="s"><v>2</v></c></row>"#,
            serial + 1.0
        );
        let bytes = xlsx(&rows, &["Order Date", "Email", "bo@example.org"], date1904);
        let path = write(dir.path(), &format!("o-{date1904}.xlsx"), &bytes);
        let f = import_file(&path, &chicago()).unwrap();
        assert_eq!(f.rows.len(), 2);
        assert_eq!(f.rows.registered_at[0], utc("2015-06-29T14:15:00Z"));
        assert_eq!(text(&f, Role::Email, 1), "bo@example.org");
    }
}

#[test]
fn an_ods_reads_dates_repeats_and_rich_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = String::from(r#"<table:table table:name="Anmeldungen">"#);
    rows.push_str(&format!(
        "<table:table-row>{}{}{}</table:table-row>",
        ods_text("Anmeldedatum"),
        ods_text("E-Mail"),
        ods_text("Name")
    ));
    // An empty row repeated a million times costs nothing.
    rows.push_str(r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#);
    for i in 0..3 {
        rows.push_str(&format!(
            r#"<table:table-row><table:table-cell office:value-type="date" office:date-value="2025-03-0{}T18:0{i}:00"/>{}<table:table-cell office:value-type="string"><text:p>Jörg<text:s text:c="2"/>Mü<text:span>ller</text:span></text:p><office:annotation><text:p>note</text:p></office:annotation></table:table-cell></table:table-row>"#,
            i + 1,
            ods_text(&format!("p{i}@example.de")),
        ));
    }
    // Two identical registrations written as one repeated row.
    rows.push_str(&format!(
        r#"<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="date" office:date-value="2025-03-05T10:00:00"/>{}</table:table-row>"#,
        ods_text("twice@example.de")
    ));
    rows.push_str("</table:table>");
    let path = write(dir.path(), "anmeldungen.ods", &ods(&rows));
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.report.detected.format, "ods");
    assert_eq!(f.rows.len(), 5, "{:?}", f.report.rejected);
    assert_eq!(text(&f, Role::Name, 0), "Jörg  Müller");
    assert_eq!(text(&f, Role::Email, 4), "twice@example.de");
    // Spreadsheet row numbers: header 1, the empty rows, then the data.
    assert_eq!(f.rows.line[0], 1_048_002);
}

#[test]
fn far_away_cells_and_lying_counts_cost_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // One real row plus a cell at the last row and column Excel allows (the dimension tag says
    // the sheet spans 17 billion cells) and at ZZ100000.
    let rows = r#"<dimension ref="A1:XFD1048576"/><sheetData>
        <row r="1"><c r="A1" t="inlineStr"><is><t>Registration Time</t></is></c><c r="B1" t="inlineStr"><is><t>Email</t></is></c></row>
        <row r="2"><c r="A2" t="inlineStr"><is><t>2025-01-05 10:00</t></is></c><c r="B2" t="inlineStr"><is><t>a@example.org</t></is></c></row>
        <row r="100000"><c r="ZZ100000" t="inlineStr"><is><t>x</t></is></c></row>
        <row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>
        </sheetData>"#;
    let sheet = format!("<worksheet>{rows}</worksheet>");
    // A shared-string table that claims four billion entries.
    let sst = r#"<sst uniqueCount="4000000000" count="4000000000"><si><t>y</t></si></sst>"#;
    let path = write(dir.path(), "far.xlsx", &xlsx_parts(&sheet, sst));
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.rows.len(), 1);
    assert!(
        f.report.warnings.iter().any(|w| w.contains("ignored")),
        "{:?}",
        f.report.warnings
    );
    // XLS with a DIMENSIONS record claiming 4 billion rows × 65,535 columns.
    let bytes = xls(
        &["Registration Time", "Email"],
        &[(
            vec!["a@example.org".into()],
            vec![excel_serial(2025, 1, 5, 10, 0)],
        )],
        false,
        (0, u32::MAX, 0, u16::MAX),
    );
    let path = write(dir.path(), "far.xls", &bytes);
    assert_eq!(import_file(&path, &chicago()).unwrap().rows.len(), 1);
}

#[test]
fn bombs_end_in_an_error_that_names_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // One 600 MB cell from a 4 MB file, once declaring 1 KB (a lie the zip reader catches)
    // and once declaring its real size (which the limit stops).
    let prefix: &[u8] = br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#;
    let suffix: &[u8] = b"</t></is></c></row></sheetData></worksheet>";
    let cell = 600_000_000u64;
    let sheet = deflate_run(prefix, b'a', cell, suffix);
    let real = (prefix.len() as u64 + cell + suffix.len() as u64) as u32;
    let sst = || raw_part(b"<sst/>");
    for (declared, expected) in [
        (1_024, "larger than its declared"),
        (real, "unpacks to more than"),
    ] {
        let path = write(
            dir.path(),
            "one-cell.xlsx",
            &xlsx_raw((sheet.clone(), declared, 0), sst()),
        );
        let e = error_of(&path);
        assert!(e.contains("one-cell.xlsx"), "{e}");
        assert!(e.contains(expected), "{e}");
    }

    // A shared string of 40 KB referenced by 200,000 cells: small parts, huge expansion.
    let mut cells = String::from(
        r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Registration Time</t></is></c><c r="B1" t="inlineStr"><is><t>Email</t></is></c></row>"#,
    );
    for r in 2..200_002 {
        cells.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>2025-01-05 10:00</t></is></c><c r="B{r}" t="s"><v>0</v></c></row>"#
        ));
    }
    cells.push_str("</sheetData></worksheet>");
    let sst = format!("<sst><si><t>{}</t></si></sst>", "b".repeat(40_000));
    let path = write(
        dir.path(),
        "shared.xlsx",
        &xlsx_raw(raw_part(cells.as_bytes()), raw_part(sst.as_bytes())),
    );
    let e = error_of(&path);
    assert!(e.contains("of text"), "{e}");

    // A DOCTYPE with entities.
    let sheet = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>"#;
    let path = write(dir.path(), "doctype.xlsx", &xlsx_parts(sheet, "<sst/>"));
    let e = error_of(&path);
    assert!(e.contains("DOCTYPE"), "{e}");

    // An ODS whose one non-empty row repeats a million times.
    let content = format!(
        r#"<table:table table:name="S"><table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="1048575">{}{}</table:table-row></table:table>"#,
        ods_text("Registration Time"),
        ods_text("Email"),
        ods_text("2025-01-05 10:00"),
        ods_text("x@example.org")
    );
    let path = write(dir.path(), "repeat.ods", &ods(&content));
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.rows.len(), 1_001);
    assert!(
        f.report.warnings.iter().any(|w| w.contains("1048575")),
        "{:?}",
        f.report.warnings
    );
}

#[test]
fn a_malformed_ods_attribute_ends_the_read() {
    // Found by fuzzing: an unquoted attribute value once made the reader loop forever.
    let dir = tempfile::tempdir().unwrap();
    let content = r#"<table:table table:name="A"><table:table-row><table:table-cell office:value-type="date" office:date-value=t><office:body>"#;
    let path = write(dir.path(), "bad.ods", &ods(content));
    let _ = import_file(&path, &chicago());
}

#[test]
fn broken_workbooks_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let good = xlsx(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
        &["Order Date"],
        false,
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.xlsx",
            good[..good.len() / 2].to_vec(),
            "damaged or cut off",
        ),
        (
            "renamed.xlsx",
            zip_parts(&[("notes.txt", b"hello")]),
            "zip archive but not a spreadsheet",
        ),
        (
            "word.xlsx",
            zip_parts(&[("word/document.xml", b"<w/>")]),
            "Word document",
        ),
        (
            "garbage.xls",
            {
                let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
                b.extend([0x55u8; 600]);
                b
            },
            "container is damaged",
        ),
        (
            "not-biff.xls",
            compound_file(b"hello, this is not a workbook"),
            "does not start like an Excel workbook",
        ),
        (
            "empty-sheets.xlsx",
            xlsx("", &[], false),
            "every sheet is empty",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = write(dir.path(), name, &bytes);
        let e = error_of(&path);
        assert!(e.contains(name), "{name}: {e}");
        assert!(e.contains(expected), "{name}: {e}");
        assert!(!e.contains("the file is empty"), "{name}: {e}");
    }
    let path = write(dir.path(), "ok.xlsx", &good);
    assert!(matches!(
        import_file(&path, &chicago()),
        Err(ImportError::HeaderOnly { .. })
    ));
}
