//! The pages of the catalogue: one per rule (`docs/rules/<name>.md`, quoting the rule's first
//! failing and passing fixtures), the rule index (`docs/rules/README.md`) and the requirement
//! table (`docs/requirements.md`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cct_engine::catalogue::{Automation, Catalogue, Relation, Rule};
use cct_engine::vocab::Profile;

use crate::generate::Generated;

/// The pages of the rules, their index and the requirement table.
pub(crate) fn generate(root: &Path, catalogue: &Catalogue) -> Vec<Generated> {
    let mut out: Vec<Generated> = catalogue
        .rules
        .iter()
        .map(|rule| Generated {
            path: PathBuf::from(format!("docs/rules/{}.md", rule.spec.name)),
            text: rule_page(catalogue, rule, &examples(root, &rule.spec.id)),
        })
        .collect();
    out.push(Generated {
        path: PathBuf::from("docs/rules/README.md"),
        text: rules_index(catalogue),
    });
    out.push(Generated {
        path: PathBuf::from("docs/requirements.md"),
        text: requirements_page(catalogue),
    });
    out
}

/// A fixture quoted in a rule's page.
#[derive(Debug, Clone)]
struct Example {
    /// Path of the fixture, relative to the repository.
    path: String,
    /// Whether it is a failing example.
    fails: bool,
    /// Its text.
    text: String,
}

/// The first failing and the first passing fixture file of a rule (folder cases aside).
fn examples(root: &Path, id: &str) -> Vec<Example> {
    let mut out = Vec::new();
    for (sub, fails) in [("fail", true), ("pass", false)] {
        let dir = root.join("fixtures/rules").join(id).join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        if let Some(f) = files.first() {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let path = f
                .strip_prefix(root)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Example { path, fails, text });
        }
    }
    out
}

fn fence_lang(path: &str) -> &'static str {
    if path.ends_with(".yaml") || path.ends_with(".yml") {
        "yaml"
    } else if path.ends_with(".json") {
        "json"
    } else {
        "dockerfile"
    }
}

