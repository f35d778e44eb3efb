//! `helmCharts` (with `helmGlobals`): charts inflated as `kustomize build --enable-helm`
//! inflates them, by a [`ChartRenderer`] the caller gives (the loader hands the Helm engine; this
//! room does not know Helm). The rendered objects join the kustomization's resources after its
//! other generators and before its transformers, which apply to them (but for the namespace:
//! kustomize leaves the objects a chart renders in the namespace the chart gives them). Each
//! node keeps the template or values line that wrote it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::node::Node;
use super::read::Kustomization;
use super::{normalize, BuildError, Builder, Res};
use crate::source::{ByteRange, Document, SourceFile};
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};

/// Renders the chart of a `helmCharts` entry: the documents of what `helm template` prints,
/// each carrying the provenance of its bytes. A chart found nowhere, or that does not render,
/// is a diagnostic (located at the entry).
pub trait ChartRenderer: Sync {
    /// Render one entry.
    fn render(&self, chart: &HelmChart<'_>) -> Result<Vec<Document>, Box<Diagnostic>>;
}

/// One `helmCharts` entry, its paths resolved.
#[derive(Debug)]
pub struct HelmChart<'a> {
    /// The chart's name.
    pub name: String,
    /// The version wanted (`version`), if any.
    pub version: Option<String>,
    /// The repository it would be pulled from (`repo`): never fetched.
    pub repo: Option<String>,
    /// Where kustomize looks for the chart, in order: `<chartHome>/<name>-<version>/<name>`
    /// (where `helm pull` leaves a versioned chart of a repository), `<chartHome>/<name>`.
    pub local: Vec<PathBuf>,
    /// The release name (a literal `nameTemplate`, else `releaseName`; `release-name` when
    /// none, where Helm would generate one).
    pub release_name: String,
    /// The release namespace: the entry's `namespace`, else the nearest kustomization's.
    pub namespace: Option<String>,
    /// `valuesFile`.
    pub values_file: Option<PathBuf>,
    /// `additionalValuesFiles`, after the values file and `valuesInline`.
    pub additional_values_files: Vec<PathBuf>,
    /// `includeCRDs`.
    pub include_crds: bool,
    /// `skipTests`: test hooks left out.
    pub skip_tests: bool,
    /// `skipHooks`: every hook left out.
    pub skip_hooks: bool,
    /// `apiVersions`.
    pub api_versions: Vec<String>,
    /// `kubeVersion`.
    pub kube_version: Option<String>,
    /// The kustomization holding the entry (for `valuesInline`, read with its positions).
    pub kustomization: &'a Document,
    /// The entry's pointer in it (`/helmCharts/0`); `valuesInline` is below it.
    pub pointer: String,
    /// Where the entry names the chart, for diagnostics.
    pub at: (Arc<SourceFile>, ByteRange),
}

impl HelmChart<'_> {
    /// A diagnostic about this entry, located at its name.
    pub fn diagnostic(&self, level: DiagnosticLevel, en: String, fr: String) -> Diagnostic {
        Diagnostic::at(
            &self.at.0,
            self.at.1,
            DiagnosticCode::KustomizeHelmChart,
            level,
            Text::new(en, fr),
        )
    }
}

/// The chart home of a kustomization (`helmGlobals.chartHome`, default `charts`).
fn chart_home(dir: &Path, k: &Kustomization) -> PathBuf {
    let home = k
        .get("helmGlobals")
        .and_then(|g| g.get("chartHome"))
        .and_then(Value::as_str)
        .unwrap_or("charts");
    normalize(&dir.join(home))
}

/// Where kustomize looks for an entry's chart in the chart home, in order.
fn local_candidates(home: &Path, name: &str, version: Option<&str>) -> Vec<PathBuf> {
    let mut local = Vec::new();
    if let Some(v) = version {
        local.push(home.join(format!("{name}-{v}")).join(name));
    }
    local.push(home.join(name));
    local
}

