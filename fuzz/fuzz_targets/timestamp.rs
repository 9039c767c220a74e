//! Any text as a timestamp: parsed or refused, never a panic; a parsed stamp round-trips
//! through its packed form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use turnout::import::timestamp::{RawStamp, Resolver, parse};

fuzz_target!(|data: &[u8]| {
    if let Some((raw, shape)) = parse(data) {
        assert_eq!(RawStamp::unpack(raw.pack()), raw);
        let _ = shape.format(raw.ambiguous);
        let _ = Resolver::new(jiff::tz::TimeZone::UTC, true).resolve(&raw);
    }
});
