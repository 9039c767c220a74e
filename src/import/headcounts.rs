//! Headcount files: how many people were counted at each past event (at the door, by the fire
//! marshal, a restaurant's visitors per day). Columns: the event's date (or date and time), an
//! optional group (location, store, room) and the count.
//!
//! ```text
//! visit_date,air_store_id,visitors
//! 2016-01-13,air_ba937bf13d40fb24,25
//! ```

use std::path::Path;

use jiff::tz::TimeZone;

use super::ImportError;
use super::roles::normalize_header;
use super::timestamp::{self, Resolver};
use crate::dataset::NO_TIME;

/// One counted event: local day, group ("" when the file has none), people.
pub type Headcount = (i64, String, u64);

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
) -> Result<Vec<Headcount>, ImportError> {
    let bytes = crate::fsutil::read_regular(path, 512 << 20).map_err(|message| {
        ImportError::Spreadsheet {
            path: path.to_path_buf(),
            message,
        }
    })?;
    let text =
        String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
    let delimiter = super::sniff::sniff_delimiter(text.as_bytes(), true);
    let records = super::sniff::head_records(text.as_bytes(), delimiter, usize::MAX, true);
    let Some(header) = records.first() else {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    };
    let names: Vec<String> = header.cells.iter().map(|h| normalize_header(h)).collect();
    let missing = |what: &str| ImportError::Spreadsheet {
        path: path.to_path_buf(),
        message: format!(
            "a headcount file needs {what} (columns: {})",
            header.cells.join(", ")
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
    let group = match group_by {
        Some(g) => names.iter().position(|h| *h == normalize_header(g)),
        None => {
            // Any other column whose values repeat: a store or location id.
            (0..names.len()).find(|&c| c != count && c != date && names.len() == 3)
        }
    };
    let mut resolver = Resolver::new(zone.clone(), false);
    let mut out = Vec::with_capacity(records.len());
    for (k, r) in records.iter().enumerate().skip(1) {
        let line = k as u32 + 1;
        let cell = |c: usize| r.cells.get(c).map(|s| s.trim()).unwrap_or("");
        let bad = |what: &str, v: &str| ImportError::Spreadsheet {
            path: path.to_path_buf(),
            message: format!("line {line}: {what} '{v}' cannot be read"),
        };
        if r.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let d = cell(date);
        let (raw, _) = timestamp::parse(d.as_bytes()).ok_or_else(|| bad("the date", d))?;
        let t = resolver.resolve(&raw).map_err(|_| bad("the date", d))?;
        if t == NO_TIME {
            continue;
        }
        let n = cell(count);
        let people: u64 = n
            .replace([',', '.', ' '], "")
            .parse()
            .map_err(|_| bad("the count", n))?;
        out.push((
            crate::timefmt::local_day(t, zone),
            group.map(|g| cell(g).to_string()).unwrap_or_default(),
            people,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restaurant_visitors_per_store_and_day() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("visits.csv");
        std::fs::write(
            &p,
            "air_store_id,visit_date,visitors\nair_1,2016-01-13,25\nair_2,2016-01-13,7\n",
        )
        .unwrap();
        let h = read(&p, &TimeZone::UTC, Some("air_store_id")).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].1, "air_1");
        assert_eq!(h[1].2, 7);
        assert_eq!(crate::timefmt::day_label(h[0].0), "2016-01-13");
    }
}
