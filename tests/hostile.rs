//! The hostile corpus, run through `turnout report` as a user (or an attacker) would: crafted
//! spreadsheets, zip bombs, pipes and devices, control characters, NUL bytes, outputs aimed at
//! the inputs. Every file is generated here. Each run must end with the documented exit code
//! and a message that names the file and the problem, stay under 1 GB of memory, and leave the
//! input exactly as it was.
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::sheets::*;

/// What one run did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    /// Peak resident memory of the process, in MB.
    peak_mb: u64,
    seconds: f64,
}

/// Runs turnout with `args`, reaping it with `wait4` to learn its peak memory; a run that is
/// still going after two minutes is killed (a hang fails the test, it does not stall CI).
fn run(args: &[&str]) -> Run {
    let started = std::time::Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_turnout"))
        .args(args)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run turnout");
    let pid = child.id() as libc::pid_t;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut s).ok();
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).ok();
        s
    });
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx.recv_timeout(Duration::from_secs(120)).is_err() {
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    });
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    let _ = done_tx.send(());
    watchdog.join().unwrap();
    std::mem::forget(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    Run {
        code,
        stdout: String::from_utf8_lossy(&out_thread.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_thread.join().unwrap()).into_owned(),
        peak_mb: usage.ru_maxrss as u64 / 1024,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// A file's bytes, permissions and modification time, to prove it was not touched.
fn fingerprint(path: &Path) -> (Vec<u8>, u32, std::time::SystemTime) {
    use std::os::unix::fs::PermissionsExt;
    let m = std::fs::metadata(path).unwrap();
    (
        std::fs::read(path).unwrap(),
        m.permissions().mode(),
        m.modified().unwrap(),
    )
}

/// Runs `turnout report FILE extra…` and checks the common promises.
fn report(path: &Path, extra: &[&str]) -> Run {
    let before = fingerprint(path);
    let mut args = vec!["report", path.to_str().unwrap(), "--tz", "UTC"];
    args.extend(extra);
    let r = run(&args);
    // `cargo test --release --test hostile -- --nocapture` prints the README's table.
    println!(
        "| {} | {} KB | exit {} | {} MB | {:.2} s |",
        path.file_name().unwrap().to_string_lossy(),
        std::fs::metadata(path).map(|m| m.len() / 1024).unwrap_or(0),
        r.code,
        r.peak_mb,
        r.seconds
    );
    assert!(
        r.peak_mb < 1024,
        "{}: peak memory {} MB",
        path.display(),
        r.peak_mb
    );
    assert!(
        r.code >= 0,
        "{}: killed ({})\n{}",
        path.display(),
        r.code,
        r.stderr
    );
    assert!(
        !r.stderr.contains("panicked"),
        "{}: {}",
        path.display(),
        r.stderr
    );
    assert!(
        fingerprint(path) == before,
        "{} was modified",
        path.display()
    );
    r
}

/// A refused file: exit code 2 and a message with the file's name and `expected`.
fn refused(path: &Path, expected: &str) {
    let r = report(path, &[]);
    let name = path.file_name().unwrap().to_str().unwrap();
    assert_eq!(r.code, 2, "{name}: {}", r.stderr);
    assert!(r.stderr.contains(name), "{name}: {}", r.stderr);
    assert!(r.stderr.contains(expected), "{name}: {}", r.stderr);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    // `bench/hostile.sh` keeps a copy of every generated file to measure the release build.
    if let Ok(keep) = std::env::var("TURNOUT_KEEP_HOSTILE") {
        let _ = std::fs::create_dir_all(&keep);
        let _ = std::fs::write(Path::new(&keep).join(name), bytes);
    }
    p
}

const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Registration Time</t></is></c><c r="B1" t="inlineStr"><is><t>Email</t></is></c></row>"#;

#[test]
fn crafted_spreadsheets_end_in_clear_errors_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // One cell at the last row and column Excel allows: nothing to read, no 512 GiB range.
    let sheet = r#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#;
    let p = write(d, "xfd.xlsx", &xlsx_parts(sheet, "<sst/>"));
    refused(&p, "beyond column 4,096");

    // The same with a real row: it loads.
    let sheet = format!(
        r#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData>{HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>2025-01-05 10:00</t></is></c><c r="B2" t="inlineStr"><is><t>a@example.org</t></is></c></row><row r="100000"><c r="ZZ100000" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#
    );
    let p = write(d, "far.xlsx", &xlsx_parts(&sheet, "<sst/>"));
    let r = report(&p, &["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["registrations"], 1);

    // One 1.5 GB cell in a file of under 10 MB.
    let prefix = br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#;
    let suffix = b"</t></is></c></row></sheetData></worksheet>";
    let cell = 1_500_000_000u64;
    let sheet = deflate_run(prefix, b'a', cell, suffix);
    let real = (prefix.len() as u64 + cell + suffix.len() as u64) as u32;
    let p = write(
        d,
        "cell-bomb.xlsx",
        &xlsx_raw((sheet.clone(), real, 0), raw_part(b"<sst/>")),
    );
    assert!(std::fs::metadata(&p).unwrap().len() < 10 << 20);
    refused(&p, "unpacks to more than");
    let p = write(
        d,
        "lying-size.xlsx",
        &xlsx_raw((sheet, 1_600, 0), raw_part(b"<sst/>")),
    );
    refused(&p, "declared");

    // 80,000 rows of 10 KB cells: 800 MB of XML from under 10 MB.
    let row = format!(
        r#"<row><c t="inlineStr"><is><t>2025-01-05 10:00</t></is></c><c t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "z".repeat(10_000)
    );
    let head = format!("<worksheet><sheetData>{HEADER_ROW}");
    let tail = b"</sheetData></worksheet>";
    let total = head.len() as u64 + 80_000 * row.len() as u64 + tail.len() as u64;
    let sheet = deflate_repeat(head.as_bytes(), row.as_bytes(), 80_000, tail);
    let p = write(
        d,
        "rows-bomb.xlsx",
        &xlsx_raw((sheet, total as u32, 0), raw_part(b"<sst/>")),
    );
    assert!(std::fs::metadata(&p).unwrap().len() < 10 << 20);
    refused(&p, "unpacks to more than");

    // A 40 KB shared string referenced by 200,000 cells.
    let mut cells = String::from("<worksheet><sheetData>");
    cells.push_str(HEADER_ROW);
    for r in 2..200_002 {
        cells.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>2025-01-05 10:00</t></is></c><c r="B{r}" t="s"><v>0</v></c></row>"#
        ));
    }
    cells.push_str("</sheetData></worksheet>");
    let sst = format!("<sst><si><t>{}</t></si></sst>", "b".repeat(40_000));
    let p = write(
        d,
        "shared-bomb.xlsx",
        &xlsx_raw(raw_part(cells.as_bytes()), raw_part(sst.as_bytes())),
    );
    refused(&p, "of text");

    // A shared-string table claiming four billion entries.
    let sheet = format!("<worksheet><sheetData>{HEADER_ROW}</sheetData></worksheet>");
    let p = write(
        d,
        "sst-count.xlsx",
        &xlsx_parts(&sheet, r#"<sst uniqueCount="4000000000"/>"#),
    );
    refused(&p, "header");

    // XML entity tricks.
    let sheet = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaaaaaaaa">]><worksheet><sheetData/></worksheet>"#;
    let p = write(d, "doctype.xlsx", &xlsx_parts(sheet, "<sst/>"));
    refused(&p, "DOCTYPE");

    // An 855-byte-class ODS whose one row repeats 1,048,575 times.
    let content = format!(
        r#"<table:table table:name="S"><table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="1048575">{}{}</table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#,
        ods_text("Registration Time"),
        ods_text("Email"),
        ods_text("2025-01-05 10:00"),
        ods_text("x@example.org")
    );
    let p = write(d, "repeat.ods", &ods(&content));
    let r = report(&p, &["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["registrations"], 1001);

    // An XLS whose DIMENSIONS record claims 4 billion rows.
    let p = write(
        d,
        "dims.xls",
        &xls(
            &["Registration Time", "Email"],
            &[(vec!["a@example.org".into()], vec![45_000.5])],
            false,
            (0, u32::MAX, 0, u16::MAX),
        ),
    );
    assert_eq!(report(&p, &[]).code, 0);

    // Broken containers say what is wrong.
    let good = xlsx_parts(
        &format!("<worksheet><sheetData>{HEADER_ROW}</sheetData></worksheet>"),
        "<sst/>",
    );
    let p = write(d, "truncated.xlsx", &good[..good.len() / 2]);
    refused(&p, "damaged or cut off");
    let p = write(d, "renamed.xlsx", &zip_parts(&[("a.txt", b"hello")]));
    refused(&p, "not a spreadsheet");
    let mut garbage = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    garbage.extend(std::iter::repeat_n(0x41u8, 4096));
    let p = write(d, "garbage.xls", &garbage);
    refused(&p, "container is damaged");
}

#[test]
fn pipes_devices_and_folders_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("export.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for (path, expected) in [
        (fifo.as_path(), "named pipe"),
        (Path::new("/dev/zero"), "a device"),
        (dir.path(), "a folder"),
    ] {
        let r = run(&["report", path.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(expected), "{}", r.stderr);
    }
}

#[test]
fn control_characters_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "evil.csv",
        b"Registration Time,Email,\x1b]0;owned\x07Name\n2025-01-05 10:00,a@example.org,\x1b[2JBob\n",
    );
    let r = report(&p, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('\x1b') && !r.stderr.contains('\x1b'));
    // No time column at all: the error lists the headers, escaped.
    let p = write(
        dir.path(),
        "evil2.csv",
        b"\x1b]0;owned\x07Member,Level\nAnn Lee,gold\nBo Chan,silver\nCy Diaz,gold\n",
    );
    let r = report(&p, &[]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains('\x1b'), "{}", r.stderr);
    assert!(r.stderr.contains("\\x1B"), "{}", r.stderr);
}

#[test]
fn nul_bytes_cost_only_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = b"Registration Time,Email\n".to_vec();
    for i in 0..20 {
        csv.extend(format!("2025-01-05 10:{i:02},p{i}@example.org\n").as_bytes());
    }
    csv.extend(b"2025-01-06 10:00,bro\0\0ken@example.org\n");
    csv.extend([0u8; 512]);
    let p = write(dir.path(), "nul.csv", &csv);
    let r = report(&p, &["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["rows"], 22);
    assert_eq!(v["registrations"], 20);
    assert_eq!(v["rejected_count"], 2);
    assert!(
        v["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("NUL bytes")
    );
}

#[test]
fn outputs_never_overwrite_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Registration Time,Email,file,line,score,reasons\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "2025-01-05 10:{i:02},same+{i}@mailinator.com,f,1,9,r\n"
        ));
    }
    let p = write(dir.path(), "in.csv", csv.as_bytes());
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&p, &link).unwrap();
    let hard = dir.path().join("hard.csv");
    std::fs::hard_link(&p, &hard).unwrap();
    for out in [&p, &link, &hard] {
        let r = report(&p, &["--flagged-out", out.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("refusing to overwrite"), "{}", r.stderr);
    }
    // To a new file: one header, no duplicate column names, every flagged row.
    let out = dir.path().join("flagged.csv");
    let r = report(&p, &["--flagged-out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let mut unique = header.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), header.len(), "{header:?}");
    assert!(header.contains(&"turnout_score"), "{header:?}");
    assert_eq!(text.lines().count(), 31);
}

#[test]
fn a_project_is_not_an_export() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "event.turnout.ron", b"(version: 1)");
    refused(&p, "Turnout project");
}

