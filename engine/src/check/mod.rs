//! Checks: subjects, deployment units, and the two check kinds: JSON Schema and Rego.
//!
//! Input: a document of a deployment unit (with the unit's inventory) and the catalogue.
//! Output: findings, located at the offending key or value of the document (or of the other
//! resource a Rego result is about), and diagnostics for policies that fail or return garbage.

mod one_fact;
mod quantity;
mod rego;
mod ruleset;
mod run;
mod schema;
mod subject;
mod timing;
mod vendored;
mod written;

use std::collections::{BTreeMap, HashMap};

use one_fact::Message;

use serde_json::Value;

pub(crate) use rego::RegoCheck;
pub(crate) use schema::SchemaCheck;
pub use timing::RuleTiming;

pub(crate) use crate::vocab::{SubjectIdentity, SubjectKind};
pub(crate) use ruleset::{CompiledRule, RuleSet};
pub(crate) use run::check_units;
pub(crate) use subject::{subjects, Subject};

use crate::catalogue::Escalation;
use crate::source::{
    escape_token, pointer_tokens, ByteRange, DocFormat, Document, LocateMode, Location, PlaceRole,
};
use crate::units::{DeploymentUnit, Inventory};
use crate::vocab::{
    fingerprint, Diagnostic, DiagnosticCode, DiagnosticLevel, Finding, Profile, Related, Text,
};

/// A compiled check.
#[derive(Debug)]
pub(crate) enum Check {
    /// A JSON Schema each subject must satisfy.
    Schema(SchemaCheck),
    /// A Rego policy whose `deny`/`violation`/`warn` sets are the findings.
    Rego(Box<RegoCheck>),
    /// Both: the schema judges each subject alone, the policy what needs more (other fields
    /// compared, other resources of the unit); their findings together.
    Both(SchemaCheck, Box<RegoCheck>),
}

impl Check {
    /// The schema and the policy, whichever the check has.
    fn parts(&self) -> (Option<&SchemaCheck>, Option<&RegoCheck>) {
        match self {
            Check::Schema(s) => (Some(s), None),
            Check::Rego(r) => (None, Some(r)),
            Check::Both(s, r) => (Some(s), Some(r)),
        }
    }
}

/// A unit being checked: its documents and inventory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnitRef<'u> {
    pub(crate) unit: &'u DeploymentUnit,
    pub(crate) inventory: &'u Inventory,
}

/// What one worker thread keeps between documents: for each Rego rule, a clone of the rule's
/// prepared engine (the unit's inventory travels in `input`, so nothing is prepared again when
/// the worker moves to another unit).
#[derive(Default)]
pub(crate) struct Worker {
    engines: HashMap<usize, regorus::Engine>,
}

impl Worker {
    fn engine(
        &mut self,
        rule: usize,
        check: &RegoCheck,
    ) -> Result<&mut regorus::Engine, rego::PrepareError> {
        match self.engines.entry(rule) {
            std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
            std::collections::hash_map::Entry::Vacant(e) => Ok(e.insert(check.engine()?)),
        }
    }
}

/// Findings and diagnostics of one document.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) findings: Vec<Finding>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Findings and diagnostics of some of the rules on one document, before the findings of
/// the rules that supersede others are weighed against them ([`settle`]).
#[derive(Debug, Default)]
pub(crate) struct Partial {
    findings: Vec<(Finding, Message)>,
    diagnostics: Vec<Diagnostic>,
}

/// Which rules of the set a task runs on a document: every `step`-th from index `first`. The
/// rules of one document are dealt between tasks like cards, so that the costly rules of a
/// family (sorted together by id) do not all land on one thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RuleSlice {
    pub(crate) first: usize,
    pub(crate) step: usize,
}

