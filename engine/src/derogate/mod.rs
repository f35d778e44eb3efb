//! Derogations and the baseline: findings a team accepted, or already knew.
//!
//! Input: the findings of the check stage, the configuration's derogations, the `# cct-ignore:`
//! comments of the files read, the `cct.cloud-pi-native.fr/ignore` annotations of the resources,
//! and a baseline. Output: the same findings, each covered one carrying its
//! [`Suppression`](crate::vocab::Suppression) (kept in every report, not counted for the exit
//! code), each compared with the baseline carrying its [`BaselineState`]; diagnostics for
//! derogations that name an unknown rule or matched nothing, and the baseline's entries no
//! longer found.
//!
//! A derogation without a reason, or past its expiry date, suppresses nothing: the catalogue's
//! rule on derogations (a `derogation` subject, see [`Derogations::document`]) reports it where
//! it is written.

mod baseline;
mod date;
mod inline;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::{json, Value};

pub use baseline::{Baseline, BaselineEntry, BaselineError};
pub use date::Date;
pub use inline::IGNORE_ANNOTATION;

use crate::catalogue::Catalogue;
use crate::config::LoadedConfig;
use crate::kube;
use crate::source::{ByteRange, DocFormat, Document, NodeSpans, SourceFile, SpanTable};
use crate::units::DeploymentUnit;
use crate::vocab::{
    BaselineState, Diagnostic, DiagnosticCode, DiagnosticLevel, Finding, Suppression,
    SuppressionKind, Text,
};

/// Where a derogation was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// An entry of the configuration's `derogations`.
    Config,
    /// A `# cct-ignore:` comment.
    Inline,
    /// An annotation of a resource.
    Annotation,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Config => "config",
            Origin::Inline => "inline",
            Origin::Annotation => "annotation",
        }
    }
}

/// What a derogation covers, besides its rules.
#[derive(Debug, Clone)]
enum Scope {
    /// A configuration entry: files (globs relative to the configuration's folder), a resource,
    /// an environment.
    Config {
        paths: Option<GlobSet>,
        root: PathBuf,
        resource: Option<(String, Option<String>, String)>,
        environment: Option<String>,
    },
    /// A comment: findings on its line (at the end of a line) or on the next one (alone).
    Line { path: String, line: u32 },
    /// An annotation: findings about that resource.
    Resource {
        path: String,
        kind: String,
        namespace: String,
        name: String,
    },
}

/// One derogation.
#[derive(Debug, Clone)]
struct Derogation {
    origin: Origin,
    /// The rules and requirements it names, as written.
    targets: Vec<String>,
    /// The rule ids they resolve to.
    rules: BTreeSet<String>,
    /// Names that are neither a rule nor a requirement.
    unknown: Vec<String>,
    scope: Scope,
    reason: Option<String>,
    expires: Option<String>,
    /// Past its expiry date (or the date is not a date).
    expired: bool,
    reference: Option<String>,
    /// Where it is written, and where its parts are.
    file: Arc<SourceFile>,
    range: ByteRange,
    parts: BTreeMap<&'static str, ByteRange>,
}

impl Derogation {
    fn applies(&self) -> bool {
        self.reason.is_some() && !self.expired && !self.rules.is_empty()
    }

