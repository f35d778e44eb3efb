//! Every chart of the shared corpus loads, with dependencies resolved from the sibling charts
//! of its repository folder, and its values coalesce (skipped when `../shared` is absent).

use std::path::{Path, PathBuf};

use super::*;

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/charts");
    p.is_dir().then_some(p)
}

#[test]
#[allow(clippy::print_stderr)] // the skip message and the figures
fn corpus_charts_load_and_coalesce() {
    let Some(root) = corpus() else {
        eprintln!("skipped: ../shared/corpus/charts is absent");
        return;
    };
    let results_path = root.join("../rendered/render_results.json");
    let Ok(text) = std::fs::read_to_string(&results_path) else {
        eprintln!("skipped: render_results.json is absent");
        return;
    };
    let results: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    let mut loaded = 0;
    let mut absent_from_corpus = 0;
    for r in results.as_array().unwrap() {
        let rel = r["chart"].as_str().unwrap().trim_start_matches("charts/");
        let dir = root.join(rel);
        let repo = root.join(rel.split('/').next().unwrap());
        let ok = r["ok"].as_bool().unwrap_or(false);
        let chart = match load_chart(
            &dir,
            rel,
            &DependencySources {
                charts_dirs: vec![repo],
                ..Default::default()
            },
            &LoadLimits::default(),
        ) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{rel}: load: {e}"));
                continue;
            }
        };
        loaded += 1;
        let mut expected: Vec<String> = r["missing_deps"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        expected.sort();
        let mut missing = chart.missing.clone();
        missing.sort();
        // What real Helm lacked, we lack too; the corpus also leaves out charts (postgresql,
        // redis…) that Helm had when it rendered, so we may lack more.
        if let Some(m) = expected.iter().find(|e| !missing.contains(e)) {
            failures.push(format!("{rel}: {m} resolved, but Helm lacked it"));
        }
        if !missing.is_empty() {
            absent_from_corpus += 1;
        }
        let prepared = prepare(
            &chart,
            &UserValues::default(),
            &ReleaseOptions::default(),
            &Capabilities::default(),
        );
        match prepared {
            Ok(p) => {
                if p.plan.templates.is_empty() && r["templates"].as_u64().unwrap_or(0) > 0 {
                    failures.push(format!("{rel}: no templates"));
                }
            }
            Err(e) if ok => failures.push(format!("{rel}: prepare: {e}")),
            Err(_) => {}
        }
    }
    eprintln!(
        "{loaded} charts loaded; {absent_from_corpus} lack a dependency absent from the corpus"
    );
    assert!(
        failures.is_empty(),
        "{loaded} loaded; failures:\n{}",
        failures.join("\n")
    );
}
