//! What is specific to Azure in inference, beside the shared mechanisms: what notifies (Azure
//! Monitor metric alerts: RES015).

pub mod monitoring;
