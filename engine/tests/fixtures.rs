//! The generic fixture test: every rule has failing and passing fixtures under
//! `fixtures/rules/<id>/{fail,pass}/`, with expected findings written inline as
//! `# expect: COL [RULE-ID severity?]` on the offending line or alone on the line above it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cct_engine::{Catalogue, CatalogueBuilder, Scan, ScanOptions};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    line: u32,
    column: u32,
    rule: String,
    severity: Option<String>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Parse the inline expectations of a fixture, and its profile.
fn expectations(text: &str) -> (Vec<Expected>, String) {
    let mut out = Vec::new();
    let mut profile = "cpin".to_string();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            if let Some(p) = line.trim().strip_prefix("# profile:") {
                profile = p.trim().to_string();
            }
        }
        let Some(pos) = line.find("# expect:") else {
            continue;
        };
        let target = if line[..pos].trim().is_empty() {
            // Alone on its line: the next line that is not a comment or blank.
            (i + 1..lines.len())
                .find(|&j| {
                    let t = lines[j].trim();
                    !t.is_empty() && !t.starts_with('#')
                })
                .unwrap_or(i)
        } else {
            i
        };
        for entry in line[pos + "# expect:".len()..].split(',') {
            let entry = entry.trim();
            let Some((col, rest)) = entry.split_once('[') else {
                panic!("bad expectation `{entry}` on line {}", i + 1);
            };
            let inner = rest.trim_end_matches(']').trim();
            let mut parts = inner.split_whitespace();
            let rule = parts.next().unwrap_or_default().to_string();
            let severity = parts.next().map(str::to_string);
            out.push(Expected {
                line: target as u32 + 1,
                column: col
                    .trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("bad column in `{entry}` on line {}", i + 1)),
                rule,
                severity,
            });
        }
    }
    out.sort();
    (out, profile)
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn every_rule_matches_its_fixtures() {
    let mut catalogues: BTreeMap<String, Catalogue> = BTreeMap::new();
    let base = CatalogueBuilder::new().build().expect("catalogue");
    assert!(
        base.diagnostics.is_empty(),
        "catalogue problems: {:#?}",
        base.diagnostics
    );
    let fixtures = root().join("fixtures/rules");
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &base.rules {
        let dir = fixtures.join(&rule.spec.id);
        let fail = files_in(&dir.join("fail"));
        let pass = files_in(&dir.join("pass"));
        if fail.is_empty() || pass.is_empty() {
            failures.push(format!(
                "{}: needs at least one fail and one pass fixture in {}",
                rule.spec.id,
                dir.display()
            ));
            continue;
        }
        for (file, should_fail) in fail
            .iter()
            .map(|f| (f, true))
            .chain(pass.iter().map(|f| (f, false)))
        {
            let text = std::fs::read_to_string(file).expect("fixture readable");
            let (mut expected, profile) = expectations(&text);
            expected.retain(|e| e.rule == rule.spec.id);
            if should_fail && expected.is_empty() {
                failures.push(format!("{}: no expectation for this rule", file.display()));
            }
            let catalogue = catalogues.entry(profile.clone()).or_insert_with(|| {
                CatalogueBuilder::new()
                    .profile(&profile)
                    .build()
                    .expect("catalogue for profile")
            });
            let display = file
                .strip_prefix(root())
                .unwrap_or(file)
                .display()
                .to_string();
            let report = Scan::new(catalogue, ScanOptions::default()).check_text(&display, &text);
            for d in &report.diagnostics {
                if d.level == cct_engine::diagnostic::DiagnosticLevel::Error {
                    failures.push(format!(
                        "{display}: load error {}: {}",
                        d.code, d.message.en
                    ));
                }
            }
            let mut found: Vec<Expected> = report
                .findings
                .iter()
                .filter(|f| f.rule_id == rule.spec.id)
                .map(|f| Expected {
                    line: f.location.start.line,
                    column: f.location.start.column,
                    rule: f.rule_id.clone(),
                    severity: Some(f.severity.as_str().to_string()),
                })
                .collect();
            found.sort();
            let messages: BTreeMap<(u32, u32), String> = report
                .findings
                .iter()
                .filter(|f| f.rule_id == rule.spec.id)
                .map(|f| {
                    (
                        (f.location.start.line, f.location.start.column),
                        f.message.en.clone(),
                    )
                })
                .collect();
            let mut unmatched_found = found.clone();
            for e in &expected {
                let hit = unmatched_found.iter().position(|f| {
                    f.line == e.line
                        && f.column == e.column
                        && (e.severity.is_none() || e.severity == f.severity)
                });
                match hit {
                    Some(i) => {
                        unmatched_found.remove(i);
                    }
                    None => failures.push(format!(
                        "{display}:{}:{}: expected [{} {}] not found",
                        e.line,
                        e.column,
                        e.rule,
                        e.severity.as_deref().unwrap_or("")
                    )),
                }
            }
            for f in unmatched_found {
                failures.push(format!(
                    "{display}:{}:{}: unexpected [{} {}]: {}",
                    f.line,
                    f.column,
                    f.rule,
                    f.severity.as_deref().unwrap_or(""),
                    messages
                        .get(&(f.line, f.column))
                        .cloned()
                        .unwrap_or_default()
                ));
            }
            checked += 1;
        }
    }
    // No orphan fixture folder.
    for entry in std::fs::read_dir(&fixtures)
        .expect("fixtures/rules")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        if base.rule(&name).is_none() {
            failures.push(format!("fixtures/rules/{name}: no rule has this id"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 0);
}

#[test]
fn expectation_syntax() {
    let (e, profile) = expectations(
        "# profile: kubernetes\na: 1 # expect: 4 [CCT-X-001], 1 [CCT-Y-002 warning]\n# expect: 3 [CCT-Z-003]\n\nb: 2\n",
    );
    assert_eq!(profile, "kubernetes");
    assert_eq!(e.len(), 3);
    assert_eq!(
        (e[0].line, e[0].column, e[0].rule.as_str()),
        (2, 1, "CCT-Y-002")
    );
    assert_eq!(e[0].severity.as_deref(), Some("warning"));
    assert_eq!((e[2].line, e[2].column), (5, 3));
}
