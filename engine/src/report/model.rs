//! The result of a scan: what every renderer reads.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::derogate::BaselineEntry;
use crate::load::Stats;
use crate::source::SourceFile;
use crate::vocab::{Diagnostic, DiagnosticLevel, Finding, Profile, Severity};

/// Counts of what a scan read.
pub type ScanStats = Stats;

/// The result of a scan: sorted findings and diagnostics, and counts.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The profile the scan judged against.
    pub profile: Profile,
    /// Findings, sorted by file, line, column, rule.
    pub findings: Vec<Finding>,
    /// Tool problems, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// What was read.
    pub stats: ScanStats,
    /// The files findings and diagnostics point into, for snippets.
    pub sources: BTreeMap<String, Arc<SourceFile>>,
    /// With a baseline: its findings found no more (fixed); `None` without a baseline.
    pub baseline_absent: Option<Vec<BaselineEntry>>,
    /// The rules that ran (under the profile, as the configuration switched them).
    pub active_rules: BTreeSet<String>,
    /// With `ScanOptions::timings`: the time each rule took, the costliest first.
    pub timings: Option<Vec<crate::check::RuleTiming>>,
}

impl Report {
    /// A report from what a scan found: findings and diagnostics sorted once (the order of
    /// every output, whatever the thread count), identical ones kept once, and only the files
    /// something points into kept for snippets.
    pub(crate) fn new(
        profile: Profile,
        mut findings: Vec<Finding>,
        mut diagnostics: Vec<Diagnostic>,
        stats: ScanStats,
        files: &BTreeMap<String, Arc<SourceFile>>,
    ) -> Report {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // One fact reported through several subjects or documents (a values line that several
        // workloads use, a Rego result about another resource): same rule, place and node,
        // saying the same thing.
        // The environments of the findings dropped stay on the one kept.
        findings.dedup_by(|a, b| {
            let same = a.rule_id == b.rule_id
                && a.location == b.location
                && a.pointer == b.pointer
                && a.message == b.message;
            if same {
                for e in a.environments.drain(..) {
                    if !b.environments.contains(&e) {
                        b.environments.push(e);
                    }
                }
                b.environments.sort_by(|x, y| {
                    (x != "default", x.as_str()).cmp(&(y != "default", y.as_str()))
                });
            }
            same
        });
        diagnostics.sort();
        diagnostics.dedup();
        let mut sources = BTreeMap::new();
        let used = findings
            .iter()
            .flat_map(|f| {
                std::iter::once(&f.location.path).chain(f.related.iter().map(|r| &r.location.path))
            })
            .chain(
                diagnostics
                    .iter()
                    .filter_map(|d| d.location.as_ref().map(|l| &l.path)),
            );
        for path in used {
            if let Some(src) = files.get(path) {
                sources.insert(path.clone(), Arc::clone(src));
            }
        }
        Report {
            profile,
            findings,
            diagnostics,
            stats,
            sources,
            baseline_absent: None,
            active_rules: BTreeSet::new(),
            timings: None,
        }
    }

    /// Whether a finding that counts (not suppressed, not known from the baseline) is at or
    /// above `threshold`.
    pub fn blocks(&self, threshold: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| f.counts() && f.severity <= threshold)
    }

    /// The diagnostics that say an input (or part of it) was not judged: a file that does not
    /// parse, a chart that does not render, a rule that failed on it.
    pub fn unjudged(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.level == DiagnosticLevel::Error)
    }
}
