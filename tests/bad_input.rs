//! Bad input: rows that can't load are counted with line and reason, the rest loads; files that
//! can't be used at all get one clear error; nothing panics; the input is never modified.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use turnout::import::{
    ImportError, ImportOptions, OrderReason, Role, Status, TimeFormat, import_file,
};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn bad_rows_are_rejected_with_line_and_reason_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Order #,Order Date,Email,Quantity\n\
               1,2024-05-01 10:00,a@example.org,1\n\
               2,not a date,b@example.org,1\n\
               3,,c@example.org,1\n\
               4,2024-05-02 10:00,d@example.org,two\n\
               5,2024-02-30 10:00,e@example.org,1\n\
               6\n\
               7,2024-05-03 10:00,g@example.org,3\n";
    let path = write(dir.path(), "bad.csv", csv.as_bytes());
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.report.rows_read, 7);
    assert_eq!(f.rows.len(), 2);
    assert_eq!(f.report.rejected_count, 5);
    let lines: Vec<u32> = f.report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7]);
    let reason = |line: u32| {
        f.report
            .rejected
            .iter()
            .find(|r| r.line == line)
            .unwrap()
            .reason
            .clone()
    };
    assert!(reason(3).contains("'not a date'"), "{}", reason(3));
    assert!(reason(4).contains("empty"), "{}", reason(4));
    assert!(reason(5).contains("quantity 'two'"), "{}", reason(5));
    assert!(reason(6).contains("does not exist"), "{}", reason(6));
    assert!(reason(7).contains("row has 1 fields"), "{}", reason(7));
    assert_eq!(f.rows.line, vec![2, 8]);
    assert_eq!(f.rows.quantity, vec![1, 3]);
}

#[test]
fn only_the_first_thousand_reasons_are_kept_but_all_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Registration Time,Email\n");
    for i in 0..2500 {
        if i % 2 == 0 {
            csv.push_str("garbage,x@example.org\n");
        } else {
            csv.push_str("2024-01-01 10:00,y@example.org\n");
        }
    }
    let path = write(dir.path(), "many.csv", csv.as_bytes());
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.report.rejected_count, 1250);
    assert_eq!(f.report.rejected.len(), 1000);
    assert_eq!(f.rows.len(), 1250);
    assert_eq!(f.report.rejected[0].line, 2);
}

#[test]
fn day_first_is_decided_from_the_whole_column() {
    let dir = tempfile::tempdir().unwrap();
    // The first 3,000 rows fit both orders; a row far down settles it.
    let mut csv = String::from("Datum,E-Mail\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "0{}/0{}/2024 10:{:02},p{i}@example.org\n",
            1 + i % 9,
            1 + i % 9,
            i % 60
        ));
    }
    csv.push_str("25/03/2024 10:00,late@example.org\n");
    let path = write(dir.path(), "dmy.csv", csv.as_bytes());
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.report.rejected_count, 0);
    assert_eq!(
        f.report.detected.date_order,
        Some(OrderReason::ValuesOver12)
    );
    assert_eq!(
        f.report.detected.date_format.as_deref(),
        Some("%d/%m/%Y %H:%M")
    );
    assert_eq!(
        *f.rows.registered_at.last().unwrap(),
        utc("2024-03-25T15:00:00Z")
    );
    // 02/02 is the same either way; 01/03 would not be: check a row that differs.
    let mut csv = String::from(
        "Datum,E-Mail\n01/03/2024 10:00,a@example.org\n13/03/2024 10:00,b@example.org\n",
    );
    csv.push_str("");
    let path = write(dir.path(), "dmy2.csv", csv.as_bytes());
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.rows.registered_at[0], utc("2024-03-01T16:00:00Z"));
}

