//! resilint: a resilience linter for infrastructure as code.
//!
//! The pipeline, one module per stage: [`discover`] files, [`parse`] them, build the resource
//! [`model`], look resource types up in the [`knowledge`] base, [`infer`] recovery mechanisms and
//! RPO/RTO estimates, [`evaluate`] them against tiers from the [`config`], and [`report`].

pub mod model;
pub mod parse;
pub mod source;
pub mod duration;
pub mod knowledge;
pub mod infer;
pub mod config;
pub mod evaluate;
