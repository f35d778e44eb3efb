//! Kustomize's `helmCharts`, inflated by cct's own Helm engine: what a scan judges of them (the
//! golden outputs are compared with the other overlays' in `kustomize.rs`), and a chart found
//! nowhere.

use std::path::{Path, PathBuf};

use cct_engine::{CatalogueBuilder, Finding, Scan, ScanOptions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn shown(f: &Finding) -> String {
    format!(
        "{} {}:{} {:?}",
        f.rule_id, f.location.path, f.location.start.line, f.environments
    )
}

/// A finding on an inflated chart's object lands on the values or template line that wrote
/// it, or on the overlay line that changed it, per overlay; the chart is judged only through
/// the builds inflating it, and its test hooks are not judged (Argo CD does not apply them).
#[test]
fn inflated_charts_are_judged_at_their_values_and_template_lines() {
    let catalogue = CatalogueBuilder::new().build().expect("catalogue");
    let scan = Scan::new(&catalogue, ScanOptions::default());
    let report = scan.run(&[root().join("fixtures/kustomize/helm")]);
    let all: Vec<String> = report.findings.iter().map(shown).collect();
    let find = |rule: &str, path: &str, line: u32, env: &str| {
        report.findings.iter().any(|f| {
            f.rule_id == rule
                && f.location.path.ends_with(path)
                && f.location.start.line == line
                && f.environments == vec![env.to_string()]
        })
    };
    // replicaCount: 1 of the chart's values.yaml, dev only (prod sets 3 inline).
    assert!(
        find("CCT-HA-002", "base/charts/web/values.yaml", 1, "dev"),
        "{all:#?}"
    );
    // The image repository of the chart's values, dev only (prod's images entry renames it:
    // reported at that line).
    assert!(
        find("CCT-PLT-001", "base/charts/web/values.yaml", 4, "dev"),
        "{all:#?}"
    );
    assert!(
        find(
            "CCT-PLT-001",
            "overlays/prod/kustomization.yaml",
            23,
            "prod"
        ),
        "{all:#?}"
    );
    // privileged: true, set by prod's patch on the rendered Deployment.
    assert!(
        find(
            "CCT-K8S-002",
            "overlays/prod/kustomization.yaml",
            31,
            "prod"
        ),
        "{all:#?}"
    );
    // The Deployment's labels: the template's metadata line.
    assert!(
        find(
            "CCT-PLT-003",
            "base/charts/web/templates/deployment.yaml",
            5,
            "dev"
        ),
        "{all:#?}"
    );
    for f in &report.findings {
        assert!(
            !f.environments.is_empty() && !f.environments.contains(&"default".to_string()),
            "the chart judged outside the builds: {}",
            shown(f)
        );
        assert!(
            !f.location.path.contains("templates/tests/"),
            "a test hook judged: {}",
            shown(f)
        );
    }
    // The values files the entries name are read by the builds, not judged as manifests.
    assert_eq!(report.stats.skipped_files, 0, "{:?}", report.stats);
    assert_eq!(report.stats.test_hooks, 2, "{:?}", report.stats);
    assert!(
        !report.diagnostics.iter().any(
            |d| d.code.as_str().starts_with("kustomize") || d.code.as_str().starts_with("helm")
        ),
        "{:#?}",
        report.diagnostics
    );
}

/// A chart found nowhere on disk is a warning at the entry's name (its repository is never
/// fetched); the build goes on without it.
#[test]
fn a_chart_found_nowhere_is_a_located_warning() {
    let dir = std::env::temp_dir().join(format!("cct-kustomize-helm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("kustomization.yaml"),
        "resources:\n  - cm.yaml\nhelmCharts:\n  - name: absent\n    version: 1.0.0\n    repo: https://charts.example.com\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    )
    .expect("write");
    let (text, warnings) =
        cct_engine::render_kustomization(&dir, Vec::new(), None).expect("builds");
    assert_eq!(text.matches("kind:").count(), 1, "{text}");
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].code.as_str(), "kustomize-helm-chart");
    assert!(warnings[0]
        .message
        .en
        .contains("https://charts.example.com"));
    let loc = warnings[0].location.as_ref().expect("located");
    assert_eq!((loc.start.line, loc.start.column), (4, 11));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `includeCRDs`, `skipTests` and a chart found through `--charts-dir` when the chart home
/// lacks it.
#[test]
fn crds_tests_and_charts_dirs() {
    let dir = std::env::temp_dir().join(format!("cct-kustomize-helm-opts-{}", std::process::id()));
    let chart = dir.join("vendor/demo");
    std::fs::create_dir_all(chart.join("templates/tests")).expect("temp dir");
    std::fs::create_dir_all(chart.join("crds")).expect("temp dir");
    std::fs::create_dir_all(dir.join("app")).expect("temp dir");
    let write = |p: PathBuf, t: &str| std::fs::write(p, t).expect("write");
    write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: demo\nversion: 0.3.0\n",
    );
    write(chart.join("values.yaml"), "port: 80\n");
    write(
        chart.join("crds/thing.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\n",
    );
    write(
        chart.join("templates/svc.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  ports:\n    - port: {{ .Values.port }}\n",
    );
    write(
        chart.join("templates/tests/t.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n",
    );
    let kustomization = |extra: &str| {
        write(
            dir.join("app/kustomization.yaml"),
            &format!("namespace: team\nhelmCharts:\n  - name: demo\n    version: \">=0.2.0\"\n    releaseName: rel\n{extra}"),
        )
    };
    let render = || {
        cct_engine::render_kustomization(&dir.join("app"), vec![dir.join("vendor")], None)
            .expect("builds")
    };
    kustomization("");
    let (text, warnings) = render();
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert!(text.contains("name: rel\n  namespace: team\n"), "{text}");
    assert!(text.contains("kind: Pod"), "{text}");
    assert!(!text.contains("CustomResourceDefinition"), "{text}");
    kustomization("    includeCRDs: true\n    skipTests: true\n    nameTemplate: named\n");
    let (text, _) = render();
    assert!(text.contains("name: named\n"), "{text}");
    assert!(!text.contains("kind: Pod"), "{text}");
    assert!(text.contains("kind: CustomResourceDefinition"), "{text}");
    // Without the --charts-dir folder, the chart is found nowhere.
    let (text, warnings) =
        cct_engine::render_kustomization(&dir.join("app"), Vec::new(), None).expect("builds");
    assert_eq!(text, "");
    assert_eq!(warnings[0].code.as_str(), "kustomize-helm-chart");
    let _ = std::fs::remove_dir_all(&dir);
}
