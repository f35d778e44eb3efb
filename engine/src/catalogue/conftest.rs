//! Conftest policies: a `.rego` file of a `--rules` folder that no rule file names (no YAML of
//! the same name beside it, no `check.rego` pointing at it) is a Conftest policy, run unchanged.
//!
//! As Conftest does, every policy file of a folder is loaded together (a package may span files
//! and import another), and each `deny`, `violation` and `warn` rule of a package, and those
//! whose names start with `deny_`, `violation_` or `warn_`, becomes a rule of its own, named
//! `<package>.<rule>` (`main.deny`). It runs on every Kubernetes resource, with the resource as
//! `input`; its string messages are the findings, located at the resource. `warn` rules give
//! warnings, the others errors.

use super::{RuleSpec, Select, Severity};
use crate::source::SourceFile;
use crate::vocab::{Level, Profile, SubjectKind, Text};
use std::collections::BTreeMap;

/// The prefixes of the rules Conftest reads, and whether their results are warnings.
const SETS: [(&str, bool); 3] = [("deny", false), ("violation", false), ("warn", true)];

/// A rule found in a Conftest policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// The package, without `data.` (`main`, `kubernetes.admission`).
    pub(super) package: String,
    /// The rule's name in the package (`deny`, `deny_latest`).
    pub(super) rule: String,
    /// Whether its results are warnings.
    pub(super) warn: bool,
}

impl Entry {
    /// The rule id: `<package>.<rule>`.
    pub(super) fn id(&self) -> String {
        format!("{}.{}", self.package, self.rule)
    }
}

/// The package a policy declares (its first `package` line), if any.
pub(super) fn package(text: &str) -> Option<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .find_map(|l| l.strip_prefix("package "))
        .map(|p| p.trim().trim_start_matches("data.").to_string())
        .filter(|p| !p.is_empty())
}

/// The Conftest rules a policy defines, in the order they first appear: rule heads written at
/// the start of a line, named `deny`, `violation`, `warn` or one of them followed by `_…`.
pub(super) fn entries(text: &str) -> Vec<Entry> {
    let Some(package) = package(text) else {
        return Vec::new();
    };
    let mut out: Vec<Entry> = Vec::new();
    for line in text.lines() {
        let name: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let rest = line[name.len()..].trim_start();
        let is_head = rest.is_empty()
            || ["[", "{", "contains", "if", ":=", "=", "["]
                .iter()
                .any(|p| rest.starts_with(p));
        if !is_head {
            continue;
        }
        let Some(&(_, warn)) = SETS.iter().find(|(set, _)| {
            name == *set
                || name
                    .strip_prefix(set)
                    .is_some_and(|r| r.starts_with('_') && r.len() > 1)
        }) else {
            continue;
        };
        if !out.iter().any(|e| e.rule == name) {
            out.push(Entry {
                package: package.clone(),
                rule: name,
                warn,
            });
        }
    }
    out
}

/// The rule of a Conftest entry: whole resources of every kind, every profile, no CCT
/// requirement, its messages the policy's own.
pub(super) fn spec(entry: &Entry, policy: &SourceFile) -> RuleSpec {
    let id = entry.id();
    let path = policy.path();
    RuleSpec {
        id: id.clone(),
        name: id.clone(),
        status: Default::default(),
        since: None,
        requirements: Vec::new(),
        level: Level::None,
        severity: if entry.warn {
            Severity::Warning
        } else {
            Severity::Error
        },
        confidence: None,
        profiles: Profile::ALL.to_vec(),
        escalation: Vec::new(),
        tags: vec!["conftest".to_string()],
        sources: BTreeMap::new(),
        sensitive: false,
        supersedes: Vec::new(),
        title: Text::new(
            format!("Conftest policy `{id}` ({path})"),
            format!("Politique Conftest `{id}` ({path})"),
        ),
        message: Text::new(
            format!("{{kind}} {{name}} is refused by the Conftest policy `{id}`"),
            format!("{{kind}} {{name}} est refusé par la politique Conftest `{id}`"),
        ),
        rationale: Default::default(),
        remediation: Default::default(),
        help_uri: None,
        select: Select {
            subject: SubjectKind::Resource.into(),
            kinds: Vec::new(),
        },
        params: serde_json::Map::new(),
        check: super::CheckSpec {
            schema: Default::default(),
            rego: Some(
                std::path::Path::new(path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_of_a_policy_are_found_in_v0_and_v1_syntax() {
        let text = "# a policy\npackage main\n\nimport rego.v1\n\ndeny contains msg if {\n  input.kind == \"Pod\"\n  msg := \"no pods\"\n}\n\ndeny[msg] {\n  msg := \"again\"\n}\n\nwarn_latest[msg] {\n  msg := \"x\"\n}\n\nviolation contains {\"msg\": \"v\"} if true\n\ndenying := 1\nhelper(x) := x\n";
        let found: Vec<(String, bool)> = entries(text)
            .into_iter()
            .map(|e| (e.id(), e.warn))
            .collect();
        assert_eq!(
            found,
            vec![
                ("main.deny".to_string(), false),
                ("main.warn_latest".to_string(), true),
                ("main.violation".to_string(), false),
            ]
        );
        assert_eq!(
            package("package data.kubernetes.admission\n"),
            Some("kubernetes.admission".to_string())
        );
        assert!(entries("deny[msg] { true }\n").is_empty());
    }
}
