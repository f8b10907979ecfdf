//! Mechanisms that come from resources' own attributes, from resources that configure them
//! (attachments), and from replica relations; and the grouping of resources into components.

use super::link::{Linker, Target, Want};
use super::members::MemberLinks;
use super::{Certainty, Component, Disabled, Estimate, Home, Mechanism, Retention};
use crate::knowledge::predicate::{
    Context, Fact, NodeExt, eval_predicate, eval_quantity, eval_quantity_at,
};
use crate::knowledge::schema::{
    FamilyReplication, MechanismSpec, ReplicasSpec, RetentionCapSpec, ViaSpec, WhenCase,
};
use crate::knowledge::{Figure, KnowledgeBase, MechanismKind, ResourceSpec};
use crate::model::node::{Kind, Node};
use crate::model::{Model, Region, Resource, ResourceId};
use crate::source::Span;

/// A lifecycle limit on a mechanism, collected before it is applied.
struct Cap {
    mechanism: String,
    limit: Fact<u64>,
}

/// Collects mechanisms per resource and groups resources into components.
pub struct ComponentBuilder<'m> {
    pub(super) model: &'m Model,
    pub(super) kb: &'m KnowledgeBase,
    linker: &'m Linker<'m>,
    pub(super) members: &'m MemberLinks,
    parent: Vec<usize>,
    pub(super) is_replica: Vec<bool>,
    pub(super) mechanisms: Vec<Vec<Mechanism>>,
    disabled: Vec<Vec<Disabled>>,
    caps: Vec<Vec<Cap>>,
    external_source: Vec<Option<String>>,
    home: Vec<Option<Home>>,
    /// For a replica resource in the scan: how far it lags its source. Its own backups can be no
    /// more recent than that.
    lag: Vec<Option<Estimate>>,
    /// For a replica resource in the scan: how certainly a replication feeds it (the most
    /// certain of those that do). Its own mechanisms hold the component's data only as
    /// certainly as that.
    fed: Vec<Option<Certainty>>,
    /// Resources that configure a replica of another (`aws_dynamodb_table_replica`): members of
    /// that resource's component (they can declare its tier), without data of their own here.
    attached_members: Vec<(ResourceId, ResourceId)>,
    /// Mechanisms whose RPO an attachment makes unknown: the resource, the mechanism id, why,
    /// and the attachment.
    unsized_by: Vec<(ResourceId, String, String, Span)>,
    /// Mechanisms a replication implies on a destination in the scan (the versioning S3
    /// requires there): where each is (resource, position), the destination, and the id of the
    /// destination's own mechanism that stands for it.
    implied: Vec<(usize, usize, ResourceId, String)>,
}

impl<'m> ComponentBuilder<'m> {
    /// A builder over the model.
    pub fn new(
        model: &'m Model,
        kb: &'m KnowledgeBase,
        linker: &'m Linker<'m>,
        members: &'m MemberLinks,
    ) -> Self {
        let n = model.resources.len();
        ComponentBuilder {
            model,
            kb,
            linker,
            members,
            parent: (0..n).collect(),
            is_replica: vec![false; n],
            mechanisms: (0..n).map(|_| Vec::new()).collect(),
            disabled: (0..n).map(|_| Vec::new()).collect(),
            caps: (0..n).map(|_| Vec::new()).collect(),
            external_source: vec![None; n],
            home: vec![None; n],
            lag: vec![None; n],
            fed: vec![None; n],
            attached_members: Vec::new(),
            unsized_by: Vec::new(),
            implied: Vec::new(),
        }
    }

    /// Gathers the mechanisms every resource's own specification gives. A member of another
    /// resource (an instance of a cluster) has none of its own.
    pub fn own_mechanisms(&mut self) {
        self.peer_groups();
        for r in &self.model.resources {
            let Some(spec) = self.kb.resource(&r.rtype) else {
                continue;
            };
            if super::not_modelled::is_member(r, self.kb) {
                // Its cluster's component holds it (its tags can declare the tier).
                for cluster in &self.members.of[r.id.index()] {
                    self.attached_members.push((*cluster, r.id));
                }
                continue;
            }
            if let Some(family) = spec.family.as_deref() {
                self.protected_resource(r, spec, family);
            }
            if let Some(attach) = &spec.attaches_to {
                match &attach.through {
                    None => self.attachment(r, spec, &attach.path, &attach.family),
                    Some(through) => self.attachment_through(r, spec, attach, through),
                }
            }
        }
    }

    fn protected_resource(&mut self, r: &'m Resource, spec: &'m ResourceSpec, family: &str) {
        let refs = self.linker.referenced(r, spec);
        let ctx = Context::resource(&r.body, r.span)
            .with_members(self.members.counts[r.id.index()])
            .with_refs(&refs);
        for m in &spec.mechanism {
            self.add_mechanism(m, &ctx, r, r, family, Certainty::Certain);
        }
        for cap in &spec.retention_cap {
            self.add_caps(cap, &ctx, r.id);
        }
        for rs in &spec.replicas {
            self.replicas(rs, &ctx, r, r, family, Certainty::Certain);
        }
        for ro in spec.replica_of.iter().filter(|ro| !ro.peers) {
            let Some(entry) = r.body.lookup_entry(&ro.path) else {
                continue;
            };
            if entry.value.is_null() {
                continue;
            }
            // The same attribute can name the source of a restore (`create_mode`).
            let mut certainty = Certainty::existence(r);
            if let Some(when) = &ro.when {
                match eval_predicate(when, &ctx) {
                    Fact::Known { value: true, .. } => {}
                    Fact::Known { value: false, .. } => continue,
                    Fact::Unknown { reason, span } => {
                        certainty = certainty.and(Certainty::Uncertain {
                            reason: format!(
                                "whether it is a {} is unknown: {reason}",
                                ro.def.label
                            ),
                            span,
                        })
                    }
                }
            }
            match self.linker.resolve(&entry.value, Want::Family(family)) {
                Target::Found(ids) if !ids.is_empty() => {
                    for source in ids {
                        self.union(source.index(), r.id.index());
                        self.is_replica[r.id.index()] = true;
                        self.record_fed(r.id, certainty.clone());
                        let mech = self.replica_mechanism_of(
                            family,
                            &ro.def,
                            r,
                            source,
                            entry.span(),
                            certainty.clone(),
                        );
                        self.record_lag(r.id, mech.rpo.clone());
                        self.mechanisms[source.index()].push(mech);
                    }
                }
                Target::Found(_) | Target::External => {
                    self.external_source[r.id.index()] = Some(format!(
                        "it is a {} of `{}`, which is not in the scanned files",
                        ro.def.label,
                        entry.value.partial_str().unwrap_or_default()
                    ));
                }
                Target::Unknown { reason, .. } => {
                    self.external_source[r.id.index()] = Some(format!(
                        "it is a {} of a source that is unknown: {reason}",
                        ro.def.label
                    ));
                }
            }
        }
    }

