//! CloudFormation YAML (short-form tags, anchors, intrinsics), through the whole pipeline.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use resilint::fuzzing::Sandbox;

static SANDBOX: OnceLock<Sandbox> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let sandbox = SANDBOX.get_or_init(|| Sandbox::new().expect("a sandbox"));
    if let Err(violation) = sandbox.check("template.yaml", data) {
        panic!("{violation}");
    }
});
