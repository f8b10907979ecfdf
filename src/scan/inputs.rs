//! Reading the discovered files: each is read once, in parallel, registered in the
//! [`SourceRegistry`] in a stable order (stable file ids), and sorted by what it is: a
//! CloudFormation template, a Terraform plan, or a `.tf` file of a module directory.

use std::collections::{BTreeSet, HashMap};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{Candidate, Kind, WalkError};
use crate::model;
use crate::parse::{self, ParseError, cfn_detect};
use crate::source::{FileId, Language, SourceRegistry, relative_path};
use crate::tree::Tree;

/// A CloudFormation template to parse.
pub struct Template {
    /// Its file.
    pub id: FileId,
    /// Its path relative to the base (the unit its resources belong to).
    pub unit: String,
    /// Its text.
    pub text: Arc<str>,
    /// YAML or JSON.
    pub language: Language,
    /// Whether it was named on the command line (then a file that turns out not to be a
    /// template is said to be so).
    pub named: bool,
}

/// A Terraform plan to map onto its configuration.
pub struct Plan {
    /// Its file.
    pub id: FileId,
    /// Its path relative to the base.
    pub unit: String,
    /// Its text.
    pub text: Arc<str>,
    /// The configuration directory its resources map back to.
    pub config_dir: PathBuf,
}

/// The files of a scan, read and sorted.
#[derive(Default)]
pub struct Inputs {
    /// CloudFormation templates.
    pub templates: Vec<Template>,
    /// Terraform plans.
    pub plans: Vec<Plan>,
    /// Directories holding scanned `.tf` files.
    pub tf_dirs: BTreeSet<PathBuf>,
    /// Each scanned `.tf` file's directory and text (for the module calls between directories).
    pub calls: Vec<(PathBuf, Arc<str>)>,
    /// Terragrunt units: their `terragrunt.hcl` (canonical).
    pub terragrunt: Vec<PathBuf>,
    /// Files that could not be read, or are not text.
    pub parse_errors: Vec<ParseError>,
    /// Files named on the command line that are neither templates nor plans (relative paths).
    pub not_templates: Vec<String>,
    /// Files read.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
}

/// A candidate file after reading: its text, or why it is not text.
struct Read {
    language: Language,
    text: Arc<str>,
    error: Option<ParseError>,
}

/// Reads every candidate and registers it; a path that could not be walked becomes a parse
/// error of its own. `config_dir`: the configuration directory of plans (default: each plan's).
pub fn read_all(
    candidates: Vec<Candidate>,
    walk_errors: &[WalkError],
    tree: &Tree,
    registry: &SourceRegistry,
    base: &Path,
    config_dir: Option<&Path>,
) -> Inputs {
    let candidates = unique_files(tree, candidates);
    let read: Vec<Result<Read, Skip>> = candidates.par_iter().map(|(_, c)| read(c, tree)).collect();
    let mut inputs = Inputs::default();
    for ((abs, c), r) in candidates.into_iter().zip(read) {
        let rel = relative_path(&abs, base);
        // A YAML/JSON file that cannot be a template is not part of the scan: said when it was
        // named on the command line, silent when found in a directory.
        let r = match r {
            Ok(r) => r,
            Err(Skip::NotIac) if c.named => {
                inputs.not_templates.push(rel);
                continue;
            }
            Err(_) => continue,
        };
        inputs.files += 1;
        inputs.bytes += r.text.len() as u64;
        let reg = registry.register(
            abs.clone(),
            c.path,
            rel.clone(),
            r.language,
            r.text.clone(),
            c.reported,
            r.error.is_some(),
        );
        if let Some(mut e) = r.error {
            e.span.file = reg.id;
            inputs.parse_errors.push(e);
            continue;
        }
        if c.kind == Kind::Terragrunt {
            inputs.terragrunt.push(abs);
        } else if r.language == Language::TerraformPlan {
            let config_dir = match config_dir {
                Some(d) => absolute(d),
                None => abs.parent().map(Path::to_path_buf).unwrap_or_default(),
            };
            inputs.plans.push(Plan {
                id: reg.id,
                unit: rel,
                text: r.text,
                config_dir,
            });
        } else if r.language.is_terraform() {
            let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
            inputs.calls.push((dir.clone(), r.text.clone()));
            inputs.tf_dirs.insert(dir);
        } else {
            inputs.templates.push(Template {
                id: reg.id,
                unit: rel,
                text: r.text,
                language: r.language,
                named: c.named,
            });
        }
    }
    for e in walk_errors {
        let abs = tree.canonical(&e.path);
        let reg = registry.register(
            abs.clone(),
            e.path.clone(),
            relative_path(&abs, base),
            Language::Terraform,
            Arc::from(""),
            true,
            true,
        );
        inputs.parse_errors.push(ParseError::at(
            reg.id,
            0,
            format!("cannot read: {}", e.message),
        ));
    }
    inputs
}

