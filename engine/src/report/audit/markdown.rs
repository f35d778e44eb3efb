//! The audit in Markdown.

use std::io::Write;

use super::{evidence, header, severity_text, t, Audit, Status};
use crate::catalogue::Catalogue;
use crate::report::{RenderOptions, Report};

/// Escape the characters Markdown tables and emphasis would read.
fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub(crate) fn render(
    report: &Report,
    catalogue: &Catalogue,
    options: RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let lang = options.lang;
    let audit = Audit::of(report, catalogue);
    writeln!(
        out,
        "# {}\n",
        t(
            lang,
            "CCT Cloud π Native audit",
            "Audit du CCT Cloud π Native"
        )
    )?;
    writeln!(out, "{}\n", header(report, catalogue, options))?;

    writeln!(out, "## {}\n", t(lang, "Summary", "Synthèse"))?;
    writeln!(
        out,
        "| {} | {} |\n|---|---|",
        t(lang, "requirements", "exigences"),
        t(lang, "count", "nombre")
    )?;
    for (status, n) in audit.totals() {
        writeln!(out, "| {} | {n} |", status.text().get(lang))?;
    }
    let counting = report.findings.iter().filter(|f| f.counts()).count();
    let suppressed = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .count();
    writeln!(
        out,
        "\n{counting} {}, {suppressed} {}.\n",
        t(lang, "finding(s)", "constat(s)"),
        t(lang, "under derogation", "sous dérogation")
    )?;

    writeln!(out, "### {}\n", t(lang, "By category", "Par catégorie"))?;
    write!(out, "| {} |", t(lang, "category", "catégorie"))?;
    for s in Status::ALL {
        write!(out, " {} |", s.text().get(lang))?;
    }
    writeln!(out, "\n|---|---|---|---|---|")?;
    for (name, counts) in audit.by_category(lang) {
        write!(out, "| {} |", md(&name))?;
        for s in Status::ALL {
            write!(out, " {} |", counts.get(&s).copied().unwrap_or(0))?;
        }
        writeln!(out)?;
    }
    writeln!(out)?;

    let unjudged: Vec<_> = report.unjudged().collect();
    if !unjudged.is_empty() {
        writeln!(
            out,
            "## {}\n",
            t(
                lang,
                "Inputs that could not be judged",
                "Entrées qui n'ont pas pu être jugées"
            )
        )?;
        for d in unjudged {
            let at = d
                .location
                .as_ref()
                .map(|l| format!("`{}:{}`", l.path, l.start.line))
                .unwrap_or_default();
            writeln!(out, "- {at} `{}`: {}", d.code, md(d.message.get(lang)))?;
        }
        writeln!(out)?;
    }

    writeln!(out, "## {}\n", t(lang, "Requirements", "Exigences"))?;
    for row in &audit.rows {
        writeln!(
            out,
            "### {} ({}) — {}\n",
            row.req.uid,
            row.req.level.as_str(),
            row.status.text().get(lang)
        )?;
        writeln!(out, "{}\n", md(row.req.summary.get(lang)))?;
        if !row.rules.is_empty() {
            let rules: Vec<String> = row
                .rules
                .iter()
                .map(|(r, primary, ran)| {
                    let mut s = format!("`{}` {}", r.spec.id, r.spec.name);
                    if !primary {
                        s.push_str(t(lang, " (supporting)", " (en appui)"));
                    }
                    if !ran {
                        s.push_str(t(lang, " (not run)", " (non exécutée)"));
                    }
                    s
                })
                .collect();
            writeln!(
                out,
                "{}: {}\n",
                t(lang, "Rules", "Règles"),
                rules.join(", ")
            )?;
        }
        for (path, findings) in &row.findings {
            writeln!(out, "- `{path}`")?;
            for f in findings {
                writeln!(
                    out,
                    "  - {}:{} {} `{}` {}",
                    f.location.start.line,
                    f.location.start.column,
                    severity_text(f.severity, lang),
                    f.rule_id,
                    md(f.message.get(lang))
                )?;
            }
        }
        if !row.findings.is_empty() {
            writeln!(out)?;
        }
        if row.known > 0 {
            writeln!(
                out,
                "{} {}\n",
                row.known,
                t(
                    lang,
                    "known finding(s) (baseline).",
                    "constat(s) connu(s) (référence)."
                )
            )?;
        }
        if !row.suppressed.is_empty() {
            writeln!(out, "{}:\n", t(lang, "Under derogation", "Sous dérogation"))?;
            for f in &row.suppressed {
                if let Some(s) = &f.suppression {
                    let mut extra = Vec::new();
                    if let Some(e) = &s.expires {
                        extra.push(format!("{} {e}", t(lang, "until", "jusqu'au")));
                    }
                    if let Some(r) = &s.reference {
                        extra.push(r.clone());
                    }
                    let extra = if extra.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", extra.join(", "))
                    };
                    writeln!(
                        out,
                        "- `{}:{}` `{}` {} — {}: {}{extra}",
                        f.location.path,
                        f.location.start.line,
                        f.rule_id,
                        md(f.message.get(lang)),
                        t(lang, "reason", "raison"),
                        md(&s.justification)
                    )?;
                }
            }
            writeln!(out)?;
        }
        let ev = evidence(row.req, lang);
        if !ev.is_empty() && matches!(row.status, Status::Manual | Status::Partial) {
            writeln!(
                out,
                "{}:\n",
                t(lang, "Evidence to ask for", "Preuves à demander")
            )?;
            for e in ev {
                writeln!(out, "- {}", md(e))?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}