    /// A resource that configures another one (versioning, replication, a replica table).
    fn attachment(&mut self, r: &'m Resource, spec: &'m ResourceSpec, path: &str, family: &str) {
        let nodes = r.body.lookup(path);
        let Some(first) = nodes.first() else {
            return;
        };
        // A list, or the same attribute of repeated blocks, attaches to each resource it names
        // (the databases of a failover group, the disks of a replicated VM).
        let target = if nodes.len() == 1 && !matches!(first.kind, Kind::List(_)) {
            self.linker.resolve(first, Want::Family(family))
        } else {
            let mut found = Vec::new();
            let mut unknown = None;
            let mut external = false;
            let items = nodes.iter().flat_map(|n| match &n.kind {
                Kind::List(items) => items.iter().collect::<Vec<_>>(),
                _ => vec![*n],
            });
            for item in items {
                match self.linker.resolve(item, Want::Family(family)) {
                    Target::Found(ids) => found.extend(ids),
                    Target::External => external = true,
                    u @ Target::Unknown { .. } => {
                        unknown.get_or_insert(u);
                    }
                }
            }
            match unknown {
                Some(u) => u,
                None if found.is_empty() && external => Target::External,
                None => Target::Found(found),
            }
        };
        let (targets, certainty) = match target {
            Target::Found(ids) => (ids, Certainty::Certain),
            Target::External => return,
            Target::Unknown { reason, span } => {
                // It configures some resource of the family; which one is unknown. It may be
                // any of those declared next to it.
                let ids = self
                    .linker
                    .all_of(family)
                    .filter(|t| t.unit == r.unit)
                    .map(|t| t.id)
                    .collect();
                (
                    ids,
                    Certainty::Uncertain {
                        reason: format!(
                            "{} may configure it: `{path}` is unknown: {reason}",
                            r.address
                        ),
                        span,
                    },
                )
            }
        };
        let certainty = certainty.and(Certainty::existence(r));
        let refs = self.linker.referenced(r, spec);
        let ctx = Context::resource(&r.body, r.span).with_refs(&refs);
        for target in targets {
            let t = self.model.get(target);
            let certainty = match spec.attaches_to.as_ref().and_then(|a| a.same.as_ref()) {
                None => certainty.clone(),
                Some(same) => match self.same_parent(r, t, same) {
                    Some(true) => certainty.clone(),
                    Some(false) => continue,
                    None => certainty.clone().and(Certainty::Uncertain {
                        reason: format!(
                            "whether {} configures {} is unknown: `{}` and its `{}` cannot be compared",
                            r.address, t.address, same.path, same.target
                        ),
                        span: r.span,
                    }),
                },
            };
            for m in &spec.mechanism {
                self.add_mechanism(m, &ctx, t, r, family, certainty.clone());
            }
            for cap in &spec.retention_cap {
                self.add_caps(cap, &ctx, target);
            }
            for u in &spec.unsizes {
                self.unsized_by.push((
                    target,
                    u.mechanism.clone(),
                    format!("{}: {}", r.address, u.reason),
                    r.span,
                ));
            }
            for rs in &spec.replicas {
                self.replicas(rs, &ctx, t, r, family, certainty.clone());
            }
        }
    }

    /// Whether an attachment's parent (`same.path`) and its target's (`same.target`) are the
    /// same resource: `None` when one of them is not a reference resilint can follow.
    fn same_parent(
        &self,
        attachment: &Resource,
        target: &Resource,
        same: &crate::knowledge::schema::SameSpec,
    ) -> Option<bool> {
        let designated = |node: Option<&Node>| -> Option<Vec<ResourceId>> {
            match &node?.kind {
                Kind::Ref(r) => Some(self.model.resolve(&r.target)),
                _ => None,
            }
        };
        let mine = designated(attachment.attr(&same.path))?;
        let theirs = designated(
            same.target
                .split('|')
                .find_map(|p| target.attr(p).filter(|n| !n.is_null())),
        )?;
        Some(mine.iter().any(|id| theirs.contains(id)))
    }

