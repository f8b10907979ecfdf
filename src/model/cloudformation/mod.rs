//! The CloudFormation front end: one template at a time.
//!
//! Resolved here: `Ref` to parameters with a default and to resources, `Fn::GetAtt` (a link to the
//! resource), `Fn::Sub` and `Fn::Join` whose parts are known (partially known strings keep their
//! known parts, so an ARN's region can still be read), `Fn::If` with a condition that can be
//! decided (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`), `Fn::Select`,
//! `Fn::FindInMap` with known keys, `AWS::NoValue`, and `AWS::Region` when the deploy region is
//! given. Everything else is unknown, with a reason.

mod foreach;
mod intrinsics;

use super::node::{Kind, Node};
use super::{Frontend, ModelNote, Region, Resource, ResourceId, Tags};
use crate::knowledge::KnowledgeBase;

pub use intrinsics::Resolver;

/// What a template does not say about how it is deployed, given by the user.
#[derive(Debug, Clone, Copy, Default)]
pub struct Deployment<'a> {
    /// The region (`--region`, `region` in the config).
    pub region: Option<&'a str>,
    /// Parameter values (`--parameter`, `--parameters FILE`, `[parameters]`): they win over the
    /// template's defaults.
    pub parameters: Option<&'a std::collections::BTreeMap<String, String>>,
    /// Parameters whose value is given but unknown (a nested stack's parent passes an
    /// expression resilint cannot resolve), with why: they are unknown, never their defaults.
    pub unknown_parameters: Option<&'a std::collections::BTreeMap<String, String>>,
}

/// Builds the resources of a template. `unit` is its path relative to the report base.
pub fn build_template(
    unit: &str,
    root: &Node,
    deployment: &Deployment<'_>,
    kb: &KnowledgeBase,
) -> (Vec<Resource>, Vec<ModelNote>) {
    let region = deployment.region;
    // `Fn::ForEach` loops are expanded first, with the template's own parameters.
    let mut loop_notes = Vec::new();
    let expanded = foreach::expand(
        root,
        &Resolver::new(unit, root, deployment),
        &mut loop_notes,
    );
    let root = expanded.as_ref().unwrap_or(root);
    let resolver = Resolver::new(unit, root, deployment);
    resolver.add_notes(loop_notes);
    let mut resources = Vec::new();
    let Some(Node {
        kind: Kind::Map(entries),
        ..
    }) = root.get("Resources")
    else {
        return (resources, resolver.take_notes());
    };
    let stack_region = match region {
        Some(r) => Region::known(r, None),
        None => Region::Symbolic {
            key: stack_key(unit),
            reason: "a CloudFormation template does not name the region it is deployed to: pass --region or set `region` in resilint.toml".into(),
        },
    };
    for entry in entries {
        let logical_id = &entry.key;
        let decl = &entry.value;
        let Some(rtype) = decl
            .get("Type")
            .and_then(|t| t.as_str())
            .map(|s| s.into_owned())
        else {
            continue;
        };
        let existence_unknown = match decl.get("Condition").and_then(|c| c.as_str()) {
            Some(cond) => match resolver.condition(&cond, 0) {
                Ok(true) => None,
                Ok(false) => continue,
                Err(reason) => Some(format!("its `Condition: {cond}` is unknown: {reason}")),
            },
            None => None,
        };
        let mut body = match decl.get("Properties") {
            Some(p) => resolver.resolve(p, 0),
            None => Node::new(Kind::Map(Default::default()), entry.key_span),
        };
        // SAM: `Globals.<Type>` (`Globals.SimpleTable` for `AWS::Serverless::SimpleTable`) holds
        // properties every resource of that type gets unless it sets them itself.
        if let Some(globals) = rtype
            .strip_prefix("AWS::Serverless::")
            .and_then(|short| root.get("Globals")?.get(short))
        {
            merge_under(&mut body, &resolver.resolve(globals, 0));
        }
        let tags = Tags::from_paths(&body, &kb.tag_paths(&rtype, "Tags"));
        let key = format!("{unit}#{logical_id}");
        let metadata = decl.get("Metadata").map(|m| resolver.resolve(m, 0));
        // A CDK-synthesized resource is named by its construct path (`OrdersStack/OrdersTable`),
        // which is what its authors wrote; the logical id is generated.
        let address = metadata
            .as_ref()
            .and_then(|m| m.get("aws:cdk:path"))
            .and_then(|p| p.as_str())
            .map(|p| {
                p.strip_suffix("/Resource")
                    .or_else(|| p.strip_suffix("/Default"))
                    .unwrap_or(&p)
                    .to_string()
            })
            .unwrap_or_else(|| key.clone());
        resources.push(Resource {
            id: ResourceId(0),
            key: key.clone(),
            base_key: key,
            address,
            unit: unit.to_string(),
            rtype,
            frontend: Frontend::CloudFormation,
            span: entry.key_span,
            body,
            tags,
            region: stack_region.clone(),
            metadata,
            existence_unknown,
            call_chain: Vec::new(),
            stack_set: None,
        });
    }
    (resources, resolver.take_notes())
}

