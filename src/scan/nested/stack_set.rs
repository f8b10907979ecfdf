//! StackSets: an `AWS::CloudFormation::StackSet` deploys its template (an inline `TemplateBody`,
//! one that AWS Rain embeds with `!Rain::Embed file.yaml`, or a local `TemplateURL`) to the regions of its `StackInstancesGroup`. The template is
//! evaluated once per region, with the StackSet's `Parameters`; every copy knows the other
//! regions (evidence that the resource runs in several regions, not a copy of its data).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{Expander, MAX_DEPTH, not_evaluated, parameter_values};
use crate::model::cloudformation::{Deployment, build_template};
use crate::model::{Resource, StackSetRegions};
use crate::parse::{self, Parsed};
use crate::source::{FileId, Language, normalize_path};

impl Expander<'_, '_> {
    /// Builds the template of the StackSet `set` (a resource of the template at `parent`) in
    /// each of its regions.
    pub(super) fn stack_set(&mut self, set: &Resource, parent: &Path, depth: usize) {
        let note = |message: String| {
            not_evaluated(
                set,
                "StackSet",
                &message,
                "give the StackSet an inline `TemplateBody` or a local `TemplateURL`, and its `StackInstancesGroup` regions as literals or parameters with values",
            )
        };
        let (regions, regions_span) = match regions(set) {
            Ok(r) => r,
            Err(why) => {
                self.noted(note(why));
                return;
            }
        };
        let Some(StackSetTemplate {
            id,
            text,
            rel,
            language,
            inline,
            path,
        }) = self.stack_set_template(set, parent)
        else {
            let named = set
                .attr("TemplateBody")
                .and_then(|b| b.get("Rain::Embed"))
                .or_else(|| set.attr("TemplateURL"))
                .and_then(|u| u.as_str().map(|s| s.into_owned()));
            let why = match named {
                Some(url) if url.contains("://") => format!(
                    "its template `{url}` is not on this machine (resilint never downloads templates)"
                ),
                Some(url) => format!(
                    "its template `{url}` cannot be read (it does not exist, or resilint may not open it)"
                ),
                None => "its template is neither an inline `TemplateBody` nor a local `TemplateURL` resilint can read".into(),
            };
            self.noted(note(why));
            return;
        };
        let root = match parse::parse(id, language, &text) {
            Ok(Parsed::CloudFormation(root)) => root,
            Ok(_) => {
                self.noted(note("its template is not a CloudFormation template".into()));
                return;
            }
            Err(e) if inline.is_some() => {
                self.noted(note(format!(
                    "its `TemplateBody` does not parse: {}",
                    e.message
                )));
                return;
            }
            Err(e) => {
                self.children.push((Vec::new(), Vec::new(), vec![e]));
                return;
            }
        };
        let (known, unknown) = parameters(set);
        let deployed = StackSetRegions {
            stack_set: set.address.clone(),
            regions: regions.clone(),
            span: regions_span,
        };
        let mut chain = set.call_chain.clone();
        chain.push(set.span);
        for region in &regions {
            let deployment = Deployment {
                region: Some(region),
                parameters: Some(&known),
                unknown_parameters: Some(&unknown),
            };
            let unit = format!("{rel}@{region}");
            let (mut resources, mut notes) = build_template(&unit, &root, &deployment, self.cx.kb);
            for r in &mut resources {
                r.call_chain = chain.clone();
                r.stack_set = Some(deployed.clone());
                if let Some(to) = inline {
                    r.relocate(id, to);
                }
            }
            for n in &mut notes {
                n.call_chain = chain.clone();
                if let Some(to) = inline
                    && n.span.file == id
                {
                    n.span = to;
                }
            }
            let nested: Vec<Resource> = resources
                .iter()
                .filter(|r| r.rtype == "AWS::CloudFormation::Stack")
                .cloned()
                .collect();
            self.children.push((resources, notes, Vec::new()));
            // Nested stacks of a template read from a file (an inline body has no directory).
            if let Some(path) = &path
                && depth < MAX_DEPTH
            {
                let mut visiting = vec![path.clone()];
                for s in &nested {
                    self.child(s, path, &mut visiting, depth + 1);
                }
            }
        }
    }

