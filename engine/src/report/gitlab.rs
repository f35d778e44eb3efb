//! GitLab Code Quality (`artifacts:reports:codequality`): one issue per finding that is not
//! suppressed, with GitLab's severities and a fingerprint unique in the report.

use std::collections::BTreeSet;
use std::io::Write;

use serde_json::{json, Value};

use super::{RenderOptions, Report};
use crate::catalogue::Catalogue;
use crate::vocab::{Finding, Severity};

/// GitLab's level of a finding: a note is `info`, a warning `major`, an error `critical`, and
/// an error the platform refuses at admission `blocker`.
fn severity(f: &Finding) -> &'static str {
    match f.severity {
        Severity::Note => "info",
        Severity::Warning => "major",
        Severity::Error if !f.blocking.is_empty() => "blocker",
        Severity::Error => "critical",
    }
}

pub(super) fn render(
    report: &Report,
    catalogue: &Catalogue,
    options: RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut seen = BTreeSet::new();
    let issues: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .map(|f| {
            // GitLab needs one fingerprint per issue: salt a repeated one with its order.
            let mut fingerprint = f.fingerprint.clone();
            let mut salt = 1;
            while !seen.insert(fingerprint.clone()) {
                salt += 1;
                fingerprint = format!("{}-{salt}", f.fingerprint);
            }
            let categories: Vec<&str> = match catalogue.rule(&f.rule_id) {
                Some(r) if r.spec.tags.iter().any(|t| t == "security") => vec!["Security"],
                _ => vec!["Compatibility"],
            };
            json!({
                "type": "issue",
                "engine_name": "cct",
                "check_name": f.rule_id,
                "description": format!("{}: {}", f.rule_id, f.message.get(options.lang)),
                "categories": categories,
                "severity": severity(f),
                "fingerprint": fingerprint,
                "location": {
                    "path": f.location.path,
                    "lines": {"begin": f.location.start.line, "end": f.location.end.line.max(f.location.start.line)},
                },
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
