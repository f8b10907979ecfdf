//! What is specific to AWS in inference, beside the shared mechanisms.

pub mod framework;
