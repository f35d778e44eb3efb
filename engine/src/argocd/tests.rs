use std::path::Path;

use super::applications;
use crate::discover::{Format, Input};
use crate::yaml::YamlLimits;

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/argocd/shop")
}

#[test]
fn an_application_pointing_at_a_chart_of_the_tree_is_read() {
    let root = fixture();
    let input = Input {
        path: root.join("argocd/shop-prod.yaml"),
        display: "argocd/shop-prod.yaml".into(),
        format: Format::Manifest,
    };
    let apps = applications(&[input], &YamlLimits::default());
    assert_eq!(apps.len(), 1);
    let app = &apps[0];
    assert_eq!(app.name, "shop-prod");
    assert_eq!(
        app.chart_dir,
        std::fs::canonicalize(root.join("charts/shop")).unwrap()
    );
    assert_eq!(app.value_files, ["values-prod.yaml"]);
    assert_eq!(app.release_name, "shop");
    assert_eq!(app.namespace.as_deref(), Some("shop-prod"));
    assert_eq!(
        app.parameters,
        [("replicaCount".to_string(), "3".to_string(), false)]
    );
    assert_eq!(app.source_pointer, "/spec/source");
}

#[test]
fn other_documents_and_paths_that_hold_no_chart_are_left_out() {
    let dir = std::env::temp_dir().join(format!("cct-argocd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("apps.yaml");
    std::fs::write(
        &f,
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  source: {path: nowhere}\n---\napiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\n",
    )
    .unwrap();
    let input = Input {
        path: f,
        display: "apps.yaml".into(),
        format: Format::Manifest,
    };
    assert!(applications(&[input], &YamlLimits::default()).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}
