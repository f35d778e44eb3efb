//! One finding per fact: a fact two rules report at one place is reported once, by the rule
//! the catalogue gives precedence (`supersedes`); a finding reached through several containers
//! at one place is one finding naming them all.

use std::path::Path;

use cct_engine::{CatalogueBuilder, Scan, ScanOptions, Severity};

const CAPABILITIES: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: tools}
spec:
  containers:
    - name: tools
      image: harbor.example/prj/tools:1.0.0
      securityContext:
        capabilities:
          add: [SYS_ADMIN, NET_ADMIN, CHOWN]
";

#[test]
fn a_dangerous_capability_is_reported_once_by_the_rule_that_supersedes() {
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).check_text("pod.yaml", CAPABILITIES);
    let on_line: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.location.start.line == 10)
        .map(|f| (f.rule_id.as_str(), f.location.start.column))
        .collect();
    // SYS_ADMIN and NET_ADMIN: CCT-K8S-002 only; CHOWN (not dangerous, not allowed on the
    // platform either): CCT-K8S-003.
    assert_eq!(
        on_line,
        [
            ("CCT-K8S-002", 17),
            ("CCT-K8S-002", 28),
            ("CCT-K8S-003", 39)
        ],
        "{:#?}",
        report.findings
    );
    // The kept finding carries what refuses the object.
    let kept = report
        .findings
        .iter()
        .find(|f| f.rule_id == "CCT-K8S-002")
        .unwrap();
    assert_eq!(kept.severity, Severity::Error);
    assert!(kept.blocking.iter().any(|b| b == "scc:restricted-v2"));
}

#[test]
fn a_values_line_read_by_two_containers_is_one_finding_naming_both() {
    let chart = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/rules/CCT-K8S-008/fail/chart-one-values-line-two-containers");
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).run(&[chart]);
    let tags: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "CCT-K8S-008")
        .collect();
    assert_eq!(tags.len(), 1, "{tags:#?}");
    assert!(tags[0].location.path.ends_with("values.yaml"), "{tags:#?}");
    assert!(
        tags[0].message.en.contains("api, migrate"),
        "{}",
        tags[0].message.en
    );
    assert!(
        tags[0].message.fr.contains("api, migrate"),
        "{}",
        tags[0].message.fr
    );
}
