//! CloudFormation JSON with intrinsics, through the whole pipeline.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| resilint::fuzzing::check_file(
    "template.json",
    &[],
    data
));
