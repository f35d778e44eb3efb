//! Findings: a rule broken at a place, language-neutral until a report renders it.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::SubjectIdentity;
use super::Text;
use super::{Level, Severity};
use crate::source::Location;

/// Another place that explains a finding (an anchor, a template line, a values line).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What it is.
    pub message: Text,
}

/// Where a derogation was written: SARIF's suppression kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SuppressionKind {
    /// In the file itself: a `# cct-ignore:` comment, or an annotation of the resource.
    #[serde(rename = "inSource")]
    InSource,
    /// In the configuration (`.cct.yaml`).
    #[serde(rename = "external")]
    External,
}

/// A derogation covering a finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Suppression {
    /// Where the derogation was written.
    pub kind: SuppressionKind,
    /// The reason given.
    pub justification: String,
    /// Where it is (the comment, the annotation, the entry of the configuration).
    pub location: Option<Location>,
    /// The last day it applies (`YYYY-MM-DD`), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The reference of the decision (`DEROG-42`), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// A finding compared with a baseline (SARIF's `baselineState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the baseline: it counts.
    New,
    /// In the baseline: known, it does not count.
    Unchanged,
}

/// A requirement broken at a place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Finding {
    /// Rule id (`CCT-K8S-008`).
    pub rule_id: String,
    /// Rule name (`k8s-image-tag-explicit`).
    pub rule_name: String,
    /// Severity after profile escalation.
    pub severity: Severity,
    /// P, I or none.
    pub level: Level,
    /// Uids of the requirements the rule implements or supports.
    pub requirements: Vec<String>,
    /// The message, both languages, placeholders filled.
    pub message: Text,
    /// Where.
    pub location: Location,
    /// Other places.
    pub related: Vec<Related>,
    /// Who.
    pub subject: SubjectIdentity,
    /// Pointer of the offending node, list items of named objects by name.
    pub pointer: String,
    /// What refuses the object at admission (`scc:restricted-v2`, `kyverno:…`).
    pub blocking: Vec<String>,
    /// Confidence of a heuristic rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// Environments (Helm values files) where it occurs; empty for plain files.
    pub environments: Vec<String>,
    /// Stable fingerprint: survives line shifts and list reordering.
    pub fingerprint: String,
    /// The derogation that covers it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    /// Compared with a baseline, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineState>,
}

impl Finding {
    /// Whether it counts for the exit code: neither suppressed nor known from the baseline.
    pub fn counts(&self) -> bool {
        self.suppression.is_none() && self.baseline != Some(BaselineState::Unchanged)
    }
}

impl Finding {
    /// The order of every report: file, line, column, rule id, message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str, &str) {
        (
            &self.location.path,
            self.location.start.line,
            self.location.start.column,
            &self.rule_id,
            &self.message.en,
            &self.pointer,
        )
    }
}

/// The fingerprint of a finding: a SHA-256 of the rule, the file and the subject's identity
/// and pointer; never a line number.
pub fn fingerprint(rule_id: &str, path: &str, subject: &SubjectIdentity, pointer: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        rule_id,
        path,
        &subject.kind,
        &subject.namespace,
        &subject.name,
        subject.container.as_deref().unwrap_or(""),
        pointer,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
