//! What is specific to AWS in inference, beside the shared mechanisms: AWS Backup plans and
//! selections, Data Lifecycle Manager policies, Backup Audit Manager frameworks, and what notifies
//! (vault notifications, EventBridge rules, CloudWatch alarms: RES015).

pub mod backup;
pub mod backup_selection;
pub mod dlm;
pub mod framework;
pub mod monitoring;
