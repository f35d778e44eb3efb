//! The scaffold of every area, in a temporary copy of the catalogue, is a rule that loads and
//! finds what its failing fixture expects, and nothing in its passing one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cct_engine::{CatalogueBuilder, Report, Scan, ScanOptions};

use super::*;
use crate::temp_dir::TempDir;

/// Copy a folder, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// A temporary root holding a copy of the repository's `rules/` (so ids are numbered as they
/// would be in the repository) and an empty `fixtures/rules/` beside the real fixture ids.
fn temp_root(tag: &str) -> TempDir {
    let dir = TempDir::new(tag);
    copy_dir(&crate::root().join("rules"), &dir.path().join("rules"));
    std::fs::create_dir_all(dir.path().join("fixtures/rules")).expect("mkdir");
    for e in std::fs::read_dir(crate::root().join("fixtures/rules"))
        .expect("fixtures")
        .flatten()
    {
        std::fs::create_dir_all(dir.path().join("fixtures/rules").join(e.file_name()))
            .expect("mkdir");
    }
    dir
}

/// The expectations of the files of a case, for one rule: (file name for folder cases, line,
/// column), read from `# expect: COL [ID]` as the fixture test does.
fn expectations(case: &Path, id: &str) -> BTreeSet<(String, u32, u32)> {
    let files: Vec<PathBuf> = if case.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(case)
            .expect("case")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        v.sort();
        v
    } else {
        vec![case.to_path_buf()]
    };
    let mut out = BTreeSet::new();
    for f in files {
        let name = if case.is_dir() {
            f.file_name().expect("name").to_string_lossy().to_string()
        } else {
            String::new()
        };
        let text = std::fs::read_to_string(&f).expect("fixture");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(pos) = line.find("# expect:") else {
                continue;
            };
            let target = if line[..pos].trim().is_empty() {
                (i + 1..lines.len())
                    .find(|&j| {
                        let t = lines[j].trim();
                        !t.is_empty() && !t.starts_with('#')
                    })
                    .expect("a line after the expectation")
            } else {
                i
            };
            for entry in line[pos + "# expect:".len()..].split(',') {
                let (col, rule) = entry.split_once('[').expect("COL [ID]");
                if rule.trim_end_matches(']').split_whitespace().next() == Some(id) {
                    let col = col.trim().parse().expect("column");
                    out.insert((name.clone(), target as u32 + 1, col));
                }
            }
        }
    }
    out
}

/// Scan a case as the fixture test does: a file alone (under the profile its first line names,
/// `# profile: …`), a folder as one unit.
fn scan(catalogue: &cct_engine::Catalogue, case: &Path) -> Report {
    if case.is_dir() {
        let scan = Scan::new(catalogue, ScanOptions::default());
        scan.run(std::slice::from_ref(&case.to_path_buf()))
    } else {
        let text = std::fs::read_to_string(case).expect("fixture");
        let mut options = ScanOptions::default();
        if let Some(p) = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# profile:"))
        {
            options.profile = p.trim().parse().expect("known profile");
        }
        Scan::new(catalogue, options).check_text(&case.display().to_string(), &text)
    }
}

/// Where the findings of a rule are: (file name for folder cases, line, column).
fn found(report: &Report, id: &str, folder: bool) -> BTreeSet<(String, u32, u32)> {
    report
        .findings
        .iter()
        .filter(|f| f.rule_id == id)
        .map(|f| {
            let file = if folder {
                Path::new(&f.location.path)
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default()
            } else {
                String::new()
            };
            (file, f.location.start.line, f.location.start.column)
        })
        .collect()
}

