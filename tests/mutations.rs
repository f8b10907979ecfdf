//! Property test on stable Rust: random mutations of real files (`../shared/corpus` and
//! `testdata/`) through the whole pipeline and every output format, asserting that nothing
//! panics, that each input finishes within a generous bound (a hang detector, not a
//! benchmark), that nothing from outside the scanned tree reaches an output, and that the
//! documents stay valid JSON (see `resilint::fuzzing::Sandbox`).
//!
//! The run is deterministic: the same cases every time. `RESILINT_MUTATIONS=N` runs N cases and
//! `RESILINT_MUTATION_SEED=S` other ones, for longer runs by hand. The coverage-guided fuzz
//! targets in `fuzz/` go further (nightly; see the README).

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use resilint::fuzzing::Sandbox;

/// Longest a single input may take in a debug build before it counts as a hang.
const HANG: Duration = Duration::from_secs(20);

/// Largest file taken as a seed: small files mutate into more different inputs per second.
const MAX_SEED_BYTES: u64 = 24 * 1024;

/// Fragments that steer mutations towards what the front ends and the tree treat specially.
const TOKENS: &[&str] = &[
    "${",
    "}",
    "{",
    "[",
    "]",
    "\"",
    "\n",
    "= ",
    "!Ref ",
    "!GetAtt a.b",
    "!Sub '${x}'",
    "&a ",
    "*a",
    "<<: *a\n",
    "Fn::If",
    "count = 3\n",
    "for_each = var.x\n",
    "dynamic \"rule\" {\n for_each = [1]\n content {}\n}\n",
    "file(\"../outside/secret.txt\")",
    "file(\"outside.tf\")",
    "templatefile(\"${path.module}/../outside/secret.txt\", {})",
    "module \"m\" {\n source = \"../outside\"\n}\n",
    "locals { t = local.t }\n",
    "tags = { resilience-tier = local.t }\n",
    "resource \"aws_db_instance\" \"d\" {\n backup_retention_period = 7\n}\n",
    "cron(0 5 ? * * *)",
    "rate(1 hours)",
    "\u{0}",
    "é€",
    "\"format_version\": \"1.2\", \"planned_values\": {",
];

/// One mutation: where (a fraction of the length, in 1/65536ths), and what.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(u16, u8),
    Insert(u16, usize),
    Delete(u16, u16),
    Duplicate(u16, u16),
    Truncate(u16),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<u16>(), any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        (any::<u16>(), 0..TOKENS.len()).prop_map(|(p, t)| Mutation::Insert(p, t)),
        (any::<u16>(), 1..256u16).prop_map(|(p, n)| Mutation::Delete(p, n)),
        (any::<u16>(), 1..512u16).prop_map(|(p, n)| Mutation::Duplicate(p, n)),
        any::<u16>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |p: u16, len: usize| (p as usize * len) / 65_536;
    match *m {
        Mutation::Flip(p, bit) => {
            if !bytes.is_empty() {
                let i = at(p, bytes.len());
                bytes[i] ^= 1 << (bit % 8);
            }
        }
        Mutation::Insert(p, t) => {
            let i = at(p, bytes.len() + 1);
            bytes.splice(i..i, TOKENS[t].bytes());
        }
        Mutation::Delete(p, n) => {
            let i = at(p, bytes.len());
            let end = (i + n as usize).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Duplicate(p, n) => {
            let i = at(p, bytes.len());
            let end = (i + n as usize).min(bytes.len());
            let copy: Vec<u8> = bytes[i..end].to_vec();
            bytes.splice(end..end, copy);
        }
        Mutation::Truncate(p) => bytes.truncate(at(p, bytes.len() + 1)),
    }
}

/// The seed files: testdata always, the shared corpus when it is there.
fn seeds() -> Vec<PathBuf> {
    let mut roots = vec![common::repo_path("testdata")];
    match common::corpus("") {
        Some(c) => roots.push(c),
        None => assert!(
            !common::corpus_required(),
            "../shared/corpus is required (RESILINT_REQUIRE_CORPUS) but absent"
        ),
    }
    let mut out = Vec::new();
    for root in roots {
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                let Ok(t) = e.file_type() else { continue };
                if t.is_dir() {
                    stack.push(p);
                } else if t.is_file()
                    && e.metadata().is_ok_and(|m| m.len() <= MAX_SEED_BYTES)
                    && ["tf", "tfvars", "yaml", "yml", "json", "template", "hcl"]
                        .iter()
                        .any(|x| p.extension().is_some_and(|e| e == *x))
                {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// The name the mutated file gets in the sandbox: what it was, by kind.
fn name_for(path: &std::path::Path) -> &'static str {
    let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if file.ends_with(".tf.json") {
        return "main.tf.json";
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("hcl") => "terragrunt.hcl",
        Some("tf") => "main.tf",
        Some("tfvars") => "terraform.tfvars",
        Some("json") => "template.json",
        Some("template") => "stack.template",
        _ => "template.yaml",
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_real_files_never_panic_hang_or_leak() {
    let seeds = seeds();
    assert!(seeds.len() > 20, "too few seed files: {}", seeds.len());
    // Panics inside a unit of the scan are caught (the unit is lost, the scan goes on): count
    // them here, since each one is a bug.
    let panics = Arc::new(AtomicUsize::new(0));
    let last_panic = Arc::new(Mutex::new(String::new()));
    let default_hook = std::panic::take_hook();
    {
        let (panics, last_panic) = (panics.clone(), last_panic.clone());
        std::panic::set_hook(Box::new(move |info| {
            panics.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut m) = last_panic.lock() {
                *m = info.to_string();
            }
        }));
    }
    let sandbox = Sandbox::new().expect("sandbox");
    let cases = env_number("RESILINT_MUTATIONS", 400) as u32;
    let seed = env_number("RESILINT_MUTATION_SEED", 8);
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &key),
    );
    let strategy = (0..seeds.len(), proptest::collection::vec(mutation(), 1..8));
    let result = runner.run(&strategy, |(i, mutations)| {
        let path = &seeds[i];
        let mut bytes = std::fs::read(path).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let before = panics.load(Ordering::SeqCst);
        let outcome = sandbox
            .check(name_for(path), &bytes)
            .map_err(|v| TestCaseError::fail(format!("{}: {v}", path.display())))?;
        if panics.load(Ordering::SeqCst) != before {
            let message = last_panic.lock().map(|m| m.clone()).unwrap_or_default();
            return Err(TestCaseError::fail(format!(
                "{} mutated by {mutations:?} panicked: {message}",
                path.display()
            )));
        }
        if outcome.elapsed > HANG {
            return Err(TestCaseError::fail(format!(
                "{} mutated by {mutations:?} took {:?}",
                path.display(),
                outcome.elapsed
            )));
        }
        Ok(())
    });
    std::panic::set_hook(default_hook);
    if let Err(e) = result {
        panic!("{e}");
    }
}
