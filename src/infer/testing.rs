//! Test helpers: inference over a CloudFormation template written inline.

use super::{Component, InferOptions, Inference, infer};
use crate::knowledge::KnowledgeBase;
use crate::model::cloudformation::build_template;
use crate::model::{Model, ResourceId};
use crate::parse::yaml;
use crate::source::{FileId, SourceMap};

/// The built-in knowledge base.
pub fn kb() -> KnowledgeBase {
    KnowledgeBase::builtin().expect("the built-in knowledge base is valid")
}

/// Models a template deployed to `eu-west-1` and runs inference over it.
pub fn infer_cfn(kb: &KnowledgeBase, template: &str) -> (Model, Inference) {
    let root = yaml::parse(FileId(0), template).expect("valid YAML");
    let deployment = crate::model::cloudformation::Deployment {
        region: Some("eu-west-1"),
        ..Default::default()
    };
    let (resources, notes) = build_template("t.yaml", &root, &deployment, kb);
    let model = Model::new(resources, notes, &SourceMap::default());
    let options = InferOptions {
        now: chrono::DateTime::from_timestamp(1_767_225_600, 0).expect("2026-01-01"),
        same_account: false,
    };
    let inference = infer(&model, kb, &options);
    (model, inference)
}

/// The component whose primary resource has this logical id.
pub fn component<'a>(model: &Model, inf: &'a Inference, logical_id: &str) -> &'a Component {
    let id: ResourceId = model
        .resources
        .iter()
        .find(|r| r.address == format!("t.yaml#{logical_id}"))
        .map(|r| r.id)
        .expect("the resource is in the template");
    inf.component_of[id.index()]
        .and_then(|ci| inf.components.get(ci))
        .expect("the resource belongs to a component")
}
