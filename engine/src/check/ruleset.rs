//! The compiled rule set: the rules of a catalogue that run under a profile, each with its
//! check compiled once and shared read-only by every thread.
//!
//! User rules are compiled when the set is built, so that a rule that does not compile is a
//! located diagnostic before the scan starts; the embedded rules (tested to compile) are compiled
//! on first use, in parallel for the formats a scan holds, which keeps a one-file check fast. An
//! embedded rule that does not compile is an internal error, reported, never a silent drop.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::rego::Conftest;
use super::timing::{Clock, Part, RuleTiming};
use super::{Check, RegoCheck, SchemaCheck};
use serde_json::{Map, Value};

use crate::catalogue::{Catalogue, Rule, Status};
use crate::kube;
use crate::source::{ByteRange, DocFormat, Document, SourceFile};
use crate::units::DeploymentUnit;
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Profile, Severity, Text};
use crate::ScanOptions;

/// Why a rule's check does not compile, and where.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum CompileError {
    /// The schema does not compile: the message, and the pointer in `check.schema`.
    #[error("{message}")]
    Schema { message: String, pointer: String },
    /// The policy does not compile: the message, and its 1-based line and column when known.
    #[error("{message}")]
    Policy {
        message: String,
        at: Option<(u32, u32)>,
    },
    /// The rule names no check kind cct knows.
    #[error("the rule has no check")]
    NoCheck,
}

/// A rule that runs under the set's profile, its parameters and severity as the configuration
/// sets them, and its check.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) rule: Arc<Rule>,
    /// The rule's parameters: its defaults, replaced by the configuration's.
    pub(crate) params: Map<String, Value>,
    /// The severity the configuration gives the rule's findings, whatever the profile.
    pub(crate) severity: Option<Severity>,
    /// Whether the rule's policy reads `data.inventory` (known from the policy's text, without
    /// compiling it, once, when first asked: most scans never ask for most rules).
    reads_inventory: OnceLock<bool>,
    /// Whether the rule's results may be about another resource of the unit than their
    /// subject, hence located in another file (known from the policies' text, once, when first
    /// asked).
    reports_elsewhere: OnceLock<bool>,
    compiled: OnceLock<Result<Check, CompileError>>,
    /// The time the rule took, when the scan is timed.
    pub(crate) clock: Clock,
}

impl CompiledRule {
    /// Whether the rule's policy reads `data.inventory`.
    pub(crate) fn reads_inventory(&self) -> bool {
        *self.reads_inventory.get_or_init(|| {
            self.rule
                .policy
                .as_ref()
                .is_some_and(|p| super::rego::reads_inventory(p.text()))
        })
    }

    /// Whether the rule's results may be about another resource of the unit than their
    /// subject, hence located in another file.
    pub(crate) fn reports_elsewhere(&self) -> bool {
        *self.reports_elsewhere.get_or_init(|| {
            self.rule
                .policy
                .iter()
                .chain(self.rule.conftest.iter().flat_map(|c| c.modules.iter()))
                .any(|p| super::rego::may_name_resources(p.text()))
        })
    }

    /// The compiled check (compiled now if it was not yet).
    pub(crate) fn check(&self, profile: Profile) -> Result<&Check, &CompileError> {
        self.compiled
            .get_or_init(|| {
                let started = self.clock.start();
                let check = compile(&self.rule, &self.params, profile, self.reads_inventory());
                self.clock.add(Part::Compile, started);
                check
            })
            .as_ref()
    }

    /// The diagnostic of a check that does not compile.
    fn compile_diagnostic(&self, error: &CompileError) -> Diagnostic {
        let spec = &self.rule.spec;
        if !self.rule.user {
            return Diagnostic::for_path(
                &self.rule.origin,
                DiagnosticCode::RuleInternalError,
                DiagnosticLevel::Error,
                Text::new(
                    format!("rule {} of cct's catalogue does not compile: {error}; it is not run. This is a defect of cct: please report it", spec.id),
                    format!("la règle {} du catalogue de cct ne compile pas : {error} ; elle n'est pas exécutée. C'est un défaut de cct : merci de le signaler", spec.id),
                ),
            );
        }
        match error {
            CompileError::Schema { message, pointer } => Diagnostic::at(
                self.rule.file(),
                self.rule.range_of(&format!("/check/schema{pointer}")),
                DiagnosticCode::RuleInvalidSchema,
                DiagnosticLevel::Error,
                Text::new(
                    format!("the rule's schema does not compile: {message}; the rule is not run"),
                    format!("le schéma de la règle ne compile pas : {message} ; la règle n'est pas exécutée"),
                ),
            ),
            CompileError::Policy { message, at } => {
                let policy = self.rule.policy.as_ref().unwrap_or(self.rule.file());
                Diagnostic::at(
                    policy,
                    at.map(|(l, c)| line_col_range(policy, l, c)).unwrap_or_default(),
                    DiagnosticCode::RuleInvalidPolicy,
                    DiagnosticLevel::Error,
                    Text::new(
                        format!("the rule's Rego policy does not compile: {message}; rule {} is not run", spec.id),
                        format!("la politique Rego de la règle ne compile pas : {message} ; la règle {} n'est pas exécutée", spec.id),
                    ),
                )
            }
            CompileError::NoCheck => Diagnostic::at(
                self.rule.file(),
                self.rule.range_of("/check"),
                DiagnosticCode::RuleInvalid,
                DiagnosticLevel::Error,
                Text::new(
                    "the rule has no check cct knows; it is not run",
                    "la règle n'a aucune vérification connue de cct ; elle n'est pas exécutée",
                ),
            ),
        }
    }
}

