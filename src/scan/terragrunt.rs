//! Terragrunt units of a scan: each `terragrunt.hcl` evaluated, its module source resolved (a
//! local path, or a remote one through `--source-map`), ready for the [`Project`] to evaluate as
//! Terraform runs it. A file another unit includes is not a unit itself.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::model::ModelNote;
use crate::model::UnevaluatedModule;
use crate::model::terraform::project::{Project, UnitRun};
use crate::model::terragrunt::{self, source::Source};
use crate::notice::{self, Notice};
use crate::source::{Span, relative_path};
use crate::tree::{ReadError, Tree};

/// The units of a scan, and what could not be made of the others.
#[derive(Debug, Default)]
pub struct Units {
    /// Units whose module is found.
    pub runs: Vec<UnitRun>,
    /// Why other units (or parts of them) are not evaluated.
    pub notes: Vec<ModelNote>,
    /// Directories Terragrunt units stand for (theirs and their modules'): not root modules
    /// of their own.
    pub dirs: HashSet<PathBuf>,
    /// Units that check with `mock_outputs` of a dependency.
    pub notices: Vec<Notice>,
}

/// Evaluates the `terragrunt.hcl` files `paths` (canonical).
pub fn units(
    paths: &[PathBuf],
    project: &Project<'_>,
    tree: &Tree,
    base: &Path,
    source_map: &[(String, PathBuf)],
) -> Units {
    let configs: Vec<_> = paths
        .par_iter()
        .map(|p| terragrunt::evaluate_unit(project, p))
        .collect();
    let included: HashSet<PathBuf> = configs
        .iter()
        .flatten()
        .flat_map(|c| c.included.iter().cloned())
        .collect();
    let mut out = Units::default();
    for (path, config) in paths.iter().zip(configs) {
        let Ok(config) = config else {
            // It did not parse: the parse error says so.
            continue;
        };
        if included.contains(path) {
            continue;
        }
        let unit = relative_path(&config.dir, base);
        out.dirs.insert(config.dir.clone());
        for (name, _) in &config.mocks {
            out.notices.push(Notice::note(
                notice::TERRAGRUNT_MOCKS,
                relative_path(path, base),
                format!(
                    "`dependency.{name}.outputs` are the unit's `mock_outputs`: findings that rest on them hold for those assumed values"
                ),
            ));
        }
        let call = match &config.source {
            Some(s) => s.span,
            None => Span {
                file: config.file,
                start: 0,
                end: 0,
            },
        };
        match module_dir(&config, &unit, call, tree, source_map) {
            Ok(module_dir) => {
                out.dirs.insert(module_dir.clone());
                out.runs.push(UnitRun {
                    config,
                    unit,
                    module_dir,
                    call,
                });
            }
            Err(note) => {
                out.notes.extend(config.notes);
                out.notes.push(*note);
            }
        }
    }
    out
}

/// The module directory a unit runs: its source's, or its own when it sets none; a note when the
/// source is remote and not mapped, unknown, missing, or outside the scanned tree.
fn module_dir(
    config: &terragrunt::UnitConfig,
    unit: &str,
    call: Span,
    tree: &Tree,
    source_map: &[(String, PathBuf)],
) -> Result<PathBuf, Box<ModelNote>> {
    let fail = |source: &str, why: String, help: Option<&str>| {
        Box::new(ModelNote {
            span: call,
            message: why.clone(),
            call_chain: Vec::new(),
            module: Some(UnevaluatedModule {
                source: source.to_string(),
                address: unit.to_string(),
                why,
                not_installed: false,
                terragrunt_unit: true,
            }),
            help: help.map(str::to_string),
        })
    };
    let Some(node) = &config.source else {
        return tree
            .canonical_dir(&config.dir)
            .ok_or_else(|| fail("", "the unit's directory cannot be read".into(), None));
    };
    let Some(text) = node.as_str() else {
        return Err(fail(
            "",
            format!(
                "its module source is not known: {}",
                node.unknown_reason().unwrap_or_default()
            ),
            None,
        ));
    };
    let source = Source::parse(&text);
    let Some(dir) = source.directory(&config.dir, source_map) else {
        return Err(fail(
            &text,
            format!("its source `{text}` is remote: Terragrunt downloads it, resilint does not"),
            Some(
                "map the remote address to a local checkout with `--source-map ADDRESS=DIR` (as Terragrunt's --source-map does), or scan with the module available at a local path",
            ),
        ));
    };
    let canonical = tree.admit_dir(&dir).map_err(|e| match e {
        ReadError::NotFound => fail(
            &text,
            format!("its module directory {} does not exist", dir.display()),
            None,
        ),
        e => fail(
            &text,
            format!("its module directory cannot be read ({e})"),
            None,
        ),
    })?;
    if !tree.admits_module(&canonical, &config.dir) {
        return Err(fail(
            &text,
            format!(
                "its module directory {} is outside the scanned tree; resilint does not open it",
                dir.display()
            ),
            Some(
                "scan a directory that holds both the units and the modules (the repository root, say), or run resilint inside the git work tree that holds them",
            ),
        ));
    }
    Ok(canonical)
}
