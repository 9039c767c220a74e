//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod crowd;
pub mod sheets;

use std::path::PathBuf;

use jiff::tz::TimeZone;
use turnout::import::{ImportOptions, Imported, Role, import_file};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A hotel log in `dir` whose two rows are both rejected (lead times of 99,999,999 and −1
/// days): a file that opens but loads nothing. Not among the fixtures, which all load.
pub fn all_rejected_bookings(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("hotel_bookings_all_rejected.csv");
    std::fs::write(
        &path,
        "hotel,lead_time,arrival_date_year,arrival_date_month,arrival_date_day_of_month\n\
         City Hotel,99999999,2015,July,1\nCity Hotel,-1,2015,July,2\n",
    )
    .unwrap();
    path
}

pub fn chicago() -> ImportOptions {
    ImportOptions {
        time_zone: Some(TimeZone::get("America/Chicago").unwrap()),
        ..ImportOptions::default()
    }
}

/// Imports a fixture with the event in Chicago; panics with the error if it fails.
pub fn load(name: &str) -> Imported {
    import_file(&fixture(name), &chicago()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The header a role was mapped to.
pub fn header(imported: &Imported, role: Role) -> Option<String> {
    imported.report.header_for(role)
}

/// UTC seconds of an RFC 3339 instant.
pub fn utc(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_second()
}

/// Text of a role's column at a row.
pub fn text(imported: &Imported, role: Role, row: usize) -> String {
    imported
        .rows
        .text(role)
        .map(|c| c.get(row).to_string())
        .unwrap_or_default()
}
