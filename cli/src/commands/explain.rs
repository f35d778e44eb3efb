//! `cct explain`: a rule (by id or name) or a requirement, explained in the user's language:
//! why it exists, and how to fix a finding, with the rule's own fixed example.

use std::io::Write;
use std::process::ExitCode;

use cct::ExplainArgs;
use cct_engine::catalogue::{Catalogue, Relation, Requirement, Rule};
use cct_engine::Lang;

use super::requirements::automation;
use super::{catalogue, env_lang};

/// Print the explanation; an unknown rule or requirement is a usage error.
pub(crate) fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let lang = args.common.lang.unwrap_or_else(env_lang);
    let catalogue = catalogue(&args.common)?;
    let what = args.what.trim();
    let mut out = std::io::stdout().lock();
    if let Some(rule) = catalogue.rule(what).or_else(|| {
        catalogue
            .rules
            .iter()
            .find(|r| r.spec.id.eq_ignore_ascii_case(what))
    }) {
        explain_rule(&mut out, &catalogue, rule, lang)?;
    } else if let Some(req) = requirement(&catalogue, what) {
        explain_requirement(&mut out, &catalogue, req, lang)?;
    } else {
        anyhow::bail!(
            "{}",
            t(
                lang,
                &format!("`{what}` is neither a rule (id or name) nor a requirement: see `cct rules` and `cct requirements`"),
                &format!("`{what}` n'est ni une règle (identifiant ou nom) ni une exigence : voir `cct rules` et `cct requirements`"),
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn t<'a>(lang: Lang, en: &'a str, fr: &'a str) -> &'a str {
    match lang {
        Lang::Fr => fr,
        _ => en,
    }
}

/// A requirement by uid, alias or the id printed in the CCT (case-insensitive).
fn requirement<'a>(catalogue: &'a Catalogue, what: &str) -> Option<&'a Requirement> {
    catalogue.requirement(what).or_else(|| {
        catalogue.requirements.iter().find(|r| {
            r.uid.eq_ignore_ascii_case(what)
                || r.source_id.eq_ignore_ascii_case(what)
                || r.aliases.iter().any(|a| a.eq_ignore_ascii_case(what))
        })
    })
}

fn explain_rule(
    out: &mut impl Write,
    catalogue: &Catalogue,
    rule: &Rule,
    lang: Lang,
) -> std::io::Result<()> {
    let s = &rule.spec;
    writeln!(out, "{} ({}): {}", s.id, s.name, s.title.get(lang))?;
    writeln!(
        out,
        "{} {}, {} {}, {} {}",
        t(lang, "level", "niveau"),
        s.level.as_str(),
        t(lang, "severity", "gravité"),
        s.severity.as_str(),
        t(lang, "profiles", "profils"),
        s.profiles
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    if !s.requirements.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", t(lang, "Requirements:", "Exigences :"))?;
        for link in &s.requirements {
            let relation = match link.relation() {
                Relation::Primary => t(lang, "implements", "implémente"),
                Relation::Supporting => t(lang, "supports", "contribue à"),
            };
            let summary = catalogue
                .requirement(link.uid())
                .map(|r| r.summary.get(lang))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} ({relation}){} {summary}",
                link.uid(),
                t(lang, ":", " :")
            )?;
        }
    }
    section(out, t(lang, "Why:", "Pourquoi :"), s.rationale.get(lang))?;
    section(
        out,
        t(lang, "How to fix:", "Comment corriger :"),
        s.remediation.get(lang),
    )?;
    if let Some(uri) = rule.help_uri() {
        writeln!(out)?;
        writeln!(out, "{} {uri}", t(lang, "See", "Voir"))?;
    }
    Ok(())
}

fn section(out: &mut impl Write, title: &str, text: &str) -> std::io::Result<()> {
    let text = text.trim_end();
    if text.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{title}")?;
    for line in text.lines() {
        if line.is_empty() {
            writeln!(out)?;
        } else {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

fn explain_requirement(
    out: &mut impl Write,
    catalogue: &Catalogue,
    req: &Requirement,
    lang: Lang,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} ({}, {}): {}",
        req.uid,
        req.level.as_str(),
        automation(req.automation),
        req.summary.get(lang)
    )?;
    let rules = catalogue.rules_for(&req.uid);
    if let Some(evidence) = &req.evidence {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            t(
                lang,
                "Evidence to ask for (a human judges it):",
                "Preuves à demander (un humain en juge) :"
            )
        )?;
        let items = match lang {
            Lang::Fr => &evidence.fr,
            _ => &evidence.en,
        };
        for item in items {
            writeln!(out, "  - {item}")?;
        }
    }
    if rules.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            t(
                lang,
                "No rule judges it from the repository's files.",
                "Aucune règle n'en juge à partir des fichiers du dépôt."
            )
        )?;
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", t(lang, "Rules:", "Règles :"))?;
    for r in &rules {
        writeln!(
            out,
            "  {} ({}): {}",
            r.spec.id,
            r.spec.name,
            r.spec.title.get(lang)
        )?;
    }
    // How to fix what the rules that implement it find.
    for r in rules.iter().filter(|r| {
        r.spec
            .requirements
            .iter()
            .any(|l| l.uid() == req.uid && l.relation() == Relation::Primary)
    }) {
        section(
            out,
            &format!(
                "{} {}{}",
                t(lang, "How to fix", "Comment corriger"),
                r.spec.id,
                t(lang, ":", " :")
            ),
            r.spec.remediation.get(lang),
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        t(
            lang,
            "`cct explain <rule>` tells why each rule exists.",
            "`cct explain <règle>` dit pourquoi chaque règle existe."
        )
    )?;
    Ok(())
}
