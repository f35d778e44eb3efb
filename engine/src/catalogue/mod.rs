//! The catalogue: requirement rows and rules, as data, loaded and validated once.
//!
//! Input: the embedded `rules/` folder and the user's `--rules` folders. Output: an immutable
//! [`Catalogue`] (shared by every thread) and diagnostics for rule files that could not be used:
//! a bad rule file never stops the other rules. Compiling the checks is [`crate::check`]'s job.

mod conftest;
mod deferred;
mod model;
mod vendor;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use model::{
    Automation, CheckSpec, Escalation, Evidence, Level, Relation, Requirement, RequirementLink,
    RequirementSource, RequirementsFile, RuleSpec, Select, Severity, Status, Subjects,
};

pub use deferred::Deferred;
pub use vendor::{vendored, vendored_registry, vendored_uris};

use crate::source::{ByteRange, SourceFile};
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Profile, Text};
use crate::yaml;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// Rule files, as the YAML reader names them.
const RULE_FILE: yaml::FileKind = yaml::FileKind {
    invalid: DiagnosticCode::RuleInvalid,
    not_one_document: DiagnosticCode::RuleNotOneDocument,
    name: ("a rule file", "un fichier de règle"),
};

/// The JSON Schema every rule file must satisfy.
pub const RULE_SCHEMA: &str = include_str!("../../../schemas/rule.schema.json");
/// The JSON Schema of `rules/requirements.yaml`.
pub const REQUIREMENT_SCHEMA: &str = include_str!("../../../schemas/requirement.schema.json");

/// A rule as read from its file: validated, not compiled (compiling is the job of
/// [`crate::check`], for the profile of a scan).
#[derive(Debug)]
pub struct Rule {
    /// The rule as written.
    pub spec: RuleSpec,
    /// Where it was read from (`rules/k8s/x.yaml`, or the user's path).
    pub origin: String,
    /// Whether it comes from a user `--rules` folder.
    pub user: bool,
    /// The rule file, to locate problems found when its check is compiled.
    file: Arc<SourceFile>,
    /// The text of its Rego policy, for a Rego rule.
    pub policy: Option<Arc<SourceFile>>,
    /// For a Conftest policy: the rule of the policy whose results are the findings (`deny`,
    /// `warn_latest`), and the other policy files of its folder, loaded with it.
    pub(crate) conftest: Option<ConftestEntry>,
}

/// The rule a Conftest-derived rule evaluates, and the policy files loaded beside its own.
#[derive(Debug, Clone)]
pub(crate) struct ConftestEntry {
    /// The rule's name in its package (`deny`, `deny_latest`).
    pub(crate) rule: String,
    /// Whether its results are warnings.
    pub(crate) warn: bool,
    /// The other policy files of the folder (Conftest loads a folder's policies together).
    pub(crate) modules: Vec<Arc<SourceFile>>,
}

impl Rule {
    /// Whether the rule runs under a profile.
    pub fn runs_under(&self, profile: Profile) -> bool {
        self.spec.status != Status::Removed && self.spec.profiles.contains(&profile)
    }

    /// Ids of the requirements it implements (primary) and supports.
    pub fn requirement_uids(&self) -> Vec<&str> {
        self.spec.requirements.iter().map(|r| r.uid()).collect()
    }

    /// The help URI: the rule's own, or for a rule of cct's catalogue its page in the
    /// documentation (a user rule that names none has none).
    pub fn help_uri(&self) -> Option<String> {
        self.spec.help_uri.clone().or_else(|| {
            (!self.user).then(|| {
                format!(
                    "https://cloud-pi-native.github.io/cct/rules/{}.html",
                    self.spec.name
                )
            })
        })
    }

    /// The rule file.
    pub(crate) fn file(&self) -> &Arc<SourceFile> {
        &self.file
    }

    /// Where a node of the rule file was written (its value), for diagnostics about it.
    pub(crate) fn range_of(&self, pointer: &str) -> ByteRange {
        yaml::value_range(&self.file, RULE_FILE, pointer)
    }
}