    fn covers(&self, f: &Finding, cwd: &Path) -> bool {
        if !self.rules.contains(&f.rule_id) {
            return false;
        }
        match &self.scope {
            Scope::Line { path, line } => {
                f.location.path == *path && f.location.start.line == *line
            }
            Scope::Resource {
                path,
                kind,
                namespace,
                name,
            } => {
                f.subject.kind == *kind
                    && f.subject.name == *name
                    && (namespace.is_empty()
                        || f.subject.namespace.is_empty()
                        || f.subject.namespace == *namespace)
                    && (f.location.path == *path
                        || f.related.iter().any(|r| r.location.path == *path))
            }
            Scope::Config {
                paths,
                root,
                resource,
                environment,
            } => {
                if let Some(globs) = paths {
                    match relative_to(root, &f.location.path, cwd) {
                        Some(rel) if globs.is_match(&rel) => {}
                        _ => return false,
                    }
                }
                if let Some((kind, namespace, name)) = resource {
                    if f.subject.kind != *kind || f.subject.name != *name {
                        return false;
                    }
                    if let Some(ns) = namespace {
                        if !f.subject.namespace.is_empty() && f.subject.namespace != *ns {
                            return false;
                        }
                    }
                }
                if let Some(env) = environment {
                    // A finding seen in several environments is covered only when it is
                    // seen in that one alone.
                    if f.environments.is_empty() || f.environments.iter().any(|e| e != env) {
                        return false;
                    }
                }
                true
            }
        }
    }

    fn suppression(&self) -> Suppression {
        Suppression {
            kind: match self.origin {
                Origin::Config => SuppressionKind::External,
                Origin::Inline | Origin::Annotation => SuppressionKind::InSource,
            },
            justification: self.reason.clone().unwrap_or_default(),
            location: Some(crate::source::Location::of(&self.file, self.range)),
            expires: self.expires.clone(),
            reference: self.reference.clone(),
        }
    }
}

/// Every derogation of a scan.
#[derive(Debug, Clone, Default)]
pub(crate) struct Derogations {
    items: Vec<Derogation>,
    today: Option<Date>,
}

impl Derogations {
    /// Gather the derogations: the configuration's, the comments of `files`, the annotations
    /// of the units' resources; rules and requirements resolved against the catalogue.
    pub(crate) fn collect(
        config: Option<&LoadedConfig>,
        files: &BTreeMap<String, Arc<SourceFile>>,
        units: &[DeploymentUnit],
        catalogue: &Catalogue,
        today: Date,
    ) -> Derogations {
        let mut items = Vec::new();
        if let Some(config) = config {
            items.extend(from_config(config, today));
        }
        for file in files.values() {
            for c in inline::comments(file) {
                items.push(Derogation {
                    origin: Origin::Inline,
                    targets: c.targets,
                    rules: BTreeSet::new(),
                    unknown: Vec::new(),
                    scope: Scope::Line {
                        path: file.path().to_string(),
                        line: if c.alone { c.line + 1 } else { c.line },
                    },
                    reason: c.reason,
                    expires: None,
                    expired: false,
                    reference: None,
                    file: Arc::clone(file),
                    range: c.range,
                    parts: BTreeMap::new(),
                });
            }
        }
        for doc in units.iter().flat_map(|u| u.documents.iter()) {
            items.extend(from_annotations(doc));
        }
        for d in &mut items {
            for t in &d.targets {
                if let Some(rule) = catalogue.rule(t) {
                    d.rules.insert(rule.spec.id.clone());
                } else if let Some(req) = catalogue.requirement(t) {
                    d.rules.extend(
                        catalogue
                            .rules_for(&req.uid)
                            .iter()
                            .map(|r| r.spec.id.clone()),
                    );
                } else {
                    d.unknown.push(t.clone());
                }
            }
        }
        Derogations {
            items,
            today: Some(today),
        }
    }

