use std::path::PathBuf;

use super::*;
use crate::CatalogueBuilder;

fn parsed(text: &str) -> Result<LoadedConfig, ConfigError> {
    parse(".cct.yaml", text, PathBuf::from("."))
}

fn first_error(text: &str) -> (u32, u32, String) {
    let e = parsed(text).expect_err("invalid");
    let d = &e.diagnostics[0];
    let l = d.location.as_ref().expect("located");
    (l.start.line, l.start.column, d.message.en.clone())
}

#[test]
fn an_empty_file_is_the_default_configuration() {
    let c = parsed("# nothing yet\n").unwrap();
    assert!(c.config.rules.is_empty());
    assert!(c.config.profile.is_none());
}

#[test]
fn a_full_configuration_reads() {
    let c = parsed(
        "profile: kubernetes\nlang: en\nfail_on: warning\nallow_unjudged: true\nbaseline: .cct-baseline.json\npaths:\n  exclude: [\"vendor/**\"]\ncharts_dirs: [../charts]\ncharts:\n  - path: charts/api\n    values: [values-ci.yaml]\n    environments:\n      prod: [values-prod.yaml]\nrules:\n  CCT-DKR-014: {enabled: false}\n  k8s-zone-spread: {severity: error}\nparams:\n  min_port: 2000\nderogations:\n  - requirement: EXI-ARCH-27\n    paths: [\"charts/api/**\"]\n    reason: mirror pending\n    expires: 2027-06-30\n    reference: DEROG-42\n",
    )
    .unwrap();
    assert_eq!(c.config.profile, Some(crate::Profile::Kubernetes));
    assert_eq!(c.config.fail_on, Some(FailOn::Warning));
    assert_eq!(c.config.charts[0].environments["prod"].len(), 1);
    assert_eq!(
        c.config.derogations[0].reference.as_deref(),
        Some("DEROG-42")
    );
}

#[test]
fn errors_are_located() {
    // An unknown key.
    let (line, col, msg) = first_error("profile: cpin\nlanguage: en\n");
    assert_eq!((line, col), (2, 1), "{msg}");
    // A wrong value.
    let (line, col, msg) = first_error("profile: cpin\nfail_on: sometimes\n");
    assert_eq!((line, col), (2, 10), "{msg}");
    // A wrong type deep inside.
    let (line, _, msg) = first_error("rules:\n  CCT-K8S-008:\n    enabled: maybe\n");
    assert_eq!(line, 3, "{msg}");
}

#[test]
fn rules_requirements_and_parameters_are_resolved_against_the_catalogue() {
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let c = parsed("rules:\n  EXI-ARCH-27: {severity: warning}\n  CCT-K8S-008: {severity: note}\n  dockerfile-healthcheck-informational: {enabled: false}\n").unwrap();
    let s = RuleSettings::resolve(&c, &catalogue).unwrap();
    // The rule's own setting wins over its requirement's.
    assert_eq!(
        s.get("CCT-K8S-008").and_then(|r| r.severity),
        Some(crate::Severity::Note)
    );
    assert_eq!(
        s.get("CCT-K8S-009").and_then(|r| r.severity),
        Some(crate::Severity::Warning)
    );
    assert_eq!(s.get("CCT-DKR-014").and_then(|r| r.enabled), Some(false));

    let c = parsed("rules:\n  CCT-NOPE-001: {enabled: false}\n").unwrap();
    let e = RuleSettings::resolve(&c, &catalogue).unwrap_err();
    assert_eq!(e.diagnostics[0].code, DiagnosticCode::ConfigUnknownRule);
    assert_eq!(e.diagnostics[0].location.as_ref().unwrap().start.line, 2);

    let c = parsed("params:\n  no_such_parameter: 1\n").unwrap();
    let e = RuleSettings::resolve(&c, &catalogue).unwrap_err();
    assert_eq!(
        e.diagnostics[0].code,
        DiagnosticCode::ConfigUnknownParameter
    );
}

#[test]
fn the_nearest_file_above_is_found() {
    let base = std::env::temp_dir().join(format!("cct-config-{}", std::process::id()));
    std::fs::create_dir_all(base.join("a/b")).unwrap();
    std::fs::write(base.join(".cct.yaml"), "profile: cpin\n").unwrap();
    let found = find(&base.join("a/b")).unwrap();
    assert!(found.ends_with(".cct.yaml"));
    std::fs::write(base.join("a/.cct.yml"), "profile: cpin\n").unwrap();
    assert!(find(&base.join("a/b")).unwrap().ends_with("a/.cct.yml"));
    let _ = std::fs::remove_dir_all(&base);
}
