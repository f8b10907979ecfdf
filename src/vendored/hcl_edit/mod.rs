//! hcl-edit 0.10.0 (<https://github.com/martinohmann/hcl-rs>, MIT OR Apache-2.0), folded into
//! resilint with resilint's patches: see `PATCHES.md` beside this file. The upstream crate root,
//! `src/lib.rs`, is this file; its crate-level attributes (the README as documentation, its lint
//! levels, `extern crate alloc`) are dropped and the lints are set on `mod hcl_edit` instead.

#[macro_use]
mod macros;

mod encode;
pub mod expr;
pub mod parser;
mod raw_string;
#[doc(hidden)]
pub mod repr;
pub mod structure;
pub mod template;
mod util;
pub mod visit;
pub mod visit_mut;

pub use self::raw_string::RawString;
// resilint patch: `SetSpan` is re-exported (PATCHES.md, 5).
pub use self::repr::{Decor, Decorate, Decorated, Formatted, SetSpan, Span, Spanned};

// Re-exported for convenience.
#[doc(inline)]
pub use hcl_primitives::{Ident, Number};

/// Core concepts available for glob import.
///
/// This includes useful traits like [`Decorate`] and [`Span`].
///
/// # Example
///
/// ```
/// use hcl_edit::expr::Expression;
/// use hcl_edit::prelude::*;
///
/// let mut expr = Expression::from("A string");
/// expr.decor_mut().set_suffix(" // Comment.");
/// assert_eq!(expr.to_string(), r#""A string" // Comment."#);
/// ```
pub mod prelude {
    pub use crate::vendored::hcl_edit::{Decorate, Span};
}
