//! `cargo xtask new-rule <area> <name>`: a rule file with every required field (placeholders
//! marked TODO, valid in both languages) and a small working check suited to the area, a failing
//! fixture with its inline expectation and a passing one, then the generated pages.

mod area;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use area::{Area, Case, AREAS};

/// Verbs that say nothing of what a rule expects (STYLE.md §6.5).
const VAGUE_VERBS: [&str; 8] = [
    "check", "ensure", "avoid", "prefer", "use", "verify", "validate", "enforce",
];

/// What a scaffold wrote, relative to the root.
#[derive(Debug)]
pub(crate) struct Scaffold {
    pub(crate) id: String,
    pub(crate) rule: PathBuf,
    pub(crate) fail: PathBuf,
    pub(crate) pass: PathBuf,
}

/// Scaffold the rule, then write the generated references (its page among them).
pub(crate) fn run(root: &Path, area: &str, name: &str) -> anyhow::Result<()> {
    let s = scaffold(root, area, name)?;
    println!("{} {name}", s.id);
    for p in [&s.rule, &s.fail, &s.pass] {
        println!("wrote {}", p.display());
    }
    crate::generate::write(root)?;
    println!(
        "next: fill the TODOs of {}, adapt the fixtures, then run \
         `cargo test -p cct-engine --test fixtures` and `cargo xtask gen`",
        s.rule.display()
    );
    Ok(())
}

/// Write the rule and its fixtures under `root` (nothing else).
pub(crate) fn scaffold(root: &Path, area: &str, name: &str) -> anyhow::Result<Scaffold> {
    let Some(area) = area::area(area) else {
        let names: Vec<&str> = AREAS.iter().map(|a| a.folder).collect();
        bail!(
            "unknown area `{area}`: one of {} (the folders of rules/)",
            names.join(", ")
        );
    };
    check_name(area, name)?;
    if let Some(path) = rule_named(root, name)? {
        bail!(
            "a rule named `{name}` exists already: {}",
            path.strip_prefix(root).unwrap_or(&path).display()
        );
    }
    let id = next_id(root, area.id_prefix)?;
    let rule = PathBuf::from(format!("rules/{}/{name}.yaml", area.folder));
    let fixtures = PathBuf::from(format!("fixtures/rules/{id}"));
    let fail = fixtures.join("fail").join(area.example.fail.name);
    let pass = fixtures.join("pass").join(area.example.pass.name);
    for p in [&rule, &fixtures] {
        if root.join(p).exists() {
            bail!("{} exists already", p.display());
        }
    }
    write_file(&root.join(&rule), &rule_text(area, &id, name))?;
    write_case(&root.join(&fail), &area.example.fail, &id)?;
    write_case(&root.join(&pass), &area.example.pass, &id)?;
    Ok(Scaffold {
        id,
        rule,
        fail,
        pass,
    })
}

/// A name is kebab-case `<domain>-<subject>-<property>`, in the area's domain, and states what
/// is expected rather than a vague verb.
fn check_name(area: &Area, name: &str) -> anyhow::Result<()> {
    let example = format!("`{}`", area.good_name);
    let words: Vec<&str> = name.split('-').collect();
    let kebab = words.iter().all(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    }) && name.starts_with(|c: char| c.is_ascii_lowercase());
    if !kebab {
        bail!(
            "`{name}` is not kebab-case: lowercase words of letters and digits joined by `-`, \
             such as {example} (STYLE.md §6.5)"
        );
    }
    if words[0] != area.domain {
        bail!(
            "a rule of rules/{} is named `{}-<subject>-<property>`, such as {example}; \
             `{name}` does not start with `{}-` (STYLE.md §6.5)",
            area.folder,
            area.domain,
            area.domain
        );
    }
    if words.len() < 3 {
        bail!(
            "`{name}` is too short: `{}-<subject>-<property>` names what is looked at and what \
             is expected, such as {example} (STYLE.md §6.5)",
            area.domain
        );
    }
    if VAGUE_VERBS.contains(&words[1]) {
        bail!(
            "`{name}`: `{}` is a vague verb; name what is expected instead, such as {example} \
             (STYLE.md §6.5)",
            words[1]
        );
    }
    Ok(())
}

