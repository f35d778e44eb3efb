//! Files that are templates for other tools (unquoted `{{ }}` placeholders) are told apart
//! from manifests, through the pre-commit path (`Scan::check_text`).

use cct_engine::{CatalogueBuilder, Scan, ScanOptions};

fn codes(text: &str) -> (Vec<String>, usize) {
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).check_text("x.yaml", text);
    (
        report
            .diagnostics
            .iter()
            .map(|d| d.code.to_string())
            .collect(),
        report.stats.resources,
    )
}

#[test]
fn templates_of_other_tools_are_told_apart_from_manifests() {
    // A template for a script: unquoted placeholders in a Service.
    let (c, _) = codes("apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-{{cell}}\n");
    assert_eq!(c, vec!["template-placeholder"]);
    // A placeholder read as a mapping key.
    let (c, _) = codes("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    cell: {{cell}}\n");
    assert_eq!(c, vec!["template-placeholder"]);
    // An ApplicationSet's parameters and a PrometheusRule's annotations are data.
    let (c, n) = codes("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      name: pr-{{number}}\n");
    assert!(c.is_empty(), "{c:?}");
    assert_eq!(n, 1);
    let (c, _) = codes("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: r\nspec:\n  groups:\n  - rules:\n    - annotations:\n        description: failed for {{ $labels.pod }}.\n");
    assert!(c.is_empty(), "{c:?}");
}