/// The rules that run under a profile, compiled once, shared by the threads of a scan.
#[derive(Debug)]
pub(crate) struct RuleSet {
    profile: Profile,
    rules: Vec<CompiledRule>,
    /// Problems found while compiling the user rules.
    diagnostics: Vec<Diagnostic>,
    /// For a rule id, the running rules that supersede it (`supersedes` in the catalogue).
    superseded_by: HashMap<String, Vec<String>>,
    /// Whether the time each rule takes is measured.
    timed: bool,
}

impl RuleSet {
    /// The rules of `catalogue` that run under `profile`, as the configuration's `settings`
    /// switch them on or off and set their parameters and severity; user rules are compiled
    /// now.
    pub(crate) fn new(catalogue: &Catalogue, options: &ScanOptions) -> RuleSet {
        let (profile, settings, timed) = (options.profile, &options.settings, options.timings);
        let mut rules = Vec::new();
        let mut diagnostics = Vec::new();
        for rule in &catalogue.rules {
            let setting = settings.get(&rule.spec.id);
            let runs = match setting.and_then(|s| s.enabled) {
                Some(false) => false,
                Some(true) => rule.spec.status != Status::Removed,
                None => rule.runs_under(profile),
            };
            if !runs {
                continue;
            }
            let mut params = rule.spec.params.clone();
            if let Some(s) = setting {
                for (k, v) in &s.params {
                    params.insert(k.clone(), v.clone());
                }
            }
            let compiled = CompiledRule {
                rule: Arc::clone(rule),
                params,
                severity: setting.and_then(|s| s.severity),
                reads_inventory: OnceLock::new(),
                reports_elsewhere: OnceLock::new(),
                compiled: OnceLock::new(),
                clock: Clock::new(timed),
            };
            if rule.user {
                if let Err(e) = compiled.check(profile) {
                    diagnostics.push(compiled.compile_diagnostic(e));
                    continue;
                }
            }
            rules.push(compiled);
        }
        let mut superseded_by: HashMap<String, Vec<String>> = HashMap::new();
        for r in &rules {
            for other in &r.rule.spec.supersedes {
                superseded_by
                    .entry(other.clone())
                    .or_default()
                    .push(r.rule.spec.id.clone());
            }
        }
        RuleSet {
            profile,
            rules,
            diagnostics,
            superseded_by,
            timed,
        }
    }

    /// The time each rule took, the costliest first (`None` when the scan is not timed).
    pub(crate) fn timings(&self) -> Option<Vec<RuleTiming>> {
        self.timed.then(|| {
            let mut all: Vec<RuleTiming> = self
                .rules
                .iter()
                .map(|r| r.clock.timing(&r.rule.spec.id))
                .collect();
            all.sort_by(|a, b| b.total().cmp(&a.total()).then_with(|| a.rule.cmp(&b.rule)));
            all
        })
    }

    /// For a rule id, the running rules that supersede it.
    pub(crate) fn superseded_by(&self) -> &HashMap<String, Vec<String>> {
        &self.superseded_by
    }

    /// The ids of the rules that run.
    pub(crate) fn ids(&self) -> std::collections::BTreeSet<String> {
        self.rules.iter().map(|r| r.rule.spec.id.clone()).collect()
    }

    /// The profile.
    pub(crate) fn profile(&self) -> Profile {
        self.profile
    }

    /// The rules, sorted by id.
    pub(crate) fn rules(&self) -> &[CompiledRule] {
        &self.rules
    }

    /// Problems found while compiling the user rules.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The check of the rule at `index`, or the diagnostic that says it does not compile.
    pub(crate) fn check(&self, index: usize) -> Option<Result<&Check, Diagnostic>> {
        let rule = self.rules.get(index)?;
        Some(
            rule.check(self.profile)
                .map_err(|e| rule.compile_diagnostic(e)),
        )
    }

