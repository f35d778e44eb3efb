//! One finding per fact: the findings of one document, once every rule ran on it, with the
//! same fact reported once.
//!
//! * A rule that `supersedes` another (declared in the catalogue) keeps its finding where both
//!   report the same place of the same resource; the kept finding takes the other's severity
//!   and admission blockers when they weigh more.
//! * A rule's finding reached through several containers of one resource at one place (in a
//!   rendered chart, the values line all of them read) is one finding naming every container.

use std::collections::{BTreeMap, HashMap};

use crate::source::ByteRange;
use crate::vocab::{Finding, Text};

/// How a finding's message was written: its template and arguments, to write it again when
/// findings merge.
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub(crate) template: Text,
    pub(crate) args: BTreeMap<String, String>,
}

/// The place of a finding and the resource it is about (containers left out).
fn place(f: &Finding) -> (&str, ByteRange, &str, &str, &str) {
    (
        f.location.path.as_str(),
        f.location.bytes,
        f.subject.kind.as_str(),
        f.subject.namespace.as_str(),
        f.subject.name.as_str(),
    )
}

/// Merge a new finding into the findings of a document: a finding of the same rule, place,
/// resource and message already there, through another container, now names both containers.
/// Returns the finding when it is a fact of its own.
pub(crate) fn merge_containers(
    findings: &mut [(Finding, Message)],
    new: (Finding, Message),
) -> Option<(Finding, Message)> {
    let (f, m) = &new;
    let Some(container) = f.subject.container.as_deref() else {
        return Some(new);
    };
    let same = findings.iter_mut().find(|(g, gm)| {
        g.rule_id == f.rule_id
            && place(g) == place(f)
            && gm.template == m.template
            && g.subject
                .container
                .as_deref()
                .is_some_and(|c| !c.split(", ").any(|c| c == container))
    });
    let Some((g, gm)) = same else {
        return Some(new);
    };
    let names = match g.subject.container.as_deref() {
        Some(c) => format!("{c}, {container}"),
        None => container.to_string(),
    };
    gm.args.insert("container".into(), names.clone());
    g.message = gm.template.fill(&gm.args);
    g.subject.container = Some(names);
    None
}

/// Drop the findings a finding of a superseding rule reports at the same place of the same
/// resource. `superseded_by` maps a rule id to the ids of the rules that supersede it.
pub(crate) fn drop_superseded(
    findings: &mut Vec<(Finding, Message)>,
    superseded_by: &HashMap<String, Vec<String>>,
) {
    if superseded_by.is_empty() {
        return;
    }
    let mut dropped = vec![false; findings.len()];
    for i in 0..findings.len() {
        let Some(over) = superseded_by.get(&findings[i].0.rule_id) else {
            continue;
        };
        let keeper = findings
            .iter()
            .position(|(g, _)| over.contains(&g.rule_id) && place(g) == place(&findings[i].0));
        let Some(k) = keeper else { continue };
        dropped[i] = true;
        let (severity, blocking) = (findings[i].0.severity, findings[i].0.blocking.clone());
        let kept = &mut findings[k].0;
        kept.severity = kept.severity.min(severity);
        for b in blocking {
            if !kept.blocking.contains(&b) {
                kept.blocking.push(b);
            }
        }
    }
    let mut i = 0;
    findings.retain(|_| {
        let keep = !dropped[i];
        i += 1;
        keep
    });
}
