//! JSON: the findings and diagnostics, for scripts.

use std::io::Write;

use serde_json::json;

use super::Report;
use super::{RenderOptions, VERSION};
use crate::catalogue::Catalogue;

pub(super) fn render(
    report: &Report,
    _catalogue: &Catalogue,
    options: RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let findings: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule_id,
                "name": f.rule_name,
                "severity": f.severity,
                "level": f.level,
                "requirements": f.requirements,
                "message": f.message.get(options.lang),
                "messages": f.message,
                "path": f.location.path,
                "line": f.location.start.line,
                "column": f.location.start.column,
                "endLine": f.location.end.line,
                "endColumn": f.location.end.column,
                "related": f.related,
                "subject": f.subject,
                "pointer": f.pointer,
                "blocking": f.blocking,
                "confidence": f.confidence,
                "environments": f.environments,
                "fingerprint": f.fingerprint,
                "suppression": f.suppression,
                "baseline": f.baseline,
            })
        })
        .collect();
    let diagnostics: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "code": d.code,
                "level": d.level,
                "message": d.message.get(options.lang),
                "path": d.location.as_ref().map(|l| &l.path),
                "line": d.location.as_ref().map(|l| l.start.line),
                "column": d.location.as_ref().map(|l| l.start.column),
            })
        })
        .collect();
    let doc = json!({
        "tool": "cct",
        "version": VERSION,
        "profile": report.profile,
        "findings": findings,
        "diagnostics": diagnostics,
        "stats": report.stats,
        "unjudged": report.unjudged().count(),
        "baselineAbsent": report.baseline_absent,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
