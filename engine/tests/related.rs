//! Related places a Rego result names: a Service's named targetPort shows the container port it
//! resolves to, in another resource of the unit.

use std::path::Path;

use cct_engine::{CatalogueBuilder, Scan, ScanOptions, Severity};

#[test]
fn a_named_target_port_shows_the_container_port_it_resolves_to() {
    let unit = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/rules/CCT-K8S-006/fail/service-named-target-port");
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).run(&[unit]);
    let named: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "CCT-K8S-006" && f.location.path.ends_with("service.yaml"))
        .collect();
    assert_eq!(named.len(), 1, "{named:#?}");
    let f = named[0];
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!((f.location.start.line, f.location.start.column), (10, 7));
    let related: Vec<_> = f
        .related
        .iter()
        .map(|r| {
            (
                r.location
                    .path
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                r.location.start.line,
                r.location.start.column,
            )
        })
        .collect();
    assert_eq!(related, [("deployment.yaml".to_string(), 17, 30)]);
}
