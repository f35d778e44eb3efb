//! The generated documentation cannot drift: `docs/rules/*.md`, `docs/rules/README.md` and
//! `docs/requirements.md` must equal what the catalogue generates. Regenerate with
//! `CCT_UPDATE_DOCS=1 cargo test -p cct-engine --test docs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cct_engine::report::docs::{self, Example};
use cct_engine::CatalogueBuilder;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn examples(id: &str) -> Vec<Example> {
    let mut out = Vec::new();
    for (sub, fails) in [("fail", true), ("pass", false)] {
        let dir = root().join("fixtures/rules").join(id).join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        // The first example of each kind is enough for a page.
        if let Some(f) = files.first() {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let path = f
                .strip_prefix(root())
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Example { path, fails, text });
        }
    }
    out
}

#[test]
fn generated_docs_are_up_to_date() {
    let catalogue = CatalogueBuilder::new().build().expect("catalogue");
    let mut wanted: BTreeMap<PathBuf, String> = BTreeMap::new();
    for rule in &catalogue.rules {
        wanted.insert(
            root()
                .join("docs/rules")
                .join(format!("{}.md", rule.spec.name)),
            docs::rule_page(&catalogue, rule, &examples(&rule.spec.id)),
        );
    }
    wanted.insert(
        root().join("docs/rules/README.md"),
        docs::rules_index(&catalogue),
    );
    wanted.insert(
        root().join("docs/requirements.md"),
        docs::requirements_page(&catalogue),
    );
    let update = std::env::var_os("CCT_UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for (path, text) in &wanted {
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if &current != text {
            if update {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).expect("docs folder");
                }
                std::fs::write(path, text).expect("write doc");
            } else {
                stale.push(
                    path.strip_prefix(root())
                        .unwrap_or(path)
                        .display()
                        .to_string(),
                );
            }
        }
    }
    // Pages of rules that no longer exist.
    if let Ok(rd) = std::fs::read_dir(root().join("docs/rules")) {
        for e in rd.flatten() {
            let p = e.path();
            if !wanted.contains_key(&p) {
                if update {
                    let _ = std::fs::remove_file(&p);
                } else {
                    stale.push(format!("{} (no such rule)", p.display()));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated docs are out of date: {}\nrun `CCT_UPDATE_DOCS=1 cargo test -p cct-engine --test docs`",
        stale.join(", ")
    );
}