/// Requirements and rules, as read and validated; immutable and shared across threads.
#[derive(Debug)]
pub struct Catalogue {
    /// Provenance of the requirement rows.
    pub source: RequirementSource,
    /// The requirement rows, in document order.
    pub requirements: Vec<Requirement>,
    /// Rules, sorted by id.
    pub rules: Vec<Arc<Rule>>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

impl Catalogue {
    /// A rule by id or name.
    pub fn rule(&self, id_or_name: &str) -> Option<&Arc<Rule>> {
        self.rules
            .iter()
            .find(|r| r.spec.id == id_or_name || r.spec.name == id_or_name)
    }

    /// A requirement by uid or alias.
    pub fn requirement(&self, uid: &str) -> Option<&Requirement> {
        self.requirements
            .iter()
            .find(|r| r.uid == uid || r.aliases.iter().any(|a| a == uid))
    }

    /// The rules that implement or support a requirement.
    pub fn rules_for(&self, uid: &str) -> Vec<&Arc<Rule>> {
        self.rules
            .iter()
            .filter(|r| r.spec.requirements.iter().any(|l| l.uid() == uid))
            .collect()
    }
}

/// A configuration error that makes a scan impossible (exit code 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// A `--rules` folder cannot be read.
    #[error("cannot read rules folder {path}: {source}")]
    RulesDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The embedded requirement list is broken (a build defect).
    #[error("the embedded requirement list is invalid: {0}")]
    Requirements(String),
}

/// Builds a [`Catalogue`]: the embedded rules and user rule folders.
///
/// ```
/// let catalogue = cct_engine::CatalogueBuilder::new().build().unwrap();
/// assert_eq!(catalogue.requirements.len(), 55);
/// assert!(catalogue.diagnostics.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct CatalogueBuilder {
    rule_dirs: Vec<PathBuf>,
    embedded: bool,
}

impl Default for CatalogueBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl CatalogueBuilder {
    /// The embedded catalogue.
    pub fn new() -> Self {
        CatalogueBuilder {
            rule_dirs: Vec::new(),
            embedded: true,
        }
    }