    /// Compile, in parallel, the rules that may select something in these documents: those of
    /// the formats present and, for Kubernetes rules, of the resource kinds present (a rule
    /// left out is still compiled on first use, should it select something after all); their
    /// Rego engines are prepared too (a preparation error is reported on first use).
    pub(crate) fn prepare<'d>(&self, documents: impl Iterator<Item = &'d Document>) {
        let present = Present::of(documents);
        self.rules.par_iter().for_each(|r| {
            if present.selected_by(r) {
                // A Rego engine is also prepared (analysed) here, in parallel, rather than on
                // the first subject, where one document's rules run one after the other.
                if let Ok(Check::Rego(rego)) = r.check(self.profile) {
                    let started = r.clock.start();
                    let _ = rego.engine();
                    r.clock.add(Part::Compile, started);
                }
            }
        });
    }

    /// Whether a unit needs its inventory: a rule whose policy reads `data.inventory` selects
    /// something in it (known from the policies' text: nothing is compiled to answer this).
    pub(crate) fn needs_inventory(&self, unit: &DeploymentUnit) -> bool {
        let present = Present::of(unit.documents.iter());
        // The policy's text is read last, only for the rules that select something.
        self.rules
            .iter()
            .any(|r| r.rule.policy.is_some() && present.selected_by(r) && r.reads_inventory())
    }

    /// Compile every rule now, and say which ones do not compile.
    pub(crate) fn compile_all(&self) -> Vec<Diagnostic> {
        self.rules
            .iter()
            .filter_map(|r| r.check(self.profile).err().map(|e| r.compile_diagnostic(e)))
            .collect()
    }
}

/// The formats and the Kubernetes resource kinds some documents hold: what a rule's
/// selection is matched against before anything is compiled.
struct Present<'d> {
    formats: Vec<DocFormat>,
    kinds: BTreeSet<&'d str>,
}

impl<'d> Present<'d> {
    fn of(documents: impl Iterator<Item = &'d Document>) -> Present<'d> {
        let mut present = Present {
            formats: Vec::new(),
            kinds: BTreeSet::new(),
        };
        for doc in documents {
            if doc.format == DocFormat::Yaml {
                present
                    .kinds
                    .extend(kube::resources(doc).iter().map(|res| res.kind));
            } else if !present.formats.contains(&doc.format) {
                present.formats.push(doc.format);
            }
        }
        present
    }

    /// Whether the rule may select something here.
    fn selected_by(&self, rule: &CompiledRule) -> bool {
        let select = &rule.rule.spec.select;
        select.subject.kinds().iter().any(|k| match k.format() {
            DocFormat::Yaml if select.kinds.is_empty() => !self.kinds.is_empty(),
            DocFormat::Yaml => select.kinds.iter().any(|k| self.kinds.contains(k.as_str())),
            format => self.formats.contains(&format),
        })
    }
}

/// Compile the check of a rule.
fn compile(
    rule: &Rule,
    params: &Map<String, Value>,
    profile: Profile,
    reads_inventory: bool,
) -> Result<Check, CompileError> {
    let spec = &rule.spec;
    let policy = rule.policy.as_ref();
    let schema = match &*spec.check.schema {
        Some(schema) => Some(SchemaCheck::compile(schema, params, profile).map_err(|e| {
            CompileError::Schema {
                message: e.message,
                pointer: e.pointer,
            }
        })?),
        None => None,
    };
    let rego = match policy {
        Some(policy) => {
            let modules: Vec<(&str, &str)> = rule
                .conftest
                .iter()
                .flat_map(|c| c.modules.iter())
                .map(|m| (m.path(), m.text()))
                .collect();
            let conftest = rule.conftest.as_ref().map(|c| Conftest {
                rule: &c.rule,
                warn: c.warn,
                modules: &modules,
            });
            let source = super::rego::Policy {
                origin: policy.path(),
                text: policy.text(),
                reads_inventory,
            };
            RegoCheck::compile(source, params, profile, conftest)
        }
        .map(Box::new)
        .map(Some)
        .map_err(|e| CompileError::Policy {
            message: e.message,
            at: e.line,
        })?,
        None => None,
    };
    match (schema, rego) {
        (Some(schema), Some(rego)) => Ok(Check::Both(schema, rego)),
        (Some(schema), None) => Ok(Check::Schema(schema)),
        (None, Some(rego)) => Ok(Check::Rego(rego)),
        (None, None) => Err(CompileError::NoCheck),
    }
}

/// The byte range of a 1-based line and column of a file.
fn line_col_range(file: &SourceFile, line: u32, column: u32) -> ByteRange {
    let start = file.line_start(line) as usize;
    let text = file.line_text(line);
    let col = text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| i);
    ByteRange::new(start + col, start + col)
}
