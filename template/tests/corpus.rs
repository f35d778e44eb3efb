//! Parses every template of the real charts in `../shared/corpus/charts` (relative to the
//! workspace root) to prove the parser accepts all real templates. Skips when absent.

use std::path::{Path, PathBuf};

use cct_template::TemplateSet;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("shared")
        .join("corpus")
        .join("charts")
}

fn collect(dir: &Path, in_templates: bool, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            let is_t = p.file_name().is_some_and(|n| n == "templates")
                && p.parent().is_some_and(|d| d.join("Chart.yaml").is_file());
            collect(&p, in_templates || is_t, out);
        } else if in_templates
            && p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "tpl" || e == "txt")
        {
            out.push(p);
        }
    }
}

#[test]
fn parses_every_corpus_template() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!("corpus not found at {}; skipping", dir.display());
        return;
    }
    let mut files = Vec::new();
    collect(&dir, false, &mut files);
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    let mut set = TemplateSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let name = f.strip_prefix(&dir).unwrap().display().to_string();
        if let Err(e) = set.add(&name, &text) {
            failures.push(e.to_string());
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} files failed",
        failures.len(),
        files.len()
    );
    eprintln!("parsed {} templates", files.len());
}