    /// Add a folder of user rules (same format as the catalogue).
    pub fn rules_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.rule_dirs.push(dir.into());
        self
    }

    /// Leave the embedded rules out (user rules only).
    pub fn without_embedded_rules(mut self) -> Self {
        self.embedded = false;
        self
    }

    /// Load and validate.
    pub fn build(self) -> Result<Catalogue, CatalogueError> {
        let mut diagnostics = Vec::new();
        let requirements = read_requirements(&mut diagnostics)
            .ok_or_else(|| CatalogueError::Requirements(describe(&diagnostics)))?;

        // The rule schema is compiled only to validate user rules (the embedded ones are
        // validated by the test suite).
        let rule_schema = if self.rule_dirs.is_empty() {
            None
        } else {
            yaml::compile_schema(RULE_SCHEMA)
        };
        let mut files: Vec<(Arc<SourceFile>, bool, Option<&str>)> = Vec::new();
        if self.embedded {
            for (path, text, json) in EMBEDDED {
                if path.ends_with(".yaml") && *path != "requirements.yaml" {
                    files.push((
                        SourceFile::new(format!("rules/{path}"), *text),
                        false,
                        *json,
                    ));
                }
            }
        }
        // The `.rego` files of each user folder, for its Conftest policies.
        let mut policies: Vec<Vec<PathBuf>> = Vec::new();
        for dir in &self.rule_dirs {
            let mut paths = Vec::new();
            let mut rego = Vec::new();
            collect_rule_files(dir, &mut paths, &mut rego).map_err(|source| {
                CatalogueError::RulesDir {
                    path: dir.clone(),
                    source,
                }
            })?;
            paths.sort();
            rego.sort();
            policies.push(rego);
            for p in paths {
                if let Some(text) = read_user_file(&p, &mut diagnostics) {
                    files.push((SourceFile::new(p.display().to_string(), text), true, None));
                }
            }
        }

        let mut rules: BTreeMap<String, Arc<Rule>> = BTreeMap::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        // Embedded rules are validated against the schema by the test suite, and read from the
        // JSON form the build made of them, in parallel (8 % of the instructions of a one-file
        // check, on one thread otherwise).
        let parsed: Vec<Option<RuleSpec>> = files
            .par_iter()
            .map(|(_, _, json)| json.and_then(|json| serde_json::from_str::<RuleSpec>(json).ok()))
            .collect();
        for ((file, user, _), parsed) in files.into_iter().zip(parsed) {
            let spec = match parsed {
                Some(spec) => Some(spec),
                None => yaml::read_typed::<RuleSpec>(
                    &file,
                    if user { rule_schema.as_ref() } else { None },
                    RULE_FILE,
                    &mut diagnostics,
                ),
            };
            let Some(spec) = spec else {
                continue;
            };
            let origin = file.path().to_string();
            let key_range = |pointer: &str| yaml::value_range(&file, RULE_FILE, pointer);
            if rules.contains_key(&spec.id) || names.contains_key(&spec.name) {
                diagnostics.push(Diagnostic::at(
                    &file,
                    key_range("/id"),
                    DiagnosticCode::RuleDuplicateId,
                    DiagnosticLevel::Error,
                    Text::new(
                        format!("rule id `{}` or name `{}` is already defined; this rule is ignored", spec.id, spec.name),
                        format!("l'identifiant `{}` ou le nom `{}` est déjà défini ; cette règle est ignorée", spec.id, spec.name),
                    ),
                ));
                continue;
            }
            for (i, link) in spec.requirements.iter().enumerate() {
                if !requirements
                    .requirements
                    .iter()
                    .any(|r| r.uid == link.uid())
                {
                    diagnostics.push(Diagnostic::at(
                        &file,
                        key_range(&format!("/requirements/{i}")),
                        DiagnosticCode::RuleUnknownRequirement,
                        DiagnosticLevel::Error,
                        Text::new(
                            format!("unknown requirement `{}`", link.uid()),
                            format!("exigence inconnue `{}`", link.uid()),
                        ),
                    ));
                }
            }
            let mut policy = None;
            if let Some(name) = &spec.check.rego {
                match read_policy(&file, user, name) {
                    Ok(p) => policy = Some(p),
                    Err(e) => {
                        let why = e.text();
                        diagnostics.push(Diagnostic::at(
                            &file,
                            key_range("/check/rego"),
                            DiagnosticCode::RulePolicyUnreadable,
                            DiagnosticLevel::Error,
                            Text::new(
                                format!("{}; the rule is not run", why.en),
                                format!("{} ; la règle n'est pas exécutée", why.fr),
                            ),
                        ));
                        continue;
                    }
                }
            }
            names.insert(spec.name.clone(), spec.id.clone());
            rules.insert(
                spec.id.clone(),
                Arc::new(Rule {
                    spec,
                    origin,
                    user,
                    file,
                    policy,
                    conftest: None,
                }),
            );
        }
        let named: Vec<String> = rules
            .values()
            .filter_map(|r| r.policy.as_ref().map(|p| p.path().to_string()))
            .collect();
        for rego in policies {
            conftest_rules(rego, &named, &mut rules, &mut names, &mut diagnostics);
        }
        Ok(Catalogue {
            source: requirements.source,
            requirements: requirements.requirements,
            rules: rules.into_values().collect(),
            diagnostics,
        })
    }
}

/// The embedded requirement rows: from the JSON form the build made of
/// `rules/requirements.yaml` (validated against its schema by the test suite), else read as
/// YAML and validated.
fn read_requirements(diagnostics: &mut Vec<Diagnostic>) -> Option<RequirementsFile> {
    let (text, json) = EMBEDDED
        .iter()
        .find(|(p, _, _)| *p == "requirements.yaml")
        .map(|(_, text, json)| (*text, *json))
        .unwrap_or_default();
    if let Some(requirements) = json.and_then(|json| serde_json::from_str(json).ok()) {
        return Some(requirements);
    }
    let file = SourceFile::new("rules/requirements.yaml", text);
    yaml::read_typed(
        &file,
        yaml::compile_schema(REQUIREMENT_SCHEMA).as_ref(),
        RULE_FILE,
        diagnostics,
    )
}

