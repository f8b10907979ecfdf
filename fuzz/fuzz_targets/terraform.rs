//! The Terraform front end and evaluator, through the whole pipeline and every output format.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| resilint::fuzzing::check_file("main.tf", &[], data));
