//! Checks: subjects, and the JSON-Schema check kind.
//!
//! Input: a document and the catalogue. Output: findings, located at the offending key or
//! value of the document.

mod quantity;
mod schema;
mod subject;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub use quantity::parse_quantity;
pub(crate) use schema::SchemaCheck;
pub use subject::SubjectIdentity;
pub(crate) use subject::{subjects, Subject, SubjectKind};

use crate::catalogue::{Catalogue, Escalation, Rule};
use crate::finding::{fingerprint, Finding, Related};
use crate::source::{escape_token, pointer_tokens, Document, Location};
use crate::text::Text;

/// Run every active rule of the catalogue on a document.
pub(crate) fn check_document(catalogue: &Catalogue, doc: &Document) -> Vec<Finding> {
    let subjects = subjects(doc);
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for rule in &catalogue.rules {
        let Some(check) = &rule.check else { continue };
        let Some(kind) = SubjectKind::parse(&rule.spec.select.subject) else {
            continue;
        };
        for subject in subjects.iter().filter(|s| s.kind == kind) {
            if !rule.spec.select.kinds.is_empty()
                && !rule
                    .spec
                    .select
                    .kinds
                    .iter()
                    .any(|k| k == subject.resource_kind)
            {
                continue;
            }
            for violation in check.evaluate(&subject.view) {
                let f = finding(catalogue, rule, subject, &violation);
                // The same place reached through several subjects (a pod-level field seen
                // from each container) is one finding.
                let key = (f.rule_id.clone(), f.location.bytes, f.pointer.clone());
                if seen.insert(key) {
                    out.push(f);
                }
            }
        }
    }
    out
}

fn finding(
    catalogue: &Catalogue,
    rule: &Rule,
    subject: &Subject<'_>,
    v: &schema::Violation,
) -> Finding {
    let spec = &rule.spec;
    let (pointer, mode) = subject.resolve(&v.path, v.mode);
    let doc = subject.doc;
    let (range, _) = doc
        .spans
        .locate(&pointer, mode)
        .unwrap_or((doc.range, false));
    let location = Location::of(
        &doc.file,
        crate::source::ByteRange::new(range.start as usize, range.end as usize),
    );
    let mut related = Vec::new();
    if let Some(spans) = doc.spans.get(&pointer) {
        if let Some(r) = spans.related {
            related.push(Related {
                location: Location::of(&doc.file, r),
                message: Text::new(
                    "the value comes through this YAML alias or anchor",
                    "la valeur provient de cet alias ou de cette ancre YAML",
                ),
            });
        }
    }

    // Severity: the branch's own, or the rule's raised by the rule's escalations; a branch
    // escalation applies to its branch.
    let mut severity = v.severity.unwrap_or(spec.severity);
    let escalations: &[Escalation] = if !v.escalation.is_empty() {
        &v.escalation
    } else if v.severity.is_none() {
        &spec.escalation
    } else {
        &[]
    };
    let mut blocking = Vec::new();
    for e in escalations {
        if e.profiles.contains(&catalogue.profile) {
            severity = severity.min(e.severity);
            if let Some(b) = &e.blocking {
                blocking.push(b.clone());
            }
        }
    }

    let named = named_pointer(&doc.value, &pointer);
    let mut args = BTreeMap::new();
    for (k, p) in &spec.params {
        args.insert(k.clone(), param_text(p));
    }
    let value = if spec.sensitive {
        v.value.as_ref().map(|_| "***".to_string())
    } else {
        v.value.clone()
    };
    args.insert("value".into(), value.unwrap_or_default());
    args.insert("property".into(), v.property.clone().unwrap_or_default());
    args.insert("kind".into(), subject.identity.kind.clone());
    args.insert("name".into(), subject.identity.name.clone());
    args.insert("namespace".into(), subject.identity.namespace.clone());
    args.insert(
        "container".into(),
        subject.identity.container.clone().unwrap_or_default(),
    );
    args.insert("pointer".into(), pointer.clone());
    if !spec.sensitive {
        args.insert("detail".into(), v.detail.clone());
    }
    let message = v.message.as_ref().unwrap_or(&spec.message).fill(&args);

    Finding {
        rule_id: spec.id.clone(),
        rule_name: spec.name.clone(),
        severity,
        level: spec.level,
        requirements: spec
            .requirements
            .iter()
            .map(|r| r.uid().to_string())
            .collect(),
        message,
        fingerprint: fingerprint(&spec.id, &location.path, &subject.identity, &named),
        location,
        related,
        subject: subject.identity.clone(),
        pointer: named,
        blocking,
        confidence: spec.confidence.clone(),
        environments: Vec::new(),
        suppression: None,
    }
}

fn param_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(param_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// A pointer where list items that have a `name` are written `[name]`, so that reordering a
/// list keeps fingerprints.
fn named_pointer(root: &Value, pointer: &str) -> String {
    let mut out = String::new();
    let mut node = Some(root);
    for token in pointer_tokens(pointer) {
        let next = match node {
            Some(Value::Array(items)) => {
                let item = token.parse::<usize>().ok().and_then(|i| items.get(i));
                match item.and_then(|i| i.get("name")).and_then(Value::as_str) {
                    Some(name) => out.push_str(&format!("[{name}]")),
                    None => {
                        out.push('/');
                        out.push_str(&token);
                    }
                }
                item
            }
            Some(Value::Object(map)) => {
                out.push('/');
                out.push_str(&escape_token(&token));
                map.get(&token)
            }
            _ => {
                out.push('/');
                out.push_str(&escape_token(&token));
                None
            }
        };
        node = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn named_pointers() {
        let v = json!({"spec": {"containers": [{"name": "api", "image": "x"}, {"image": "y"}]}});
        assert_eq!(
            named_pointer(&v, "/spec/containers/0/image"),
            "/spec/containers[api]/image"
        );
        assert_eq!(
            named_pointer(&v, "/spec/containers/1/image"),
            "/spec/containers/1/image"
        );
    }
}
