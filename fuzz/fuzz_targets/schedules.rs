//! AWS cron and rate expressions with a time zone, and DLM intervals.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        resilint::fuzzing::schedules(text);
    }
});