/// The text of the Rego policy a rule names, beside the rule file: from the embedded catalogue
/// for embedded rules, from disk for user rules. Errors in both languages.
fn read_policy(
    rule_file: &SourceFile,
    user: bool,
    name: &str,
) -> Result<Arc<SourceFile>, PolicyError> {
    let relative = Path::new(name);
    if relative.is_absolute()
        || relative.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    {
        return Err(PolicyError::NotBeside(name.to_string()));
    }
    let dir = Path::new(rule_file.path())
        .parent()
        .unwrap_or_else(|| Path::new(""));
    let path = dir.join(relative);
    let display = path.to_string_lossy().replace('\\', "/");
    if user {
        return match std::fs::read_to_string(&path) {
            Ok(text) => Ok(SourceFile::new(display, text)),
            Err(source) => Err(PolicyError::Unreadable {
                path: display,
                source,
            }),
        };
    }
    let key = display
        .strip_prefix("rules/")
        .unwrap_or(&display)
        .to_string();
    let key = key.replace("/./", "/");
    EMBEDDED
        .iter()
        .find(|(p, _, _)| *p == key)
        .map(|(_, text, _)| SourceFile::new(display.clone(), *text))
        .ok_or(PolicyError::NotEmbedded(display))
}

/// Why the Rego policy a rule names cannot be read.
#[derive(Debug, thiserror::Error)]
enum PolicyError {
    /// The name leaves the rule's folder.
    #[error("the policy `{0}` must be a path beside the rule file")]
    NotBeside(String),
    /// The file cannot be read.
    #[error("cannot read the policy {path}: {source}")]
    Unreadable {
        path: String,
        source: std::io::Error,
    },
    /// An embedded rule names a policy the catalogue lacks (a build defect).
    #[error("the policy {0} is not in the catalogue")]
    NotEmbedded(String),
}

impl PolicyError {
    /// The message in both languages.
    fn text(&self) -> Text {
        let fr = match self {
            PolicyError::NotBeside(name) => {
                format!("la politique `{name}` doit être un chemin à côté du fichier de règle")
            }
            PolicyError::Unreadable { path, source } => {
                format!("lecture impossible de la politique {path} : {source}")
            }
            PolicyError::NotEmbedded(path) => {
                format!("la politique {path} est absente du catalogue")
            }
        };
        Text::new(self.to_string(), fr)
    }
}

fn describe(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let at = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}:{}: ", l.path, l.start.line, l.start.column))
                .unwrap_or_default();
            format!("{at}{}", d.message.en)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The rule files (`.yaml`, `.yml`) and the policies (`.rego`) of a folder, recursively.
fn collect_rule_files(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    rego: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ty = entry.file_type()?;
        if ty.is_dir() {
            collect_rule_files(&path, out, rego)?;
        } else if ty.is_file() {
            match path.extension().and_then(|e| e.to_str()) {
                Some("yaml" | "yml") => out.push(path),
                Some("rego") => rego.push(path),
                _ => {}
            }
        }
    }
    Ok(())
}

/// The text of a user file, or a diagnostic that says why it cannot be read.
fn read_user_file(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) => {
            diagnostics.push(Diagnostic::for_path(
                &path.display().to_string(),
                DiagnosticCode::RuleUnreadable,
                DiagnosticLevel::Error,
                Text::new(
                    format!("cannot read rule file: {e}"),
                    format!("fichier de règle illisible : {e}"),
                ),
            ));
            None
        }
    }
}

