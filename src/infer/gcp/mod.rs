//! What is specific to Google Cloud in inference, beside the shared mechanisms: what notifies
//! (Cloud Monitoring alert policies: RES015).

pub mod monitoring;
