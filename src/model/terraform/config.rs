//! The declarations of one Terraform module (one directory), gathered from its files.

use std::collections::HashMap;

use crate::hcl_edit::expr::Expression;
use crate::hcl_edit::structure::{Block, Body};

use crate::source::{FileId, Span};

/// A block or expression together with the file it was read from.
#[derive(Debug)]
pub struct InFile<'a, T> {
    /// The file.
    pub file: FileId,
    /// The syntax node.
    pub node: &'a T,
}

impl<T> Clone for InFile<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for InFile<'_, T> {}

impl<'a, T> InFile<'a, T> {
    /// Pairs a node with its file.
    pub fn new(file: FileId, node: &'a T) -> Self {
        InFile { file, node }
    }
}

/// Span of any hcl-edit node in `file`.
pub fn span_of(file: FileId, node: &impl crate::hcl_edit::Span) -> Span {
    match node.span() {
        Some(r) => Span::new(file, r.start, r.end),
        None => Span::new(file, 0, 0),
    }
}

/// A `variable` block.
#[derive(Debug)]
pub struct VariableDecl<'a> {
    /// The block.
    pub block: InFile<'a, Block>,
    /// Its `default`, if any.
    pub default: Option<InFile<'a, Expression>>,
    /// Its `type` constraint, if any.
    pub type_expr: Option<InFile<'a, Expression>>,
}

/// A `provider` block.
#[derive(Debug)]
pub struct ProviderDecl<'a> {
    /// Provider name (`aws`).
    pub name: String,
    /// `alias`, if any.
    pub alias: Option<String>,
    /// The block.
    pub block: InFile<'a, Block>,
}

impl ProviderDecl<'_> {
    /// `aws` or `aws.replica`.
    pub fn reference(&self) -> String {
        match &self.alias {
            Some(a) => format!("{}.{a}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A `resource` or `data` block.
#[derive(Debug)]
pub struct ResourceDecl<'a> {
    /// Type label.
    pub rtype: String,
    /// Name label.
    pub name: String,
    /// The block.
    pub block: InFile<'a, Block>,
}

/// A `module` block.
#[derive(Debug)]
pub struct ModuleCallDecl<'a> {
    /// Module name.
    pub name: String,
    /// The block.
    pub block: InFile<'a, Block>,
}

/// Everything declared in one module directory.
#[derive(Debug, Default)]
pub struct ModuleConfig<'a> {
    /// Variables by name.
    pub variables: HashMap<String, VariableDecl<'a>>,
    /// Local values by name.
    pub locals: HashMap<String, InFile<'a, Expression>>,
    /// Provider configurations.
    pub providers: Vec<ProviderDecl<'a>>,
    /// Managed resources, in file order.
    pub resources: Vec<ResourceDecl<'a>>,
    /// Where each resource is in `resources` (type → name → index; the first of duplicates).
    resource_index: HashMap<String, HashMap<String, usize>>,
    /// Data sources, for references.
    pub data: Vec<ResourceDecl<'a>>,
    /// Module calls.
    pub module_calls: Vec<ModuleCallDecl<'a>>,
    /// Outputs: name, value expression.
    pub outputs: Vec<(String, InFile<'a, Expression>)>,
    /// The text of each file, for messages that quote expressions.
    pub texts: HashMap<FileId, &'a str>,
}

impl<'a> ModuleConfig<'a> {
    /// Gathers the declarations of the given files (all `.tf` files of one directory).
    pub fn from_files(files: &[(FileId, &'a Body, &'a str)]) -> ModuleConfig<'a> {
        let mut m = ModuleConfig::default();
        for &(file, body, text) in files {
            m.texts.insert(file, text);
            for block in body.blocks() {
                m.add_block(file, block);
            }
        }
        m
    }

    fn add_block(&mut self, file: FileId, block: &'a Block) {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        match (block.ident.as_str(), labels.as_slice()) {
            ("variable", [name]) => {
                let attr = |k: &str| {
                    block
                        .body
                        .get_attribute(k)
                        .map(|a| InFile::new(file, &a.value))
                };
                self.variables.insert(
                    (*name).to_string(),
                    VariableDecl {
                        block: InFile::new(file, block),
                        default: attr("default"),
                        type_expr: attr("type"),
                    },
                );
            }
            ("locals", []) => {
                for attr in block.body.attributes() {
                    self.locals.insert(
                        attr.key.as_str().to_string(),
                        InFile::new(file, &attr.value),
                    );
                }
            }
            ("provider", [name]) => {
                let alias = block
                    .body
                    .get_attribute("alias")
                    .and_then(|a| match &a.value {
                        Expression::String(s) => Some(s.value().clone()),
                        _ => None,
                    });
                self.providers.push(ProviderDecl {
                    name: (*name).to_string(),
                    alias,
                    block: InFile::new(file, block),
                });
            }
            ("resource", [rtype, name]) => {
                self.resource_index
                    .entry((*rtype).to_string())
                    .or_default()
                    .entry((*name).to_string())
                    .or_insert(self.resources.len());
                self.resources.push(ResourceDecl {
                    rtype: (*rtype).to_string(),
                    name: (*name).to_string(),
                    block: InFile::new(file, block),
                });
            }
            ("data", [rtype, name]) => self.data.push(ResourceDecl {
                rtype: (*rtype).to_string(),
                name: (*name).to_string(),
                block: InFile::new(file, block),
            }),
            ("output", [name]) => {
                if let Some(v) = block.body.get_attribute("value") {
                    self.outputs
                        .push(((*name).to_string(), InFile::new(file, &v.value)));
                }
            }
            ("module", [name]) => self.module_calls.push(ModuleCallDecl {
                name: (*name).to_string(),
                block: InFile::new(file, block),
            }),
            _ => {}
        }
    }

    /// The provider configuration `name` with `alias` (None: the default configuration).
    pub fn provider(&self, name: &str, alias: Option<&str>) -> Option<&ProviderDecl<'a>> {
        self.providers
            .iter()
            .find(|p| p.name == name && p.alias.as_deref() == alias)
    }

    /// The source text of a span, trimmed, shortened for messages.
    pub fn quote(&self, span: Span) -> String {
        let text = self
            .texts
            .get(&span.file)
            .and_then(|t| t.get(span.start as usize..span.end as usize))
            .unwrap_or("")
            .trim();
        let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 80 {
            let cut: String = one_line.chars().take(77).collect();
            format!("{cut}...")
        } else {
            one_line
        }
    }

    /// The module call `name`.
    pub fn module_call(&self, name: &str) -> Option<&ModuleCallDecl<'a>> {
        self.module_calls.iter().find(|c| c.name == name)
    }

    /// The resource declaration `rtype.name`.
    pub fn resource(&self, rtype: &str, name: &str) -> Option<&ResourceDecl<'a>> {
        let index = *self.resource_index.get(rtype)?.get(name)?;
        self.resources.get(index)
    }
}
