//! End-to-end tests of the commands that read the catalogue: `cct rules`, `cct requirements`
//! and `cct explain`.

use std::path::Path;

mod common;
use common::{cct, stdout};

fn json(args: &[&str]) -> Vec<serde_json::Value> {
    let text = stdout(&cct(args));
    serde_json::from_str::<serde_json::Value>(&text)
        .expect("JSON")
        .as_array()
        .expect("an array")
        .clone()
}

/// The rule files of the repository's catalogue (`rules/**/*.yaml` but the requirement list).
fn rule_files(dir: &Path, n: &mut usize) {
    for entry in std::fs::read_dir(dir).expect("rules folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rule_files(&path, n);
        } else if path.extension().is_some_and(|e| e == "yaml")
            && path.file_name().is_some_and(|f| f != "requirements.yaml")
        {
            *n += 1;
        }
    }
}

#[test]
fn rules_lists_every_rule_of_the_catalogue_in_three_formats() {
    let mut files = 0;
    rule_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"),
        &mut files,
    );
    let rules = json(&["rules", "--format", "json"]);
    assert_eq!(rules.len(), files);
    for r in &rules {
        for lang in ["en", "fr"] {
            assert!(
                r["title"][lang].as_str().is_some_and(|t| !t.is_empty()),
                "{r}"
            );
        }
        assert!(r["help_uri"].as_str().is_some(), "{r}");
    }
    let k8s008 = rules
        .iter()
        .find(|r| r["id"] == "CCT-K8S-008")
        .expect("CCT-K8S-008");
    assert_eq!(k8s008["name"], "k8s-image-tag-explicit");
    assert_eq!(k8s008["level"], "P");
    assert_eq!(k8s008["requirements"][0]["uid"], "EXI-ARCH-27");
    assert_eq!(k8s008["requirements"][0]["relation"], "primary");

    let table = stdout(&cct(&["rules", "--lang", "en"]));
    assert_eq!(table.lines().count(), files);
    assert!(table.lines().any(|l| l.starts_with("CCT-K8S-008 ")
        && l.contains("k8s-image-tag-explicit")
        && l.ends_with("Container images must name an explicit, immutable tag or a digest")));
    let markdown = stdout(&cct(&["rules", "--format", "markdown", "--lang", "fr"]));
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(lines[0], "| Règle | Niveau | Gravité | Exigences | Titre |");
    assert_eq!(lines.len(), files + 2);
    assert!(lines.contains(&"| `CCT-K8S-008` (k8s-image-tag-explicit) | P | error | EXI-ARCH-27, EXI-ARCH-9, EXI-ORG-13 | Les images des conteneurs doivent porter un tag explicite et stable, ou un digest |"), "{markdown}");
}

#[test]
fn requirements_lists_the_55_rows_with_their_rules_and_evidence() {
    let rows = json(&["requirements", "--format", "json"]);
    assert_eq!(rows.len(), 55);
    for row in &rows {
        let rules = row["rules"].as_array().expect("rules");
        match row["automation"].as_str() {
            Some("manual") => assert!(
                row["evidence"]["en"]
                    .as_array()
                    .is_some_and(|e| !e.is_empty())
                    && row["evidence"]["fr"]
                        .as_array()
                        .is_some_and(|e| !e.is_empty()),
                "a manual row says what evidence to ask for: {row}"
            ),
            Some("automated" | "partial") => {
                assert!(!rules.is_empty(), "an automatable row has a rule: {row}")
            }
            other => panic!("automation {other:?}"),
        }
        assert!(matches!(row["level"].as_str(), Some("P" | "I")), "{row}");
    }
    let arch27 = rows
        .iter()
        .find(|r| r["uid"] == "EXI-ARCH-27")
        .expect("EXI-ARCH-27");
    assert!(arch27["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .any(|r| r["id"] == "CCT-K8S-008" && r["relation"] == "primary"));

    let table = stdout(&cct(&["requirements", "--lang", "en"]));
    assert_eq!(table.lines().count(), 55);
    assert!(table
        .lines()
        .any(|l| l.starts_with("EXI-ARCH-27 ") && l.contains("CCT-K8S-008")));
    let markdown = stdout(&cct(&[
        "requirements",
        "--format",
        "markdown",
        "--lang",
        "en",
    ]));
    assert_eq!(markdown.lines().count(), 57);
    assert!(markdown.starts_with(
        "| Requirement | Level | Automation | Rules | Summary | Evidence to ask for |\n"
    ));
}

#[test]
fn explain_tells_why_and_how_to_fix_in_the_users_language() {
    // A requirement: its rules, and how to fix what the rules that implement it find.
    let en = stdout(&cct(&["explain", "EXI-ARCH-26", "--lang", "en"]));
    assert!(en.starts_with("EXI-ARCH-26 (I, automated): "), "{en}");
    assert!(
        en.contains("CCT-K8S-003 (k8s-securitycontext-left-to-platform)"),
        "{en}"
    );
    assert!(en.contains("How to fix CCT-K8S-003:"), "{en}");
    assert!(en.contains("runAsNonRoot: true"), "a fixed example: {en}");
    let fr = stdout(&cct(&["explain", "EXI-ARCH-26", "--lang", "fr"]));
    assert!(fr.contains("Comment corriger CCT-K8S-003 :"), "{fr}");

    // A rule, by id or by name: the same text.
    let by_id = stdout(&cct(&["explain", "CCT-K8S-008", "--lang", "en"]));
    let by_name = stdout(&cct(&["explain", "k8s-image-tag-explicit", "--lang", "en"]));
    assert_eq!(by_id, by_name);
    for part in [
        "CCT-K8S-008 (k8s-image-tag-explicit): Container images must name",
        "EXI-ARCH-27 (implements):",
        "Why:",
        "How to fix:",
        "image: harbor.example/prj/api:1.4.2",
        "See https://",
    ] {
        assert!(by_id.contains(part), "{part}: {by_id}");
    }
    let fr = stdout(&cct(&["explain", "CCT-K8S-008", "--lang", "fr"]));
    assert!(
        fr.contains("Pourquoi :") && fr.contains("Comment corriger :"),
        "{fr}"
    );

    // A manual requirement: the evidence to ask for.
    let manual = stdout(&cct(&["explain", "EXI-G-2", "--lang", "en"]));
    assert!(manual.contains("Evidence to ask for"), "{manual}");

    // Anything else is a usage error.
    let unknown = cct(&["explain", "CCT-NOPE-999", "--lang", "en"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("neither a rule"));
}
