//! Module instances: what a module receives from its caller, and what it gives back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::hcl_edit::structure::Body;

use crate::knowledge::KnowledgeBase;
use crate::model::node::{Map, Node};
use crate::model::{ModelNote, Region, Resource};
use crate::source::{FileId, Span};

/// Deepest module nesting that is evaluated.
pub const MAX_MODULE_DEPTH: usize = 32;

/// Most module instances evaluated for one root module.
pub const MAX_INSTANCES: usize = 5_000;

/// One parsed `.tf` file.
#[derive(Debug)]
pub struct ParsedFile {
    /// Its id.
    pub id: FileId,
    /// Its syntax tree.
    pub body: Body,
    /// Its text.
    pub text: Arc<str>,
}

/// The parsed files of one module directory.
#[derive(Debug)]
pub struct ParsedDir {
    /// Absolute path.
    pub abs: PathBuf,
    /// Path relative to the report base (`infra/modules/db`).
    pub rel: String,
    /// Files that parsed, in name order.
    pub files: Vec<ParsedFile>,
}

impl ParsedDir {
    /// The files as the evaluator takes them.
    pub fn bodies(&self) -> Vec<(FileId, &Body, &str)> {
        self.files
            .iter()
            .map(|f| (f.id, &f.body, f.text.as_ref()))
            .collect()
    }
}

/// A provider configuration as a module instance sees it.
#[derive(Debug, Clone)]
pub struct ProviderInfo {
    /// Its region.
    pub region: Region,
    /// Its `default_tags.tags`, if any.
    pub default_tags: Option<Node>,
}

/// What a module instance receives from its caller.
#[derive(Debug, Clone)]
pub struct InstanceInput {
    /// The root module's unit (its directory relative to the base): resource keys start with it.
    pub unit: String,
    /// Absolute directory of the root module (where `.terraform/modules/modules.json` lives).
    pub root_dir: PathBuf,
    /// Address prefix: empty for the root, `module.a.` or `module.a[0].module.b.` below.
    pub prefix: String,
    /// Values of the module's input variables (the root's come from tfvars, the command line
    /// and the environment).
    pub variables: HashMap<String, Node>,
    /// Provider configurations passed in, by the name the module uses (`aws`, `aws.dr`); `None`
    /// for a root module, which configures its own.
    pub providers: Option<HashMap<String, ProviderInfo>>,
    /// The `module` blocks from the root down to this instance.
    pub call_chain: Vec<Span>,
    /// Module names from the root (`["db", "replica"]`), the key in `modules.json`.
    pub module_key: Vec<String>,
    /// Directories from the root down (cycle detection).
    pub dir_stack: Vec<PathBuf>,
    /// Set when the module call's `count`/`for_each` is unknown: the instance may not exist.
    pub existence_unknown: Option<String>,
    /// Module directories loaded while evaluating this root module, kept until it is done, so a
    /// module called many times is parsed once.
    pub loaded: std::rc::Rc<std::cell::RefCell<Vec<Arc<ParsedDir>>>>,
}

impl InstanceInput {
    /// The input of a root module.
    pub fn root(unit: String, root_dir: PathBuf, variables: HashMap<String, Node>) -> Self {
        InstanceInput {
            unit,
            root_dir: root_dir.clone(),
            prefix: String::new(),
            variables,
            providers: None,
            call_chain: Vec::new(),
            module_key: Vec::new(),
            dir_stack: vec![root_dir],
            existence_unknown: None,
            loaded: Default::default(),
        }
    }

    /// The nesting depth (0 for the root).
    pub fn depth(&self) -> usize {
        self.module_key.len()
    }
}

/// What a module instance gives back.
#[derive(Debug, Default)]
pub struct InstanceOutput {
    /// Its resources and those of its children.
    pub resources: Vec<Resource>,
    /// Notes (unevaluated modules, cycles).
    pub notes: Vec<ModelNote>,
    /// Its `output` values.
    pub outputs: Map,
}

/// What evaluating modules needs from the scan: loading directories and installed modules.
pub trait ModuleHost: Sync {
    /// The parsed module directory at `dir` (absolute), or why it cannot be loaded.
    fn load_dir(&self, dir: &Path) -> Result<Arc<ParsedDir>, String>;
    /// The directory `terraform init` installed the module with this key (`db.replica`) in,
    /// from the root's `.terraform/modules/modules.json`.
    fn installed_module(&self, root_dir: &Path, key: &str) -> Option<PathBuf>;
    /// The knowledge base.
    fn kb(&self) -> &KnowledgeBase;
    /// `terraform.workspace`, when given.
    fn workspace(&self) -> Option<&str> {
        None
    }
    /// The region of AWS providers that set none (what `AWS_REGION` would give), when given.
    fn default_region(&self) -> Option<&str> {
        None
    }
    /// Counts one more module instance of a root; false when the limit is reached.
    fn count_instance(&self, root_dir: &Path) -> bool;
    /// The text of a file a configuration reads (`file()`, `templatefile()`) from the module
    /// at `module_dir`: `Ok(None)` when there is no such file, `Err` when it may not or cannot be
    /// read (outside the scanned tree, too large, not UTF-8).
    fn read_file(&self, path: &Path, module_dir: &Path) -> Result<Option<Arc<str>>, String>;
    /// A function the host adds to Terraform's (Terragrunt's `find_in_parent_folders()`), or
    /// `None` when it has none of that name.
    fn function(&self, _name: &str, _args: &[Node], _span: Span) -> Option<Node> {
        None
    }
    /// A value the host binds to a name besides Terraform's own (Terragrunt's `include`,
    /// `dependency`), or `None`.
    fn global(&self, _name: &str) -> Option<&Node> {
        None
    }
    /// The canonical form of a module's source directory called from the module in `caller`,
    /// or why it cannot be loaded (it does not exist, is a link that leads out of the scanned
    /// tree, or leaves the git work tree of its caller).
    fn module_dir(&self, dir: &Path, _caller: &Path) -> Result<PathBuf, String> {
        match dir.canonicalize() {
            Ok(d) if d.is_dir() => Ok(d),
            _ => Err("does not exist".into()),
        }
    }
}

/// A host that loads no modules: for evaluating one module on its own (tests, tfvars).
pub struct NoModules<'a> {
    /// The knowledge base.
    pub kb: &'a KnowledgeBase,
}

impl ModuleHost for NoModules<'_> {
    fn load_dir(&self, dir: &Path) -> Result<Arc<ParsedDir>, String> {
        Err(format!("{} is not loaded here", dir.display()))
    }

    fn installed_module(&self, _root_dir: &Path, _key: &str) -> Option<PathBuf> {
        None
    }

    fn kb(&self) -> &KnowledgeBase {
        self.kb
    }

    fn count_instance(&self, _root_dir: &Path) -> bool {
        true
    }

    fn read_file(&self, _path: &Path, _module_dir: &Path) -> Result<Option<Arc<str>>, String> {
        Err("files are not read here".into())
    }
}
