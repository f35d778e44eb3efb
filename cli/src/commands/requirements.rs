//! `cct requirements`: the rows of the CCT, how a tool judges each, its rules, and for the rows a
//! human must judge the evidence to ask for.

use std::io::Write;
use std::process::ExitCode;

use cct::{ListFormat, RequirementsArgs};
use cct_engine::catalogue::{Automation, Catalogue, Requirement};
use cct_engine::Lang;
use serde_json::{json, Value};

use super::{catalogue, env_lang, markdown_cell};

/// Print the requirements in the format asked for.
pub(crate) fn run(args: RequirementsArgs) -> anyhow::Result<ExitCode> {
    let lang = args.common.lang.unwrap_or_else(env_lang);
    let catalogue = catalogue(&args.common)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Table => {
            for req in &catalogue.requirements {
                let rules = rule_ids(&catalogue, req).join(", ");
                writeln!(
                    out,
                    "{:<12} {:<2} {:<9} {:<28} {}",
                    req.uid,
                    req.level.as_str(),
                    automation(req.automation),
                    if rules.is_empty() { "-" } else { &rules },
                    req.summary.get(lang)
                )?;
            }
        }
        ListFormat::Json => {
            let rows: Vec<Value> = catalogue
                .requirements
                .iter()
                .map(|req| to_json(&catalogue, req))
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        ListFormat::Markdown => {
            let head = if lang == Lang::Fr {
                "| Exigence | Niveau | Automatisation | Règles | Résumé | Preuves à demander |"
            } else {
                "| Requirement | Level | Automation | Rules | Summary | Evidence to ask for |"
            };
            writeln!(out, "{head}")?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            for req in &catalogue.requirements {
                let evidence = req
                    .evidence
                    .as_ref()
                    .map(|e| {
                        let items = if lang == Lang::Fr { &e.fr } else { &e.en };
                        items
                            .iter()
                            .map(|i| markdown_cell(i))
                            .collect::<Vec<_>>()
                            .join("<br>")
                    })
                    .unwrap_or_default();
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    req.uid,
                    req.level.as_str(),
                    automation(req.automation),
                    rule_ids(&catalogue, req).join(", "),
                    markdown_cell(req.summary.get(lang)),
                    evidence
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The ids of the rules that implement or support a requirement.
fn rule_ids(catalogue: &Catalogue, req: &Requirement) -> Vec<String> {
    catalogue
        .rules_for(&req.uid)
        .iter()
        .map(|r| r.spec.id.clone())
        .collect()
}

/// The automation class as written in `rules/requirements.yaml`.
pub(crate) fn automation(a: Automation) -> &'static str {
    match a {
        Automation::Automated => "automated",
        Automation::Partial => "partial",
        Automation::Manual => "manual",
    }
}

/// One row as JSON.
fn to_json(catalogue: &Catalogue, req: &Requirement) -> Value {
    let rules: Vec<Value> = catalogue
        .rules_for(&req.uid)
        .iter()
        .map(|r| {
            let relation = r
                .spec
                .requirements
                .iter()
                .find(|l| l.uid() == req.uid)
                .map(|l| l.relation());
            json!({"id": r.spec.id, "name": r.spec.name, "relation": relation})
        })
        .collect();
    json!({
        "uid": req.uid,
        "source_id": req.source_id,
        "level": req.level.as_str(),
        "category": req.category,
        "automation": automation(req.automation),
        "summary": {"en": req.summary.get(Lang::En), "fr": req.summary.get(Lang::Fr)},
        "rules": rules,
        "evidence": req.evidence,
    })
}
