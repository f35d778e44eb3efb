//! Every generated reference, computed in memory, then written (`gen`) or compared with what is
//! on disk (`gen --check`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use cct_engine::{Catalogue, CatalogueBuilder};

use crate::{
    cli_reference, config_schema, diagnostic_table, diff, rule_pages, rule_schema, subject_table,
};

/// The line that ends a failed check.
pub(crate) const REGENERATE: &str = "run `cargo xtask gen` and commit the result";

/// A generated file: its path relative to the repository root, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Generated {
    pub(crate) path: PathBuf,
    pub(crate) text: String,
}

/// What `gen` produces: the files, and the folders whose every file it owns (a file there that
/// it no longer produces, the page of a removed rule, is stale).
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) files: Vec<Generated>,
    pub(crate) owned: Vec<(PathBuf, &'static str)>,
}

/// The catalogue as the working tree holds it: each folder of `rules/` read as a rule folder,
/// so that a rule just written (by `new-rule`) is seen without rebuilding the engine. A rule
/// that does not load is an error: its page would be missing.
pub(crate) fn catalogue(root: &Path) -> anyhow::Result<Catalogue> {
    let rules = root.join("rules");
    let mut builder = CatalogueBuilder::new().without_embedded_rules();
    let mut areas: Vec<PathBuf> = std::fs::read_dir(&rules)
        .with_context(|| format!("cannot read {}", rules.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    areas.sort();
    for area in areas {
        builder = builder.rules_dir(area);
    }
    let catalogue = builder.build()?;
    if !catalogue.diagnostics.is_empty() {
        let problems: Vec<String> = catalogue
            .diagnostics
            .iter()
            .map(|d| {
                let at = d
                    .location
                    .as_ref()
                    .map(|l| format!("{}:{}:{}: ", l.path, l.start.line, l.start.column))
                    .unwrap_or_default();
                format!("{at}{}", d.message.en)
            })
            .collect();
        bail!("the catalogue does not load:\n{}", problems.join("\n"));
    }
    Ok(catalogue)
}

/// Every generated file.
pub(crate) fn plan(root: &Path) -> anyhow::Result<Plan> {
    let catalogue = catalogue(root)?;
    let mut files = rule_pages::generate(root, &catalogue);
    files.push(subject_table::generate(root)?);
    files.push(diagnostic_table::generate());
    files.push(rule_schema::generate(root)?);
    files.push(cli_reference::generate());
    files.push(config_schema::generate()?);
    Ok(Plan {
        files,
        owned: vec![(PathBuf::from("docs/rules"), "md")],
    })
}

/// A generated file that differs from the working tree.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Drift {
    /// Not on disk.
    Missing(PathBuf),
    /// On disk with other text: the path and a diff excerpt.
    Stale(PathBuf, String),
    /// On disk in a generated folder, and no longer generated.
    Extra(PathBuf),
}

/// How the working tree differs from the plan.
pub(crate) fn drift(root: &Path, plan: &Plan) -> Vec<Drift> {
    let mut out = Vec::new();
    let mut wanted = BTreeSet::new();
    for f in &plan.files {
        wanted.insert(f.path.clone());
        match std::fs::read_to_string(root.join(&f.path)) {
            Err(_) => out.push(Drift::Missing(f.path.clone())),
            Ok(current) if current != f.text => out.push(Drift::Stale(
                f.path.clone(),
                diff::excerpt(&current, &f.text, 24),
            )),
            Ok(_) => {}
        }
    }
    for path in owned_files(root, plan) {
        if !wanted.contains(&path) {
            out.push(Drift::Extra(path));
        }
    }
    out
}

/// The files on disk in the folders the plan owns, relative to the root, sorted.
fn owned_files(root: &Path, plan: &Plan) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (dir, ext) in &plan.owned {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_file() && p.extension().is_some_and(|x| x == *ext) {
                out.push(dir.join(e.file_name()));
            }
        }
    }
    out.sort();
    out
}

