//! A finding about a chart's files (no `values.yaml`, no `values.schema.json`) is located in
//! its `Chart.yaml` at the first key, on one line, never across the whole file.

use std::path::Path;

use cct_engine::{CatalogueBuilder, Scan, ScanOptions};

#[test]
fn a_chart_fact_is_shown_on_one_line() {
    let chart =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/rules/CCT-HELM-002/fail/no-values");
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).run(&[chart]);
    let facts: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "CCT-HELM-002" || f.rule_id == "CCT-HELM-005")
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.location.path.rsplit('/').next().unwrap_or_default(),
                (f.location.start.line, f.location.start.column),
                (f.location.end.line, f.location.end.column),
            )
        })
        .collect();
    // Line 1 is a comment: `apiVersion` is on line 2.
    assert_eq!(
        facts,
        [
            ("CCT-HELM-002", "Chart.yaml", (2, 1), (2, 11)),
            ("CCT-HELM-005", "Chart.yaml", (2, 1), (2, 11)),
        ],
        "{:#?}",
        report.findings
    );
}
