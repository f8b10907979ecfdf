//! resilint: a resilience linter for infrastructure as code.
//!
//! The pipeline, one module per stage: [`discover`] files, [`parse`] them, build the resource
//! [`model`], look resource types up in the [`knowledge`] base, [`infer`] recovery mechanisms and
//! RPO/RTO estimates, [`evaluate`] them against tiers from the [`config`], and [`report`].

pub mod changes;
pub mod cli;
pub mod config;
pub mod discover;
pub mod duration;
pub mod evaluate;
pub mod fuzzing;
pub mod infer;
pub mod knowledge;
pub mod model;
pub mod notice;
pub mod parse;
pub mod report;
pub mod scan;
pub mod self_check;
pub mod source;
pub mod suppress;
pub mod tree;
mod vendored;
pub mod version;

// The folded-in hcl-edit (src/vendored/hcl_edit/PATCHES.md), by the path the crate uses for it.
pub(crate) use vendored::hcl_edit;
