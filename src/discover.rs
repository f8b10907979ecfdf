//! Stage 1: find the files to scan.
//!
//! Directories are walked with the `ignore` crate: `.gitignore`, `.ignore` and `.resilintignore`
//! are honoured (also outside git repositories), hidden directories such as `.terraform/` and
//! `.git/` are skipped, and linked directories are not followed (so link loops cannot hang the
//! walk, and no file is found twice). A linked file is a candidate when the [`Tree`] admits it:
//! when it leads to a file inside the scanned tree.
//! Files named on the command line always count. Terraform is recognised by extension;
//! CloudFormation templates by content, after parsing (other YAML/JSON is ignored silently).
//! Terraform JSON (`*.tf.json`, `*.tofu.json`) is Terraform too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::source::lock_ignoring_poison;
use crate::tree::{Entry, Tree};

/// What a file is expected to be, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `*.tf`, `*.tofu`.
    Terraform,
    /// `*.tf.json`, `*.tofu.json`: Terraform's JSON syntax.
    TerraformJson,
    /// `terragrunt.hcl`: a Terragrunt unit.
    Terragrunt,
    /// YAML that may be a CloudFormation template.
    Yaml,
    /// JSON that may be a CloudFormation template.
    Json,
    /// `*.template` or an explicitly named file: JSON or YAML, decided by content.
    Sniff,
}

impl Kind {
    /// Whether files of this kind are recognised by name (Terraform in either syntax, or
    /// Terragrunt), not by content as YAML and JSON templates are.
    pub fn by_name(self) -> bool {
        matches!(
            self,
            Kind::Terraform | Kind::TerraformJson | Kind::Terragrunt
        )
    }

    /// Whether files of this kind are a module's configuration (`.tf`, `.tofu` and their JSON).
    pub fn is_module_file(self) -> bool {
        matches!(self, Kind::Terraform | Kind::TerraformJson)
    }
}

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Path (as given, joined to the walked directory).
    pub path: PathBuf,
    /// Expected kind.
    pub kind: Kind,
    /// Whether findings located in it are reported (false for files loaded only as context,
    /// such as the other `.tf` files of a module whose file was named explicitly).
    pub reported: bool,
    /// Whether it was named on the command line (rather than found in a directory).
    pub named: bool,
}

impl Candidate {
    /// Takes in another naming of the same file: reported or named if either is.
    pub fn merge(&mut self, other: &Candidate) {
        self.reported |= other.reported;
        self.named |= other.named;
    }
}

/// A path that could not be walked.
#[derive(Debug, Clone)]
pub struct WalkError {
    /// The path.
    pub path: PathBuf,
    /// Why.
    pub message: String,
}

/// The files of a scan.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files, sorted by path.
    pub candidates: Vec<Candidate>,
    /// Paths that could not be walked or read.
    pub errors: Vec<WalkError>,
}

/// Whether a file is Terraform JSON (`*.tf.json`, `*.tofu.json`).
pub fn is_terraform_json(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|n| n.ends_with(".tf.json") || n.ends_with(".tofu.json"))
}

/// The kind of a file by name, or `None` when it is not a candidate.
pub fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    // OpenTofu reads `.tofu` files as it reads `.tf` ones.
    if name.ends_with(".tf") || name.ends_with(".tofu") {
        Some(Kind::Terraform)
    } else if name == "terragrunt.hcl" {
        Some(Kind::Terragrunt)
    } else if is_terraform_json(path) {
        Some(Kind::TerraformJson)
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        Some(Kind::Yaml)
    } else if name.ends_with(".json") {
        Some(Kind::Json)
    } else if name.ends_with(".template") {
        Some(Kind::Sniff)
    } else {
        None
    }
}

/// Finds the files below `paths`. A path that does not exist is an error the caller reports.
/// Every file is judged by the [`Tree`]: a link that leads outside it, or a file that is not
/// a regular file, is not a candidate (the tree records why).
pub fn discover(paths: &[PathBuf], tree: &Tree, threads: usize) -> Result<Discovery, String> {
    let mut out = Discovery::default();
    let mut found: BTreeSet<Candidate> = BTreeSet::new();
    for path in paths {
        let meta =
            std::fs::symlink_metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let is_dir = meta.is_dir() || (meta.is_symlink() && path.is_dir());
        if is_dir {
            walk(path, tree, threads, &mut found, &mut out.errors);
            continue;
        }
        if !matches!(tree.entry(path, meta.file_type()), Entry::File(_)) {
            continue;
        }
        let kind = kind_of(path).unwrap_or(Kind::Sniff);
        found.insert(Candidate {
            path: path.clone(),
            kind,
            reported: true,
            named: true,
        });
        // A Terraform file's module is its directory: load the other files as context.
        if kind.is_module_file() {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                let Some(sibling) = kind_of(&p).filter(|k| k.is_module_file()) else {
                    continue;
                };
                let Ok(file_type) = e.file_type() else {
                    continue;
                };
                if let Entry::File(_) = tree.entry(&p, file_type) {
                    // Named as the file was (`a.tf` brings `b.tf`, `./a.tf` `./b.tf`).
                    found.insert(Candidate {
                        path: path.with_file_name(e.file_name()),
                        kind: sibling,
                        reported: false,
                        named: false,
                    });
                }
            }
        }
    }
    // A file both explicit (reported) and context is reported.
    let mut candidates: Vec<Candidate> = Vec::with_capacity(found.len());
    for c in found {
        match candidates.last_mut() {
            Some(last) if last.path == c.path => last.merge(&c),
            _ => candidates.push(c),
        }
    }
    out.candidates = candidates;
    Ok(out)
}

