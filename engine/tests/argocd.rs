//! An Argo CD Application pointing at a chart of the scanned tree is an environment: its
//! values files, values and parameters, release name and destination namespace.

use std::path::Path;

use cct_engine::{CatalogueBuilder, Scan, ScanOptions};

#[test]
fn findings_of_an_application_render_are_tagged_with_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/argocd/shop");
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).run(&[root]);
    let tagged: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.environments.iter().any(|e| e == "shop-prod"))
        .collect();
    assert!(!tagged.is_empty(), "{:#?}", report.findings);
    // Rendered as Argo CD renders it: release `shop`, in the destination namespace.
    assert!(tagged
        .iter()
        .any(|f| f.subject.namespace == "shop-prod" && f.subject.name == "shop-web"));
    // values-prod.yaml (named by the Application) sets hostNetwork.
    assert!(
        tagged
            .iter()
            .any(|f| f.location.path.ends_with("charts/shop/values-prod.yaml")),
        "{tagged:#?}"
    );
    // The NetworkPolicy writes no namespace: in the Application's render it is in the
    // destination namespace, beside the Deployment, which it covers; in the other renders it
    // is not beside the Deployment (in the release's namespace).
    let coverage: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "CCT-NET-002")
        .collect();
    assert!(!coverage.is_empty(), "{:#?}", report.findings);
    assert!(
        coverage
            .iter()
            .all(|f| !f.environments.iter().any(|e| e == "shop-prod")),
        "{coverage:#?}"
    );
    assert_eq!(report.stats.environments, 3, "{:?}", report.stats);
    assert_eq!(report.stats.charts_rendered, 1);
}