    /// The derogations as a document, for the catalogue's rule on derogations (subject
    /// `derogation`): `{derogations: [{origin, rules, reason, expires, expiredOn, today,
    /// reference}]}` (`expiredOn`: the expiry date once past, else null),
    /// each node located where the derogation is written.
    pub(crate) fn document(&self) -> Option<Document> {
        if self.items.is_empty() {
            return None;
        }
        let file = SourceFile::new("(derogations)", "");
        let mut spans = SpanTable::default();
        let mut list = Vec::new();
        let span = |d: &Derogation, range: ByteRange| NodeSpans {
            key: None,
            value: range,
            related: None,
            file: Some(Arc::clone(&d.file)),
        };
        spans.insert(
            String::new(),
            NodeSpans {
                key: None,
                value: ByteRange::default(),
                related: None,
                file: None,
            },
        );
        for (i, d) in self.items.iter().enumerate() {
            list.push(json!({
                "origin": d.origin.as_str(),
                "rules": d.targets,
                "reason": d.reason,
                "expires": d.expires,
                "expiredOn": if d.expired { d.expires.clone() } else { None },
                "today": self.today.map(|t| t.to_string()),
                "reference": d.reference,
            }));
            let base = format!("/derogations/{i}");
            spans.insert(base.clone(), span(d, d.range));
            for key in [
                "origin",
                "rules",
                "reason",
                "expires",
                "expiredOn",
                "today",
                "reference",
            ] {
                let part = if key == "expiredOn" { "expires" } else { key };
                let range = d.parts.get(part).copied().unwrap_or(d.range);
                spans.insert(format!("{base}/{key}"), span(d, range));
            }
        }
        spans.insert(
            "/derogations".to_string(),
            NodeSpans {
                key: None,
                value: ByteRange::default(),
                related: None,
                file: None,
            },
        );
        Some(Document {
            format: DocFormat::Derogations,
            file,
            index: 0,
            value: json!({"derogations": list}),
            spans,
            range: ByteRange::default(),
            provenance: None,
            facts: None,
        })
    }

    /// Mark the findings the derogations cover; diagnostics for derogations that name unknown
    /// rules or cover nothing.
    pub(crate) fn apply(&self, mut findings: Vec<Finding>) -> (Vec<Finding>, Vec<Diagnostic>) {
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut used = vec![0usize; self.items.len()];
        for f in &mut findings {
            if let Some((i, d)) = self
                .items
                .iter()
                .enumerate()
                .find(|(_, d)| d.applies() && d.covers(f, &cwd))
            {
                f.suppression = Some(d.suppression());
                used[i] += 1;
            }
        }
        let mut diagnostics = Vec::new();
        for (d, n) in self.items.iter().zip(used) {
            for t in &d.unknown {
                diagnostics.push(Diagnostic::at(
                    &d.file,
                    d.range,
                    DiagnosticCode::DerogationUnknownRule,
                    DiagnosticLevel::Warning,
                    Text::new(
                        format!("this derogation names `{t}`, which is neither a rule nor a requirement"),
                        format!("cette dérogation désigne `{t}`, qui n'est ni une règle ni une exigence"),
                    ),
                ));
            }
            if n == 0 && d.applies() {
                diagnostics.push(Diagnostic::at(
                    &d.file,
                    d.range,
                    DiagnosticCode::DerogationUnused,
                    DiagnosticLevel::Warning,
                    Text::new(
                        format!(
                            "this derogation of {} covers no finding: remove it",
                            d.targets.join(", ")
                        ),
                        format!(
                            "cette dérogation de {} ne couvre aucun constat : la supprimer",
                            d.targets.join(", ")
                        ),
                    ),
                ));
            }
        }
        (findings, diagnostics)
    }
}

/// Compare findings with a baseline: each gets its state; the baseline's entries of the files
/// `judged` found in none are returned (absent: fixed, or moved beyond recognition; an entry of
/// a file outside the scan was not looked for).
pub(crate) fn compare(
    findings: &mut [Finding],
    baseline: &Baseline,
    judged: impl Fn(&str) -> bool,
) -> Vec<BaselineEntry> {
    let mut seen = BTreeSet::new();
    for f in findings.iter_mut() {
        if baseline.contains(&f.fingerprint) {
            f.baseline = Some(BaselineState::Unchanged);
            seen.insert(f.fingerprint.clone());
        } else {
            f.baseline = Some(BaselineState::New);
        }
    }
    baseline
        .entries()
        .filter(|e| !seen.contains(&e.fingerprint) && judged(&e.path))
        .cloned()
        .collect()
}

