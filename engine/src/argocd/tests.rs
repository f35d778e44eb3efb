use std::path::Path;

use super::{applications, Target, ValueFile};
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
    let apps = applications(&[input], &YamlLimits::default(), 32 << 20);
    assert_eq!(apps.len(), 1);
    let app = &apps[0];
    assert_eq!(app.name, "shop-prod");
    assert_eq!(app.target, Target::Chart);
    assert_eq!(
        app.dir,
        std::fs::canonicalize(root.join("charts/shop")).unwrap()
    );
    assert_eq!(
        app.value_files,
        [ValueFile::Chart("values-prod.yaml".to_string())]
    );
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
    assert!(applications(&[input], &YamlLimits::default(), 32 << 20).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_application_set_of_static_lists_gives_one_application_per_element() {
    let root = std::env::temp_dir().join(format!("cct-appset-{}", std::process::id()));
    std::fs::create_dir_all(root.join("charts/shop")).unwrap();
    std::fs::create_dir_all(root.join("argocd")).unwrap();
    std::fs::write(
        root.join("charts/shop/Chart.yaml"),
        "apiVersion: v2
name: shop
version: 1.0.0
",
    )
    .unwrap();
    let set = "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: shop}
spec:
  generators:
    - list:
        elements:
          - {env: qual, replicas: 2}
          - {env: prod, replicas: 4}
  template:
    metadata: {name: 'shop-{{env}}'}
    spec:
      source:
        path: charts/shop
        helm:
          valueFiles: ['values-{{env}}.yaml']
          parameters: [{name: replicaCount, value: '{{replicas}}'}]
      destination: {namespace: 'shop-{{env}}'}
";
    let path = root.join("argocd/set.yaml");
    let read = |text: &str| {
        std::fs::write(&path, text).unwrap();
        let input = Input {
            path: path.clone(),
            display: "argocd/set.yaml".into(),
            format: Format::Manifest,
        };
        applications(&[input], &YamlLimits::default(), 32 << 20)
    };
    let apps = read(set);
    let got: Vec<_> = apps
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.value_files.clone(),
                a.namespace.clone(),
                a.parameters[0].1.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "shop-qual",
                vec![ValueFile::Chart("values-qual.yaml".to_string())],
                Some("shop-qual".to_string()),
                "2".to_string()
            ),
            (
                "shop-prod",
                vec![ValueFile::Chart("values-prod.yaml".to_string())],
                Some("shop-prod".to_string()),
                "4".to_string()
            ),
        ]
    );
    // A generator that is not a static list: nothing is generated.
    let other = set.replace(
        "    - list:",
        "    - git:
        repoURL: x
      list:",
    );
    let apps = read(&other);
    std::fs::remove_dir_all(&root).unwrap();
    assert!(apps.is_empty());
}

/// Git generators over this repository: files (content and path parameters, legacy form) and
/// directories (with an exclusion, goTemplate form).
#[test]
fn git_generators_give_one_application_per_file_or_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/argocd/generators");
    let input = |name: &str| Input {
        path: root.join("appsets").join(name),
        display: format!("appsets/{name}"),
        format: Format::Manifest,
    };
    let apps = applications(
        &[input("shop.yaml"), input("web.yaml")],
        &YamlLimits::default(),
        32 << 20,
    );
    let got: Vec<_> = apps
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.target,
                a.dir.ends_with("charts/shop") || a.dir.ends_with("overlays/prod"),
                a.namespace.clone().unwrap_or_default(),
                a.parameters.first().map(|p| p.1.clone()),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "shop-prod",
                Target::Chart,
                true,
                "shop-prod".to_string(),
                Some("4".to_string())
            ),
            (
                "shop-qual",
                Target::Chart,
                true,
                "shop-qual".to_string(),
                Some("2".to_string())
            ),
            (
                "web-prod",
                Target::Kustomize,
                true,
                "web-prod".to_string(),
                None
            ),
        ]
    );
}

/// `sources`: the chart source is found, `$values/…` of a `ref` source of the same repository
/// is read from its root, a `ref` of another repository is not.
#[test]
fn values_references_are_resolved_against_ref_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/argocd/sources");
    let input = Input {
        path: root.join("argocd/shop-prod.yaml"),
        display: "argocd/shop-prod.yaml".into(),
        format: Format::Manifest,
    };
    let apps = applications(&[input], &YamlLimits::default(), 32 << 20);
    assert_eq!(apps.len(), 1);
    let app = &apps[0];
    assert_eq!(app.source_pointer, "/spec/sources/0");
    assert_eq!(app.root, std::fs::canonicalize(&root).unwrap());
    assert!(app.ignore_missing);
    assert_eq!(
        app.value_files,
        [
            ValueFile::Repository("envs/prod/values.yaml".to_string()),
            ValueFile::Chart("values-prod.yaml".to_string()),
            ValueFile::Elsewhere("$external/prod.yaml".to_string()),
        ]
    );
}

#[test]
fn files_of_the_repository_are_shown_beside_the_source_folder() {
    use super::display_in_repo;
    assert_eq!(
        display_in_repo("repo/charts/shop", "charts/shop", "envs/prod.yaml"),
        "repo/envs/prod.yaml"
    );
    assert_eq!(
        display_in_repo("charts/shop", "./charts/shop/", "envs/prod.yaml"),
        "envs/prod.yaml"
    );
    assert_eq!(
        display_in_repo("linked", "charts/shop", "envs/prod.yaml"),
        "linked/../../envs/prod.yaml"
    );
}

