//! What a Terragrunt configuration sees besides Terraform's functions: Terragrunt's own
//! functions and the `include`, `dependency` and `feature` values.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{ConfigFiles, MAX_CONFIG_DEPTH, evaluate_file};
use crate::knowledge::KnowledgeBase;
use crate::model::node::{Kind, Node};
use crate::model::terraform::instance::{ModuleHost, ParsedDir};
use crate::source::{Span, normalize_path, relative_path};

/// Most directories `find_in_parent_folders()` climbs.
const MAX_PARENT_FOLDERS: usize = 100;

/// Functions whose value Terragrunt learns only when it runs.
const RUN_TIME: &[&str] = &[
    "get_aws_account_id",
    "get_aws_account_alias",
    "get_aws_caller_identity_arn",
    "get_aws_caller_identity_user_id",
    "get_terraform_command",
    "get_terraform_cli_args",
    "get_terragrunt_source_cli_flag",
    "get_platform",
    "get_working_dir",
    "run_cmd",
    "sops_decrypt_file",
    "read_tfvars_file",
    "get_terraform_commands_that_need_vars",
    "get_terraform_commands_that_need_input",
    "get_terraform_commands_that_need_locking",
    "get_terraform_commands_that_need_parallelism",
    "get_default_retryable_errors",
    "local_exec",
];

/// The evaluation context of one Terragrunt configuration file for one unit.
pub(super) struct ConfigHost<'c> {
    files: &'c dyn ConfigFiles,
    /// The unit's directory: `get_terragrunt_dir()`, where parent folders are searched from.
    unit_dir: PathBuf,
    /// The directory of the file being evaluated (relative paths of `read_terragrunt_config()`).
    file_dir: PathBuf,
    /// Included files' directories by include name (`""` for an unnamed include), in order.
    includes: Vec<(String, PathBuf)>,
    /// `include`, `dependency`, `feature`.
    globals: HashMap<String, Node>,
    depth: usize,
}

impl<'c> ConfigHost<'c> {
    pub(super) fn new(
        files: &'c dyn ConfigFiles,
        unit_dir: &Path,
        file_dir: &Path,
        depth: usize,
    ) -> ConfigHost<'c> {
        ConfigHost {
            files,
            unit_dir: unit_dir.to_path_buf(),
            file_dir: file_dir.to_path_buf(),
            includes: Vec::new(),
            globals: HashMap::new(),
            depth,
        }
    }

    /// Records an included file's directory (for `get_parent_terragrunt_dir()`,
    /// `path_relative_to_include()`).
    pub(super) fn add_include(&mut self, name: &str, dir: &Path) {
        self.includes.push((name.to_string(), dir.to_path_buf()));
    }

    /// The includes recorded so far.
    pub(super) fn includes(&self) -> &[(String, PathBuf)] {
        &self.includes
    }

    /// Binds `include`, `dependency` or `feature`.
    pub(super) fn bind(&mut self, name: &str, value: Node) {
        self.globals.insert(name.to_string(), value);
    }

    /// The directory of the include named by the first argument, or of the first include; the
    /// file's own directory when it includes nothing (as in the included file itself).
    fn include_dir(&self, args: &[Node]) -> Option<PathBuf> {
        let name = args
            .first()
            .and_then(|a| a.as_str().map(|s| s.into_owned()));
        match name {
            Some(n) => self
                .includes
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, d)| d.clone()),
            None => Some(
                self.includes
                    .first()
                    .map(|(_, d)| d.clone())
                    .unwrap_or_else(|| self.file_dir.clone()),
            ),
        }
    }

    fn find_in_parent_folders(&self, args: &[Node], span: Span) -> Node {
        let name = match args.first() {
            Some(a) => match a.as_str() {
                Some(s) => s.into_owned(),
                None => return pass_unknown(a, "find_in_parent_folders", span),
            },
            None => "terragrunt.hcl".to_string(),
        };
        let mut dir = self.unit_dir.parent();
        for _ in 0..MAX_PARENT_FOLDERS {
            let Some(d) = dir else { break };
            let candidate = d.join(&name);
            if std::fs::symlink_metadata(&candidate).is_ok() {
                return Node::string(candidate.display().to_string(), span);
            }
            dir = d.parent();
        }
        match args.get(1) {
            Some(fallback) => Node {
                span,
                ..fallback.clone()
            },
            None => Node::error(
                format!("`find_in_parent_folders(\"{name}\")`: no parent folder holds {name}"),
                span,
            ),
        }
    }

    fn read_terragrunt_config(&self, args: &[Node], span: Span) -> Node {
        let Some(first) = args.first() else {
            return Node::error("`read_terragrunt_config()` takes a path", span);
        };
        let Some(path) = first.as_str() else {
            return pass_unknown(first, "read_terragrunt_config", span);
        };
        if self.depth >= MAX_CONFIG_DEPTH {
            return Node::unknown(
                "`read_terragrunt_config()` nests too deeply to evaluate",
                span,
            );
        }
        let abs = normalize_path(&self.unit_dir.join(path.as_ref()));
        match self.files.parse(&abs, &self.unit_dir) {
            // Read as if it were the configuration of a unit in its own directory.
            Ok(file) => {
                let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
                let config = evaluate_file(self.files, &file, &dir, &[], self.depth + 1);
                Node::new(Kind::Map(config.value), span)
            }
            Err(why) => match args.get(1) {
                Some(default) => Node {
                    span,
                    ..default.clone()
                },
                None => Node::unknown(format!("`read_terragrunt_config(\"{path}\")`: {why}"), span),
            },
        }
    }

    fn repo_root(&self) -> Option<PathBuf> {
        crate::discover::git_root(&self.unit_dir)
    }
}