    /// An attachment whose targets are linked to what it names by other resources (the disks
    /// attached to a protected virtual machine): it configures each of them, as certainly as
    /// the link exists.
    fn attachment_through(
        &mut self,
        r: &'m Resource,
        spec: &'m ResourceSpec,
        attach: &crate::knowledge::schema::AttachSpec,
        through: &crate::knowledge::schema::ThroughSpec,
    ) {
        let Some(node) = r.attr(&attach.path).filter(|n| !n.is_null()) else {
            return;
        };
        // A reference is followed; an ID built as a string, or an unknown value, may name any
        // of the linked resources declared beside it: they are configured, uncertainly.
        let (named, unsure) = match &node.kind {
            Kind::Ref(named) => (Some(self.model.resolve(&named.target)), None),
            _ => (
                None,
                Some(Certainty::Uncertain {
                    reason: format!(
                        "{} may protect it: its `{}` is {}, which resilint cannot follow to a resource",
                        r.address,
                        attach.path,
                        if node.partial_str().is_some() {
                            "an ID built as a string"
                        } else {
                            "unknown"
                        }
                    ),
                    span: node.span,
                }),
            ),
        };
        let mut targets = Vec::new();
        for link in self
            .model
            .resources
            .iter()
            .filter(|l| l.rtype == through.rtype && (named.is_some() || l.unit == r.unit))
        {
            let Some(Node {
                kind: Kind::Ref(from),
                ..
            }) = link.attr(&through.from)
            else {
                continue;
            };
            if let Some(named) = &named
                && !self
                    .model
                    .resolve(&from.target)
                    .iter()
                    .any(|id| named.contains(id))
            {
                continue;
            }
            // `to = "self"`: the link resource is the target (the databases of a managed
            // instance).
            if through.to == "self" {
                if self.linker.is(link.id, Want::Family(&attach.family)) {
                    targets.push((link.id, Certainty::Certain));
                }
                continue;
            }
            if let Some(to) = link.attr(&through.to)
                && let Target::Found(ids) = self.linker.resolve(to, Want::Family(&attach.family))
            {
                for id in ids {
                    targets.push((id, Certainty::existence(link)));
                }
            }
        }
        let mut certainty = Certainty::existence(r);
        if let Some(unsure) = unsure {
            certainty = certainty.and(unsure);
        }
        let refs = self.linker.referenced(r, spec);
        let ctx = Context::resource(&r.body, r.span).with_refs(&refs);
        for (target, link_certainty) in targets {
            let t = self.model.get(target);
            let certainty = certainty.clone().and(link_certainty);
            for m in &spec.mechanism {
                self.add_mechanism(m, &ctx, t, r, &attach.family, certainty.clone());
            }
            for rs in &spec.replicas {
                self.replicas(rs, &ctx, t, r, &attach.family, certainty.clone());
            }
        }
    }

    /// Evaluates one mechanism specification. `protected` owns the data; `origin` declares it.
    fn add_mechanism(
        &mut self,
        m: &MechanismSpec,
        ctx: &Context<'_>,
        protected: &Resource,
        origin: &Resource,
        family: &str,
        certainty: Certainty,
    ) {
        if let Some(mech) = self.mechanism(m, ctx, protected, origin, family, certainty) {
            self.mechanisms[protected.id.index()].push(mech);
        }
    }

    fn mechanism(
        &mut self,
        m: &MechanismSpec,
        ctx: &Context<'_>,
        protected: &Resource,
        origin: &Resource,
        family: &str,
        certainty: Certainty,
    ) -> Option<Mechanism> {
        let certainty = match m.applies.as_ref().map(|p| eval_predicate(p, ctx)) {
            None | Some(Fact::Known { value: true, .. }) => certainty,
            Some(Fact::Known { value: false, .. }) => return None,
            Some(Fact::Unknown { reason, span }) => certainty.and(Certainty::Uncertain {
                reason: format!("whether it has {} is unknown: {reason}", m.def.label),
                span,
            }),
        };
        let certainty = self.in_other_region(m.region.as_deref(), protected, certainty, || {
            format!("whether it has {}", m.def.label)
        })?;
        let (span, implicit, certainty) = match &m.enabled {
            None => (origin.span, None, certainty),
            Some(p) => match eval_predicate(p, ctx) {
                Fact::Known {
                    value: true,
                    span,
                    implicit,
                } => (span, implicit, certainty),
                Fact::Known {
                    value: false,
                    span,
                    implicit,
                } => {
                    if certainty.is_certain() {
                        self.disabled[protected.id.index()].push(Disabled {
                            resource: protected.id,
                            kind: m.def.kind,
                            label: m.def.label.clone(),
                            span,
                            implicit,
                        });
                    }
                    return None;
                }
                Fact::Unknown { reason, span } => (
                    span,
                    None,
                    certainty.and(Certainty::Uncertain {
                        reason: format!("whether {} is on is unknown: {reason}", m.def.label),
                        span,
                    }),
                ),
            },
        };
        let figure_id = format!("{family}/{}", m.id);
        let base = self
            .kb
            .figure(&format!("{figure_id}/rpo"), &m.def.rpo.figure());
        let rpo = match (
            &m.interval,
            self.case_rpo(&figure_id, &m.def.rpo.figure(), &m.rpo_when, ctx),
        ) {
            (_, Some(case)) => case,
            (Some(interval), None) => interval_rpo(interval, ctx, &base),
            (None, None) => Estimate::figure(&base),
        };
        let single_zone = m
            .single_zone_when
            .as_ref()
            .and_then(|p| match eval_predicate(p, ctx) {
                Fact::Known { value: true, .. } => Some(Certainty::Certain),
                Fact::Known { value: false, .. } => None,
                Fact::Unknown { reason, span } => Some(Certainty::Uncertain {
                    reason: format!(
                        "whether {} is kept in one zone is unknown: {reason}",
                        m.def.label
                    ),
                    span,
                }),
            });
        // A mechanism without its own RTO restores like its family; `[figures]` may override
        // either the mechanism's id or the family's restore time (the mechanism's id wins).
        let rto_id = format!("{figure_id}/rto");
        let rto = match (&m.def.rto, super::restore_figure(self.kb, family)) {
            (Some(f), _) => Estimate::figure(&self.kb.figure(&rto_id, &f.figure())),
            (None, Some(restore)) => Estimate::figure(&self.kb.figure(&rto_id, &restore)),
            (None, None) => super::restore_rto(self.kb, family),
        };
        let retention = if m.def.kind.is_backup() || m.def.kind == MechanismKind::Immutability {
            Some(Retention::from(
                m.retention.as_ref().and_then(|q| eval_quantity(q, ctx)),
            ))
        } else {
            None
        };
        let region = match ctx.root(&m.region_on) {
            Ok(root) => {
                self.region_of(m.region.as_deref(), &ctx.with_item(root), protected, origin)
            }
            Err((reason, _)) => Region::Unknown { reason },
        };
        let label = if origin.id == protected.id {
            m.def.label.clone()
        } else {
            format!("{} ({})", m.def.label, origin.address)
        };
        Some(Mechanism {
            kind: m.def.kind,
            id: m.id.clone(),
            label,
            cadence: None,
            origin: origin.id,
            protects: protected.id,
            span,
            certainty,
            rpo,
            rto,
            retention,
            spans_regions: m.across_location
                && crate::model::placement::spans_regions(self.kb, &region) == Ok(true),
            region,
            mode: None,
            implicit,
            single_zone,
        })
    }