#[test]
fn every_area_scaffolds_a_rule_that_finds_its_failing_fixture() {
    for area in &AREAS {
        let dir = temp_root(area.folder);
        let root = dir.path();
        let name = format!("{}-demo-scaffold", area.domain);
        let s = scaffold(root, area.folder, &name).expect("scaffold");
        assert!(s.id.starts_with(area.id_prefix), "{}", s.id);
        assert!(root.join(&s.rule).is_file() && root.join(&s.pass).exists());
        // The new rule, loaded as a user rule beside the embedded catalogue: it validates
        // against the rule schema, and its id and name are new.
        let user = root.join("user-rules");
        std::fs::create_dir_all(&user).expect("mkdir");
        std::fs::copy(root.join(&s.rule), user.join(format!("{name}.yaml"))).expect("copy");
        let catalogue = CatalogueBuilder::new()
            .rules_dir(&user)
            .build()
            .expect("catalogue");
        assert!(
            catalogue.diagnostics.is_empty(),
            "{}: {:#?}",
            area.folder,
            catalogue.diagnostics
        );
        let rule = catalogue.rule(&s.id).expect("the new rule is loaded");
        assert!(rule.user && rule.spec.name == name);

        let fail = root.join(&s.fail);
        let expected = expectations(&fail, &s.id);
        assert!(!expected.is_empty(), "{}: no expectation", area.folder);
        let report = scan(&catalogue, &fail);
        assert!(
            report.diagnostics.is_empty(),
            "{}: {:#?}",
            area.folder,
            report.diagnostics
        );
        assert_eq!(
            found(&report, &s.id, fail.is_dir()),
            expected,
            "{}: findings of the failing fixture",
            area.folder
        );

        let pass = root.join(&s.pass);
        assert!(expectations(&pass, &s.id).is_empty());
        let report = scan(&catalogue, &pass);
        assert!(report.diagnostics.is_empty(), "{}", area.folder);
        assert_eq!(
            found(&report, &s.id, pass.is_dir()),
            BTreeSet::new(),
            "{}: findings of the passing fixture",
            area.folder
        );
    }
}

#[test]
fn ids_are_never_reused() {
    let dir = TempDir::new("ids");
    let root = dir.path();
    std::fs::create_dir_all(root.join("rules/k8s")).expect("mkdir");
    std::fs::create_dir_all(root.join("fixtures/rules/CCT-K8S-020")).expect("mkdir");
    std::fs::write(root.join("rules/k8s/a.yaml"), "id: CCT-K8S-001\n").expect("write");
    std::fs::write(root.join("rules/k8s/b.yaml"), "id: \"CCT-K8S-016\"\n").expect("write");
    std::fs::write(root.join("rules/k8s/c.yaml"), "id: CCT-HA-030\n").expect("write");
    assert_eq!(
        next_id(root, "CCT-K8S-").ok().as_deref(),
        Some("CCT-K8S-021")
    );
    assert_eq!(
        next_id(root, "CCT-HELM-").ok().as_deref(),
        Some("CCT-HELM-001")
    );
}

#[test]
fn names_follow_the_convention() {
    let k8s = area::area("k8s").expect("k8s");
    assert!(check_name(k8s, "k8s-image-tag-explicit").is_ok());
    for (bad, says) in [
        ("K8s-Image-Tag", "kebab-case"),
        ("k8s--tag", "kebab-case"),
        ("k8s_image_tag", "kebab-case"),
        ("ci-image-tag", "does not start with `k8s-`"),
        ("k8s-tag", "too short"),
        ("k8s-ensure-tag", "vague verb"),
        ("k8s-check-image-tag", "vague verb"),
    ] {
        let err = check_name(k8s, bad).expect_err(bad).to_string();
        assert!(err.contains(says), "{bad}: {err}");
    }
}

#[test]
fn the_scaffold_refuses_what_exists_or_is_unknown() {
    let dir = temp_root("refuse");
    let root = dir.path();
    let err = |area: &str, name: &str| scaffold(root, area, name).expect_err(name).to_string();
    assert!(err("cloud", "cloud-x-y").contains("unknown area `cloud`"));
    assert!(err("k8s", "k8s-image-tag-explicit").contains("exists already"));
    assert!(err("docker", "dockerfile-numeric-user").contains("exists already"));
    // Nothing was written.
    assert!(!root.join("rules/cloud").exists());
}

#[test]
fn every_area_names_a_good_example() {
    for area in &AREAS {
        assert!(
            check_name(area, area.good_name).is_ok(),
            "{}",
            area.good_name
        );
    }
}
