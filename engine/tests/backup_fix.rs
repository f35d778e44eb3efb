//! CCT-BKP-001's finding says the fix that fits the workload: the dump tool of the database
//! its image runs, else a backup of its volumes.

use std::path::Path;

use cct_engine::{CatalogueBuilder, Scan, ScanOptions};

#[test]
fn the_fix_fits_the_workload() {
    let unit =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/rules/CCT-BKP-001/fail/stateful");
    let catalogue = CatalogueBuilder::new().build().unwrap();
    let report = Scan::new(&catalogue, ScanOptions::default()).run(&[unit]);
    let message = |name: &str| {
        report
            .findings
            .iter()
            .find(|f| f.rule_id == "CCT-BKP-001" && f.subject.name == name)
            .map(|f| f.message.en.clone())
            .unwrap_or_default()
    };
    // A MariaDB image: its dump tool (not CloudNativePG, not mysqldump).
    let mariadb = message("mariadb");
    assert!(mariadb.contains("runs mariadb-dump"), "{mariadb}");
    assert!(!mariadb.contains("CloudNativePG"), "{mariadb}");
    // An application's volume: Velero or a copy of the volume.
    let uploads = message("uploads");
    assert!(uploads.contains("Velero Schedule"), "{uploads}");
    assert!(!uploads.contains("dump"), "{uploads}");
}