    /// The StackSet's template: its inline `TemplateBody` (registered as text of its own,
    /// whose findings point at the `TemplateBody` property), or its local `TemplateURL`.
    fn stack_set_template(&mut self, set: &Resource, parent: &Path) -> Option<StackSetTemplate> {
        let body = set.attr("TemplateBody");
        // `TemplateBody: !Rain::Embed file.yaml`: AWS Rain embeds a local template.
        let embedded = body
            .and_then(|b| b.get("Rain::Embed"))
            .and_then(|f| f.as_str().map(|s| s.into_owned()));
        if let (Some(body), None) = (body, &embedded) {
            let text = body.as_str()?.into_owned();
            let language = if text.trim_start().starts_with('{') {
                Language::CloudFormationJson
            } else {
                Language::CloudFormationYaml
            };
            let key = parent.with_file_name(format!(
                "{}#{}.TemplateBody",
                parent.file_name()?.to_string_lossy(),
                set.address.rsplit('#').next().unwrap_or("")
            ));
            let rel = format!("{}.TemplateBody", set.address);
            let reg = self.cx.registry.register(
                key.clone(),
                key,
                rel.clone(),
                language,
                Arc::from(text),
                false,
                false,
            );
            return Some(StackSetTemplate {
                id: reg.id,
                text: reg.text,
                rel,
                language,
                inline: Some(body.span),
                path: None,
            });
        }
        let url = match embedded {
            Some(file) => file,
            None => set.attr("TemplateURL")?.as_str()?.into_owned(),
        };
        if url.contains("://") {
            return None;
        }
        let path = normalize_path(&parent.parent()?.join(&url));
        let (id, text, rel, language) = self.source(&path)?;
        Some(StackSetTemplate {
            id,
            text,
            rel,
            language,
            inline: None,
            path: Some(path),
        })
    }
}

/// A StackSet's template text.
struct StackSetTemplate {
    id: FileId,
    text: Arc<str>,
    /// How its resources' units are named (with `@<region>` added).
    rel: String,
    language: Language,
    /// For an inline `TemplateBody`: the property, where what it says is reported.
    inline: Option<crate::source::Span>,
    /// For a `TemplateURL`: the template's path.
    path: Option<std::path::PathBuf>,
}

/// The regions of the StackSet's stack instances, and where they are listed; why not, when
/// some are unknown or there are none.
fn regions(set: &Resource) -> Result<(Vec<String>, crate::source::Span), String> {
    let group = set
        .attr("StackInstancesGroup")
        .ok_or("it lists no `StackInstancesGroup`")?;
    let mut out: Vec<String> = Vec::new();
    for r in set.body.lookup("StackInstancesGroup.Regions") {
        match r.as_str() {
            Some(name) if !r.is_unknown() => {
                if !out.iter().any(|o| *o == name) {
                    out.push(name.into_owned());
                }
            }
            _ => {
                return Err(format!(
                    "the regions of its stack instances are unknown: {}",
                    r.unknown_reason().unwrap_or_default()
                ));
            }
        }
    }
    if out.is_empty() {
        return Err("its `StackInstancesGroup` lists no region".into());
    }
    Ok((out, group.span))
}

/// The StackSet's `Parameters` (`[{ParameterKey, ParameterValue}]`): known ones as text,
/// unknown ones with why.
fn parameters(set: &Resource) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let pairs = set.body.lookup("Parameters").into_iter().filter_map(|p| {
        let key = p.get("ParameterKey")?.as_str()?.into_owned();
        Some((key, p.get("ParameterValue")))
    });
    parameter_values(&format!("the StackSet {}", set.address), pairs)
}