/// Merges `defaults` under `node` as SAM merges `Globals` into a resource: keys `node` lacks are
/// added, maps on both sides merge, lists add up (the global items first), and `node`'s own
/// other values win.
fn merge_under(node: &mut Node, defaults: &Node) {
    match (&mut node.kind, &defaults.kind) {
        (Kind::Map(own), Kind::Map(global)) => {
            for e in global.iter() {
                match own.get_mut(&e.key) {
                    Some(mine) => merge_under(mine, &e.value),
                    None => own.insert(e.key.clone(), e.key_span, e.value.clone()),
                }
            }
        }
        (Kind::List(own), Kind::List(global)) => {
            let mine = std::mem::take(own);
            own.extend(global.iter().cloned());
            own.extend(mine);
        }
        _ => {}
    }
}

/// The symbolic region key of a template's stack.
/// The values of a template's `Outputs`, by name, resolved as it is deployed: what a parent stack
/// reads with `!GetAtt Stack.Outputs.<Name>`.
pub fn template_outputs(unit: &str, root: &Node, deployment: &Deployment<'_>) -> super::node::Map {
    let resolver = Resolver::new(unit, root, deployment);
    let mut out = super::node::Map::default();
    if let Some(Node {
        kind: Kind::Map(outputs),
        ..
    }) = root.get("Outputs")
    {
        for e in outputs.iter() {
            if let Some(v) = e.value.get("Value") {
                out.insert(e.key.clone(), e.key_span, resolver.resolve(v, 0));
            }
        }
    }
    out
}

/// The key of a stack's region (resources of one stack share it when it is unknown).
pub fn stack_key(unit: &str) -> String {
    format!("stack:{unit}")
}

