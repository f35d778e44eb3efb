use super::*;
use crate::source::{LineCol, Location};
use crate::vocab::{Level, SubjectIdentity};
use crate::CatalogueBuilder;
use std::collections::BTreeMap;

fn finding(rule: &str, path: &str, line: u32, kind: &str, name: &str, envs: &[&str]) -> Finding {
    let at = LineCol { line, column: 3 };
    Finding {
        rule_id: rule.to_string(),
        rule_name: String::new(),
        severity: Severity::Error,
        level: Level::P,
        requirements: vec!["EXI-ARCH-27".to_string()],
        message: Text::new("m", "m"),
        location: Location {
            path: path.to_string(),
            start: at,
            end: at,
            bytes: ByteRange::default(),
        },
        related: Vec::new(),
        subject: SubjectIdentity {
            api_version: "v1".into(),
            kind: kind.into(),
            namespace: String::new(),
            name: name.into(),
            container: None,
        },
        pointer: String::new(),
        blocking: Vec::new(),
        confidence: None,
        environments: envs.iter().map(|e| e.to_string()).collect(),
        fingerprint: format!("{rule}{path}{name}"),
        suppression: None,
        baseline: None,
    }
}

fn config(text: &str) -> LoadedConfig {
    crate::config::parse(".cct.yaml", text, std::env::current_dir().unwrap()).unwrap()
}

fn today() -> Date {
    Date::parse("2026-12-03").unwrap()
}

use crate::vocab::Severity;

#[test]
fn configuration_derogations_match_rules_paths_resources_and_environments() {
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let c = config(
        "derogations:\n  - requirement: EXI-ARCH-27\n    paths: [\"charts/api/**\"]\n    reason: r1\n  - rule: k8s-no-root-uid\n    resource: Deployment/shop/api\n    environment: prod\n    reason: r2\n    expires: 2027-01-01\n",
    );
    let d = Derogations::collect(Some(&c), &BTreeMap::new(), &[], &catalogue, today());
    let (out, diagnostics) = d.apply(vec![
        finding(
            "CCT-K8S-008",
            "charts/api/values.yaml",
            3,
            "Deployment",
            "api",
            &[],
        ),
        finding(
            "CCT-K8S-008",
            "charts/web/values.yaml",
            3,
            "Deployment",
            "web",
            &[],
        ),
        finding(
            "CCT-K8S-001",
            "charts/api/values.yaml",
            9,
            "Deployment",
            "api",
            &["prod"],
        ),
        finding(
            "CCT-K8S-001",
            "charts/api/values.yaml",
            9,
            "Deployment",
            "api",
            &["default", "prod"],
        ),
        finding("CCT-K8S-001", "x.yaml", 9, "Deployment", "other", &["prod"]),
    ]);
    let reasons: Vec<Option<&str>> = out
        .iter()
        .map(|f| f.suppression.as_ref().map(|s| s.justification.as_str()))
        .collect();
    assert_eq!(reasons, vec![Some("r1"), None, Some("r2"), None, None]);
    assert_eq!(
        out[0].suppression.as_ref().unwrap().kind,
        SuppressionKind::External
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}

#[test]
fn expired_and_unexplained_derogations_suppress_nothing_and_unused_ones_are_reported() {
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let c = config(
        "derogations:\n  - rule: CCT-K8S-008\n    reason: old\n    expires: 2026-12-02\n  - rule: CCT-K8S-008\n  - rule: CCT-K8S-009\n    reason: nothing to cover\n  - rule: CCT-NOPE-042\n    reason: unknown\n",
    );
    let d = Derogations::collect(Some(&c), &BTreeMap::new(), &[], &catalogue, today());
    let (out, diagnostics) = d.apply(vec![finding("CCT-K8S-008", "a.yaml", 3, "Pod", "a", &[])]);
    assert!(out[0].suppression.is_none());
    let codes: Vec<DiagnosticCode> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            DiagnosticCode::DerogationUnused,
            DiagnosticCode::DerogationUnknownRule
        ]
    );
    // The document the catalogue's rule judges: one derogation expired, one without reason.
    let doc = d.document().unwrap();
    let items = doc.value["derogations"].as_array().unwrap();
    assert_eq!(items[0]["expiredOn"], "2026-12-02");
    assert_eq!(items[1]["reason"], Value::Null);
    // Each located in the configuration.
    let (_, _, file) = doc
        .spans
        .locate_in("/derogations/1", crate::source::LocateMode::Value)
        .unwrap();
    assert_eq!(file.unwrap().path(), ".cct.yaml");
    // The day before expiry, it applies.
    let d = Derogations::collect(
        Some(&c),
        &BTreeMap::new(),
        &[],
        &catalogue,
        Date::parse("2026-12-01").unwrap(),
    );
    let (out, _) = d.apply(vec![finding("CCT-K8S-008", "a.yaml", 3, "Pod", "a", &[])]);
    assert_eq!(out[0].suppression.as_ref().unwrap().justification, "old");
}

