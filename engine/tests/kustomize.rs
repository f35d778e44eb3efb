//! Kustomize, natively: differential tests against the real `kustomize build`, and how a scan
//! judges kustomizations (overlays as environments, patches as fragments, findings at the line
//! that set the value).
//!
//! The golden outputs `fixtures/kustomize/*/expected/<overlay>.golden` were printed by the real
//! Kustomize v5.8.1 as kubectl 1.37.1 embeds it:
//! `../shared/tools/kustomize-reference/install.sh` then
//! `kustomize-reference fixtures/kustomize/<case>/overlays/<overlay> > …/expected/<overlay>.golden`.
//! cct reproduces kustomize's output order (its legacy sort by kind, then name), so documents
//! are compared in order, each as parsed JSON; the printed text is compared too.

use std::path::{Path, PathBuf};

use cct_engine::{CatalogueBuilder, Scan, ScanOptions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// The documents of a YAML stream, as JSON.
fn documents(name: &str, text: &str) -> Vec<serde_json::Value> {
    let file = cct_engine::source::SourceFile::new(name, text);
    let stream = cct_engine::yaml::parse(&file, &cct_engine::yaml::YamlLimits::default());
    assert!(
        stream.diagnostics.is_empty(),
        "{name}: {:#?}",
        stream.diagnostics
    );
    stream.documents.into_iter().map(|d| d.value).collect()
}

/// Every overlay with a golden output builds to the same documents, in the same order.
#[test]
fn overlays_build_as_kustomize_builds_them() {
    let cases = root().join("fixtures/kustomize");
    let mut compared = 0;
    let mut failures = Vec::new();
    for case in std::fs::read_dir(&cases)
        .expect("fixtures/kustomize")
        .flatten()
    {
        let expected = case.path().join("expected");
        let Ok(goldens) = std::fs::read_dir(&expected) else {
            continue;
        };
        for g in goldens.flatten() {
            let path = g.path();
            let Some(overlay) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".golden"))
            else {
                continue;
            };
            let dir = case.path().join("overlays").join(overlay);
            let want = std::fs::read_to_string(&path).expect("golden");
            let got = match cct_engine::render_kustomization(&dir, Vec::new(), None) {
                Ok((text, _)) => text,
                Err(e) => {
                    failures.push(format!("{}: {}", dir.display(), e.message.en));
                    continue;
                }
            };
            compared += 1;
            let (w, g) = (documents("expected", &want), documents("built", &got));
            if w != g {
                failures.push(format!(
                    "{}: documents differ\n--- expected\n{want}\n--- built\n{got}",
                    dir.display()
                ));
            } else if want != got {
                failures.push(format!(
                    "{}: same documents, printed differently\n--- expected\n{want}\n--- built\n{got}",
                    dir.display()
                ));
            }
        }
    }
    assert!(compared >= 2, "golden outputs found: {compared}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A scan of the fixture: the base is judged through its overlays only, the patches are never
/// judged as whole resources, and a value an overlay's patch sets is reported at the patch's
/// line, for that overlay only.
#[test]
fn overlays_are_environments_and_patches_are_fragments() {
    let catalogue = CatalogueBuilder::new().build().expect("catalogue");
    let scan = Scan::new(&catalogue, ScanOptions::default());
    let report = scan.run(&[root().join("fixtures/kustomize/shop")]);
    let shown = |f: &cct_engine::Finding| {
        format!(
            "{} {}:{} {:?}",
            f.rule_id, f.location.path, f.location.start.line, f.environments
        )
    };
    let all: Vec<String> = report.findings.iter().map(shown).collect();
    // No finding is about a patch file's own document (no "no image", "no probe"…): a
    // finding may point into a patch only for a value the patch set.
    for f in &report.findings {
        assert!(
            !f.environments.is_empty(),
            "a finding outside the builds: {}",
            shown(f)
        );
    }
    // hostNetwork: true, set by the dev overlay's patch (line 8), dev only.
    let host = report
        .findings
        .iter()
        .find(|f| f.rule_id == "CCT-K8S-005")
        .unwrap_or_else(|| panic!("no hostNetwork finding in {all:#?}"));
    assert!(
        host.location
            .path
            .ends_with("overlays/dev/debug-patch.yaml"),
        "{}",
        shown(host)
    );
    assert_eq!(host.location.start.line, 8, "{}", shown(host));
    assert_eq!(host.environments, vec!["dev".to_string()]);
    // The patch files are not judged on their own.
    assert!(
        !report.findings.iter().any(|f| f
            .location
            .path
            .ends_with("resources-patch.yaml")
            && f.environments.is_empty()),
        "{all:#?}"
    );
    // A finding written in the base is reported at the base's line, with each overlay that
    // deploys it.
    let in_base: Vec<&cct_engine::Finding> = report
        .findings
        .iter()
        .filter(|f| f.location.path.contains("/base/"))
        .collect();
    assert!(!in_base.is_empty(), "{all:#?}");
    let envs: std::collections::BTreeSet<&str> = in_base
        .iter()
        .flat_map(|f| f.environments.iter().map(String::as_str))
        .collect();
    assert_eq!(
        envs.into_iter().collect::<Vec<_>>(),
        vec!["dev", "prod"],
        "{all:#?}"
    );
    // No build failed.
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.code.as_str().starts_with("kustomize")),
        "{:#?}",
        report.diagnostics
    );
}

/// A remote resource is a located warning; the build goes on without it.
#[test]
fn remote_resources_are_never_fetched() {
    let dir = std::env::temp_dir().join(format!("cct-kustomize-remote-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("kustomization.yaml"),
        "resources:\n  - cm.yaml\n  - https://github.com/org/repo//deploy?ref=v1\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    )
    .expect("write");
    let (text, warnings) = cct_engine::kustomize::render(&dir, None).expect("builds");
    assert_eq!(documents("built", &text).len(), 1);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].code.as_str(), "kustomize-remote");
    let loc = warnings[0].location.as_ref().expect("located");
    assert_eq!(loc.start.line, 3);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A value set by an inline patch of a kustomization is reported at its line in the
/// kustomization file, the built position as related place.
#[test]
fn inline_patch_values_land_in_the_kustomization() {
    let catalogue = CatalogueBuilder::new().build().expect("catalogue");
    let scan = Scan::new(&catalogue, ScanOptions::default());
    let report = scan.run(&[root().join("fixtures/kustomize/batch")]);
    let privileged = report
        .findings
        .iter()
        .find(|f| f.rule_id == "CCT-K8S-002")
        .expect("privileged: true is found");
    assert!(
        privileged
            .location
            .path
            .ends_with("overlays/staging/kustomization.yaml"),
        "{:?}",
        privileged.location
    );
    assert_eq!(privileged.location.start.line, 29);
    assert_eq!(privileged.location.start.column, 29);
    assert_eq!(privileged.environments, vec!["staging".to_string()]);
    assert!(privileged
        .related
        .iter()
        .any(|r| r.location.path.ends_with("(kustomize build)")));
}
