//! AWS Backup selections and restore-testing selections, read once: which resources they list
//! or exclude, by which tags, under which conditions, and whether they pick a given resource.

use crate::infer::link::Linker;
use crate::infer::select::{Tri, entry_selects, tag_condition};
use crate::knowledge::{KnowledgeBase, ResourceSpec};
use crate::model::Resource;
use crate::model::node::Node;

/// The condition lists of a selection: field, whether values are `*` patterns, whether negated.
const CONDITIONS: [(&str, bool, bool); 4] = [
    ("conditions-equals", false, false),
    ("conditions-like", true, false),
    ("conditions-not-equals", false, true),
    ("conditions-not-like", true, true),
];

/// One condition on the resource's tags.
struct Condition<'a> {
    node: &'a Node,
    like: bool,
    negate: bool,
}

/// A selection's lists, looked up once (the fields its role does not map are empty).
pub struct Selection<'a> {
    /// The selection resource.
    pub resource: &'a Resource,
    /// `resources`: references, names, ARNs and ARN patterns.
    pub resources: Vec<&'a Node>,
    not_resources: Vec<&'a Node>,
    tags: Vec<&'a Node>,
    tag_key: &'a str,
    tag_value: &'a str,
    conditions: Vec<Condition<'a>>,
    condition_key: &'a str,
    condition_value: &'a str,
}