fn walk(
    root: &Path,
    tree: &Tree,
    threads: usize,
    found: &mut BTreeSet<Candidate>,
    errors: &mut Vec<WalkError>,
) {
    let shared = Mutex::new((Vec::new(), Vec::new()));
    WalkBuilder::new(root)
        .standard_filters(true)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(".resilintignore")
        .threads(threads)
        .build_parallel()
        .run(|| {
            let shared = &shared;
            Box::new(move |entry| {
                match entry {
                    Ok(e) => {
                        // The root itself was judged by the caller; below it, every entry of a
                        // candidate's name, and every linked directory (which may lead out of
                        // the tree: a module source through it would be refused).
                        let kind = kind_of(e.path());
                        let judge = e.depth() > 0
                            && (kind.is_some() || (e.path_is_symlink() && e.path().is_dir()));
                        if let (true, Some(file_type)) = (judge, e.file_type())
                            && let Entry::File(_) = tree.entry(e.path(), file_type)
                            && let Some(kind) = kind
                        {
                            lock_ignoring_poison(shared).0.push(Candidate {
                                path: e.into_path(),
                                kind,
                                reported: true,
                                named: false,
                            });
                        }
                    }
                    Err(err) => {
                        let path = match &err {
                            ignore::Error::WithPath { path, .. } => path.clone(),
                            _ => root.to_path_buf(),
                        };
                        lock_ignoring_poison(shared).1.push(WalkError {
                            path,
                            message: err.to_string(),
                        });
                    }
                }
                WalkState::Continue
            })
        });
    let (cands, errs) = shared
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    found.extend(cands);
    errors.extend(errs);
}

/// The base directory that reported paths are relative to: the git repository containing the
/// first path, else the first path if it is a directory (its parent if a file), else the current
/// directory.
pub fn base_dir(paths: &[PathBuf]) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let Some(first) = paths.first() else {
        return git_root(&cwd).unwrap_or(cwd);
    };
    let abs = cwd.join(first);
    let abs = abs.canonicalize().unwrap_or(abs);
    if let Some(root) = git_root(&abs) {
        return root;
    }
    if paths.len() == 1 {
        if abs.is_dir() {
            return abs;
        }
        if let Some(p) = abs.parent() {
            return p.to_path_buf();
        }
    }
    cwd
}

/// The nearest directory at or above `start` that contains `.git`.
pub fn git_root(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        assert_eq!(kind_of(Path::new("main.tf")), Some(Kind::Terraform));
        assert_eq!(kind_of(Path::new("x.tf.json")), Some(Kind::TerraformJson));
        assert_eq!(kind_of(Path::new("cdk.tf.json")), Some(Kind::TerraformJson));
        assert_eq!(kind_of(Path::new("x.tofu.json")), Some(Kind::TerraformJson));
        assert_eq!(kind_of(Path::new("x.tfvars.json")), Some(Kind::Json));
        assert_eq!(kind_of(Path::new("x.json")), Some(Kind::Json));
        assert_eq!(kind_of(Path::new("stack.YAML")), Some(Kind::Yaml));
        assert_eq!(kind_of(Path::new("t.template")), Some(Kind::Sniff));
        assert_eq!(
            kind_of(Path::new("live/db/terragrunt.hcl")),
            Some(Kind::Terragrunt)
        );
        assert_eq!(kind_of(Path::new("root.hcl")), None);
        assert_eq!(kind_of(Path::new("README.md")), None);
    }

    #[test]
    fn walks_honouring_ignore_files_and_skipping_hidden_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join(".terraform/modules")).unwrap();
        std::fs::create_dir_all(d.join("build")).unwrap();
        std::fs::write(d.join("main.tf"), "").unwrap();
        std::fs::write(d.join(".terraform/modules/x.tf"), "").unwrap();
        std::fs::write(d.join("build/gen.tf"), "").unwrap();
        std::fs::write(d.join(".gitignore"), "build/\n").unwrap();
        std::fs::write(d.join("stack.yaml"), "").unwrap();
        std::fs::write(d.join("notes.txt"), "").unwrap();
        let found = discover(&[d.to_path_buf()], &Tree::default(), 2).unwrap();
        let names: Vec<_> = found
            .candidates
            .iter()
            .map(|c| {
                c.path
                    .strip_prefix(d)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["main.tf", "stack.yaml"]);
    }

    #[test]
    fn explicit_tf_files_bring_their_module_as_context() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.tf"), "").unwrap();
        std::fs::write(d.join("b.tf"), "").unwrap();
        let found = discover(&[d.join("a.tf")], &Tree::default(), 1).unwrap();
        let summary: Vec<_> = found
            .candidates
            .iter()
            .map(|c| {
                (
                    c.path.file_name().unwrap().to_string_lossy().into_owned(),
                    c.reported,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [("a.tf".to_string(), true), ("b.tf".to_string(), false)]
        );
        assert!(discover(&[d.join("missing.tf")], &Tree::default(), 1).is_err());
    }
}