/// The outcome of a document from the partial outcomes of its rule slices: one finding per
/// fact across rules (`supersedes`), in rule order whatever the slicing.
pub(crate) fn settle(rules: &RuleSet, partials: impl IntoIterator<Item = Partial>) -> Outcome {
    let mut findings = Vec::new();
    let mut diagnostics = Vec::new();
    for p in partials {
        findings.extend(p.findings);
        diagnostics.extend(p.diagnostics);
    }
    // The set's rules are sorted by id: a stable sort by id is rule order, and each rule's
    // findings stay in the order it made them.
    findings.sort_by(|(a, _), (b, _)| a.rule_id.cmp(&b.rule_id));
    one_fact::drop_superseded(&mut findings, rules.superseded_by());
    Outcome {
        findings: findings.into_iter().map(|(f, _)| f).collect(),
        diagnostics,
    }
}

/// Which rules run on a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Every rule: the document is judged.
    Judged,
    /// Only the rules whose results may be about another resource of the unit: the document
    /// is read for context (the rest of a unit whose files were given alone), and what the
    /// other rules would find in it could only be located in it, where nothing is reported.
    Context,
}

/// Run the rules of `slice` on document `doc_index` of a unit (a document of a small scan is
/// split between threads by rules).
pub(crate) fn check_document(
    rules: &RuleSet,
    unit: &UnitRef<'_>,
    (doc_index, reach): (usize, Reach),
    slice: RuleSlice,
    worker: &mut Worker,
) -> Partial {
    let mut out = Partial::default();
    let Some(doc) = unit.unit.documents.get(doc_index) else {
        return out;
    };
    // A defect of cct, simulated for the tests of what a panic leaves (check/run.rs).
    #[cfg(test)]
    if doc.file.path().ends_with(run::INJECTED_PANIC) {
        panic!("injected for a test");
    }
    let mut subjects = subjects(doc);
    // A resource that writes no namespace is in its unit's (an Argo CD destination's).
    for s in &mut subjects {
        if matches!(
            s.kind,
            SubjectKind::Resource | SubjectKind::PodSpec | SubjectKind::Container
        ) {
            s.identity.namespace = unit
                .unit
                .namespace_of(s.resource_kind, &s.identity.namespace);
        }
    }
    // Rego inputs, converted once per subject whatever the number of rules; with the unit's
    // inventory added (under `rego::INVENTORY_KEY`) for the policies that read it.
    let mut inputs: Vec<Option<regorus::Value>> = vec![None; subjects.len()];
    let mut inventory_inputs: Vec<Option<regorus::Value>> = vec![None; subjects.len()];
    // Each place found, with the subject it was first found through.
    let mut seen: BTreeMap<(String, String, ByteRange, String), usize> = BTreeMap::new();
    let mut findings: Vec<(Finding, Message)> = Vec::new();
    let chosen = rules.rules().iter().enumerate();
    for (rule_index, compiled) in chosen.skip(slice.first).step_by(slice.step.max(1)) {
        // On a document read for context, only a rule that may report elsewhere runs (asked
        // once it selects something there: its policy's text is then read, once).
        let mut runs_here = None;
        let select = &compiled.rule.spec.select;
        let mut check = None;
        for (si, subject) in subjects.iter().enumerate() {
            if !select.subject.contains(subject.kind) {
                continue;
            }
            if !select.kinds.is_empty() && !select.kinds.iter().any(|k| k == subject.resource_kind)
            {
                continue;
            }
            if !*runs_here
                .get_or_insert_with(|| reach == Reach::Judged || compiled.reports_elsewhere())
            {
                break;
            }
            // Compiled on the first subject the rule selects.
            let check = match check.get_or_insert_with(|| rules.check(rule_index)) {
                Some(Ok(check)) => *check,
                Some(Err(diagnostic)) => {
                    out.diagnostics.push(diagnostic.clone());
                    break;
                }
                None => break,
            };
            let (schema, rego) = check.parts();
            let mut found = Vec::new();
            if let Some(schema) = schema {
                let started = compiled.clock.start();
                let violations = schema.evaluate(&subject.view);
                compiled.clock.add(timing::Part::Schema, started);
                found.extend(violations.iter().filter_map(|v| {
                    let (pointer, mode) = subject.resolve(&v.path, v.mode);
                    // `x-cct-written`: the value must have been written there.
                    if !v.written.is_empty()
                        && !v.written.contains(&written::Written::of(doc, &pointer))
                    {
                        return None;
                    }
                    Some(finding(
                        rules.profile(),
                        compiled,
                        doc,
                        &pointer,
                        mode,
                        &subject.identity,
                        v,
                    ))
                }));
            }
            if let Some(rego) = rego {
                let input = inputs[si].get_or_insert_with(|| {
                    subject
                        .resource_pointer
                        .as_deref()
                        .filter(|_| subject.kind == SubjectKind::Resource)
                        .and_then(|p| unit.inventory.value_at(doc_index, p).cloned())
                        .unwrap_or_else(|| crate::units::to_rego(&subject.view))
                });
                let input = match &unit.inventory.data {
                    Some(inventory) if rego.reads_inventory => inventory_inputs[si]
                        .get_or_insert_with(|| {
                            let mut with = input.clone();
                            if let Ok(obj) = with.as_object_mut() {
                                obj.insert(
                                    regorus::Value::from(rego::INVENTORY_KEY),
                                    inventory.clone(),
                                );
                            }
                            with
                        }),
                    _ => input,
                };
                let started = compiled.clock.start();
                found.extend(rego_findings(
                    rules.profile(),
                    compiled,
                    rule_index,
                    rego,
                    unit,
                    subject,
                    input,
                    worker,
                    &mut out.diagnostics,
                ));
                compiled.clock.add(timing::Part::Rego, started);
            }
            for (f, message) in found {
                // The same place reached through several subjects (a pod-level field seen
                // from each container) is one finding. In a GitLab CI model, a line or key
                // inherited by several jobs (`extends`, `default:`) is one place, whatever the
                // job it is reached through: its node is its pointer within the job, and the
                // results one subject gave are distinct facts.
                let gitlab = doc.format == DocFormat::GitlabCi;
                let node = if gitlab {
                    within_job(&f.pointer).to_string()
                } else {
                    f.pointer.clone()
                };
                let key = (
                    f.rule_id.clone(),
                    f.location.path.clone(),
                    f.location.bytes,
                    node,
                );
                match seen.get(&key) {
                    Some(&first) if !gitlab || first != si => {}
                    Some(_) => findings.push((f, message)),
                    None => {
                        seen.insert(key, si);
                        if let Some(own) = one_fact::merge_containers(&mut findings, (f, message)) {
                            findings.push(own);
                        }
                    }
                }
            }
        }
    }
    out.findings = findings;
    out
}

