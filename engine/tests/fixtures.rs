//! The generic fixture test: every rule has failing and passing fixtures under
//! `fixtures/rules/<id>/{fail,pass}/`, with expected findings written inline as
//! `# expect: COL [RULE-ID severity?]` on the offending line or alone on the line above it.
//!
//! A fixture is a file (checked alone, as `cct check FILE` would), or a folder of files scanned
//! together as one deployment unit (cross-resource rules: a Deployment in one file, its
//! PodDisruptionBudget in another), with expectations inline in any of its files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cct_engine::{Catalogue, CatalogueBuilder, Report, Scan, ScanOptions};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    /// The file, for folder fixtures (its name in the folder); empty for file fixtures.
    file: String,
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
                file: String::new(),
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

/// The fixtures of a `fail/` or `pass/` folder: files and folders, sorted.
fn cases_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() || p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    cases_in(dir).into_iter().filter(|p| p.is_file()).collect()
}

fn display(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Check one fixture (a file, or a folder scanned as one unit); push what does not match.
fn check_case(
    catalogue: &Catalogue,
    rule_id: &str,
    case: &Path,
    should_fail: bool,
    failures: &mut Vec<String>,
) {
    let folder = case.is_dir();
    let files = if folder {
        files_in(case)
    } else {
        vec![case.to_path_buf()]
    };
    let mut expected = Vec::new();
    let mut profile = None;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("fixture readable");
        let (mut e, p) = expectations(&text);
        if text.starts_with("# profile:") || profile.is_none() {
            profile = Some(p);
        }
        let name = if folder {
            file.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        for x in &mut e {
            x.file = name.clone();
        }
        expected.extend(e.into_iter().filter(|e| e.rule == rule_id));
    }
    expected.sort();
    let profile = profile.unwrap_or_else(|| "cpin".to_string());
    let shown = display(case);
    if should_fail && expected.is_empty() {
        failures.push(format!("{shown}: no expectation for this rule"));
    }
    // A folder case may carry its configuration (`.cct.yaml`: derogations, rule settings);
    // derogations expire against a fixed day.
    let mut options = ScanOptions {
        profile: profile.parse().expect("known profile"),
        today: cct_engine::Date::parse("2026-12-03"),
        ..ScanOptions::default()
    };
    let config_file = case.join(".cct.yaml");
    if folder && config_file.is_file() {
        let config = cct_engine::config::load(&config_file, &display(&config_file))
            .expect("fixture configuration");
        options.settings = cct_engine::config::RuleSettings::resolve(&config, catalogue)
            .expect("fixture configuration resolves");
        options.config = Some(config);
    }
    let scan = Scan::new(catalogue, options);
    let report: Report = if folder {
        scan.run(std::slice::from_ref(&case.to_path_buf()))
    } else {
        let text = std::fs::read_to_string(case).expect("fixture readable");
        scan.check_text(&shown, &text)
    };
    for d in &report.diagnostics {
        if d.level == cct_engine::vocab::DiagnosticLevel::Error {
            failures.push(format!("{shown}: load error {}: {}", d.code, d.message.en));
        }
    }
    let file_of = |path: &str| {
        if folder {
            Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        } else {
            String::new()
        }
    };
    let mine = || report.findings.iter().filter(|f| f.rule_id == rule_id);
    let mut found: Vec<Expected> = mine()
        .map(|f| Expected {
            file: file_of(&f.location.path),
            line: f.location.start.line,
            column: f.location.start.column,
            rule: f.rule_id.clone(),
            severity: Some(f.severity.as_str().to_string()),
        })
        .collect();
    found.sort();
    let messages: BTreeMap<(String, u32, u32), String> = mine()
        .map(|f| {
            (
                (
                    file_of(&f.location.path),
                    f.location.start.line,
                    f.location.start.column,
                ),
                f.message.en.clone(),
            )
        })
        .collect();
    let at = |file: &str, line: u32, col: u32| {
        if file.is_empty() {
            format!("{shown}:{line}:{col}")
        } else {
            format!("{shown}/{file}:{line}:{col}")
        }
    };
    let mut unmatched_found = found.clone();
    for e in &expected {
        let hit = unmatched_found.iter().position(|f| {
            f.file == e.file
                && f.line == e.line
                && f.column == e.column
                && (e.severity.is_none() || e.severity == f.severity)
        });
        match hit {
            Some(i) => {
                unmatched_found.remove(i);
            }
            None => failures.push(format!(
                "{}: expected [{} {}] not found",
                at(&e.file, e.line, e.column),
                e.rule,
                e.severity.as_deref().unwrap_or("")
            )),
        }
    }
    for f in unmatched_found {
        failures.push(format!(
            "{}: unexpected [{} {}]: {}",
            at(&f.file, f.line, f.column),
            f.rule,
            f.severity.as_deref().unwrap_or(""),
            messages
                .get(&(f.file.clone(), f.line, f.column))
                .cloned()
                .unwrap_or_default()
        ));
    }
}

#[test]
fn every_rule_matches_its_fixtures() {
    let base = CatalogueBuilder::new().build().expect("catalogue");
    assert!(
        base.diagnostics.is_empty(),
        "catalogue problems: {:#?}",
        base.diagnostics
    );
    // Embedded rules are compiled on first use: make sure every one compiles, under every
    // profile.
    for profile in cct_engine::Profile::ALL {
        let options = ScanOptions {
            profile,
            ..ScanOptions::default()
        };
        let broken = Scan::new(&base, options).compile_all();
        assert!(broken.is_empty(), "rules that do not compile: {broken:#?}");
    }
    let fixtures = root().join("fixtures/rules");
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &base.rules {
        let dir = fixtures.join(&rule.spec.id);
        let fail = cases_in(&dir.join("fail"));
        let pass = cases_in(&dir.join("pass"));
        if fail.is_empty() || pass.is_empty() {
            failures.push(format!(
                "{}: needs at least one fail and one pass fixture in {}",
                rule.spec.id,
                dir.display()
            ));
            continue;
        }
        for (case, should_fail) in fail
            .iter()
            .map(|f| (f, true))
            .chain(pass.iter().map(|f| (f, false)))
        {
            check_case(&base, &rule.spec.id, case, should_fail, &mut failures);
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

/// Embedded rules are not validated when the catalogue loads (to keep a one-file check fast):
/// this test validates every rule file of `rules/` against `schemas/rule.schema.json`.
#[test]
fn embedded_rules_satisfy_the_rule_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/rule.schema.json")).expect("rule schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::draft202012::options()
        .build(&schema)
        .expect("schema compiles");
    let mut stack = vec![root().join("rules")];
    let mut problems = Vec::new();
    let mut count = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("rules folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !name.ends_with(".yaml") || name == "requirements.yaml" {
                continue;
            }
            count += 1;
            let text = std::fs::read_to_string(&path).expect("rule file");
            let file = cct_engine::source::SourceFile::new(path.display().to_string(), text);
            let stream = cct_engine::yaml::parse(&file, &cct_engine::yaml::YamlLimits::default());
            let Some(doc) = stream.documents.first() else {
                problems.push(format!("{}: no document", path.display()));
                continue;
            };
            for e in validator.iter_errors(&doc.value) {
                problems.push(format!(
                    "{}: {} at {}",
                    path.display(),
                    e,
                    e.instance_path()
                ));
            }
        }
    }
    assert!(count > 50, "only {count} rule files");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
