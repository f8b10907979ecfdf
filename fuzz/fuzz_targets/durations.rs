//! Durations of resilint.toml and ISO 8601 durations and repeating intervals.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        resilint::fuzzing::durations(text);
    }
});