/// An argument that is not a string: the call is as unknown (or as failed) as it is.
fn pass_unknown(arg: &Node, function: &str, span: Span) -> Node {
    match arg.unknown_reason() {
        Some(r) if arg.is_error() => Node::error(r, span),
        Some(r) => Node::unknown(r, span),
        None => Node::error(format!("`{function}()` takes a string"), span),
    }
}

fn path_string(p: &Path, span: Span) -> Node {
    Node::string(p.display().to_string(), span)
}

impl ModuleHost for ConfigHost<'_> {
    fn load_dir(&self, dir: &Path) -> Result<Arc<ParsedDir>, String> {
        Err(format!(
            "{} is a module; a Terragrunt configuration calls none",
            dir.display()
        ))
    }

    fn installed_module(&self, _root_dir: &Path, _key: &str) -> Option<PathBuf> {
        None
    }

    fn kb(&self) -> &KnowledgeBase {
        self.files.kb()
    }

    fn count_instance(&self, _root_dir: &Path) -> bool {
        true
    }

    fn read_file(&self, _path: &Path, _module_dir: &Path) -> Result<Option<Arc<str>>, String> {
        Err("resilint does not read files from a Terragrunt configuration".into())
    }

    fn global(&self, name: &str) -> Option<&Node> {
        self.globals.get(name)
    }

    fn function(&self, name: &str, args: &[Node], span: Span) -> Option<Node> {
        let value = match name {
            "find_in_parent_folders" => self.find_in_parent_folders(args, span),
            "read_terragrunt_config" => self.read_terragrunt_config(args, span),
            "get_terragrunt_dir" | "get_original_terragrunt_dir" => {
                path_string(&self.unit_dir, span)
            }
            "get_parent_terragrunt_dir" => match self.include_dir(args) {
                Some(d) => path_string(&d, span),
                None => Node::error("`get_parent_terragrunt_dir()`: no such include", span),
            },
            "path_relative_to_include" | "path_relative_from_include" => {
                match self.include_dir(args) {
                    Some(d) => {
                        let rel = if name == "path_relative_to_include" {
                            relative_path(&self.unit_dir, &d)
                        } else {
                            relative_path(&d, &self.unit_dir)
                        };
                        Node::string(rel, span)
                    }
                    None => Node::error(format!("`{name}()`: no such include"), span),
                }
            }
            "get_repo_root" | "get_path_to_repo_root" | "get_path_from_repo_root" => {
                match self.repo_root() {
                    Some(root) => match name {
                        "get_repo_root" => path_string(&root, span),
                        "get_path_to_repo_root" => {
                            Node::string(relative_path(&root, &self.unit_dir), span)
                        }
                        _ => Node::string(relative_path(&self.unit_dir, &root), span),
                    },
                    None => Node::unknown(
                        format!("`{name}()`: the unit is not inside a git repository"),
                        span,
                    ),
                }
            }
            "get_env" => {
                let var = args
                    .first()
                    .and_then(|a| a.as_str().map(|s| s.into_owned()))
                    .unwrap_or_default();
                Node::unknown(
                    format!("`get_env(\"{var}\")` is read from the environment Terragrunt runs in"),
                    span,
                )
            }
            "mark_as_read" => args
                .first()
                .cloned()
                .unwrap_or_else(|| Node::new(Kind::Null, span)),
            n if RUN_TIME.contains(&n) => {
                Node::unknown(format!("`{n}()` is known only when Terragrunt runs"), span)
            }
            _ => return None,
        };
        Some(value)
    }
}