#[test]
fn inline_comments_cover_their_line_or_the_next() {
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let file = SourceFile::new(
        "deploy/a.yaml",
        "a: 1\n# cct-ignore: CCT-K8S-008 -- mirror\nimage: x:latest\npolicy: Always  # cct-ignore: EXI-ARCH-27 -- same\n",
    );
    let mut files = BTreeMap::new();
    files.insert(file.path().to_string(), file);
    let d = Derogations::collect(None, &files, &[], &catalogue, today());
    let (out, _) = d.apply(vec![
        finding("CCT-K8S-008", "deploy/a.yaml", 3, "Pod", "a", &[]),
        finding("CCT-K8S-009", "deploy/a.yaml", 4, "Pod", "a", &[]),
        finding("CCT-K8S-008", "deploy/a.yaml", 4, "Pod", "a", &[]),
        finding("CCT-K8S-008", "deploy/b.yaml", 3, "Pod", "a", &[]),
    ]);
    let covered: Vec<bool> = out.iter().map(|f| f.suppression.is_some()).collect();
    assert_eq!(covered, vec![true, true, true, false]);
    assert_eq!(
        out[0].suppression.as_ref().unwrap().kind,
        SuppressionKind::InSource
    );
    assert_eq!(
        out[0]
            .suppression
            .as_ref()
            .unwrap()
            .location
            .as_ref()
            .unwrap()
            .start
            .line,
        2
    );
}

#[test]
fn a_baseline_marks_known_findings_and_reports_those_gone() {
    let known = finding("CCT-K8S-008", "a.yaml", 3, "Pod", "a", &[]);
    let gone = finding("CCT-K8S-001", "a.yaml", 9, "Pod", "a", &[]);
    let baseline = Baseline::of(&[known.clone(), gone]);
    let mut buf = Vec::new();
    baseline.write(&mut buf).unwrap();
    let path = std::env::temp_dir().join(format!("cct-baseline-{}.json", std::process::id()));
    std::fs::write(&path, &buf).unwrap();
    let read = Baseline::load(&path).unwrap();
    assert_eq!(read, baseline);
    let mut shifted = known;
    shifted.location.start.line = 30;
    let new = finding("CCT-K8S-009", "a.yaml", 4, "Pod", "a", &[]);
    let mut findings = vec![shifted, new];
    let absent = compare(&mut findings, &read, |_| true);
    assert_eq!(findings[0].baseline, Some(BaselineState::Unchanged));
    assert_eq!(findings[1].baseline, Some(BaselineState::New));
    assert!(!findings[0].counts() && findings[1].counts());
    assert_eq!(absent.len(), 1);
    assert_eq!(absent[0].rule, "CCT-K8S-001");
    std::fs::write(&path, "{\"version\": 7, \"findings\": []}").unwrap();
    assert!(matches!(
        Baseline::load(&path),
        Err(BaselineError::Version { found: 7, .. })
    ));
    let _ = std::fs::remove_file(&path);
}