/// The configuration's derogations.
fn from_config(config: &LoadedConfig, today: Date) -> Vec<Derogation> {
    let root = absolute(&config.dir);
    let mut out = Vec::new();
    for (i, d) in config.config.derogations.iter().enumerate() {
        let base = format!("/derogations/{i}");
        let mut parts = BTreeMap::new();
        for key in ["reason", "expires", "reference"] {
            parts.insert(key, config.range(&format!("{base}/{key}")));
        }
        parts.insert("rules", config.range(&format!("{base}/rule")));
        let paths = if d.paths.is_empty() {
            None
        } else {
            let mut b = GlobSetBuilder::new();
            for p in &d.paths {
                if let Ok(g) = Glob::new(p.trim_start_matches("./")) {
                    b.add(g);
                }
            }
            b.build().ok()
        };
        let resource = d.resource.as_deref().and_then(|r| {
            let parts: Vec<&str> = r.split('/').collect();
            match parts.as_slice() {
                [kind, name] => Some((kind.to_string(), None, name.to_string())),
                [kind, ns, name] => {
                    Some((kind.to_string(), Some(ns.to_string()), name.to_string()))
                }
                _ => None,
            }
        });
        let expires_date = d.expires.as_deref().map(Date::parse);
        let targets: Vec<String> = d.rule.iter().chain(d.requirement.iter()).cloned().collect();
        out.push(Derogation {
            origin: Origin::Config,
            targets,
            rules: BTreeSet::new(),
            unknown: Vec::new(),
            scope: Scope::Config {
                paths,
                root: root.clone(),
                resource,
                environment: d.environment.clone(),
            },
            reason: d.reason.clone().filter(|r| !r.trim().is_empty()),
            expires: d.expires.clone(),
            expired: match expires_date {
                Some(Some(date)) => date < today,
                Some(None) => true,
                None => false,
            },
            reference: d.reference.clone(),
            file: Arc::clone(&config.file),
            range: config.range(&base),
            parts,
        });
    }
    out
}

/// The derogations of the resources of a document (their ignore annotation).
fn from_annotations(doc: &Document) -> Vec<Derogation> {
    let mut out = Vec::new();
    if doc.format != DocFormat::Yaml {
        return out;
    }
    for res in kube::resources(doc) {
        let Some(value) = res
            .value
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(IGNORE_ANNOTATION))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let pointer = format!(
            "{}/metadata/annotations/{}",
            res.pointer,
            crate::source::escape_token(IGNORE_ANNOTATION)
        );
        let (range, file) = match doc.trace_pointer(&pointer, crate::source::LocateMode::Value) {
            Some(t) => (t.primary.range, Arc::clone(&t.primary.file)),
            None => (
                doc.spans
                    .locate(&pointer, crate::source::LocateMode::Value)
                    .map(|(r, _)| r)
                    .unwrap_or(doc.range),
                Arc::clone(&doc.file),
            ),
        };
        for (targets, reason) in inline::annotation_entries(value) {
            out.push(Derogation {
                origin: Origin::Annotation,
                targets,
                rules: BTreeSet::new(),
                unknown: Vec::new(),
                scope: Scope::Resource {
                    path: doc.file.path().to_string(),
                    kind: res.kind.to_string(),
                    namespace: res.namespace.to_string(),
                    name: res.name.to_string(),
                },
                reason,
                expires: None,
                expired: false,
                reference: None,
                file: Arc::clone(&file),
                range,
                parts: BTreeMap::new(),
            });
        }
    }
    out
}

/// A path made absolute from the working folder, `.` and `..` resolved lexically.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A finding's path (shown relative to the working folder) relative to `root`, `/` separated.
fn relative_to(root: &Path, shown: &str, cwd: &Path) -> Option<String> {
    let path = Path::new(shown);
    let abs = absolute(&if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    });
    abs.strip_prefix(root)
        .ok()
        .map(|r| r.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests;
