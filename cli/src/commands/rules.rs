//! `cct rules`: list the rules of the catalogue, as a table, JSON or Markdown.

use std::io::Write;
use std::process::ExitCode;

use cct::{ListFormat, RulesArgs};
use cct_engine::catalogue::Rule;
use serde_json::{json, Value};

use super::{catalogue, env_lang, markdown_cell};

/// Print the rules in the format asked for.
pub(crate) fn run(args: RulesArgs) -> anyhow::Result<ExitCode> {
    let lang = args.common.lang.unwrap_or_else(env_lang);
    let catalogue = catalogue(&args.common)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Table => {
            for r in &catalogue.rules {
                writeln!(
                    out,
                    "{:<13} {:<5} {:<8} {:<42} {}",
                    r.spec.id,
                    r.spec.level.as_str(),
                    r.spec.severity.as_str(),
                    r.spec.name,
                    r.spec.title.get(lang)
                )?;
            }
        }
        ListFormat::Json => {
            let rules: Vec<Value> = catalogue.rules.iter().map(|r| to_json(r)).collect();
            serde_json::to_writer_pretty(&mut out, &rules)?;
            writeln!(out)?;
        }
        ListFormat::Markdown => {
            let (rule, level, severity, requirements, title) = if lang == cct_engine::Lang::Fr {
                ("Règle", "Niveau", "Gravité", "Exigences", "Titre")
            } else {
                ("Rule", "Level", "Severity", "Requirements", "Title")
            };
            writeln!(
                out,
                "| {rule} | {level} | {severity} | {requirements} | {title} |"
            )?;
            writeln!(out, "|---|---|---|---|---|")?;
            for r in &catalogue.rules {
                writeln!(
                    out,
                    "| `{}` ({}) | {} | {} | {} | {} |",
                    r.spec.id,
                    markdown_cell(&r.spec.name),
                    r.spec.level.as_str(),
                    r.spec.severity.as_str(),
                    r.requirement_uids().join(", "),
                    markdown_cell(r.spec.title.get(lang))
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One rule as JSON: what identifies it, what it implements, its titles in both languages.
fn to_json(r: &Rule) -> Value {
    let s = &r.spec;
    json!({
        "id": s.id,
        "name": s.name,
        "level": s.level.as_str(),
        "severity": s.severity.as_str(),
        "status": s.status,
        "profiles": s.profiles,
        "requirements": s.requirements.iter().map(|l| json!({
            "uid": l.uid(),
            "relation": l.relation(),
        })).collect::<Vec<_>>(),
        "subject": s.select.subject.to_string(),
        "title": {"en": s.title.get(cct_engine::Lang::En), "fr": s.title.get(cct_engine::Lang::Fr)},
        "user": r.user,
        "help_uri": r.help_uri(),
    })
}