/// The page of one rule.
fn rule_page(catalogue: &Catalogue, rule: &Rule, examples: &[Example]) -> String {
    let s = &rule.spec;
    let mut out = String::new();
    let _ = writeln!(out, "# {} · `{}`\n", s.id, s.name);
    let _ = writeln!(out, "> {}\n>\n> *{}*\n", s.title.en, s.title.fr);
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Level | {} |", s.level.as_str());
    let _ = writeln!(out, "| Default severity | {} |", s.severity.as_str());
    for e in &s.escalation {
        let _ = writeln!(
            out,
            "| Under profile {} | {}{} |",
            profile_list(&e.profiles),
            e.severity.as_str(),
            e.blocking
                .as_ref()
                .map(|b| format!(" (refused at admission: `{b}`)"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(out, "| Profiles | {} |", profile_list(&s.profiles));
    if let Some(c) = &s.confidence {
        let _ = writeln!(out, "| Confidence | {c} |");
    }
    let _ = writeln!(
        out,
        "| Checks | {} (`{}`) |",
        s.select.subject,
        match (s.check.schema.is_some(), s.check.rego.is_some()) {
            (true, true) => "json-schema, rego",
            (false, true) => "rego",
            _ => "json-schema",
        }
    );
    let _ = writeln!(
        out,
        "| Since | {} ({:?}) |",
        s.since.as_deref().unwrap_or("—"),
        s.status
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "## Requirements\n");
    for link in &s.requirements {
        let relation = match link.relation() {
            Relation::Primary => "implements",
            Relation::Supporting => "supports",
        };
        match catalogue.requirement(link.uid()) {
            Some(r) => {
                let _ = writeln!(
                    out,
                    "- {relation} **{}** ({}): {}",
                    r.uid,
                    r.level.as_str(),
                    r.summary.en
                );
            }
            None => {
                let _ = writeln!(out, "- {relation} **{}**", link.uid());
            }
        }
    }
    if s.requirements.is_empty() {
        let _ = writeln!(
            out,
            "- none: a rule of the Cloud π Native platform's admission policies"
        );
    }
    let _ = writeln!(out, "\n## Why\n\n{}\n", s.rationale.en.trim());
    let _ = writeln!(out, "## How to fix\n\n{}\n", s.remediation.en.trim());
    if !s.params.is_empty() {
        let _ = writeln!(out, "## Parameters\n\n| name | default |\n|---|---|");
        for (k, v) in &s.params {
            let _ = writeln!(out, "| `{k}` | `{}` |", v.to_string().replace('|', "\\|"));
        }
        let _ = writeln!(out);
    }
    if !s.sources.is_empty() {
        let _ = writeln!(out, "## Equivalent checks in other tools\n");
        for (tool, ids) in &s.sources {
            let _ = writeln!(out, "- {tool}: {}", ids.join(", "));
        }
        let _ = writeln!(out);
    }
    for (fails, heading) in [(true, "Failing examples"), (false, "Passing examples")] {
        let chosen: Vec<&Example> = examples.iter().filter(|e| e.fails == fails).collect();
        if chosen.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {heading}\n");
        for e in chosen {
            let _ = writeln!(
                out,
                "`{}`\n\n```{}\n{}\n```\n",
                e.path,
                fence_lang(&e.path),
                e.text.trim_end()
            );
        }
    }
    let _ = writeln!(out, "## En français\n");
    let _ = writeln!(out, "### Pourquoi\n\n{}\n", s.rationale.fr.trim());
    let _ = writeln!(out, "### Comment corriger\n\n{}", s.remediation.fr.trim());
    out
}

/// The index of the rules.
fn rules_index(catalogue: &Catalogue) -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the catalogue (`rules/`); do not edit by hand.\n\n| id | name | level | severity | requirements | title |\n|---|---|---|---|---|---|\n",
    );
    for r in &catalogue.rules {
        let s = &r.spec;
        let _ = writeln!(
            out,
            "| {} | [`{}`]({}.md) | {} | {} | {} | {} |",
            s.id,
            s.name,
            s.name,
            s.level.as_str(),
            s.severity.as_str(),
            s.requirements
                .iter()
                .map(|l| l.uid())
                .collect::<Vec<_>>()
                .join(", "),
            s.title.en
        );
    }
    out
}

/// The table of the 55 requirements: level, automation, rules, evidence to ask for.
fn requirements_page(catalogue: &Catalogue) -> String {
    let mut out = format!(
        "# CCT requirements\n\nGenerated from `rules/requirements.yaml` (CCT list version {}); do not edit by hand.\n\n| uid | level | category | automation | rules | summary |\n|---|---|---|---|---|---|\n",
        catalogue.source.version
    );
    for r in &catalogue.requirements {
        let rules: Vec<String> = catalogue
            .rules_for(&r.uid)
            .iter()
            .map(|rule| format!("[{}](rules/{}.md)", rule.spec.id, rule.spec.name))
            .collect();
        let automation = match r.automation {
            Automation::Automated => "automated",
            Automation::Partial => "partial",
            Automation::Manual => "manual",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {automation} | {} | {} |",
            r.uid,
            r.level.as_str(),
            r.category.as_deref().unwrap_or("—"),
            if rules.is_empty() {
                "—".to_string()
            } else {
                rules.join(" ")
            },
            r.summary.en
        );
    }
    let _ = writeln!(out, "\n## Evidence an auditor asks for\n");
    for r in &catalogue.requirements {
        if let Some(ev) = &r.evidence {
            let _ = writeln!(out, "### {}\n", r.uid);
            for item in &ev.en {
                let _ = writeln!(out, "- {item}");
            }
            let _ = writeln!(out);
        }
    }
    out
}

fn profile_list(profiles: &[Profile]) -> String {
    profiles
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