/// Headcount files with counts at the edge of what a number holds: the stores' counts of a day
/// add up without overflowing, and a count beyond any number is a clear error with its line.
#[test]
fn headcounts_at_the_limits_of_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut res = String::from("store,visit_datetime,reserve_datetime,reserve_visitors\n");
    for day in 1..=9 {
        for store in ["a", "b"] {
            res.push_str(&format!(
                "{store},2026-03-0{day} 19:00:00,2026-02-20 10:00:00,2\n"
            ));
        }
    }
    let res = write(dir.path(), "reserve.csv", res.as_bytes());
    let mut counts = String::from("store,visit_date,visitors\n");
    for day in 1..=9 {
        for store in ["a", "b"] {
            counts.push_str(&format!("{store},2026-03-0{day},{}\n", u64::MAX));
        }
    }
    let counts = write(dir.path(), "visitors.csv", counts.as_bytes());
    let r = run(&[
        "backtest",
        res.to_str().unwrap(),
        "--headcounts",
        counts.to_str().unwrap(),
        "--json",
        "--no-flags",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let too_big = write(
        dir.path(),
        "too-big.csv",
        b"store,visit_date,visitors\na,2026-03-01,99999999999999999999999\n",
    );
    let r = run(&[
        "backtest",
        res.to_str().unwrap(),
        "--headcounts",
        too_big.to_str().unwrap(),
    ]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("line 2"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}
