//! What is specific to AWS in inference, beside the shared mechanisms: AWS Backup plans and
//! selections, Data Lifecycle Manager policies, Backup Audit Manager frameworks.

pub mod backup;
pub mod backup_selection;
pub mod dlm;
pub mod framework;