#[test]
fn choices_override_detection() {
    let dir = tempfile::tempdir().unwrap();
    let csv =
        "When,Contact,Seats\n01/02/2024 10:00,a@example.org,2\n03/02/2024 11:00,b@example.org,1\n";
    let path = write(dir.path(), "o.csv", csv.as_bytes());
    let auto = import_file(&path, &chicago()).unwrap();
    assert_eq!(
        auto.report.header_for(Role::Quantity).as_deref(),
        Some("Seats")
    );
    // Rows in time order under both readings: month-first is assumed, and said.
    assert_eq!(auto.rows.registered_at[0], utc("2024-01-02T16:00:00Z"));

    let opts = ImportOptions {
        time_format: TimeFormat::Order { day_first: true },
        overrides: vec![(Role::Quantity, String::new())],
        ..chicago()
    };
    let chosen = import_file(&path, &opts).unwrap();
    assert_eq!(chosen.rows.registered_at[0], utc("2024-02-01T16:00:00Z"));
    assert_eq!(chosen.rows.quantity, vec![1, 1], "quantity unmapped");
    assert_eq!(chosen.report.detected.date_order, Some(OrderReason::Chosen));

    let opts = ImportOptions {
        time_format: TimeFormat::Strftime("%d/%m/%Y %H:%M".into()),
        ..chicago()
    };
    let f = import_file(&path, &opts).unwrap();
    assert_eq!(f.rows.registered_at[1], utc("2024-02-03T17:00:00Z"));

    let opts = ImportOptions {
        overrides: vec![(Role::RegisteredAt, "Nope".into())],
        ..chicago()
    };
    let err = import_file(&path, &opts).unwrap_err().to_string();
    assert!(
        err.contains("no column named 'Nope'") && err.contains("When, Contact, Seats"),
        "{err}"
    );
}

#[test]
fn text_that_turns_out_not_to_be_utf8_is_reread_in_its_encoding() {
    let dir = tempfile::tempdir().unwrap();
    // 300 KB of ASCII, then a Windows-1252 'ü' far past the sniffed head.
    let mut bytes = b"Name;Anmeldedatum\n".to_vec();
    for i in 0..10_000 {
        bytes.extend_from_slice(format!("Person {i};01.02.2024 10:00\n").as_bytes());
    }
    bytes.extend_from_slice(b"J\xfcrgen;02.02.2024 11:00\n");
    let path = write(dir.path(), "late.csv", &bytes);
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.report.detected.encoding, "windows-1252");
    assert_eq!(text(&f, Role::Name, 10_000), "Jürgen");
}

fn assert_error(path: &Path, expect: impl Fn(&ImportError) -> bool) {
    let before = std::fs::read(path).unwrap();
    let result = std::panic::catch_unwind(|| import_file(path, &ImportOptions::default()));
    let err = match result {
        Ok(Err(e)) => e,
        Ok(Ok(f)) => panic!("{} loaded {} rows", path.display(), f.rows.len()),
        Err(_) => panic!("{} panicked", path.display()),
    };
    assert!(expect(&err), "{}: unexpected error {err}", path.display());
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "error names the file: {err}"
    );
    assert_eq!(std::fs::read(path).unwrap(), before, "input unchanged");
}

