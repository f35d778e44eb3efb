//! The audit report: for every requirement of the CCT, whether the repository meets it, breaks
//! it, is only partly checked by a tool, or must be checked by hand (with the evidence to ask
//! for), its findings grouped by file, and its derogations with their reasons; in Markdown, or
//! as one self-contained HTML page (a chart per category, filters, printable).

mod html;
mod markdown;

use std::collections::BTreeMap;

use super::{RenderOptions, Report};
use crate::catalogue::{Automation, Catalogue, Relation, Requirement, Rule};
use crate::vocab::{BaselineState, Finding, Lang, Severity, Text};

pub(super) use html::render as html;
pub(super) use markdown::render as markdown;

/// How a requirement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    /// A rule that implements it reports an error that counts.
    Broken,
    /// Judged by its rules, and none reports an error.
    Met,
    /// Judged by heuristics, or in part: the rest needs evidence.
    Partial,
    /// Only a person can judge it, from evidence.
    Manual,
}

impl Status {
    const ALL: [Status; 4] = [Status::Met, Status::Broken, Status::Partial, Status::Manual];

    fn key(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Broken => "broken",
            Status::Partial => "partial",
            Status::Manual => "manual",
        }
    }

    fn text(self) -> Text {
        match self {
            Status::Met => Text::new("met", "respectée"),
            Status::Broken => Text::new("broken", "non respectée"),
            Status::Partial => Text::new("partly checked", "vérifiée en partie"),
            Status::Manual => Text::new("to check by hand", "à vérifier à la main"),
        }
    }
}

/// One requirement in the audit.
struct Row<'a> {
    req: &'a Requirement,
    status: Status,
    /// The rules linked to it: (rule, primary, ran).
    rules: Vec<(&'a Rule, bool, bool)>,
    /// Findings that count, by file.
    findings: BTreeMap<&'a str, Vec<&'a Finding>>,
    /// Findings under derogation.
    suppressed: Vec<&'a Finding>,
    /// Findings known from the baseline.
    known: usize,
}

/// The audit of a report.
struct Audit<'a> {
    rows: Vec<Row<'a>>,
}

impl<'a> Audit<'a> {
    fn of(report: &'a Report, catalogue: &'a Catalogue) -> Audit<'a> {
        let mut rows = Vec::new();
        for req in &catalogue.requirements {
            let rules: Vec<(&Rule, bool, bool)> = catalogue
                .rules_for(&req.uid)
                .into_iter()
                .map(|r| {
                    let primary = r
                        .spec
                        .requirements
                        .iter()
                        .any(|l| l.uid() == req.uid && l.relation() == Relation::Primary);
                    (&**r, primary, report.active_rules.contains(&r.spec.id))
                })
                .collect();
            let mut findings: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
            let mut suppressed = Vec::new();
            let mut known = 0;
            for f in report
                .findings
                .iter()
                .filter(|f| f.requirements.contains(&req.uid))
            {
                if f.suppression.is_some() {
                    suppressed.push(f);
                } else if f.baseline == Some(BaselineState::Unchanged) {
                    known += 1;
                } else {
                    findings
                        .entry(f.location.path.as_str())
                        .or_default()
                        .push(f);
                }
            }
            let primary_error = findings.values().flatten().any(|f| {
                f.severity == Severity::Error
                    && rules
                        .iter()
                        .any(|(r, primary, _)| *primary && r.spec.id == f.rule_id)
            });
            let primary_ran = rules.iter().any(|(_, primary, ran)| *primary && *ran);
            let status = match req.automation {
                Automation::Manual => Status::Manual,
                _ if primary_error => Status::Broken,
                Automation::Automated if primary_ran => Status::Met,
                _ => Status::Partial,
            };
            rows.push(Row {
                req,
                status,
                rules,
                findings,
                suppressed,
                known,
            });
        }
        Audit { rows }
    }

    /// How many requirements have each status.
    fn totals(&self) -> BTreeMap<Status, usize> {
        let mut t = BTreeMap::new();
        for s in Status::ALL {
            t.insert(s, 0);
        }
        for r in &self.rows {
            *t.entry(r.status).or_default() += 1;
        }
        t
    }

    /// The same, per category (in the order of the requirement list).
    fn by_category(&self, lang: Lang) -> Vec<(String, BTreeMap<Status, usize>)> {
        let mut out: Vec<(String, BTreeMap<Status, usize>)> = Vec::new();
        for r in &self.rows {
            let name = r.req.category.clone().unwrap_or_else(|| {
                Text::new("(no category)", "(sans catégorie)")
                    .get(lang)
                    .to_string()
            });
            let pos = match out.iter().position(|(n, _)| *n == name) {
                Some(p) => p,
                None => {
                    out.push((name, Status::ALL.iter().map(|s| (*s, 0)).collect()));
                    out.len() - 1
                }
            };
            *out[pos].1.entry(r.status).or_default() += 1;
        }
        out
    }
}

/// Words of the audit, in the report's language.
fn t(lang: Lang, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// A severity in the report's language.
fn severity_text(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Error => t(lang, "error", "erreur"),
        Severity::Warning => t(lang, "warning", "avertissement"),
        Severity::Note => t(lang, "note", "note"),
    }
}

/// The evidence an auditor asks for, when the row has some.
fn evidence(req: &Requirement, lang: Lang) -> Vec<&str> {
    req.evidence
        .as_ref()
        .map(|e| match lang {
            Lang::En => e.en.iter().map(String::as_str).collect(),
            Lang::Fr => e.fr.iter().map(String::as_str).collect(),
        })
        .unwrap_or_default()
}

/// What the header of both renderings says.
fn header(report: &Report, catalogue: &Catalogue, options: RenderOptions) -> String {
    format!(
        "{} {} · {} {} · {} {}",
        t(options.lang, "Profile", "Profil"),
        report.profile,
        t(options.lang, "cct", "cct"),
        super::VERSION,
        t(options.lang, "CCT list", "liste du CCT"),
        catalogue.source.version
    )
}