/// The rule files under `rules/`, recursively, sorted.
fn rule_files(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("rules")];
    while let Some(dir) = stack.pop() {
        let rd =
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for e in rd {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The value of a top-level `key: value` line of a rule file.
fn top_level<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        l.strip_prefix(key)?.strip_prefix(':').map(|v| {
            v.split(" #")
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\''])
        })
    })
}

/// The file of the rule with this name, if any.
fn rule_named(root: &Path, name: &str) -> anyhow::Result<Option<PathBuf>> {
    for p in rule_files(root)? {
        let text = std::fs::read_to_string(&p)?;
        if top_level(&text, "name") == Some(name) || p.file_stem().is_some_and(|s| s == name) {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

/// The next id of a prefix: one above every id of the prefix that a rule file or a fixture folder
/// holds (numbers are never reused, so a gap is not filled).
fn next_id(root: &Path, prefix: &str) -> anyhow::Result<String> {
    let mut taken = Vec::new();
    for p in rule_files(root)? {
        let text = std::fs::read_to_string(&p)?;
        if let Some(id) = top_level(&text, "id") {
            taken.push(id.to_string());
        }
    }
    if let Ok(rd) = std::fs::read_dir(root.join("fixtures/rules")) {
        taken.extend(
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string()),
        );
    }
    let max = taken
        .iter()
        .filter_map(|id| id.strip_prefix(prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    if max >= 999 {
        bail!("no number left after {prefix}{max}");
    }
    Ok(format!("{prefix}{:03}", max + 1))
}

/// The text of the rule file.
fn rule_text(area: &Area, id: &str, name: &str) -> String {
    let e = &area.example;
    let profiles: Vec<&str> = area.profiles.iter().map(|p| p.as_str()).collect();
    format!(
        "\
# TODO: fill every field marked TODO and replace the example check, then run
# `cargo test -p cct-engine --test fixtures` and `cargo xtask gen` (docs/rule-format.md).
id: {id}
name: {name}
status: preview
since: {version}
requirements: []                   # TODO: the CCT requirement uids (rules/requirements.yaml)
level: none                        # TODO: P | I, the strongest level among primary requirements
severity: warning                  # TODO: error | warning | note, before profile escalation
profiles: [{profiles}]
tags: [{tags}]                           # TODO
sources: {{}}                        # TODO: equivalent checks of other tools
sensitive: false
title:
  en: \"{title_en}\"
  fr: \"{title_fr}\"
message:
  en: \"{message_en}\"
  fr: \"{message_fr}\"
rationale:
  en: |
    TODO: why it matters, and which requirement the rule serves.
  fr: |
    TODO : pourquoi c'est important, et quelle exigence la règle sert.
remediation:
  en: |
    TODO: how to fix it, with a corrected snippet.
  fr: |
    TODO : comment corriger, avec un extrait corrigé.
select: {select}
params: {{}}
check:
  schema:
    $schema: https://json-schema.org/draft/2020-12/schema
    type: object
{schema}",
        version = env!("CARGO_PKG_VERSION"),
        profiles = profiles.join(", "),
        // The Pod Security controls are told apart by this tag (reports group them).
        tags = if area.folder == "pss" {
            "pod-security"
        } else {
            ""
        },
        title_en = e.title.0,
        title_fr = e.title.1,
        message_en = e.message.0,
        message_fr = e.message.1,
        select = e.select,
        schema = e.schema,
    )
}

/// Write a fixture (a file, or the files of a folder), its expectations naming the rule's id.
fn write_case(path: &Path, case: &Case, id: &str) -> anyhow::Result<()> {
    for (file, text) in case.files {
        let target = if file.is_empty() {
            path.to_path_buf()
        } else {
            path.join(file)
        };
        write_file(&target, &text.replace("{id}", id))?;
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests;