/// The chart folders of a kustomization's `helmCharts` found in its chart home.
pub(super) fn local_charts(dir: &Path, k: &Kustomization) -> Vec<PathBuf> {
    let home = chart_home(dir, k);
    k.get("helmCharts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let name = e.get("name").and_then(Value::as_str)?;
            let version = e.get("version").and_then(Value::as_str);
            local_candidates(&home, name, version)
                .into_iter()
                .find(|d| d.join("Chart.yaml").is_file())
        })
        .collect()
}

/// The values files of a kustomization's `helmCharts` (read by its builds, not judged alone).
pub(super) fn values_files(dir: &Path, k: &Kustomization) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in k
        .get("helmCharts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let more = e.get("additionalValuesFiles").and_then(Value::as_array);
        let files = e
            .get("valuesFile")
            .into_iter()
            .chain(more.into_iter().flatten())
            .filter_map(Value::as_str);
        out.extend(files.map(|f| normalize(&dir.join(f))));
    }
    out
}

/// Inflate the charts of a kustomization's `helmCharts` into the resources.
pub(super) fn inflate(
    b: &mut Builder<'_>,
    dir: &Path,
    k: &Kustomization,
    acc: &mut Vec<Res>,
) -> Result<(), BuildError> {
    let Some(entries) = k.get("helmCharts").and_then(Value::as_array) else {
        return Ok(());
    };
    let home = chart_home(dir, k);
    let Some(renderer) = b.charts else {
        b.diagnostics.push(Diagnostic::at(
            &k.file,
            k.doc
                .spans
                .get("/helmCharts")
                .and_then(|s| s.key)
                .unwrap_or(k.range),
            DiagnosticCode::KustomizeUnsupported,
            DiagnosticLevel::Warning,
            Text::new(
                "`helmCharts` is not inflated here (no Helm engine given): the build is checked without it",
                "`helmCharts` n'est pas rendu ici (aucun moteur Helm donné) : la construction est vérifiée sans lui",
            ),
        ));
        return Ok(());
    };
    let inherited = b.namespaces.iter().rev().flatten().next().cloned();
    for (i, e) in entries.iter().enumerate() {
        let pointer = format!("/helmCharts/{i}");
        let text = |f: &str| e.get(f).and_then(Value::as_str).map(str::to_string);
        let flag = |f: &str| e.get(f).and_then(Value::as_bool).unwrap_or(false);
        let name = text("name").unwrap_or_default();
        let version = text("version");
        let local = local_candidates(&home, &name, version.as_deref());
        let chart = HelmChart {
            repo: text("repo"),
            local,
            // A literal `nameTemplate` names the release, as Helm's `--name-template`.
            release_name: text("nameTemplate")
                .filter(|t| !t.contains("{{") && !t.is_empty())
                .or_else(|| text("releaseName"))
                .unwrap_or_else(|| "release-name".to_string()),
            namespace: text("namespace").or_else(|| inherited.clone()),
            values_file: text("valuesFile").map(|f| normalize(&dir.join(f))),
            additional_values_files: e
                .get("additionalValuesFiles")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|f| normalize(&dir.join(f)))
                .collect(),
            include_crds: flag("includeCRDs"),
            skip_tests: flag("skipTests"),
            skip_hooks: flag("skipHooks"),
            api_versions: e
                .get("apiVersions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            kube_version: text("kubeVersion"),
            kustomization: &k.doc,
            at: (Arc::clone(&k.file), k.range(&format!("{pointer}/name"))),
            pointer,
            name,
            version,
        };
        let docs = match renderer.render(&chart) {
            Ok(docs) => docs,
            Err(d) => {
                b.diagnostics.push(*d);
                continue;
            }
        };
        for d in docs {
            if let Some(p) = &d.provenance {
                for f in p.map.files.iter().chain([&p.manifest]) {
                    if !b.files.iter().any(|g| g.path() == f.path()) {
                        b.files.push(Arc::clone(f));
                    }
                }
            }
            if !d.value.is_object() {
                continue;
            }
            let mut r = Res::new(Node::from_rendered(&d));
            r.from_chart = true;
            acc.push(r);
        }
    }
    Ok(())
}
