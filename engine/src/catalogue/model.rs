//! The catalogue as typed data: requirement rows and rule files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Deferred;
pub use crate::vocab::{Level, Severity};
use crate::vocab::{Profile, SubjectKind, Text};

/// How a tool can judge a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Automation {
    /// Every clause that matters is decided from repository files.
    Automated,
    /// Part of it, or by heuristics; the rest needs evidence.
    Partial,
    /// Human attestation or evidence outside the repository.
    Manual,
}

/// Evidence an auditor asks for, in both languages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// English items.
    pub en: Vec<String>,
    /// French items.
    pub fr: Vec<String>,
}

/// One requirement row of the CCT.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Unique id (`EXI-ORG-17#2` for duplicated source ids).
    pub uid: String,
    /// Id as printed in the CCT.
    pub source_id: String,
    /// 1-based occurrence of the source id.
    pub occurrence: u32,
    /// Readable aliases accepted in configuration.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// P or I.
    pub level: Level,
    /// The CCT category (none when the source leaves it empty).
    pub category: Option<String>,
    /// How a tool can judge it.
    pub automation: Automation,
    /// Our summary.
    pub summary: Text,
    /// What an auditor asks for.
    #[serde(default)]
    pub evidence: Option<Evidence>,
    /// Where the row sits when its id is out of sequence.
    #[serde(default)]
    pub position_hint: Option<String>,
}

/// Where the requirement rows come from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementSource {
    /// Source document.
    pub document: String,
    /// Version of the list.
    pub version: String,
    /// Upstream commit read.
    pub upstream_commit: String,
    /// Link to the source.
    pub url: String,
}

/// The requirements file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementsFile {
    /// Provenance.
    pub source: RequirementSource,
    /// The rows, in document order.
    pub requirements: Vec<Requirement>,
}

/// How a rule relates to a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The rule implements the requirement.
    Primary,
    /// The rule gives supporting evidence.
    Supporting,
}

/// A link from a rule to a requirement: a bare uid (primary) or `{uid, relation}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequirementLink {
    /// A bare uid: primary.
    Uid(String),
    /// A uid with its relation.
    Full {
        /// Requirement uid.
        uid: String,
        /// Relation.
        relation: Relation,
    },
}

impl RequirementLink {
    /// The uid.
    pub fn uid(&self) -> &str {
        match self {
            RequirementLink::Uid(u) | RequirementLink::Full { uid: u, .. } => u,
        }
    }

    /// The relation.
    pub fn relation(&self) -> Relation {
        match self {
            RequirementLink::Uid(_) => Relation::Primary,
            RequirementLink::Full { relation, .. } => *relation,
        }
    }
}

/// Lifecycle of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Stable.
    #[default]
    Stable,
    /// Preview.
    Preview,
    /// Deprecated: still runs, with a warning.
    Deprecated,
    /// Removed: kept so that old derogations resolve; never runs.
    Removed,
}

/// A severity raise under some profiles.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// Profiles it applies to.
    pub profiles: Vec<Profile>,
    /// The severity under them.
    pub severity: Severity,
    /// What refuses the object (`scc:restricted-v2`, `kyverno:disallow-latest`).
    #[serde(default)]
    pub blocking: Option<String>,
}

/// What a rule looks at. `select: {kinds: [Deployment]}` (no subject) selects whole resources.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Select {
    /// The subject: one kind, or a list of kinds (`[gitlab-ci, repository]`); `resource` when
    /// left out.
    #[serde(default)]
    pub subject: Subjects,
    /// Kinds kept (of the resource, or of the workload for pod specs and containers).
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// The subject kinds a rule selects: at least one, written as one name or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subjects(Vec<SubjectKind>);

impl Subjects {
    /// The subjects, in the order written.
    pub fn kinds(&self) -> &[SubjectKind] {
        &self.0
    }

    /// The first subject written (the rule's main one, for the documentation).
    pub fn first(&self) -> SubjectKind {
        self.0.first().copied().unwrap_or(SubjectKind::Resource)
    }

    /// Whether the rule selects subjects of this kind.
    pub fn contains(&self, kind: SubjectKind) -> bool {
        self.0.contains(&kind)
    }
}

impl Default for Subjects {
    fn default() -> Self {
        Subjects(vec![SubjectKind::Resource])
    }
}

impl From<SubjectKind> for Subjects {
    fn from(kind: SubjectKind) -> Self {
        Subjects(vec![kind])
    }
}

impl std::fmt::Display for Subjects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|k| k.as_str()).collect();
        f.write_str(&names.join(", "))
    }
}

impl Serialize for Subjects {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => one.serialize(serializer),
            many => many.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Subjects {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            One(SubjectKind),
            Many(Vec<SubjectKind>),
        }
        let kinds = match Written::deserialize(deserializer)? {
            Written::One(kind) => vec![kind],
            Written::Many(kinds) => kinds,
        };
        if kinds.is_empty() {
            return Err(serde::de::Error::custom("`subject` lists no subject kind"));
        }
        Ok(Subjects(kinds))
    }
}

/// The check of a rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// A JSON Schema the subject must satisfy.
    #[serde(default)]
    pub schema: Deferred<Option<serde_json::Value>>,
    /// A Rego policy file beside the rule.
    #[serde(default)]
    pub rego: Option<String>,
}

/// A rule file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable code, the SARIF ruleId.
    pub id: String,
    /// Kebab-case name.
    pub name: String,
    /// Lifecycle.
    #[serde(default)]
    pub status: Status,
    /// Version that introduced it (optional for user rules).
    #[serde(default)]
    pub since: Option<String>,
    /// Requirements it implements or supports.
    pub requirements: Vec<RequirementLink>,
    /// P, I or none.
    pub level: Level,
    /// Default severity.
    pub severity: Severity,
    /// Precision of a heuristic.
    #[serde(default)]
    pub confidence: Option<String>,
    /// Profiles it runs in (every profile when left out).
    #[serde(default = "all_profiles")]
    pub profiles: Vec<Profile>,
    /// Severity raises per profile.
    #[serde(default)]
    pub escalation: Vec<Escalation>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Equivalent checks of other tools.
    #[serde(default)]
    pub sources: BTreeMap<String, Vec<String>>,
    /// When true the offending value is never shown.
    #[serde(default)]
    pub sensitive: bool,
    /// Rules this one takes precedence over: where both report the same place of the same
    /// subject (one fact), only this rule's finding is kept, with the other's severity and
    /// admission blockers if they weigh more.
    #[serde(default)]
    pub supersedes: Vec<String>,
    /// Title.
    pub title: Text,
    /// Default message.
    pub message: Text,
    /// Why (optional for user rules: empty when left out).
    #[serde(default)]
    pub rationale: Deferred<Text>,
    /// How to fix (optional for user rules: empty when left out).
    #[serde(default)]
    pub remediation: Deferred<Text>,
    /// Help page.
    #[serde(default)]
    pub help_uri: Option<String>,
    /// What it looks at.
    pub select: Select,
    /// Parameters with their defaults.
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// The check.
    pub check: CheckSpec,
}

/// Every profile: what a rule that names none runs in.
fn all_profiles() -> Vec<Profile> {
    Profile::ALL.to_vec()
}