#[test]
fn malformed_files_give_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_error(&write(d, "empty.csv", b""), |e| {
        matches!(e, ImportError::Empty { .. })
    });
    assert_error(&write(d, "blank.csv", b"\n\n\r\n"), |e| {
        matches!(e, ImportError::Empty { .. })
    });
    assert_error(
        &write(d, "header_only.csv", b"Order #,Order Date,Email\n"),
        |e| matches!(e, ImportError::HeaderOnly { header_line: 1, .. }),
    );
    assert_error(
        &write(d, "image.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        |e| matches!(e, ImportError::NotText { .. }),
    );
    let mut noise = Vec::new();
    let mut x: u32 = 1;
    for _ in 0..10_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        noise.push((x >> 16) as u8);
    }
    assert_error(&write(d, "noise.bin", &noise), |e| {
        matches!(e, ImportError::NotText { .. })
    });
    assert_error(
        &write(
            d,
            "nul.csv",
            b"Name,Email\n\0\0\0\0a\0\0\0,\0\0\0\0\0\0\0\0\0\0\n",
        ),
        |e| matches!(e, ImportError::NotText { .. }),
    );
    assert_error(
        &write(d, "no_time.csv", b"Name,Email\nAnn,ann@example.org\n"),
        |e| matches!(e, ImportError::NoTimeColumn { hint, .. } if hint.is_empty()),
    );
    // A restaurant's visitors per day given as an export: the error says what it is.
    assert_error(
        &write(
            d,
            "air_visit_data.csv",
            b"air_store_id,visit_date,visitors\nair_1,2016-01-13,25\nair_1,2016-01-14,32\n",
        ),
        |e| {
            matches!(e, ImportError::NoTimeColumn { .. })
                && e.to_string().contains("a headcount file")
                && e.to_string().contains("--headcounts FILE")
        },
    );
    // A system file or a note is not an export, and says so.
    assert_error(
        &write(
            d,
            "passwd",
            b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
        ),
        |e| matches!(e, ImportError::NotAnExport { .. }),
    );
    assert_error(&write(d, "note.txt", b"hello world\nsee you\n"), |e| {
        matches!(e, ImportError::NotAnExport { .. })
    });
    assert_error(
        &write(d, "fake.xlsx", b"PK\x03\x04 not really a zip"),
        |e| matches!(e, ImportError::Spreadsheet { .. }),
    );
    // A 50 MB line with no break.
    let path = d.join("one_line.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..50 {
        f.write_all(&chunk).unwrap();
    }
    drop(f);
    assert_error(&path, |e| matches!(e, ImportError::LineTooLong { .. }));
    let missing = d.join("missing.csv");
    let err = import_file(&missing, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }), "{err}");
    assert!(err.to_string().contains("missing.csv"), "{err}");
}

#[test]
fn a_quote_that_never_closes_costs_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Registration Time,Email,Comment\n\
               2024-01-01 10:00,a@example.org,fine\n\
               2024-01-01 11:00,b@example.org,\"broken\n\
               2024-01-01 12:00,c@example.org,after\n";
    let path = write(dir.path(), "quote.csv", csv.as_bytes());
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(text(&f, Role::Email, 0), "a@example.org");
    assert_eq!(f.report.rejected_count, 1);
    assert_eq!(f.report.rejected[0].line, 3);
    assert!(
        f.report.rejected[0]
            .reason
            .contains("quoted field never ends")
    );
    assert_eq!(text(&f, Role::Email, 1), "c@example.org");
    assert_eq!(f.rows.line, vec![2, 4]);
}

#[test]
fn stray_bytes_inside_a_file_do_not_stop_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"Registration Time,Email\n2024-01-01 10:00,a@example.org\n".to_vec();
    bytes.extend_from_slice(b"2024-01-01 11:00,b\0@example.org\n");
    bytes.extend_from_slice(b"2024-01-01 12:00,\"quoted \"\"inner\"\" text\"\n");
    let path = write(dir.path(), "stray.csv", &bytes);
    let f = import_file(&path, &chicago()).unwrap();
    // The row with a NUL byte is damaged: it alone is rejected, with its line.
    assert_eq!(f.rows.len(), 2);
    assert_eq!(f.report.rejected[0].line, 3);
    assert!(f.report.rejected[0].reason.contains("NUL"));
    assert_eq!(text(&f, Role::Email, 1), "quoted \"inner\" text");
}