/// The candidates with their canonical paths, one per file: a file named twice (`check t.yaml .`,
/// or named and also the sibling of another named `.tf` file) is read and scanned once, under
/// its first name, and reported when any of its namings is.
fn unique_files(tree: &Tree, candidates: Vec<Candidate>) -> Vec<(PathBuf, Candidate)> {
    let keys: Vec<PathBuf> = candidates
        .par_iter()
        .map(|c| tree.canonical(&c.path))
        .collect();
    let mut index: HashMap<PathBuf, usize> = HashMap::with_capacity(keys.len());
    let mut out: Vec<(PathBuf, Candidate)> = Vec::with_capacity(keys.len());
    for (key, c) in keys.into_iter().zip(candidates) {
        match index.get(&key).and_then(|&i| out.get_mut(i)) {
            Some((_, first)) => first.merge(&c),
            None => {
                index.insert(key.clone(), out.len());
                out.push((key, c));
            }
        }
    }
    out
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    abs.canonicalize().unwrap_or(abs)
}

/// Reads one candidate: `None` for a YAML/JSON file that cannot be a template or a plan, and for
/// a file the tree refuses.
fn read(c: &Candidate, tree: &Tree) -> Result<Read, Skip> {
    let is_iac = |text: &str| cfn_detect::may_be_template(text) || model::plan::is_plan(text);
    // A large YAML/JSON file found in a directory is most likely data: it is not read unless
    // its beginning looks like a template or a plan (then it is reported as too large).
    if !c.kind.by_name()
        && !c.named
        && std::fs::metadata(&c.path).is_ok_and(|m| m.len() > parse::MAX_FILE_BYTES as u64)
        && !is_iac(&head(tree, &c.path))
    {
        return Err(Skip::NotIac);
    }
    let (mut language, (text, error)) = match parse::read_capped(tree, &c.path) {
        Ok(bytes) => (language_of(c.kind, &bytes), parse::decode(&bytes)),
        Err(None) => return Err(Skip::Refused),
        Err(Some(e)) => {
            return Ok(Read {
                language: language_of(c.kind, b""),
                text: Arc::from(""),
                error: Some(e),
            });
        }
    };
    // Only templates and plans matter among YAML/JSON files: a cheap check avoids parsing the
    // rest.
    if !c.kind.by_name() {
        if language == Language::CloudFormationJson && model::plan::is_plan(&text) {
            language = Language::TerraformPlan;
        } else if !cfn_detect::may_be_template(&text) {
            return Err(Skip::NotIac);
        }
    }
    Ok(Read {
        language,
        text,
        error,
    })
}

/// Why a candidate is not part of the scan.
enum Skip {
    /// A YAML/JSON file that is neither a template nor a plan.
    NotIac,
    /// The tree refuses it (and records why).
    Refused,
}

/// The beginning of a file, for a look at what it is without reading it all.
fn head(tree: &Tree, path: &Path) -> String {
    const HEAD_BYTES: u64 = 4096;
    let mut bytes = Vec::new();
    if tree.admit(path).is_ok()
        && let Ok((f, _)) = crate::tree::open_regular(path)
    {
        let _ = f.take(HEAD_BYTES).read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn language_of(kind: Kind, bytes: &[u8]) -> Language {
    match kind {
        Kind::Terraform | Kind::Terragrunt => Language::Terraform,
        Kind::TerraformJson => Language::TerraformJson,
        Kind::Json => Language::CloudFormationJson,
        Kind::Yaml => Language::CloudFormationYaml,
        Kind::Sniff => {
            let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
            if first == Some(&b'{') {
                Language::CloudFormationJson
            } else {
                Language::CloudFormationYaml
            }
        }
    }
}

/// The text of the file `name` in each directory holding one of `templates` (absolute paths),
/// by directory, read through the tree and at most `limit` bytes: the configuration a tool
/// writes beside its templates (`cdk.out/manifest.json`, `samconfig.toml`).
pub fn files_beside(
    templates: &[PathBuf],
    name: &str,
    tree: &Tree,
    limit: u64,
) -> Vec<(PathBuf, String)> {
    let mut dirs: Vec<&Path> = templates.iter().filter_map(|t| t.parent()).collect();
    dirs.sort();
    dirs.dedup();
    dirs.into_iter()
        .filter_map(|dir| {
            let file = dir.join(name);
            if !file.is_file() {
                return None;
            }
            let text = tree.read_string(&file, limit).ok()?;
            Some((dir.to_path_buf(), text))
        })
        .collect()
}