#[allow(clippy::too_many_arguments)]
fn rego_findings(
    profile: Profile,
    compiled: &CompiledRule,
    rule_index: usize,
    check: &RegoCheck,
    unit: &UnitRef<'_>,
    subject: &Subject<'_>,
    input: &regorus::Value,
    worker: &mut Worker,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Finding, Message)> {
    let rule = &compiled.rule;
    let problem = |code: DiagnosticCode, en: String, fr: String| {
        Diagnostic::for_path(
            &check.origin,
            code,
            DiagnosticLevel::Error,
            Text::new(en, fr),
        )
    };
    let engine = match worker.engine(rule_index, check) {
        Ok(e) => e,
        Err(e) => {
            diagnostics.push(problem(
                DiagnosticCode::RegoEvaluationFailed,
                format!("rule {}: {e}", rule.spec.id),
                format!("règle {} : {e}", rule.spec.id),
            ));
            return Vec::new();
        }
    };
    let (results, problems) = check.evaluate(engine, input);
    for p in problems {
        diagnostics.push(problem(
            DiagnosticCode::RegoEvaluationFailed,
            format!(
                "rule {}, on {} {} of {}: {p}; these results are ignored",
                rule.spec.id,
                subject.identity.kind,
                subject.identity.name,
                subject.doc.file.path()
            ),
            format!(
                "règle {}, sur {} {} de {} : {p} ; ces résultats sont ignorés",
                rule.spec.id,
                subject.identity.kind,
                subject.identity.name,
                subject.doc.file.path()
            ),
        ));
    }
    let default_path = match subject.kind {
        SubjectKind::Resource | SubjectKind::PodSpec => "/metadata/name",
        _ => "",
    };
    let mut out = Vec::new();
    for r in results {
        let (doc, pointer, identity) = match &r.resource {
            None => {
                let path = r.path.as_deref().unwrap_or(default_path);
                let (pointer, _) = subject.resolve(path, LocateMode::Key);
                (subject.doc, pointer, &subject.identity)
            }
            Some(target) => {
                let Some(entry) = unit.inventory.find(target) else {
                    diagnostics.push(problem(
                        DiagnosticCode::RegoEvaluationFailed,
                        format!(
                            "rule {}: a result names {} {} ({}), which is not in the deployment unit `{}`; it is ignored",
                            rule.spec.id, target.kind, target.name, target.namespace.as_deref().unwrap_or(""), unit.unit.name
                        ),
                        format!(
                            "règle {} : un résultat désigne {} {} ({}), absent de l'unité de déploiement `{}` ; il est ignoré",
                            rule.spec.id, target.kind, target.name, target.namespace.as_deref().unwrap_or(""), unit.unit.name
                        ),
                    ));
                    continue;
                };
                let Some(doc) = unit.unit.documents.get(entry.doc) else {
                    continue;
                };
                let path = r.path.as_deref().unwrap_or("/metadata/name");
                (doc, format!("{}{path}", entry.pointer), &entry.identity)
            }
        };
        let scalar = doc.value.pointer(&pointer).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        });
        let v = schema::Violation {
            path: pointer.clone(),
            mode: LocateMode::Key,
            property: pointer_tokens(&pointer).last().cloned(),
            value: scalar,
            message: r.message,
            severity: r.severity,
            escalation: Vec::new(),
            detail: String::new(),
            written: Vec::new(),
            missing: Vec::new(),
            schema_path: String::new(),
            line: None,
            at_key: false,
            complaint: None,
            setting: None,
        };
        // A finding about the whole resource (no PodDisruptionBudget, not scraped...) is
        // located at its name's key: in a rendered chart, the template line that writes the
        // resource, never the values line that supplies part of its name.
        let mode = if pointer.ends_with("/metadata/name") {
            LocateMode::Parent
        } else {
            LocateMode::Key
        };
        let (mut f, message) = finding(profile, compiled, doc, &pointer, mode, identity, &v);
        for r in &r.related {
            let (doc, pointer) = match &r.resource {
                None => {
                    let path = r.path.as_deref().unwrap_or(default_path);
                    (subject.doc, subject.resolve(path, LocateMode::Key).0)
                }
                Some(target) => {
                    let Some(entry) = unit.inventory.find(target) else {
                        continue;
                    };
                    let Some(doc) = unit.unit.documents.get(entry.doc) else {
                        continue;
                    };
                    let path = r.path.as_deref().unwrap_or("/metadata/name");
                    (doc, format!("{}{path}", entry.pointer))
                }
            };
            if let Some(location) = place(doc, &pointer) {
                f.related.push(Related {
                    location,
                    message: r.message.clone().unwrap_or_else(|| {
                        Text::new(
                            "the place this finding names",
                            "l'endroit que ce constat désigne",
                        )
                    }),
                });
            }
        }
        out.push((f, message));
    }
    out
}