#[test]
fn files_larger_than_one_batch_keep_every_row_and_line() {
    // ~20 MB: several read batches, records cut at batch edges, a multi-line field, and a
    // broken quote at the very end.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Registration Time,Email,Note\n");
    let rows = 200_000;
    for i in 0..rows {
        let note = if i % 50_000 == 7 {
            "\"two\nlines\"".to_string()
        } else {
            format!("n{i:0>60}")
        };
        csv.push_str(&format!(
            "2024-01-01 10:{:02}:{:02},p{i}@example.org,{note}\n",
            (i / 60) % 60,
            i % 60
        ));
    }
    csv.push_str("2024-01-02 10:00:00,last@example.org,\"never closed\n");
    let path = write(dir.path(), "large.csv", csv.as_bytes());
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.rows.len(), rows);
    assert_eq!(f.report.rejected_count, 1);
    let multiline_rows = (0..rows).filter(|i| i % 50_000 == 7).count() as u32;
    assert_eq!(f.report.rejected[0].line, 2 + rows as u32 + multiline_rows);
    assert_eq!(
        *f.rows.line.last().unwrap(),
        1 + rows as u32 + multiline_rows
    );
    assert_eq!(
        text(&f, Role::Email, rows - 1),
        format!("p{}@example.org", rows - 1)
    );
}

#[test]
fn one_bad_byte_does_not_garble_a_utf8_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "Name,Registration Time\n".as_bytes().to_vec();
    for i in 0..60_000 {
        if i == 40_000 {
            bytes.extend_from_slice(b"Bad \xff byte,2024-02-01 10:00\n");
        } else {
            bytes.extend_from_slice(format!("Zoë 山田 {i},2024-02-01 10:00\n").as_bytes());
        }
    }
    let path = write(dir.path(), "big-utf8.csv", &bytes);
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.report.detected.encoding, "UTF-8");
    assert_eq!(f.rows.len(), 60_000);
    assert_eq!(text(&f, Role::Name, 59_999), "Zoë 山田 59999");
    let warning = f.report.warnings.join("\n");
    assert!(
        warning.contains("line 40002") && warning.contains("not valid UTF-8"),
        "{warning}"
    );
}

#[test]
fn latin1_lines_in_a_utf8_file_are_repaired_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "Nome,Data,Situação\n".as_bytes().to_vec();
    bytes.extend_from_slice("Conceição,2015-06-29,Concluído\n".as_bytes());
    bytes.extend_from_slice(b"Jo\xe3o,2015-06-29,Conclu\xeddo\n");
    let path = write(dir.path(), "mixed.csv", &bytes);
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(text(&f, Role::Name, 0), "Conceição");
    assert_eq!(text(&f, Role::Name, 1), "João");
    assert_eq!(f.rows.status, vec![Status::Confirmed, Status::Confirmed]);
    assert!(f.report.warnings.iter().any(|w| w.contains("line 3")));
}

#[test]
fn implausible_quantities_are_rejected_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "q.csv",
        b"Email,Registration Time,Quantity\na@b.org,2025-01-01 10:00,4294967295\nc@d.org,2025-01-01 11:00,3\n",
    );
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.rows.quantity, vec![3]);
    assert_eq!(f.report.rejected[0].line, 2);
    assert!(f.report.rejected[0].reason.contains("not plausible"));
}

#[test]
fn thousands_separators_and_daylight_saving_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "q.csv",
        b"Email,Registration Time,Quantity\na@b.org,2025-03-09 02:30,\"1,000\"\nc@d.org,2025-11-02 01:30,2\ne@f.org,2025-03-10 10:00,1\n",
    );
    let opts = ImportOptions {
        time_zone: Some(jiff::tz::TimeZone::get("America/Chicago").unwrap()),
        ..ImportOptions::default()
    };
    let f = import_file(&path, &opts).unwrap();
    // `1,000` is a thousand tickets, not one: plausible, so read.
    assert_eq!(f.rows.quantity, vec![1000, 2, 1]);
    let w = f.report.warnings.join("\n");
    assert!(w.contains("skipped when clocks went forward"), "{w}");
    assert!(w.contains("happened twice when clocks went back"), "{w}");
}