impl<'a> Selection<'a> {
    /// Reads the selection's lists at the paths its knowledge-base entry gives.
    pub fn read(sel: &'a Resource, spec: &'a ResourceSpec) -> Selection<'a> {
        let list = |field: &str| -> Vec<&'a Node> {
            spec.field(field)
                .map(|p| sel.body.lookup(p))
                .unwrap_or_default()
        };
        let conditions = CONDITIONS
            .iter()
            .flat_map(|&(field, like, negate)| {
                list(field)
                    .into_iter()
                    .map(move |node| Condition { node, like, negate })
            })
            .collect();
        Selection {
            resource: sel,
            resources: list("resources"),
            not_resources: list("not-resources"),
            tags: list("tags"),
            tag_key: spec.field("tag-key").unwrap_or("key"),
            tag_value: spec.field("tag-value").unwrap_or("value"),
            conditions,
            condition_key: spec.field("condition-key").unwrap_or("key"),
            condition_value: spec.field("condition-value").unwrap_or("value"),
        }
    }

    /// Whether it names resources only by reference in `resources` (nothing else can widen or
    /// narrow the choice), so the candidates are just those.
    pub fn only_references(&self) -> bool {
        self.tags.is_empty()
            && self.not_resources.is_empty()
            && self.conditions.is_empty()
            && !self.resources.is_empty()
            && self.resources.iter().all(|e| e.as_ref_target().is_some())
    }

    /// Whether an AWS Backup selection picks `r`: listed in `resources` or matching a tag
    /// (either suffices; neither given means every resource), satisfying every condition, and
    /// not in `not_resources`. A selection with no list and no condition picks nothing.
    pub fn backup_selects(
        &self,
        linker: &Linker<'_>,
        kb: &KnowledgeBase,
        r: &Resource,
        family: &str,
    ) -> Tri {
        let mut by_list = self.listed(linker, kb, r, family);
        for t in &self.tags {
            if let Some(reason) = t.unknown_reason() {
                by_list = by_list.or(self.unknown_is_local(
                    Tri::Maybe {
                        reason,
                        span: t.span,
                    },
                    r,
                ));
                continue;
            }
            if let (Some(k), Some(v)) = (t.get(self.tag_key), t.get(self.tag_value)) {
                by_list = by_list.or(tag_condition(k, v, r, false, t.span));
            }
        }
        if self.resources.is_empty() && self.tags.is_empty() {
            if self.conditions.is_empty() {
                return Tri::No;
            }
            by_list = Tri::Yes;
        }
        let mut picked = by_list.and(self.conditions(r));
        for e in &self.not_resources {
            picked = picked.and(!self.unknown_is_local(entry_selects(linker, kb, e, r, family), r));
        }
        picked
    }

    /// Whether a restore-testing selection picks `r` (of the protected resource type): listed
    /// in `resources` and satisfying every condition.
    pub fn restore_test_selects(
        &self,
        linker: &Linker<'_>,
        kb: &KnowledgeBase,
        r: &Resource,
        family: &str,
    ) -> Tri {
        self.listed(linker, kb, r, family).and(self.conditions(r))
    }

    /// Whether `r` is in the `resources` list.
    fn listed(&self, linker: &Linker<'_>, kb: &KnowledgeBase, r: &Resource, family: &str) -> Tri {
        self.resources.iter().fold(Tri::No, |t, e| {
            t.or(self.unknown_is_local(entry_selects(linker, kb, e, r, family), r))
        })
    }

    /// Whether `r` satisfies every condition. A condition that is unknown (a dynamic block over
    /// an unknown value) or incomplete cannot be decided: it gives `Maybe`, never "no condition".
    fn conditions(&self, r: &Resource) -> Tri {
        self.conditions.iter().fold(Tri::Yes, |picked, c| {
            let t = match (
                c.node.get(self.condition_key),
                c.node.get(self.condition_value),
            ) {
                (Some(k), Some(v)) => tag_condition(k, v, r, c.like, c.node.span),
                _ => Tri::Maybe {
                    reason: c
                        .node
                        .unknown_reason()
                        .unwrap_or_else(|| "a condition is incomplete".into()),
                    span: c.node.span,
                },
            };
            picked.and(if c.negate { !t } else { t })
        })
    }

    /// An unknown list entry could name any resource; resilint assumes it names one declared
    /// next to the selection (same module or template), and none elsewhere.
    fn unknown_is_local(&self, t: Tri, r: &Resource) -> Tri {
        match t {
            Tri::Maybe { .. } if self.resource.unit != r.unit => Tri::No,
            t => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::infer::testing::{component, infer_cfn, kb};
    use crate::infer::{Certainty, Component};

    fn infer_with(condition: &str) -> Vec<Option<Certainty>> {
        let template = format!(
            r#"
Parameters:
  Unknown: {{ Type: String }}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: db1
      Tags: [{{ Key: team, Value: a }}]
  TestPlan:
    Type: AWS::Backup::RestoreTestingPlan
    Properties: {{ RestoreTestingPlanName: tp, ScheduleExpression: "cron(0 5 ? * * *)" }}
  TestSel:
    Type: AWS::Backup::RestoreTestingSelection
    Properties:
      RestoreTestingPlanName: tp
      ProtectedResourceType: RDS
      ProtectedResourceArns: ["*"]
      ProtectedResourceConditions:
        StringEquals: [{condition}]
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: bp
        BackupPlanRule: [{{ RuleName: daily, TargetBackupVault: v, ScheduleExpression: "cron(0 5 ? * * *)" }}]
  Sel:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref Plan
      BackupSelection:
        SelectionName: s
        IamRoleArn: r
        Resources: ["*"]
        Conditions:
          StringEquals: [{condition}]
"#
        );
        let kb = kb();
        let (model, inf) = infer_cfn(&kb, &template);
        let c: &Component = component(&model, &inf, "Db");
        let backup = c
            .mechanisms
            .iter()
            .find(|m| m.id == "aws-backup")
            .map(|m| m.certainty.clone());
        let test = c.restore_tests.first().map(|t| t.certainty.clone());
        vec![backup, test]
    }

    #[test]
    fn known_conditions_decide() {
        let [backup, test] = <[_; 2]>::try_from(infer_with(
            "{ ConditionKey: 'aws:ResourceTag/team', ConditionValue: a, Key: 'aws:ResourceTag/team', Value: a }",
        ))
        .unwrap();
        assert_eq!(backup, Some(Certainty::Certain));
        assert_eq!(test, Some(Certainty::Certain));
        let [backup, test] = <[_; 2]>::try_from(infer_with(
            "{ ConditionKey: 'aws:ResourceTag/team', ConditionValue: b, Key: 'aws:ResourceTag/team', Value: b }",
        ))
        .unwrap();
        assert_eq!((backup, test), (None, None));
    }

    #[test]
    fn unknown_or_incomplete_conditions_are_uncertain_in_both_selections() {
        for condition in ["!Ref Unknown", "{ ConditionKey: team, Key: team }"] {
            let [backup, test] = <[_; 2]>::try_from(infer_with(condition)).unwrap();
            for (what, c) in [("backup", backup), ("restore test", test)] {
                assert!(
                    matches!(c, Some(Certainty::Uncertain { .. })),
                    "{what} with {condition}: {c:?}"
                );
            }
        }
    }
}