    /// The figure of the first matching condition (`{figure_id}/{what}` after overrides):
    /// `None` when none matches; unknown (at worst `base`) when one cannot be decided.
    fn case_figure(
        &self,
        figure_id: &str,
        what: &str,
        base: &Figure,
        when: &[WhenCase],
        ctx: &Context<'_>,
    ) -> Option<Estimate> {
        let id = format!("{figure_id}/{what}");
        for w in when {
            match eval_predicate(&w.when, ctx) {
                Fact::Known { value: true, .. } => {
                    return Some(Estimate::figure(&self.kb.figure(&id, &w.figure)));
                }
                Fact::Known { value: false, .. } => {}
                Fact::Unknown { reason, span } => {
                    return Some(Estimate::Unknown {
                        reason,
                        span,
                        upper: Some(self.kb.figure(&id, base).value),
                    });
                }
            }
        }
        None
    }

    fn case_rpo(
        &self,
        figure_id: &str,
        base: &Figure,
        when: &[WhenCase],
        ctx: &Context<'_>,
    ) -> Option<Estimate> {
        self.case_figure(figure_id, "rpo", base, when, ctx)
    }

    /// For what a dual- or multi-region location keeps in its other regions (`region = "geo"`):
    /// `None` when the protected resource is in a single region (there is no such copy), the
    /// certainty made uncertain when its location is unknown. Other mechanisms keep theirs.
    fn in_other_region(
        &self,
        region: Option<&str>,
        protected: &Resource,
        certainty: Certainty,
        what: impl FnOnce() -> String,
    ) -> Option<Certainty> {
        if region != Some("geo") {
            return Some(certainty);
        }
        match crate::model::placement::spans_regions(self.kb, &protected.region) {
            Ok(false) => None,
            Ok(true) => Some(certainty),
            Err(reason) => Some(certainty.and(Certainty::Uncertain {
                reason: format!("{} is unknown: {reason}", what()),
                span: protected.span,
            })),
        }
    }

    /// Region of a mechanism: a path holding a region name, `self`, or the protected resource's.
    fn region_of(
        &self,
        spec: Option<&str>,
        ctx: &Context<'_>,
        protected: &Resource,
        origin: &Resource,
    ) -> Region {
        // `path|keyword`: the path when it is set, else the keyword.
        if let Some((path, fallback)) = spec.and_then(|s| s.split_once('|')) {
            let set = ctx.item.first(path).is_some_and(|n| !n.is_null());
            return self.region_of(
                Some(if set { path } else { fallback }),
                ctx,
                protected,
                origin,
            );
        }
        match spec {
            None => protected.region.clone(),
            Some("self") => origin.region.clone(),
            Some("paired") => paired_region(self.kb, &protected.region),
            Some("geo") => crate::model::placement::geo_region(self.kb, &protected.region),
            Some("multi-region") => {
                crate::model::placement::multi_region(self.kb, &protected.region)
            }
            Some(path) => match ctx.item.first(path) {
                // A reference to another resource (a partner server): that resource's region.
                Some(Node {
                    kind: Kind::Ref(r), ..
                }) => match self.model.resolve(&r.target).first() {
                    Some(id) => self.model.get(*id).region.clone(),
                    None => Region::Unknown {
                        reason: format!(
                            "`{}` is not in the scanned files, so its region is unknown",
                            r.text
                        ),
                    },
                },
                Some(n) => match crate::model::placement::canonical_in(self.kb, n) {
                    Some(name) => Region::known(name, Some(n.span)),
                    None => region_from_node(n),
                },
                None => protected.region.clone(),
            },
        }
    }

