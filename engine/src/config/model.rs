//! `.cct.yaml` as typed data. The JSON Schema `schemas/config.schema.json` is generated from
//! these types (`cargo xtask gen`), so that editors complete and check the file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::vocab::{Lang, Profile, Severity};

/// The configuration of cct for a repository (`.cct.yaml`). Every key is optional; paths are
/// relative to the folder of the file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cct configuration (.cct.yaml)")]
pub struct Config {
    /// The profile to judge against: `cpin` (default: the CCT on Cloud π Native, with its
    /// OpenShift and Kyverno admission escalations), `kubernetes` (the CCT on plain Kubernetes),
    /// `pss-baseline`, `pss-restricted` (only the Pod Security controls: what Kubernetes' Pod
    /// Security Admission would refuse at that level).
    #[serde(default)]
    #[schemars(with = "Profile")]
    pub profile: Option<Profile>,
    /// The language of messages (`fr` or `en`).
    #[serde(default)]
    #[schemars(with = "Lang")]
    pub lang: Option<Lang>,
    /// The lowest severity of an unsuppressed finding that fails the run (exit code 1):
    /// `error` (default), `warning`, `note` or `never`.
    #[serde(default)]
    #[schemars(with = "FailOn")]
    pub fail_on: Option<FailOn>,
    /// When true, inputs that could not be judged (a chart that does not render, a file that
    /// does not parse, a rule that failed on it) do not fail the run. Default: false.
    #[serde(default)]
    #[schemars(with = "bool")]
    pub allow_unjudged: Option<bool>,
    /// A baseline file (`cct baseline create`): only findings absent from it fail the run.
    #[serde(default)]
    #[schemars(with = "PathBuf")]
    pub baseline: Option<PathBuf>,
    /// Which files are read.
    #[serde(default)]
    pub paths: Paths,
    /// Folders of charts where dependencies that `charts/` lacks are found by name.
    #[serde(default)]
    pub charts_dirs: Vec<PathBuf>,
    /// Helm charts: their environments and extra values files.
    #[serde(default)]
    pub charts: Vec<ChartConfig>,
    /// Rules switched on or off, their severity and parameters, by rule id (`CCT-K8S-008`),
    /// rule name (`k8s-image-tag-explicit`) or requirement (`EXI-ARCH-27`: every rule that
    /// implements it).
    #[serde(default)]
    pub rules: BTreeMap<String, RuleConfig>,
    /// Parameters shared by every rule that declares one of that name (e.g.
    /// `allowed_registries`, `project_registry`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Derogations: findings the team accepted, each with its reason.
    #[serde(default)]
    pub derogations: Vec<DerogationConfig>,
}

/// The lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Errors only (default).
    Error,
    /// Warnings and errors.
    Warning,
    /// Every finding.
    Note,
    /// Findings never fail the run.
    Never,
}

impl FailOn {
    /// The severity threshold (`None`: never).
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}

/// Which files are read, as globs relative to the configuration's folder (`**` for any depth).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Paths {
    /// Only these files are read (default: every file).
    #[serde(default)]
    pub include: Vec<String>,
    /// These files are not read (`vendor/**`, `**/testdata/**`).
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A Helm chart's environments and values.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChartConfig {
    /// The chart's folder.
    pub path: PathBuf,
    /// Environments, each with the values files it adds (in order) to the chart's
    /// `values.yaml`; they replace the environments found from file names
    /// (`values-<env>.yaml`…) for this chart.
    #[serde(default)]
    pub environments: BTreeMap<String, Vec<PathBuf>>,
    /// Values files applied to every render of the chart (before the environment's).
    #[serde(default)]
    pub values: Vec<PathBuf>,
}

/// What the configuration says of a rule, or of every rule of a requirement.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// `false` switches the rule off.
    #[serde(default)]
    #[schemars(with = "bool")]
    pub enabled: Option<bool>,
    /// The severity of its findings, whatever the profile.
    #[serde(default)]
    #[schemars(with = "Severity")]
    pub severity: Option<Severity>,
    /// Parameters (see the rule's page for their names and defaults).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// A derogation: findings of a rule (or of a requirement's rules) accepted, with a reason.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DerogationConfig {
    /// The requirement (`EXI-ARCH-27`): every rule that implements it.
    #[serde(default)]
    #[schemars(with = "String")]
    pub requirement: Option<String>,
    /// The rule, by id (`CCT-K8S-008`) or name.
    #[serde(default)]
    #[schemars(with = "String")]
    pub rule: Option<String>,
    /// Files it covers, as globs relative to the configuration's folder (default: all).
    #[serde(default)]
    pub paths: Vec<String>,
    /// The resource it covers: `Kind/namespace/name` or `Kind/name` (default: all).
    #[serde(default)]
    #[schemars(with = "String")]
    pub resource: Option<String>,
    /// The environment (Helm values file, Argo CD Application) it covers (default: all).
    #[serde(default)]
    #[schemars(with = "String")]
    pub environment: Option<String>,
    /// Why the finding is accepted (required).
    #[serde(default)]
    #[schemars(with = "String")]
    pub reason: Option<String>,
    /// The last day it applies (`YYYY-MM-DD`); after it, it suppresses nothing.
    #[serde(default)]
    #[schemars(with = "String", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub expires: Option<String>,
    /// The reference of the decision (`DEROG-42`).
    #[serde(default)]
    #[schemars(with = "String")]
    pub reference: Option<String>,
}
