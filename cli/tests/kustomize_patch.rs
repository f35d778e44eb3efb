//! End to end: a Kustomize patch given alone (the pre-commit path) is judged through the
//! overlays that use it, its findings at the patch's lines, each with its overlay; a patch
//! that no kustomization uses is a partial object, reported as such and not judged.

mod common;

use common::{cct, stdout};

/// The findings of a JSON report: (rule, path, line, environments).
fn findings(out: &str) -> Vec<(String, String, u64, Vec<String>)> {
    let v: serde_json::Value = serde_json::from_str(out).expect("json");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["path"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["environments"]
                    .as_array()
                    .map(|l| {
                        l.iter()
                            .filter_map(|e| e.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_patch_given_alone_is_judged_through_its_overlay() {
    let patch = "fixtures/kustomize/shop/overlays/dev/debug-patch.yaml";
    let o = cct(&["check", "--format", "json", patch]);
    let out = stdout(&o);
    let all = findings(&out);
    // Only findings in the patch, each with its overlay: no "no image", "no probe" on the
    // patch's partial Deployment, nothing of the base.
    assert!(!all.is_empty(), "{out}");
    for (rule, path, _, envs) in &all {
        assert_eq!(path, patch, "{rule} {path}");
        assert_eq!(envs, &vec!["dev".to_string()], "{rule} {path}");
    }
    assert!(
        all.iter()
            .any(|(rule, _, line, _)| rule == "CCT-K8S-005" && *line == 8),
        "{all:?}"
    );
}

#[test]
fn a_patch_no_kustomization_uses_is_a_partial_object() {
    // No kustomization around it uses it (fixtures/kustomize/lone holds none).
    let o = cct(&[
        "check",
        "--format",
        "json",
        "fixtures/kustomize/lone/patch.yaml",
    ]);
    let out = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(findings(&out).is_empty(), "{out}");
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["kustomize-fragment"], "{out}");
}