/// The resource key of a logical id in a template.
pub fn resource_key(unit: &str, logical_id: &str) -> String {
    format!("{unit}#{logical_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;
    use crate::source::FileId;

    fn build(src: &str, region: Option<&str>) -> Vec<Resource> {
        let root = yaml::parse(FileId(0), src).unwrap();
        let deployment = Deployment {
            region,
            ..Deployment::default()
        };
        build_template(
            "t.yaml",
            &root,
            &deployment,
            &KnowledgeBase::builtin().unwrap(),
        )
        .0
    }

    #[test]
    fn parameters_conditions_and_refs() {
        let rs = build(
            r#"
Parameters:
  Env: { Type: String, Default: prod }
  Days: { Type: Number, Default: 7 }
  NoDefault: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      BackupRetentionPeriod: !If [IsProd, !Ref Days, 1]
      MultiAZ: !Ref NoDefault
      DBInstanceIdentifier: !Sub "${Env}-db"
      Tags: [{ Key: resilience-tier, Value: essential }]
  Dev:
    Type: AWS::S3::Bucket
    Condition: IsDev
  Plan:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupSelection:
        Resources: [!Sub "arn:aws:rds:${AWS::Region}:${AWS::AccountId}:db:${Db}"]
        Target: !GetAtt Db.Arn
"#,
            None,
        );
        assert_eq!(rs.len(), 2, "the IsDev bucket is not created");
        let db = &rs[0];
        assert_eq!(db.address, "t.yaml#Db");
        assert_eq!(
            db.attr("BackupRetentionPeriod").unwrap().as_f64(),
            Some(7.0)
        );
        assert!(
            db.attr("MultiAZ")
                .unwrap()
                .unknown_reason()
                .unwrap()
                .contains("NoDefault")
        );
        assert_eq!(
            db.attr("DBInstanceIdentifier").unwrap().as_str().unwrap(),
            "prod-db"
        );
        assert_eq!(
            db.tags
                .get("resilience-tier")
                .unwrap()
                .value
                .as_str()
                .unwrap(),
            "essential"
        );
        let sel = &rs[1];
        let target = sel
            .attr("BackupSelection.Target")
            .unwrap()
            .as_ref_target()
            .unwrap();
        assert_eq!(target.target, "t.yaml#Db");
        assert_eq!(target.attribute, "Arn");
        let arn = sel.attr("BackupSelection.Resources").unwrap();
        // `${Db}` keeps which resource it is, as a Terraform template does.
        let db_ref = crate::model::node::ref_placeholder(&crate::model::node::Reference {
            target: "t.yaml#Db".into(),
            attribute: String::new(),
            text: "!Ref Db".into(),
        });
        assert_eq!(
            arn.partial_str().unwrap(),
            format!("arn:aws:rds:{{region=stack:t.yaml}}:{{?}}:db:{db_ref}")
        );
    }

    #[test]
    fn region_option_resolves_aws_region() {
        let rs = build(
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'b-${AWS::Region}'\n",
            Some("eu-west-1"),
        );
        assert_eq!(
            rs[0].attr("BucketName").unwrap().as_str().unwrap(),
            "b-eu-west-1"
        );
        assert_eq!(rs[0].region.name(), Some("eu-west-1"));
    }

    #[test]
    fn for_each_loops_expand_with_their_identifiers() {
        let rs = build(
            r#"
Transform: AWS::LanguageExtensions
Parameters:
  Names: { Type: CommaDelimitedList, Default: "a,b-c" }
Resources:
  Fn::ForEach::Outer:
    - Name
    - !Ref Names
    - Fn::ForEach::Inner:
        - Env
        - [dev, prod]
        - "T${Name}&{Env}":
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Sub "${Name}-${Env}"
              Env: !Ref Env
              Count: !Length [x, y, z]
              Json: !ToJsonString { k: !Ref Name }
  Plain:
    Type: AWS::S3::Bucket
"#,
            None,
        );
        let names: Vec<&str> = rs.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            names,
            [
                "t.yaml#Tadev",
                "t.yaml#Taprod",
                "t.yaml#Tb-cdev",
                "t.yaml#Tb-cprod",
                "t.yaml#Plain"
            ]
        );
        let t = &rs[2];
        assert_eq!(t.attr("TableName").unwrap().as_str().unwrap(), "b-c-dev");
        assert_eq!(t.attr("Env").unwrap().as_str().unwrap(), "dev");
        assert_eq!(t.attr("Count").unwrap().as_f64(), Some(3.0));
        assert_eq!(t.attr("Json").unwrap().as_str().unwrap(), r#"{"k":"b-c"}"#);
    }

    #[test]
    fn a_loop_over_an_unknown_collection_is_noted() {
        let root = yaml::parse(
            FileId(0),
            "Parameters:\n  N: { Type: CommaDelimitedList }\nResources:\n  Fn::ForEach::X:\n    - I\n    - !Ref N\n    - B${I}: { Type: AWS::S3::Bucket }\n",
        )
        .unwrap();
        let (rs, notes) = build_template(
            "t.yaml",
            &root,
            &Deployment::default(),
            &KnowledgeBase::builtin().unwrap(),
        );
        assert!(rs.is_empty());
        assert!(
            notes[0].message.contains("not read"),
            "{}",
            notes[0].message
        );
    }
}