/// Where a node of a document was written: for a rendered chart, the values line or template
/// text that produced it; else its value in the document.
fn place(doc: &Document, pointer: &str) -> Option<Location> {
    if let Some(trace) = doc.trace_pointer(pointer, LocateMode::Value) {
        return Some(trace.primary.location());
    }
    let (range, _, file) = doc.spans.locate_in(pointer, LocateMode::Value)?;
    let file = file.unwrap_or(&doc.file);
    Some(Location::of(
        file,
        crate::source::ByteRange::new(range.start as usize, range.end as usize),
    ))
}

fn finding(
    profile: Profile,
    compiled: &CompiledRule,
    doc: &Document,
    pointer: &str,
    mode: LocateMode,
    identity: &SubjectIdentity,
    v: &schema::Violation,
) -> (Finding, Message) {
    let spec = &compiled.rule.spec;
    let pointer = pointer.to_string();
    // A missing key that is written with a null or empty value (`resources:` rendered empty,
    // which Kubernetes reads as absent, see `kube::drop_unset`) is located at that key.
    let written_null = match (mode, &v.property) {
        (LocateMode::Parent, Some(key)) => {
            let p = format!("{pointer}/{}", escape_token(key));
            // `image: ""` at its value, `resources:` (nothing written after it) at its key.
            doc.spans.get(&p).map(|s| {
                let at = if s.value.end > s.value.start {
                    LocateMode::Value
                } else {
                    LocateMode::Key
                };
                (p, at)
            })
        }
        _ => None,
    };
    let (locate_at, mode) = match &written_null {
        Some((p, at)) => (p.as_str(), *at),
        None => (pointer.as_str(), mode),
    };
    // A finding about the whole document (a fact about a chart's files, located at the root
    // of its `Chart.yaml`) is shown at the document's first key, not across the whole file.
    let mode = if locate_at.is_empty() {
        LocateMode::Parent
    } else {
        mode
    };
    // A node may be written in another file than the document's (a GitLab CI job inherited
    // from an included file).
    let (range, _, file) = doc
        .spans
        .locate_in(locate_at, mode)
        .unwrap_or((doc.range, false, None));
    let file = file.unwrap_or(&doc.file);
    // A finding about one line of a multi-line value (a credential in an embedded
    // configuration file) is located at that line.
    let line = v.line.filter(|_| mode == LocateMode::Value).and_then(|k| {
        let value = doc.spans.get(locate_at)?.value;
        value_line(file.text(), value, k)
    });
    let range = line.unwrap_or(range);
    let location = Location::of(
        file,
        crate::source::ByteRange::new(range.start as usize, range.end as usize),
    );
    let mut location = location;
    let mut related = Vec::new();
    let mut environments = Vec::new();
    let trace = match line {
        Some(r) => doc.trace(r),
        // The key's name is at fault: where the key is written.
        None if v.at_key && mode == LocateMode::Key => doc.trace(range),
        None => doc.trace_pointer(locate_at, mode),
    };
    if let Some(mut trace) = trace {
        // A rendered chart: report where the offending thing was written (the values line,
        // else the template), with the other places as related locations.
        decided_by_setting(doc, v, &mut trace);
        location = trace.primary.location();
        for place in &trace.related {
            related.push(Related {
                location: place.location(),
                message: place_message(place.role),
            });
        }
        if let Some(p) = &doc.provenance {
            environments.push(
                p.environment
                    .clone()
                    .unwrap_or_else(|| "default".to_string()),
            );
        }
    } else if let Some(spans) = doc.spans.get(locate_at) {
        if let Some(r) = spans.related {
            related.push(Related {
                location: Location::of(spans.file.as_ref().unwrap_or(&doc.file), r),
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
        if e.profiles.contains(&profile) {
            severity = severity.min(e.severity);
            if let Some(b) = &e.blocking {
                blocking.push(b.clone());
            }
        }
    }
    // The configuration's severity for the rule, whatever the profile.
    if let Some(s) = compiled.severity {
        severity = s;
    }

    let named = named_pointer(&doc.value, &pointer);
    let mut args = BTreeMap::new();
    for (k, p) in &compiled.params {
        args.insert(k.clone(), param_text(p));
    }
    let value = if spec.sensitive {
        v.value.as_ref().map(|_| "***".to_string())
    } else {
        v.value.clone()
    };
    args.insert("value".into(), value.unwrap_or_default());
    // Every key a `required` misses, named once.
    let property = if v.missing.len() > 1 {
        v.missing.join(", ")
    } else {
        v.property.clone().unwrap_or_default()
    };
    args.insert("property".into(), property);
    args.insert("kind".into(), identity.kind.clone());
    args.insert("name".into(), identity.name.clone());
    args.insert("namespace".into(), identity.namespace.clone());
    args.insert(
        "container".into(),
        identity.container.clone().unwrap_or_default(),
    );
    args.insert("pointer".into(), pointer.clone());
    // The name of the innermost named list item on the path (an environment variable, a port,
    // a volume): what a sensitive finding names instead of its value.
    let entry = named
        .rsplit_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .map_or("", |(name, _)| name);
    args.insert("entry".into(), entry.to_string());
    if !spec.sensitive {
        args.insert("detail".into(), v.detail.clone());
    }
    // An error of a vendored schema (the official OpenAPI schemas): where, and what is wrong.
    if let Some(c) = v.complaint.as_ref().filter(|_| !spec.sensitive) {
        let (en, fr) = if pointer.is_empty() {
            ("top level".to_string(), "premier niveau".to_string())
        } else {
            (format!("`{pointer}`"), format!("`{pointer}`"))
        };
        args.insert("complaint.en".into(), format!("{en}: {}", c.en));
        args.insert("complaint.fr".into(), format!("{fr} : {}", c.fr));
    }
    let template = v.message.as_ref().unwrap_or(&spec.message);
    let message = template.fill(&args);

    let f = Finding {
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
        fingerprint: fingerprint(&spec.id, &location.path, identity, &named),
        location,
        related,
        subject: identity.clone(),
        pointer: named,
        blocking,
        confidence: spec.confidence.clone(),
        environments,
        suppression: None,
        baseline: None,
    };
    (
        f,
        Message {
            template: template.clone(),
            args,
        },
    )
}

/// The bytes of line `k` (from 0, indentation left out) of a literal block scalar (`|`) written
/// at `value`; `None` for other scalars, whose lines are not the file's.
fn value_line(text: &str, value: ByteRange, k: usize) -> Option<ByteRange> {
    let (start, end) = (value.start as usize, (value.end as usize).min(text.len()));
    let src = text.get(start..end)?;
    if !src.starts_with('|') {
        return None;
    }
    let body = src.find('\n')? + 1;
    let mut at = start + body;
    for (i, line) in text.get(at..end)?.split('\n').enumerate() {
        if i == k {
            let indent = line.len() - line.trim_start().len();
            let s = at + indent;
            let e = at + line.trim_end().len();
            return (e > s).then(|| ByteRange::new(s, e));
        }
        at += line.len() + 1;
    }
    None
}

/// The pointer of a GitLab CI finding within its job (`/jobs/build/script/0` → `/script/0`),
/// the same for every job that inherits the node.
fn within_job(pointer: &str) -> &str {
    pointer
        .strip_prefix("/jobs/")
        .and_then(|rest| rest.find('/').map(|i| &rest[i..]).or(Some("")))
        .unwrap_or(pointer)
}

/// What a related place of a rendered chart is.
/// A subchart's default value (a dependency's values file, which the team does not edit) that
/// the chart's own values leave in place through a shared setting (`x-cct-setting`): the fix
/// goes where the chart's values set it, the default becomes a related place.
fn decided_by_setting(doc: &Document, v: &schema::Violation, trace: &mut crate::source::Trace) {
    let (Some(setting), Some(prov)) = (&v.setting, &doc.provenance) else {
        return;
    };
    if trace.primary.role != PlaceRole::Value || !prov.is_dependency_default(&trace.primary.file) {
        return;
    }
    let Some(set) = prov.global_setting(&setting.value) else {
        return;
    };
    if setting
        .when
        .iter()
        .any(|w| w.eq_ignore_ascii_case(&set.value))
    {
        let default = std::mem::replace(&mut trace.primary, set.place.clone());
        trace.related.insert(0, default);
    }
}

fn place_message(role: PlaceRole) -> Text {
    match role {
        PlaceRole::Value => Text::new("a value used here", "une valeur utilisée ici"),
        PlaceRole::Template => Text::new(
            "the template line that writes it",
            "la ligne du template qui l'écrit",
        ),
        PlaceRole::Action => Text::new(
            "the template action that computes it",
            "l'action du template qui le calcule",
        ),
        PlaceRole::Rendered => Text::new(
            "where it is in the rendered manifest",
            "sa position dans le manifeste rendu",
        ),
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
