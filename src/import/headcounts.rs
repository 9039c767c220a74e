//! Headcount files: how many people were counted at each past event (at the door, by the fire
//! marshal, a restaurant's visitors per day). Columns: the event's date (or date and time), an
//! optional group (location, store, room) and the count. CSV or TSV text, or a workbook
//! (XLSX, XLS, ODS: its first sheet with rows).
//!
//! ```text
//! visit_date,air_store_id,visitors
//! 2016-01-13,air_ba937bf13d40fb24,25
//! ```

use std::path::Path;

use jiff::tz::TimeZone;

use super::ImportError;
use super::roles::normalize_header;
use super::source::FileKind;
use super::timestamp::{self, Resolver};
use crate::dataset::NO_TIME;

/// Rows a headcount file may hold: a count a day for 2,700 years, or a day's count for each of
/// 2,700 stores for a year.
const MAX_ROWS: usize = 1_000_000;

/// One counted event: local day, group ("" when the file has none), people.
pub type Headcount = (i64, String, u64);

/// What a headcount file gave: its counts, and the rows that could not be read (left out,
/// the first five of them said: "line 3: the date 'bad' cannot be read").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeadcountFile {
    pub counts: Vec<Headcount>,
    pub rejected_count: usize,
    pub rejected: Vec<String>,
    /// Said when the events are split by a column (`--by`) this file lacks: its counts are
    /// taken as whole days, and a third column that may hold the groups is named.
    pub group_note: Option<String>,
}

impl HeadcountFile {
    /// One sentence on the rows left out, naming the file, or `None` when every row was read.
    pub fn rejected_note(&self, path: &Path) -> Option<String> {
        (self.rejected_count > 0).then(|| {
            format!(
                "{}: {} row{} of door counts could not be read and {} left out: {}{}",
                path.display(),
                self.rejected_count,
                if self.rejected_count == 1 { "" } else { "s" },
                if self.rejected_count == 1 {
                    "is"
                } else {
                    "are"
                },
                self.rejected.join("; "),
                if self.rejected_count > self.rejected.len() {
                    "; …"
                } else {
                    ""
                }
            )
        })
    }
}

/// Rows left out that a [`HeadcountFile`] names.
const REJECTED_KEPT: usize = 5;

fn is_count(h: &str) -> bool {
    [
        "visitors",
        "count",
        "headcount",
        "head count",
        "attendance",
        "attendees",
        "people",
        "guests",
        "covers",
        "besucher",
        "anzahl",
        "teilnehmer",
        "personen",
        "door count",
        "total",
    ]
    .iter()
    .any(|w| h == *w || h.ends_with(&format!(" {w}")))
}

/// Whether a file with these headers reads as a headcount file: a count column, a date column
/// and at most a group beside them (`air_store_id, visit_date, visitors`).
pub fn looks_like_headcounts(headers: &[String]) -> bool {
    let names: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    names.len() <= 4
        && names.iter().any(|h| is_count(h))
        && names.iter().any(|h| is_date(h) && !is_count(h))
}

fn is_date(h: &str) -> bool {
    ["date", "day", "datum", "tag", "visit", "event", "when"]
        .iter()
        .any(|w| h.split(' ').any(|p| p == *w || p.starts_with(w)))
}

/// Reads a headcount file; `group_by` names the group column when there is one to match.
pub fn read(
    path: &Path,
    zone: &TimeZone,
    group_by: Option<&str>,
) -> Result<HeadcountFile, ImportError> {
    let bytes = crate::fsutil::read_regular(path, 512 << 20).map_err(|message| {
        ImportError::Spreadsheet {
            path: path.to_path_buf(),
            message,
        }
    })?;
    read_bytes(path, bytes, zone, group_by)
}

