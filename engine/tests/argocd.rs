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

/// `sources` with a `$values` reference: the values file at the repository's root is read
/// (findings point into it); a missing file is left out with `ignoreMissingValueFiles`, and
/// a `ref` of another repository is not read.
#[test]
fn a_values_reference_of_this_repository_is_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/argocd/sources");
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).run(&[root]);
    let host = report
        .findings
        .iter()
        .find(|f| f.rule_id == "CCT-K8S-005" && f.environments.iter().any(|e| e == "shop-prod"))
        .unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(
        host.location
            .path
            .ends_with("sources/envs/prod/values.yaml"),
        "{:?}",
        host.location
    );
    assert_eq!(host.location.start.line, 3);
    assert_eq!(host.subject.namespace, "shop-prod");
    // Rendered: no diagnostic about a values file.
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.code.as_str().starts_with("helm")),
        "{:#?}",
        report.diagnostics
    );
    assert_eq!(report.stats.environments, 2, "{:?}", report.stats);
}

/// An Application building a kustomization with a `kustomize` block: its own environment,
/// the block over the overlay's kustomization (prefix, image, replicas, labels, patch), the
/// value its patch sets reported at the patch's line in the Application.
#[test]
fn an_application_kustomize_block_is_built_over_the_overlay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/argocd/kustomize");
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).run(&[root]);
    let host = report
        .findings
        .iter()
        .find(|f| f.rule_id == "CCT-K8S-005")
        .unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert_eq!(host.environments, vec!["web-prod".to_string()]);
    assert!(
        host.location.path.ends_with("argocd/web-prod.yaml"),
        "{:?}",
        host.location
    );
    assert_eq!(host.location.start.line, 28);
    assert_eq!(host.subject.name, "shop-web");
    // The resources that write no namespace are in the Application's destination namespace;
    // the overlay's own build has none.
    for f in report
        .findings
        .iter()
        .filter(|f| f.subject.kind == "Deployment")
    {
        let want = if f.environments == ["web-prod"] {
            "web-prod"
        } else {
            ""
        };
        assert_eq!(f.subject.namespace, want, "{f:#?}");
    }
    // The overlay's own build is an environment too; the base, included, is not built alone.
    assert!(report
        .findings
        .iter()
        .any(|f| f.environments.iter().any(|e| e == "prod")));
    assert!(report
        .findings
        .iter()
        .filter(|f| f.location.path.contains("/apps/web/"))
        .all(|f| !f.environments.is_empty()));
}

/// The same finding from an overlay's own build and from an ApplicationSet's Application
/// building it (another subject namespace: the Application's destination) is reported once,
/// with both environments.
#[test]
fn a_finding_seen_by_an_overlay_and_its_application_keeps_both_environments() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/argocd/generators");
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).run(&[root]);
    let replicas = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "CCT-HA-002" && f.subject.name == "web-prod")
        .collect::<Vec<_>>();
    assert_eq!(replicas.len(), 1, "{replicas:#?}");
    assert_eq!(replicas[0].environments, ["prod", "web-prod"]);
}