/// `cargo xtask gen`: write what differs, remove the pages no longer generated.
pub(crate) fn write(root: &Path) -> anyhow::Result<()> {
    let plan = plan(root)?;
    for d in drift(root, &plan) {
        match d {
            Drift::Missing(path) | Drift::Stale(path, _) => {
                let Some(f) = plan.files.iter().find(|f| f.path == path) else {
                    continue;
                };
                let full = root.join(&f.path);
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                std::fs::write(&full, &f.text)
                    .with_context(|| format!("cannot write {}", full.display()))?;
                println!("wrote {}", path.display());
            }
            Drift::Extra(path) => {
                let full = root.join(&path);
                std::fs::remove_file(&full)
                    .with_context(|| format!("cannot remove {}", full.display()))?;
                println!("removed {}", path.display());
            }
        }
    }
    Ok(())
}

/// `cargo xtask gen --check`: `Ok(true)` when every generated file is up to date; otherwise
/// each difference is printed on standard error and the answer is `Ok(false)`.
pub(crate) fn check(root: &Path) -> anyhow::Result<bool> {
    let plan = plan(root)?;
    let drift = drift(root, &plan);
    if drift.is_empty() {
        return Ok(true);
    }
    eprint!("{}", report(&drift));
    Ok(false)
}

/// The message of a failed check.
pub(crate) fn report(drift: &[Drift]) -> String {
    let mut out = format!("{} generated file(s) out of date:\n", drift.len());
    for d in drift {
        match d {
            Drift::Missing(p) => out.push_str(&format!("\nmissing: {}\n", p.display())),
            Drift::Stale(p, excerpt) => {
                out.push_str(&format!("\nstale: {}\n{excerpt}", p.display()));
            }
            Drift::Extra(p) => {
                out.push_str(&format!("\nextra: {} (no longer generated)\n", p.display()))
            }
        }
    }
    out.push('\n');
    out.push_str(REGENERATE);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated references of the repository are the committed ones (this test replaces
    /// the engine's former `tests/docs.rs`): after changing a rule, a fixture, a subject kind,
    /// a diagnostic code, a profile or the command line, run `cargo xtask gen`.
    #[test]
    fn generated_files_are_up_to_date() {
        let root = crate::root();
        let plan = plan(&root).expect("plan");
        assert!(plan.files.len() > 60, "only {} files", plan.files.len());
        let drift = drift(&root, &plan);
        assert!(drift.is_empty(), "{}", report(&drift));
    }

    #[test]
    fn drift_names_missing_stale_and_extra_files() {
        let dir = crate::temp_dir::TempDir::new("drift");
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs/rules")).expect("mkdir");
        std::fs::write(root.join("docs/rules/a.md"), "old\n").expect("write");
        std::fs::write(root.join("docs/rules/gone.md"), "x\n").expect("write");
        std::fs::write(root.join("docs/rules/notes.txt"), "x\n").expect("write");
        let plan = Plan {
            files: vec![
                Generated {
                    path: "docs/rules/a.md".into(),
                    text: "new\n".into(),
                },
                Generated {
                    path: "docs/b.md".into(),
                    text: "b\n".into(),
                },
            ],
            owned: vec![(PathBuf::from("docs/rules"), "md")],
        };
        let drift = drift(root, &plan);
        assert_eq!(
            drift,
            vec![
                Drift::Stale(
                    "docs/rules/a.md".into(),
                    diff::excerpt("old\n", "new\n", 24)
                ),
                Drift::Missing("docs/b.md".into()),
                Drift::Extra("docs/rules/gone.md".into()),
            ]
        );
        let message = report(&drift);
        assert!(message.contains("stale: docs/rules/a.md\n@@ -1 +1 @@\n-old\n+new\n"));
        assert!(message.contains("missing: docs/b.md"));
        assert!(message.contains("extra: docs/rules/gone.md"));
        assert!(message.ends_with("run `cargo xtask gen` and commit the result\n"));
    }
}
