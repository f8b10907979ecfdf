//! Third-party code built into resilint instead of depended on.
//!
//! [`hcl_edit`] is hcl-edit 0.10.0 with resilint's parser fixes and span access for Terraform
//! JSON (`src/vendored/hcl_edit/PATCHES.md`). It lives in the crate rather than as a patched
//! dependency because `[patch]` is ignored by `cargo publish`: the published crate would build
//! against upstream hcl-edit and lose the fixes. Its dependencies (fnv, hcl-primitives, pratt,
//! vecmap-rs, winnow) are resilint's. The rest of resilint uses it as `crate::hcl_edit`.

// Upstream code, kept as close to upstream as possible so that a re-sync is a diff: resilint's
// lint levels are not applied to it, and what resilint does not call is not removed.
#[allow(
    dead_code,
    missing_docs,
    unused,
    clippy::all,
    clippy::pedantic,
    rustdoc::all
)]
pub mod hcl_edit;