/// The Conftest policies of a user folder: its `.rego` files that no rule file names and that
/// have no YAML of the same name beside them. Each rule they define becomes a rule; all of them
/// are loaded together, as Conftest does.
fn conftest_rules(
    rego: Vec<PathBuf>,
    named: &[String],
    rules: &mut BTreeMap<String, Arc<Rule>>,
    names: &mut BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let standalone: Vec<PathBuf> = rego
        .into_iter()
        .filter(|p| {
            let shown = p.display().to_string().replace('\\', "/");
            !named.contains(&shown)
                && !["yaml", "yml"]
                    .iter()
                    .any(|ext| p.with_extension(ext).is_file())
        })
        .collect();
    let files: Vec<Arc<SourceFile>> = standalone
        .iter()
        .filter_map(|p| {
            read_user_file(p, diagnostics)
                .map(|text| SourceFile::new(p.display().to_string().replace('\\', "/"), text))
        })
        .collect();
    for (i, file) in files.iter().enumerate() {
        let entries = conftest::entries(file.text());
        if entries.is_empty() {
            // A library of rules for the others (Conftest loads it too): nothing to run.
            continue;
        }
        let modules: Vec<Arc<SourceFile>> = files
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, f)| Arc::clone(f))
            .collect();
        for entry in entries {
            let spec = conftest::spec(&entry, file);
            // The same rule written in several files of one package is one rule: its engine
            // holds every file.
            if rules.contains_key(&spec.id) {
                if rules[&spec.id].conftest.is_none() {
                    diagnostics.push(Diagnostic::for_path(
                        file.path(),
                        DiagnosticCode::RuleDuplicateId,
                        DiagnosticLevel::Error,
                        Text::new(
                            format!("the Conftest rule `{}` has the id of another rule; it is ignored", spec.id),
                            format!("la règle Conftest `{}` a l'identifiant d'une autre règle ; elle est ignorée", spec.id),
                        ),
                    ));
                }
                continue;
            }
            names.insert(spec.name.clone(), spec.id.clone());
            rules.insert(
                spec.id.clone(),
                Arc::new(Rule {
                    origin: file.path().to_string(),
                    user: true,
                    file: Arc::clone(file),
                    policy: Some(Arc::clone(file)),
                    conftest: Some(ConftestEntry {
                        rule: entry.rule.clone(),
                        warn: entry.warn,
                        modules: modules.clone(),
                    }),
                    spec,
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON form the build made of each embedded YAML file is what the engine's YAML
    /// reader makes of it, key order included; every one has it (none is read as YAML at run
    /// time); and the requirement rows satisfy their schema (they are not validated at run
    /// time).
    #[test]
    fn embedded_json_forms_are_what_the_yaml_reader_reads() {
        let mut count = 0;
        for (path, text, json) in EMBEDDED {
            if !path.ends_with(".yaml") {
                assert!(json.is_none(), "{path}");
                continue;
            }
            count += 1;
            let file = SourceFile::new(format!("rules/{path}"), *text);
            let stream = yaml::parse(&file, &yaml::YamlLimits::default());
            assert!(
                stream.diagnostics.is_empty(),
                "{path}: {:?}",
                stream.diagnostics
            );
            assert_eq!(stream.documents.len(), 1, "{path}");
            let json = json.unwrap_or_else(|| panic!("{path} has no JSON form"));
            let from_json: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(
                from_json.to_string(),
                stream.documents[0].value.to_string(),
                "{path}"
            );
            if *path == "requirements.yaml" {
                let validator = yaml::compile_schema(REQUIREMENT_SCHEMA).unwrap();
                let errors: Vec<String> = validator
                    .iter_errors(&from_json)
                    .map(|e| format!("{} at {}", e, e.instance_path().as_str()))
                    .collect();
                assert!(errors.is_empty(), "{errors:?}");
            } else {
                // Deserialised from the JSON text or from the YAML reader's value: the same rule.
                let a: RuleSpec = serde_json::from_str(json).unwrap();
                let b: RuleSpec =
                    serde_json::from_value(stream.documents[0].value.clone()).unwrap();
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "{path}");
                // What is read on first use parses.
                a.rationale.parse().unwrap();
                a.remediation.parse().unwrap();
                a.check.schema.parse().unwrap();
            }
        }
        assert!(count > 50, "{count}");
    }
}