mod inline {
    use crate::source::{DocFormat, LocateMode, SourceFile};
    use crate::yaml::{self, YamlLimits};

    use super::super::inline_values;

    const APP: &str = "\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop-prod}
spec:
  sources:
    - repoURL: https://charts.bitnami.com/bitnami
      chart: redis
      helm:
        values: |
          auth:

            password: r3d1s
    - repoURL: https://charts.bitnami.com/bitnami
      chart: postgresql
      helm:
        valuesObject:
          auth: {postgresPassword: changeme}
        values: 'ignored: {because: valuesObject}'
    - repoURL: https://charts.example/x
      chart: x
      helm:
        values: \"auth: {password: folded}\"
";

    fn line_of(doc: &crate::source::Document, pointer: &str) -> u32 {
        let (range, found) = doc.spans.locate(pointer, LocateMode::Value).unwrap();
        assert!(found, "{pointer}");
        doc.file.line_col(range.start).line
    }

    #[test]
    fn inline_values_are_documents_located_in_the_application_file() {
        let file = SourceFile::new("apps/shop.yaml", APP);
        let app = yaml::parse(&file, &YamlLimits::default())
            .documents
            .remove(0);
        let values = inline_values(&app, &YamlLimits::default());
        assert_eq!(values.len(), 3);
        assert!(values.iter().all(|v| v.format == DocFormat::HelmValues));
        // A literal block scalar: line for line, blank lines included.
        assert_eq!(values[0].value["auth"]["password"], "r3d1s");
        assert_eq!(line_of(&values[0], "/auth/password"), 12);
        let col = values[0]
            .file
            .line_col(values[0].spans.get("/auth/password").unwrap().value.start)
            .column;
        assert_eq!(col, 23);
        // valuesObject wins over values, as in Argo CD.
        assert_eq!(values[1].value["auth"]["postgresPassword"], "changeme");
        assert_eq!(line_of(&values[1], "/auth/postgresPassword"), 17);
        let facts = values[1].facts.as_ref().unwrap();
        assert_eq!(facts.value["chart"]["name"], "postgresql");
        assert_eq!(facts.value["chart"]["bitnamiDependencies"], true);
        assert_eq!(facts.value["application"], "shop-prod");
        // Another scalar style: every node at the string.
        assert_eq!(values[2].value["auth"]["password"], "folded");
        assert_eq!(line_of(&values[2], "/auth/password"), 22);
    }

    #[test]
    fn other_documents_have_no_inline_values() {
        let file = SourceFile::new(
            "x.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
        );
        let doc = yaml::parse(&file, &YamlLimits::default())
            .documents
            .remove(0);
        assert!(inline_values(&doc, &YamlLimits::default()).is_empty());
    }
}

/// With `goTemplate`, each string of the template is a Go template run with Argo CD's
/// functions (Sprig, `normalize`); `goTemplateOptions: [missingkey=error]` makes a missing key
/// fail the set (no Application), as Argo CD does, where by default it is empty.
#[test]
fn go_templates_run_with_functions_and_missing_key_options() {
    let root = std::env::temp_dir().join(format!("cct-appset-go-{}", std::process::id()));
    for dir in ["charts/shop", "argocd", "envs/Prod_EU", "envs/qual"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    let write = |p: &str, t: &str| std::fs::write(root.join(p), t).unwrap();
    write(
        "charts/shop/Chart.yaml",
        "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
    );
    write(
        "envs/Prod_EU/config.yaml",
        "namespace: shop-prod\nreplicas: 4\n",
    );
    write("envs/qual/config.yaml", "replicas: 1\n");
    let set = |options: &str| {
        format!(
            "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {{name: shop}}
spec:
  goTemplate: true
{options}  generators:
    - git:
        repoURL: https://gitlab.example.com/shop/infra.git
        files: [{{path: 'envs/*/config.yaml'}}]
  template:
    metadata: {{name: '{{{{ printf \"shop-%s\" .path.basename | normalize }}}}'}}
    spec:
      source:
        path: charts/shop
        helm:
          parameters: [{{name: replicaCount, value: '{{{{ mul .replicas 2 }}}}'}}]
      destination: {{namespace: '{{{{ .namespace | default \"shop-default\" }}}}'}}
"
        )
    };
    let read = |text: &str| {
        write("argocd/set.yaml", text);
        let input = Input {
            path: root.join("argocd/set.yaml"),
            display: "argocd/set.yaml".into(),
            format: Format::Manifest,
        };
        applications(&[input], &YamlLimits::default(), 32 << 20)
    };
    let apps = read(&set(""));
    let got: Vec<_> = apps
        .iter()
        .map(|a| {
            (
                a.name.clone(),
                a.namespace.clone().unwrap_or_default(),
                a.parameters[0].1.clone(),
            )
        })
        .collect();
    let want = [
        ("shop-prod-eu", "shop-prod", "8"),
        ("shop-qual", "shop-default", "2"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(got, want);
    let strict = read(&set("  goTemplateOptions: [\"missingkey=error\"]\n"));
    std::fs::remove_dir_all(&root).unwrap();
    assert!(strict.is_empty(), "{strict:#?}");
}
