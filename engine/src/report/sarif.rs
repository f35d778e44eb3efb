//! SARIF 2.1.0: rules with help, the CCT as a taxonomy, results with exact regions.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{json, Map, Value};

use super::Report;
use super::{RenderOptions, VERSION};
use crate::catalogue::{Catalogue, Relation, Severity};
use crate::source::Location;
use crate::vocab::DiagnosticLevel;

const TAXONOMY: &str = "CCT-CloudPiNative";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn region(l: &Location) -> Value {
    json!({
        "startLine": l.start.line,
        "startColumn": l.start.column,
        "endLine": l.end.line,
        "endColumn": l.end.column.max(if l.end.line == l.start.line { l.start.column } else { 1 }),
        "charOffset": l.bytes.start,
        "charLength": l.bytes.end - l.bytes.start,
    })
}

fn physical(l: &Location) -> Value {
    let mut region = region(l);
    // charOffset/charLength are in bytes here, which SARIF does not define: leave them out.
    if let Some(o) = region.as_object_mut() {
        o.remove("charOffset");
        o.remove("charLength");
    }
    json!({
        "artifactLocation": {"uri": uri(&l.path), "uriBaseId": "%SRCROOT%"},
        "region": region,
    })
}

fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render(
    report: &Report,
    catalogue: &Catalogue,
    options: RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let lang = options.lang;
    let taxa_index: BTreeMap<&str, usize> = catalogue
        .requirements
        .iter()
        .enumerate()
        .map(|(i, r)| (r.uid.as_str(), i))
        .collect();
    let taxa: Vec<Value> = catalogue
        .requirements
        .iter()
        .map(|r| {
            let mut props = Map::new();
            props.insert("type".into(), json!(r.level.as_str()));
            props.insert("category".into(), json!(r.category));
            props.insert("sourceId".into(), json!(r.source_id));
            props.insert("automation".into(), json!(r.automation));
            if let Some(ev) = &r.evidence {
                props.insert(
                    "evidence".into(),
                    json!(match lang {
                        crate::vocab::Lang::En => &ev.en,
                        crate::vocab::Lang::Fr => &ev.fr,
                    }),
                );
            }
            json!({
                "id": r.uid,
                "name": r.aliases.first().unwrap_or(&r.uid),
                "shortDescription": {"text": r.summary.get(lang)},
                "properties": props,
            })
        })
        .collect();

    let rule_index: BTreeMap<&str, usize> = catalogue
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.spec.id.as_str(), i))
        .collect();
    let rules: Vec<Value> = catalogue
        .rules
        .iter()
        .map(|r| {
            let s = &r.spec;
            let relationships: Vec<Value> = s
                .requirements
                .iter()
                .filter_map(|l| {
                    let idx = taxa_index.get(l.uid())?;
                    Some(json!({
                        "target": {"id": l.uid(), "index": idx, "toolComponent": {"name": TAXONOMY, "index": 0}},
                        "kinds": [match l.relation() { Relation::Primary => "relevant", Relation::Supporting => "incomparable" }],
                        "description": {"text": match l.relation() { Relation::Primary => "primary", Relation::Supporting => "supporting" }},
                    }))
                })
                .collect();
            let precision = match s.confidence.as_deref() {
                Some("low") => "low",
                Some("medium") => "medium",
                _ => "high",
            };
            // A user rule may leave its rationale and remediation out: SARIF then has none.
            let described = |t: &crate::vocab::Text| {
                let text = t.get(lang);
                (!text.is_empty()).then(|| json!({"text": text, "markdown": text}))
            };
            let mut rule = json!({
                "id": s.id,
                "name": s.name,
                "shortDescription": {"text": s.title.get(lang)},
                "fullDescription": described(&s.rationale),
                "help": described(&s.remediation),
                "helpUri": r.help_uri(),
                "defaultConfiguration": {"level": level(s.severity), "enabled": report.active_rules.contains(&s.id)},
                "messageStrings": {"default": {"text": s.message.get(lang)}},
                "relationships": relationships,
                "properties": {
                    "tags": s.tags,
                    "precision": precision,
                    "cctLevel": s.level.as_str(),
                    "requirements": s.requirements.iter().map(|l| l.uid()).collect::<Vec<_>>(),
                    "profiles": s.profiles,
                    "status": s.status,
                },
            });
            if let Some(obj) = rule.as_object_mut() {
                obj.retain(|_, v| !v.is_null());
            }
            rule
        })
        .collect();

    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule_id,
                "level": level(f.severity),
                "message": {"text": f.message.get(lang)},
                "locations": [{
                    "physicalLocation": physical(&f.location),
                    "logicalLocations": [{
                        "fullyQualifiedName": format!(
                            "{}/{}/{}/{}#{}",
                            f.subject.api_version, f.subject.kind, f.subject.namespace, f.subject.name, f.pointer
                        ),
                        "kind": "resource",
                    }],
                }],
                "partialFingerprints": {"cct/v1": f.fingerprint},
                "properties": {
                    "requirements": f.requirements,
                    "level": f.level.as_str(),
                    "blocking": f.blocking,
                    "profile": report.profile,
                    "pointer": f.pointer,
                },
            });
            if let Some(obj) = result.as_object_mut() {
                if let Some(idx) = rule_index.get(f.rule_id.as_str()) {
                    obj.insert("ruleIndex".into(), json!(idx));
                }
                if !f.related.is_empty() {
                    let related: Vec<Value> = f
                        .related
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            json!({
                                "id": i,
                                "physicalLocation": physical(&r.location),
                                "message": {"text": r.message.get(lang)},
                            })
                        })
                        .collect();
                    obj.insert("relatedLocations".into(), json!(related));
                }
                if let Some(s) = &f.suppression {
                    let mut suppression = json!({
                        "kind": s.kind,
                        "status": "accepted",
                        "justification": s.justification,
                    });
                    if let Some(o) = suppression.as_object_mut() {
                        if let Some(l) = &s.location {
                            o.insert("location".into(), json!({"physicalLocation": physical(l)}));
                        }
                        let mut props = Map::new();
                        if let Some(e) = &s.expires {
                            props.insert("expires".into(), json!(e));
                        }
                        if let Some(r) = &s.reference {
                            props.insert("reference".into(), json!(r));
                        }
                        if !props.is_empty() {
                            o.insert("properties".into(), Value::Object(props));
                        }
                    }
                    obj.insert("suppressions".into(), json!([suppression]));
                }
                if let Some(state) = f.baseline {
                    obj.insert("baselineState".into(), json!(state));
                }
                if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
                    if let Some(c) = &f.confidence {
                        props.insert("confidence".into(), json!(c));
                    }
                    if !f.environments.is_empty() {
                        props.insert("environment".into(), json!(f.environments));
                    }
                }
            }
            result
        })
        .collect();

    // Findings of the baseline found no more.
    let mut results = results;
    for e in report.baseline_absent.iter().flatten() {
        results.push(json!({
            "ruleId": e.rule,
            "level": "none",
            "message": {"text": e.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri(&e.path), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": e.line.max(1)},
            }}],
            "partialFingerprints": {"cct/v1": e.fingerprint},
            "baselineState": "absent",
        }));
    }

    let unjudged: Vec<Value> = report
        .unjudged()
        .map(|d| {
            json!({
                "code": d.code,
                "path": d.location.as_ref().map(|l| &l.path),
                "line": d.location.as_ref().map(|l| l.start.line),
                "message": d.message.get(lang),
            })
        })
        .collect();

    let notifications: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut n = json!({
                "descriptor": {"id": d.code},
                "level": match d.level {
                    DiagnosticLevel::Error => "error",
                    DiagnosticLevel::Warning => "warning",
                    DiagnosticLevel::Note => "note",
                },
                "message": {"text": d.message.get(lang)},
            });
            if let (Some(l), Some(obj)) = (&d.location, n.as_object_mut()) {
                obj.insert(
                    "locations".into(),
                    json!([{"physicalLocation": physical(l)}]),
                );
            }
            n
        })
        .collect();

    let manual: Vec<Value> = catalogue
        .requirements
        .iter()
        .filter(|r| r.automation == crate::catalogue::Automation::Manual)
        .map(|r| {
            json!({
                "uid": r.uid,
                "evidence": r.evidence.as_ref().map(|e| match lang {
                    crate::vocab::Lang::En => e.en.clone(),
                    crate::vocab::Lang::Fr => e.fr.clone(),
                }),
            })
        })
        .collect();

    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cct",
                    "fullName": "cct: Cadre de Cohérence Technique Cloud π Native",
                    "semanticVersion": VERSION,
                    "version": VERSION,
                    "informationUri": "https://cloud-pi-native.github.io/cct/",
                    "language": lang.code(),
                    "rules": rules,
                    "supportedTaxonomies": [{"name": TAXONOMY, "index": 0}],
                },
            },
            "taxonomies": [{
                "name": TAXONOMY,
                "version": catalogue.source.version,
                "organization": "Ministère de l'Intérieur – DNUM",
                "informationUri": catalogue.source.url,
                "isComprehensive": true,
                "taxa": taxa,
            }],
            "invocations": [{
                "executionSuccessful": unjudged.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The folder cct was run from."}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "cctVersion": catalogue.source.version,
                "profile": report.profile,
                "helmRendered": false,
                "manualRequirements": manual,
                "unjudged": unjudged,
                "stats": report.stats,
            },
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}