    fn replicas(
        &mut self,
        rs: &ReplicasSpec,
        ctx: &Context<'_>,
        protected: &Resource,
        origin: &Resource,
        family: &str,
        certainty: Certainty,
    ) {
        // Replicas declared on another resource: read them there.
        let via_ctx;
        let ctx = match &rs.via {
            None => ctx,
            Some(via) => match self.via_resource(via, ctx.item, protected) {
                Ok(declaring) => {
                    via_ctx = Context::resource(&declaring.body, declaring.span);
                    &via_ctx
                }
                Err((reason, span)) => {
                    let mech = self.replica_mechanism(
                        rs,
                        ctx,
                        span,
                        protected,
                        origin,
                        family,
                        Region::Unknown {
                            reason: reason.clone(),
                        },
                        certainty.and(Certainty::Uncertain { reason, span }),
                    );
                    self.mechanisms[protected.id.index()].push(mech);
                    return;
                }
            },
        };
        let items: Vec<&Node> = match &rs.each {
            Some(path) => ctx.item.lookup(path),
            None => vec![ctx.item],
        };
        let mut own_regions = Vec::new();
        for item in items {
            let item_ctx = ctx.with_item(item);
            if item.is_unknown() {
                // The list of replicas itself is unknown (a dynamic block over an unknown value).
                let reason = item.unknown_reason().unwrap_or_default();
                let mech = self.replica_mechanism(
                    rs,
                    &item_ctx,
                    item.span,
                    protected,
                    origin,
                    family,
                    Region::Unknown {
                        reason: reason.clone(),
                    },
                    certainty.clone().and(Certainty::Uncertain {
                        reason: format!("the {}s are unknown: {reason}", rs.def.label),
                        span: item.span,
                    }),
                );
                self.mechanisms[protected.id.index()].push(mech);
                continue;
            }
            let mut item_certainty = certainty.clone();
            if let Some(p) = &rs.enabled {
                match eval_predicate(p, &item_ctx) {
                    Fact::Known { value: true, .. } => {}
                    Fact::Known { value: false, .. } => continue,
                    Fact::Unknown { reason, span } => {
                        item_certainty = item_certainty.and(Certainty::Uncertain {
                            reason: format!(
                                "whether the {} is enabled is unknown: {reason}",
                                rs.def.label
                            ),
                            span,
                        })
                    }
                }
            }
            // A replication of part of the data (a filtered rule) protects nothing as a whole.
            let mut partial = None;
            for p in &rs.partial_when {
                match eval_predicate(p, &item_ctx) {
                    Fact::Known {
                        value: true, span, ..
                    } => {
                        partial.get_or_insert((span, p.path.clone()));
                    }
                    Fact::Known { .. } => {}
                    Fact::Unknown { reason, span } => {
                        item_certainty = item_certainty.and(Certainty::Uncertain {
                            reason: format!(
                                "whether the {} copies all the data is unknown: {reason}",
                                rs.def.label
                            ),
                            span,
                        })
                    }
                }
            }
            if let Some((span, path)) = partial {
                if item_certainty.is_certain() {
                    self.disabled[protected.id.index()].push(Disabled {
                        resource: protected.id,
                        kind: MechanismKind::Replica,
                        label: format!(
                            "{} of part of the data only (`{path}` filters it)",
                            rs.def.label
                        ),
                        span,
                        implicit: None,
                    });
                }
                continue;
            }
            let Some(mut item_certainty) =
                self.in_other_region(rs.region.as_deref(), protected, item_certainty, || {
                    format!("whether it keeps a {}", rs.def.label)
                })
            else {
                continue;
            };
            // The replica resource in the scan, if any (a destination bucket, the attachment).
            let mut replica_id = None;
            let region = if let Some(dest) = &rs.destination {
                match item.first(dest) {
                    Some(node) => match self.linker.resolve(node, Want::Family(family)) {
                        Target::Found(ids) if !ids.is_empty() => {
                            let d = ids[0];
                            item_certainty =
                                item_certainty.and(Certainty::existence(self.model.get(d)));
                            if d != protected.id {
                                self.union(protected.id.index(), d.index());
                                self.is_replica[d.index()] = true;
                                replica_id = Some(d);
                            }
                            self.model.get(d).region.clone()
                        }
                        Target::Found(_) | Target::External => rs
                            .destination_region
                            .iter()
                            .filter_map(|p| item.first(p))
                            .map(region_from_node)
                            .chain(rs.region.as_deref().map(|path| {
                                self.region_of(Some(path), &item_ctx, protected, origin)
                            }))
                            .find(|r| !matches!(r, Region::Unknown { .. }))
                            .unwrap_or_else(|| Region::Unknown {
                                reason: format!(
                                    "the {} destination `{}` is not in the scanned files, so its region is unknown",
                                    rs.def.label,
                                    node.partial_str().unwrap_or_default()
                                ),
                            }),
                        Target::Unknown { reason, .. } => Region::Unknown {
                            reason: format!("the {} destination is unknown: {reason}", rs.def.label),
                        },
                    },
                    None => continue,
                }
            } else {
                if origin.id != protected.id && rs.region.as_deref().is_none_or(|r| r == "self") {
                    // The attachment itself is the replica (`aws_dynamodb_table_replica`).
                    self.attached_members.push((protected.id, origin.id));
                }
                self.region_of(
                    rs.region.as_deref().or(Some("self")),
                    &item_ctx,
                    protected,
                    origin,
                )
            };
            // A global table entry in the table's own region is the table itself.
            if rs.includes_self {
                own_regions.push(region.clone());
                if protected.region.same_as(&region) == Some(true) {
                    for m in &rs.mechanism {
                        self.add_mechanism(
                            m,
                            &item_ctx,
                            protected,
                            origin,
                            family,
                            item_certainty.clone(),
                        );
                    }
                    continue;
                }
            }
            let span = item.span;
            let mech = self.replica_mechanism(
                rs,
                &item_ctx,
                span,
                protected,
                origin,
                family,
                region.clone(),
                item_certainty.clone(),
            );
            let lag = mech.rpo.clone();
            self.mechanisms[protected.id.index()].push(mech);
            if let Some(d) = replica_id {
                self.record_lag(d, lag.clone());
                self.record_fed(d, item_certainty.clone());
            }
            // Mechanisms of the replica itself hold replicated data: they lag with it. How the
            // replica is spread over its own region's zones recovers nothing of the primary.
            for m in rs.mechanism.iter().filter(|m| {
                !matches!(
                    m.def.kind,
                    MechanismKind::ZoneRedundant | MechanismKind::Standby
                )
            }) {
                if let Some(mut mech) = self.mechanism(
                    m,
                    &item_ctx,
                    protected,
                    origin,
                    family,
                    item_certainty.clone(),
                ) {
                    mech.region = region.clone();
                    mech.label = format!(
                        "{} of the {} in {}",
                        m.def.label,
                        rs.def.label,
                        region.label()
                    );
                    mech.rpo = behind(mech.rpo, &lag);
                    if let Some(own) = &m.destination_mechanism {
                        match replica_id {
                            Some(d) => self.implied.push((
                                protected.id.index(),
                                self.mechanisms[protected.id.index()].len(),
                                d,
                                own.clone(),
                            )),
                            None if m.retention.is_none() => {
                                mech.retention = Some(Retention::Unknown {
                                    reason: format!(
                                        "the {} destination is not in the scanned files, so how long it keeps data is unknown",
                                        rs.def.label
                                    ),
                                    span,
                                });
                            }
                            None => {}
                        }
                    }
                    self.mechanisms[protected.id.index()].push(mech);
                }
            }
        }
        if rs.includes_self
            && protected.region.name().is_none()
            && !own_regions.is_empty()
            && own_regions.iter().all(|r| r.name().is_some())
        {
            self.home[protected.id.index()] = Some(Home::OneOf(own_regions));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn replica_mechanism(
        &self,
        rs: &ReplicasSpec,
        ctx: &Context<'_>,
        span: Span,
        protected: &Resource,
        origin: &Resource,
        family: &str,
        region: Region,
        certainty: Certainty,
    ) -> Mechanism {
        let figure_id = format!("{family}/{}", rs.def.id);
        let (_, rto) = self.replication_figures(family, &rs.def);
        let rto = match (
            self.case_figure(&figure_id, "rto", &rto, &rs.rto_when, ctx),
            rs.rto.as_ref().and_then(|q| eval_quantity(q, ctx)),
        ) {
            (Some(case), _) => case,
            (None, Some(Fact::Known { value, .. })) => Estimate::Known {
                secs: value,
                basis: format!(
                    "`{}`",
                    rs.rto
                        .as_ref()
                        .and_then(|q| q.path.as_deref())
                        .unwrap_or("")
                ),
            },
            (None, Some(Fact::Unknown { reason, span })) => Estimate::Unknown {
                reason,
                span,
                upper: None,
            },
            (None, None) => Estimate::figure(&rto),
        };
        Mechanism {
            kind: MechanismKind::Replica,
            id: rs.def.id.clone(),
            label: if origin.id == protected.id {
                format!("{} in {}", rs.def.label, region.label())
            } else {
                format!(
                    "{} in {} ({})",
                    rs.def.label,
                    region.label(),
                    origin.address
                )
            },
            cadence: None,
            origin: origin.id,
            protects: protected.id,
            span,
            rpo: match (
                self.case_rpo(&figure_id, &rs.def.rpo.figure(), &rs.rpo_when, ctx),
                &rs.rpo,
            ) {
                (Some(case), _) => case,
                (None, q) => {
                    let base = self
                        .kb
                        .figure(&format!("{figure_id}/rpo"), &rs.def.rpo.figure());
                    match q {
                        Some(q) => interval_rpo(q, ctx, &base),
                        None => Estimate::figure(&base),
                    }
                }
            },
            certainty,
            rto,
            retention: None,
            region,
            mode: Some(rs.def.mode),
            implicit: None,
            single_zone: None,
            spans_regions: false,
        }
    }

    fn add_caps(&mut self, cap: &RetentionCapSpec, ctx: &Context<'_>, target: ResourceId) {
        let items: Vec<&Node> = match &cap.each {
            Some(p) => ctx.item.lookup(p),
            None => vec![ctx.item],
        };
        for item in items {
            let item_ctx = ctx.with_item(item);
            if let Some(p) = &cap.enabled {
                match eval_predicate(p, &item_ctx) {
                    Fact::Known { value: false, .. } => continue,
                    Fact::Unknown { reason, span } => {
                        self.caps[target.index()].push(Cap {
                            mechanism: cap.mechanism.clone(),
                            limit: Fact::Unknown { reason, span },
                        });
                        continue;
                    }
                    Fact::Known { value: true, .. } => {}
                }
            }
            if let Some(limit) = eval_quantity_at(Some(&cap.path), cap.unit, None, &item_ctx) {
                self.caps[target.index()].push(Cap {
                    mechanism: cap.mechanism.clone(),
                    limit,
                });
            }
        }
    }

    /// A family replication's lag and failover figures (after overrides).
    fn replication_figures(&self, family: &str, def: &FamilyReplication) -> (Figure, Figure) {
        let id = format!("{family}/{}", def.id);
        (
            self.kb.figure(&format!("{id}/rpo"), &def.rpo.figure()),
            self.kb.figure(&format!("{id}/rto"), &def.rto.figure()),
        )
    }

    /// The live replica of `protects` that `replica` is, by a `replica-of` relation, with the
    /// figures of family replication `def`.
    pub(super) fn replica_mechanism_of(
        &self,
        family: &str,
        def: &FamilyReplication,
        replica: &Resource,
        protects: ResourceId,
        span: Span,
        certainty: Certainty,
    ) -> Mechanism {
        let (rpo, rto) = self.replication_figures(family, def);
        Mechanism {
            kind: MechanismKind::Replica,
            id: def.id.clone(),
            label: format!("{} {}", def.label, replica.address),
            cadence: None,
            origin: replica.id,
            protects,
            span,
            certainty,
            rpo: Estimate::figure(&rpo),
            rto: Estimate::figure(&rto),
            retention: None,
            region: replica.region.clone(),
            mode: Some(def.mode),
            implicit: None,
            single_zone: None,
            spans_regions: false,
        }
    }

    /// The resource that declares another's replicas (`via`), or why it cannot be told.
    fn via_resource(
        &self,
        via: &ViaSpec,
        item: &Node,
        protected: &Resource,
    ) -> Result<&'m Resource, (String, Span)> {
        let Some(entry) = item.lookup_entry(&via.path) else {
            return Err((format!("`{}` is not set", via.path), protected.span));
        };
        let node = &entry.value;
        let found: Vec<&Resource> =
            match self
                .linker
                .designated(node, |t| t == via.rtype, Some(&via.name), &protected.unit)
            {
                Ok(ids) => ids.into_iter().map(|id| self.model.get(id)).collect(),
                Err(why) => {
                    return Err((
                        format!(
                            "the {} it names is unknown: {}",
                            via.rtype,
                            why.unwrap_or_default()
                        ),
                        node.span,
                    ));
                }
            };
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err((
                format!(
                    "its {} `{}` is not in the scanned files, so its regions are unknown",
                    via.rtype,
                    node.partial_str().unwrap_or_default()
                ),
                entry.span(),
            )),
            _ => Err((
                format!("several {} resources match `{}`", via.rtype, via.path),
                entry.span(),
            )),
        }
    }

