//! Terraform's JSON syntax (`*.tf.json`, CDKTF's `cdk.tf.json`), through the whole pipeline.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| resilint::fuzzing::check_file(
    "main.tf.json",
    &[],
    data
));