/// [`read`] on the bytes of the file at `path` (named in errors). A row whose date or count
/// cannot be read is left out and named; a file none of whose rows can be read is an error
/// naming the first.
pub fn read_bytes(
    path: &Path,
    bytes: Vec<u8>,
    zone: &TimeZone,
    group_by: Option<&str>,
) -> Result<HeadcountFile, ImportError> {
    // (line or sheet row, 1-based; cells).
    let kind = super::source::file_kind(&bytes[..bytes.len().min(64 * 1024)]);
    let place = if matches!(kind, FileKind::Zip | FileKind::Ole) {
        "row"
    } else {
        "line"
    };
    let records: Vec<(u32, Vec<String>)> = match kind {
        FileKind::Zip | FileKind::Ole => super::sheet::sheet_table(path, bytes, MAX_ROWS)?
            .into_iter()
            .map(|(row, cells)| (row.saturating_add(1), cells))
            .collect(),
        FileKind::Binary(what) => {
            return Err(ImportError::NotText {
                path: path.to_path_buf(),
                what: what.to_string(),
            });
        }
        FileKind::Text => {
            let text =
                String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
                    .into_owned();
            let delimiter = super::sniff::sniff_delimiter(text.as_bytes(), true);
            super::sniff::head_records(text.as_bytes(), delimiter, MAX_ROWS + 1, true)
                .into_iter()
                .enumerate()
                .map(|(k, r)| (k as u32 + 1, r.cells))
                .collect()
        }
    };
    let Some((_, header)) = records.first() else {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    };
    if records.len() > MAX_ROWS {
        return Err(ImportError::Spreadsheet {
            path: path.to_path_buf(),
            message: format!("more than {MAX_ROWS} rows: not a headcount file"),
        });
    }
    let names: Vec<String> = header.iter().map(|h| normalize_header(h)).collect();
    let missing = |what: &str| ImportError::Spreadsheet {
        path: path.to_path_buf(),
        message: format!(
            "a headcount file needs {what} (columns: {})",
            header.join(", ")
        ),
    };
    let count = names
        .iter()
        .position(|h| is_count(h))
        .ok_or_else(|| missing("a count column (visitors, count, headcount, attendance)"))?;
    let date = names
        .iter()
        .position(|h| is_date(h))
        .ok_or_else(|| missing("a date column (date, visit_date, event date)"))?;
    // Any other column beside the date and the count: a store or location id.
    let other = (0..names.len()).find(|&c| c != count && c != date && names.len() == 3);
    let mut group_note = None;
    let group = match group_by {
        Some(g) => {
            let found = names.iter().position(|h| *h == normalize_header(g));
            if found.is_none() {
                let header = |c: usize| records[0].1.get(c).map_or("", |h| h.trim());
                group_note = Some(format!(
                    "{}: no column named '{g}', so each count is taken as its whole day's, across \
                     every {g}{}",
                    path.display(),
                    other.map_or(String::new(), |c| format!(
                        " (if '{}' holds the {g} of each count, rename it '{g}')",
                        header(c)
                    ))
                ));
            }
            found
        }
        None => other,
    };
    let mut resolver = Resolver::new(zone.clone(), false);
    let mut out = HeadcountFile {
        counts: Vec::with_capacity(records.len()),
        group_note,
        ..HeadcountFile::default()
    };
    for (line, cells) in records.iter().skip(1) {
        let line = *line;
        let cell = |c: usize| cells.get(c).map(|s| s.trim()).unwrap_or("");
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let d = cell(date);
        let n = cell(count);
        let t = timestamp::parse(d.as_bytes()).and_then(|(raw, _)| resolver.resolve(&raw).ok());
        let people = super::values::parse_whole(n);
        let (t, people) = match (t, people) {
            (Some(t), Some(p)) => (t, p),
            (t, _) => {
                let (what, v) = if t.is_none() {
                    ("the date", d)
                } else {
                    ("the count", n)
                };
                out.rejected_count += 1;
                if out.rejected.len() < REJECTED_KEPT {
                    let v: String = v.chars().take(60).collect();
                    out.rejected
                        .push(format!("{place} {line}: {what} '{v}' cannot be read"));
                }
                continue;
            }
        };
        if t == NO_TIME {
            continue;
        }
        out.counts.push((
            crate::timefmt::local_day(t, zone),
            group.map(|g| cell(g).to_string()).unwrap_or_default(),
            people,
        ));
    }
    if out.counts.is_empty() && out.rejected_count > 0 {
        return Err(ImportError::Spreadsheet {
            path: path.to_path_buf(),
            message: format!(
                "no row of door counts could be read, the first: {}",
                out.rejected[0]
            ),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_of_door_counts_reads_like_its_csv() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("door counts.xlsx");
        let mut book = Workbook::new();
        // A title sheet with nothing on it comes first; the counts are on the second.
        book.add_worksheet().set_name("Notes").unwrap();
        let sheet = book.add_worksheet().set_name("Counts").unwrap();
        let day = Format::new().set_num_format("dd/mm/yyyy");
        sheet.write(0, 0, "Event date").unwrap();
        sheet.write(0, 1, "Room").unwrap();
        sheet.write(0, 2, "Head count").unwrap();
        for (r, (d, room, n)) in [(13, "A", 120u32), (13, "B", 45), (20, "A", 98)]
            .into_iter()
            .enumerate()
        {
            let r = r as u32 + 1;
            let date = ExcelDateTime::from_ymd(2026, 3, d).unwrap();
            sheet.write_datetime_with_format(r, 0, &date, &day).unwrap();
            sheet.write(r, 1, room).unwrap();
            sheet.write(r, 2, n).unwrap();
        }
        book.save(&p).unwrap();
        let h = read(&p, &TimeZone::UTC, Some("Room")).unwrap();
        assert_eq!(h.rejected_note(&p), None);
        let got: Vec<(String, &str, u64)> = h
            .counts
            .iter()
            .map(|(d, g, n)| (crate::timefmt::day_label(*d), g.as_str(), *n))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2026-03-13".to_string(), "A", 120),
                ("2026-03-13".to_string(), "B", 45),
                ("2026-03-20".to_string(), "A", 98),
            ]
        );
        // A bad count is left out and names the sheet row, as a bad CSV cell names the line;
        // the rows that can be read are kept.
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "date").unwrap();
        sheet.write(0, 1, "visitors").unwrap();
        sheet.write(1, 0, "2026-03-13").unwrap();
        sheet.write(1, 1, 12).unwrap();
        sheet.write(2, 0, "2026-03-14").unwrap();
        sheet.write(2, 1, "about twenty").unwrap();
        let bad = dir.path().join("bad.xlsx");
        book.save(&bad).unwrap();
        let h = read(&bad, &TimeZone::UTC, None).unwrap();
        assert_eq!(h.counts.len(), 1);
        let note = h.rejected_note(&bad).unwrap();
        assert!(
            note.ends_with(
                "1 row of door counts could not be read and is left out: row 3: the count \
                 'about twenty' cannot be read"
            ),
            "{note}"
        );
        let csv = dir.path().join("bad.csv");
        std::fs::write(
            &csv,
            "date,visitors\n2026-03-13,12\nsoon,5\n2026-03-14,about twenty\n",
        )
        .unwrap();
        let h = read(&csv, &TimeZone::UTC, None).unwrap();
        assert_eq!((h.counts.len(), h.rejected_count), (1, 2));
        let note = h.rejected_note(&csv).unwrap();
        assert!(
            note.contains("bad.csv: 2 rows")
                && note.contains("line 3: the date 'soon' cannot be read; line 4: the count"),
            "{note}"
        );
        // Nothing readable at all is an error naming the first row.
        let none = dir.path().join("none.csv");
        std::fs::write(&none, "date,visitors\nsoon,5\nlater,6\n").unwrap();
        let e = read(&none, &TimeZone::UTC, None).unwrap_err().to_string();
        assert!(
            e.contains("none.csv") && e.contains("line 2: the date 'soon' cannot be read"),
            "{e}"
        );
        // A picture is not a headcount file.
        let png = dir.path().join("counts.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n....").unwrap();
        let e = read(&png, &TimeZone::UTC, None).unwrap_err().to_string();
        assert!(e.contains("PNG"), "{e}");
    }

    #[test]
    fn counts_as_spreadsheets_write_them() {
        for (text, count) in [
            ("25", Some(25)),
            ("25.0", Some(25)),
            ("1,200", Some(1200)),
            ("1.200", Some(1200)),
            ("1 200", Some(1200)),
            ("12.5", None),
            ("-3", None),
            ("", None),
            ("about twenty", None),
        ] {
            assert_eq!(super::super::values::parse_whole(text), count, "{text}");
        }
    }

    #[test]
    fn restaurant_visitors_per_store_and_day() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("visits.csv");
        std::fs::write(
            &p,
            "air_store_id,visit_date,visitors\nair_1,2016-01-13,25\nair_2,2016-01-13,7\n",
        )
        .unwrap();
        let h = read(&p, &TimeZone::UTC, Some("air_store_id"))
            .unwrap()
            .counts;
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].1, "air_1");
        assert_eq!(h[1].2, 7);
        assert_eq!(crate::timefmt::day_label(h[0].0), "2016-01-13");
    }
}