    /// Records that resource `r` is a replica lagging by `lag` (the smallest lag wins).
    pub(super) fn record_lag(&mut self, r: ResourceId, lag: Estimate) {
        let slot = &mut self.lag[r.index()];
        let better = match (&slot, lag.secs()) {
            (None, _) => true,
            (Some(old), Some(new)) => old.secs().is_none_or(|o| new < o),
            (Some(_), None) => false,
        };
        if better {
            *slot = Some(lag);
        }
    }

    /// Records that replication feeds resource `r` with this certainty (the most certain wins).
    pub(super) fn record_fed(&mut self, r: ResourceId, certainty: Certainty) {
        let slot = &mut self.fed[r.index()];
        if slot.as_ref().is_none_or(|c| !c.is_certain()) {
            *slot = Some(certainty);
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    pub(super) fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }

    /// Whether the resource's settings say it holds nothing that survives a restart
    /// (`stateful-when` known not to hold).
    fn stateless_by_settings(&self, r: &Resource) -> bool {
        let Some(p) = self
            .kb
            .resource(&r.rtype)
            .and_then(|s| s.stateful_when.as_ref())
        else {
            return false;
        };
        let ctx = Context::resource(&r.body, r.span);
        matches!(eval_predicate(p, &ctx), Fact::Known { value: false, .. })
    }

    /// Applies lifecycle caps and groups resources into components.
    pub fn finish(mut self) -> Vec<Component> {
        let n = self.model.resources.len();
        // What a replication implies on a destination in the scan: the destination's own
        // declaration replaces it, else the destination's lifecycle limits it.
        let mut replaced: Vec<(usize, usize)> = Vec::new();
        for (i, position, d, own) in std::mem::take(&mut self.implied) {
            let declared = self.mechanisms[d.index()].iter().any(|m| m.id == own);
            if declared {
                replaced.push((i, position));
                continue;
            }
            let caps = &self.caps[d.index()];
            if let Some(m) = self.mechanisms[i].get_mut(position) {
                for cap in caps.iter().filter(|c| c.mechanism == own) {
                    apply_cap(m, &cap.limit);
                }
            }
        }
        replaced.sort_unstable();
        for (i, position) in replaced.into_iter().rev() {
            if position < self.mechanisms[i].len() {
                self.mechanisms[i].remove(position);
            }
        }
        // Cadences set elsewhere (a snapshot schedule): the family's figure no longer holds.
        for (r, id, reason, span) in std::mem::take(&mut self.unsized_by) {
            for m in self.mechanisms[r.index()].iter_mut().filter(|m| m.id == id) {
                m.rpo = Estimate::Unknown {
                    reason: reason.clone(),
                    span,
                    upper: None,
                };
            }
        }
        // Lifecycle limits on retention.
        for i in 0..n {
            let caps = std::mem::take(&mut self.caps[i]);
            for cap in caps {
                for m in self.mechanisms[i]
                    .iter_mut()
                    .filter(|m| m.id == cap.mechanism)
                {
                    apply_cap(m, &cap.limit);
                }
            }
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for i in 0..n {
            let r = &self.model.resources[i];
            let stateful = self.kb.family_of(&r.rtype).is_some_and(|f| f.stateful)
                && !super::not_modelled::is_member(r, self.kb)
                && !self.stateless_by_settings(r);
            if stateful {
                let root = self.find(i);
                groups.entry(root).or_default().push(i);
            }
        }
        let mut components = Vec::with_capacity(groups.len());
        for (_, members) in groups {
            let primary = members
                .iter()
                .copied()
                .find(|&m| !self.is_replica[m])
                .unwrap_or(members[0]);
            let p = &self.model.resources[primary];
            let family = self
                .kb
                .resource(&p.rtype)
                .and_then(|s| s.family.clone())
                .unwrap_or_default();
            let mut mechanisms = Vec::new();
            for &m in &members {
                let lag = self.lag[m].take();
                // A replica's own mechanisms hold the component's data only if the replica
                // exists and a replication feeds it.
                let fed = match (m == primary, self.fed[m].take()) {
                    (true, _) => Certainty::Certain,
                    (false, fed) => fed
                        .unwrap_or(Certainty::Certain)
                        .and(Certainty::existence(&self.model.resources[m])),
                };
                for mut mech in std::mem::take(&mut self.mechanisms[m]) {
                    if let Some(lag) = &lag
                        && mech.kind.is_backup()
                    {
                        mech.rpo = behind(mech.rpo, lag);
                    }
                    if !fed.is_certain() && mech.protects != ResourceId(primary as u32) {
                        mech.certainty = mech.certainty.and(fed.clone());
                    }
                    mechanisms.push(mech);
                }
            }
            let mut replicas: Vec<ResourceId> = members
                .iter()
                .copied()
                .filter(|&m| m != primary)
                .map(|m| ResourceId(m as u32))
                .collect();
            for (target, attachment) in &self.attached_members {
                if members.contains(&target.index()) && !replicas.contains(attachment) {
                    replicas.push(*attachment);
                }
            }
            components.push(Component {
                primary: ResourceId(primary as u32),
                replicas,
                family,
                home: self.home[primary]
                    .take()
                    .unwrap_or_else(|| Home::Single(p.region.clone())),
                mechanisms,
                disabled: members
                    .iter()
                    .flat_map(|&m| std::mem::take(&mut self.disabled[m]))
                    .collect(),
                restore_tests: Vec::new(),
                backup_targets: Vec::new(),
                watches: Vec::new(),
                external_source: self.external_source[primary].take(),
            });
        }
        components.sort_by_key(|c| c.primary);
        components
    }
}

/// Limits how long a mechanism keeps data by a lifecycle rule's limit.
fn apply_cap(m: &mut Mechanism, limit: &Fact<u64>) {
    m.retention = Some(match (m.retention.take(), limit) {
        (_, Fact::Unknown { reason, span }) => Retention::Unknown {
            reason: reason.clone(),
            span: *span,
        },
        (
            Some(Retention::Known {
                secs,
                span,
                implicit,
            }),
            Fact::Known { value, .. },
        ) if secs <= *value => Retention::Known {
            secs,
            span,
            implicit,
        },
        (_, Fact::Known { value, span, .. }) => Retention::Known {
            secs: *value,
            span: *span,
            implicit: None,
        },
    });
}

/// An RPO no better than the lag of the replication that feeds the data.
fn behind(rpo: Estimate, lag: &Estimate) -> Estimate {
    match (rpo, lag) {
        (Estimate::Known { secs, basis }, Estimate::Known { secs: l, .. }) if *l > secs => {
            Estimate::Known {
                secs: *l,
                basis: format!(
                    "{basis}, behind replication lagging up to {}",
                    crate::duration::format(*l)
                ),
            }
        }
        (
            Estimate::Known { secs, .. },
            Estimate::Unknown {
                reason,
                span,
                upper,
            },
        ) => Estimate::Unknown {
            reason: reason.clone(),
            span: *span,
            upper: upper.map(|u| u.max(secs)).or(Some(secs)),
        },
        (
            Estimate::Unknown {
                reason,
                span,
                upper,
            },
            l,
        ) => Estimate::Unknown {
            reason,
            span,
            upper: match (upper, l.secs()) {
                (Some(u), Some(l)) => Some(u.max(l)),
                (u, _) => u,
            },
        },
        (known, _) => known,
    }
}

/// The RPO of a backup whose cadence an attribute sets.
fn interval_rpo(
    q: &crate::knowledge::schema::QuantitySpec,
    ctx: &Context<'_>,
    base: &Figure,
) -> Estimate {
    match eval_quantity(q, ctx) {
        Some(Fact::Known {
            value, implicit, ..
        }) => Estimate::Known {
            secs: value,
            basis: match (implicit, q.path.as_deref()) {
                (Some(why), _) => format!("the service default ({why})"),
                (None, Some(path)) => format!("`{path}`"),
                (None, None) => "the service default".into(),
            },
        },
        Some(Fact::Unknown { reason, span }) => Estimate::Unknown {
            reason,
            span,
            upper: None,
        },
        None => Estimate::figure(base),
    }
}

/// The region paired with `home` (Azure's geo-redundant storage and backups go there): known
/// when the home region is known and has a pair in the knowledge base's table.
pub fn paired_region(kb: &KnowledgeBase, home: &Region) -> Region {
    match home.name() {
        Some(name) => match kb.region_entry(name) {
            Some(entry) => match &entry.pair {
                Some(pair) => Region::known(pair.clone(), None),
                None => Region::Unknown {
                    reason: format!("{name} has no paired region"),
                },
            },
            None => Region::Unknown {
                reason: format!(
                    "resilint's region table does not know {name}, so its paired region is unknown"
                ),
            },
        },
        None => Region::Unknown {
            reason: format!(
                "its paired region is unknown because its own region is unknown: {}",
                home.unknown_reason().unwrap_or_default()
            ),
        },
    }
}

/// A region from a node holding a region name (or an ARN).
pub fn region_from_node(n: &Node) -> Region {
    if let Some(r) = crate::model::region::region_of_arn_node(n) {
        return r;
    }
    match n.as_str() {
        Some(name) if crate::model::region::is_region_name(&name) => {
            Region::known(name, Some(n.span))
        }
        Some(other) => Region::Unknown {
            reason: format!("`{other}` is not a region name"),
        },
        None => Region::Unknown {
            reason: n
                .unknown_reason()
                .unwrap_or_else(|| "the region is not a string".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::infer::testing::{component, infer_cfn, kb};

    fn automated_backups_rto(overrides: &[(&str, u64)]) -> Option<u64> {
        let mut kb = kb();
        kb.set_overrides(overrides.iter().map(|(k, v)| (k.to_string(), *v)).collect());
        let (model, inf) = infer_cfn(
            &kb,
            "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: { BackupRetentionPeriod: 7 }\n",
        );
        component(&model, &inf, "Db")
            .mechanisms
            .iter()
            .find(|m| m.id == "automated-backups")
            .and_then(|m| m.rto.secs())
    }

    #[test]
    fn a_mechanism_rto_override_applies_without_an_rto_of_its_own() {
        assert_eq!(
            automated_backups_rto(&[]),
            Some(3600),
            "the family's restore time"
        );
        assert_eq!(
            automated_backups_rto(&[("aws-rds-instance/restore/rto", 456)]),
            Some(456)
        );
        assert_eq!(
            automated_backups_rto(&[("aws-rds-instance/automated-backups/rto", 123)]),
            Some(123)
        );
        assert_eq!(
            automated_backups_rto(&[
                ("aws-rds-instance/automated-backups/rto", 123),
                ("aws-rds-instance/restore/rto", 456),
            ]),
            Some(123),
            "the mechanism's id wins"
        );
    }
}
