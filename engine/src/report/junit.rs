//! JUnit XML (`artifacts:reports:junit`): one test suite per rule that ran, one test case per
//! file it found something in (a failure per finding that counts; suppressed or known findings
//! are skipped), and one passing case for a rule that found nothing.

use std::collections::BTreeMap;
use std::io::Write;

use super::{RenderOptions, Report};
use crate::catalogue::Catalogue;
use crate::vocab::{BaselineState, Finding};

/// Escape text for XML attributes and content.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('?'),
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
    // Rule → file → findings.
    let mut by_rule: BTreeMap<&str, BTreeMap<&str, Vec<&Finding>>> = BTreeMap::new();
    for id in &report.active_rules {
        by_rule.entry(id.as_str()).or_default();
    }
    for f in &report.findings {
        by_rule
            .entry(f.rule_id.as_str())
            .or_default()
            .entry(f.location.path.as_str())
            .or_default()
            .push(f);
    }
    let mut suites = String::new();
    let (mut total_tests, mut total_failures, mut total_skipped) = (0usize, 0usize, 0usize);
    for (rule_id, files) in &by_rule {
        let title = catalogue
            .rule(rule_id)
            .map(|r| format!("{} {}", rule_id, r.spec.name))
            .unwrap_or_else(|| rule_id.to_string());
        let mut cases = String::new();
        let (mut tests, mut failures, mut skipped) = (0usize, 0usize, 0usize);
        if files.is_empty() {
            tests += 1;
            cases.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"no finding\"/>\n",
                xml(rule_id)
            ));
        }
        for (path, findings) in files {
            tests += 1;
            let counting: Vec<&&Finding> = findings.iter().filter(|f| f.counts()).collect();
            cases.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\">\n",
                xml(rule_id),
                xml(path),
                xml(path)
            ));
            if counting.is_empty() {
                skipped += 1;
                let why: Vec<String> = findings
                    .iter()
                    .map(|f| match (&f.suppression, f.baseline) {
                        (Some(s), _) => format!("derogation: {}", s.justification),
                        (None, Some(BaselineState::Unchanged)) => "in the baseline".to_string(),
                        _ => String::new(),
                    })
                    .collect();
                cases.push_str(&format!(
                    "      <skipped message=\"{}\"/>\n",
                    xml(&why.join("; "))
                ));
            } else {
                failures += 1;
                let first = counting[0];
                let body: Vec<String> = counting
                    .iter()
                    .map(|f| {
                        format!(
                            "{}:{}:{}: {} [{}] {}",
                            f.location.path,
                            f.location.start.line,
                            f.location.start.column,
                            f.severity.as_str(),
                            f.rule_id,
                            f.message.get(options.lang)
                        )
                    })
                    .collect();
                cases.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    first.severity.as_str(),
                    xml(first.message.get(options.lang)),
                    xml(&body.join("\n"))
                ));
            }
            cases.push_str("    </testcase>\n");
        }
        total_tests += tests;
        total_failures += failures;
        total_skipped += skipped;
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{cases}  </testsuite>\n",
            xml(&title)
        ));
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cct\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\" skipped=\"{total_skipped}\">\n{suites}</testsuites>\n"
    )
}
