//! The PyPI wheel (`pyproject.toml`, maturin with `bindings = "bin"`): what it holds, and that
//! installed into a fresh virtual environment its `resilint` runs and reports what the binary
//! built here reports. `.ci/run` builds the wheel and the source distribution into the
//! directory `RESILINT_WHEELHOUSE`; without it the tests skip, unless `RESILINT_REQUIRE_TOOLS=1`.

mod common;

use std::path::{Path, PathBuf};

use common::{external, repo_path, resilint, tools_required, wheelhouse, wheelhouse_file};

/// The resilint wheel of this version in the wheel directory, and its source distribution.
fn built() -> Option<(PathBuf, Option<PathBuf>)> {
    let dir = wheelhouse()?;
    let wheel = wheelhouse_file(&dir, ".whl")?;
    Some((wheel, wheelhouse_file(&dir, ".tar.gz")))
}

/// The names in a zip or tar.gz archive, read by Python's standard library.
fn archive_names(path: &Path) -> Vec<String> {
    let script = "import sys, tarfile, zipfile\n\
                  p = sys.argv[1]\n\
                  names = zipfile.ZipFile(p).namelist() if p.endswith('.whl') else tarfile.open(p).getnames()\n\
                  print('\\n'.join(names))\n";
    let out = external("python3", &repo_path(""))
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_wheel_holds_the_binary_and_its_metadata_only() {
    let Some((wheel, _)) = built() else {
        return;
    };
    let version = env!("CARGO_PKG_VERSION");
    let data = format!("resilint-{version}.data/scripts/");
    let info = format!("resilint-{version}.dist-info/");
    let names = archive_names(&wheel);
    let mut binaries = 0;
    for name in &names {
        if let Some(script) = name.strip_prefix(&data) {
            assert!(script == "resilint" || script == "resilint.exe", "{name}");
            binaries += 1;
        } else if let Some(meta) = name.strip_prefix(&info) {
            assert!(
                ["METADATA", "WHEEL", "RECORD", "licenses/LICENSE"].contains(&meta)
                    || meta.starts_with("sboms/"),
                "unexpected {name}"
            );
        } else {
            panic!("unexpected {name} in {}", wheel.display());
        }
    }
    assert_eq!(binaries, 1, "{names:?}");
    assert!(
        names.contains(&format!("{info}licenses/LICENSE")),
        "{names:?}"
    );
}

#[test]
fn the_source_distribution_holds_what_cargo_builds_from() {
    let Some((_, sdist)) = built() else {
        return;
    };
    let Some(sdist) = sdist else {
        assert!(
            !tools_required(),
            "no source distribution in RESILINT_WHEELHOUSE"
        );
        return;
    };
    let names = archive_names(&sdist);
    let top = format!("resilint-{}/", env!("CARGO_PKG_VERSION"));
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "pyproject.toml",
        "LICENSE",
        "README.md",
        "src/main.rs",
        "src/lib.rs",
        "rules/kb/aws/rds.toml",
        "rules/runbook/recovery.toml",
    ] {
        assert!(
            names.contains(&format!("{top}{needed}")),
            "{needed} missing from {}",
            sdist.display()
        );
    }
    for excluded in ["testdata/", "tests/", "fuzz/", "target/", ".ci/"] {
        assert!(
            !names
                .iter()
                .any(|n| n.starts_with(&format!("{top}{excluded}"))),
            "{excluded} in {}",
            sdist.display()
        );
    }
}

#[test]
fn installed_in_a_fresh_virtual_environment_it_runs() {
    let Some((wheel, _)) = built() else {
        return;
    };
    let venv = tempfile::tempdir().expect("tempdir");
    let started = std::time::Instant::now();
    let out = external("python3", venv.path())
        .args(["-m", "venv", "env"])
        .output()
        .expect("python3 -m venv");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bin = venv.path().join("env/bin");
    let out = external(&bin.join("pip").to_string_lossy(), venv.path())
        .args([
            "install",
            "--quiet",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg(&wheel)
        .output()
        .expect("pip install");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let installed = bin.join("resilint");
    let run = |args: &[&str]| {
        external(&installed.to_string_lossy(), &repo_path(""))
            .args(args)
            .env("RESILINT_REPRODUCIBLE", "1")
            .output()
            .expect("the installed resilint runs")
    };
    let first = run(&["check", "testdata/examples", "--format", "json"]);
    eprintln!(
        "venv, pip install and the first check: {:.2}s",
        started.elapsed().as_secs_f64()
    );
    // The examples have findings: exit 1, and the same report as the binary built here.
    assert_eq!(
        first.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let here = resilint()
        .args(["check", "testdata/examples", "--format", "json"])
        .output()
        .expect("runs");
    let parse =
        |bytes: &[u8]| -> serde_json::Value { serde_json::from_slice(bytes).expect("JSON") };
    let (installed_report, built_report) = (parse(&first.stdout), parse(&here.stdout));
    assert!(
        built_report["findings"]
            .as_array()
            .is_some_and(|f| !f.is_empty()),
        "{built_report}"
    );
    assert_eq!(installed_report, built_report);
    // The same version, and a knowledge base with the same digest.
    let version = |out: std::process::Output| String::from_utf8_lossy(&out.stdout).into_owned();
    let installed_version = version(run(&["--version"]));
    let built_version = version(resilint().arg("--version").output().expect("runs"));
    let kb_line = |v: &str| {
        v.lines()
            .find(|l| l.starts_with("knowledge base: "))
            .map(str::to_string)
    };
    assert_eq!(
        installed_version.lines().next(),
        built_version.lines().next()
    );
    assert!(kb_line(&built_version).is_some(), "{built_version}");
    assert_eq!(kb_line(&installed_version), kb_line(&built_version));
}
