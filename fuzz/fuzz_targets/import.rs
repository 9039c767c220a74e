//! Any bytes, as a file: the importer returns rows or an error, never panics, and accounts
//! for every data row it read.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use turnout::import::{ImportOptions, import_bytes};

fuzz_target!(|data: &[u8]| {
    let opts = ImportOptions {
        time_zone: Some(jiff::tz::TimeZone::UTC),
        ..ImportOptions::default()
    };
    if let Ok(f) = import_bytes(Path::new("fuzz.csv"), data, &opts) {
        let r = &f.report;
        assert_eq!(
            r.rows_read,
            r.rows_loaded + r.rejected_count + r.merged_rows
        );
        assert_eq!(f.rows.len() as u64, r.rows_loaded);
    }
});
