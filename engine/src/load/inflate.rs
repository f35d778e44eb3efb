//! The Helm engine handed to Kustomize builds: it inflates a kustomization's `helmCharts`
//! entries (the kustomize room does not know Helm; both sit on the formats floor).
//!
//! A chart is looked for where kustomize looks (`<chartHome>/<name>-<version>/<name>`, then
//! `<chartHome>/<name>`), then as a chart's dependency is: among the charts of the scanned
//! tree, in the `--charts-dir` folders, in Helm's cache. Its repository is never fetched. The
//! values are kustomize's: `valuesFile`, `valuesInline` merged over it, then
//! `additionalValuesFiles`, each value keeping its line.

use std::path::{Path, PathBuf};

use crate::helm;
use crate::kube;
use crate::kustomize::{ChartRenderer, HelmChart};
use crate::source::{Document, SourceFile};
use crate::vocab::{Diagnostic, DiagnosticLevel};
use crate::yaml::YamlLimits;

/// Renders `helmCharts` entries with cct's Helm engine.
pub(crate) struct Inflater {
    /// Where charts not in the chart home are looked for.
    pub sources: helm::DependencySources,
    /// YAML limits.
    pub yaml: YamlLimits,
    /// Keys and password hashes made cheaply (a scan never uses them).
    pub cheap_keys: bool,
}

impl Inflater {
    /// The chart of an entry, loaded with its dependencies.
    fn chart(&self, entry: &HelmChart<'_>) -> Result<helm::Chart, Box<Diagnostic>> {
        let limits = helm::LoadLimits::default();
        let not_loaded = |e: helm::HelmError| {
            Box::new(entry.diagnostic(
                DiagnosticLevel::Error,
                format!("chart `{}` cannot be loaded: {e}; the build is checked without it", entry.name),
                format!("le chart `{}` ne peut pas être chargé : {e} ; la construction est vérifiée sans lui", entry.name),
            ))
        };
        if let Some(dir) = entry.local.iter().find(|d| d.join("Chart.yaml").is_file()) {
            return helm::load_chart(dir, &display(dir), &self.sources, &limits)
                .map_err(not_loaded);
        }
        match helm::find_chart(
            &entry.name,
            entry.version.as_deref(),
            &self.sources,
            &limits,
        ) {
            Some((chart, _, _)) => Ok(chart),
            None => {
                let wanted = entry.version.as_deref().unwrap_or("any version");
                let home = entry.local.last().map(|d| display(d)).unwrap_or_default();
                let repo = entry
                    .repo
                    .as_deref()
                    .map(|r| {
                        (
                            format!(" (repository {r} not fetched)"),
                            format!(" (dépôt {r} non téléchargé)"),
                        )
                    })
                    .unwrap_or_default();
                Err(Box::new(entry.diagnostic(
                    DiagnosticLevel::Warning,
                    format!("chart `{}` ({wanted}) is found nowhere: not in {home}, the scanned charts, the --charts-dir folders or Helm's cache{}; the build is checked without it", entry.name, repo.0),
                    format!("le chart `{}` ({wanted}) n'est trouvé nulle part : ni dans {home}, ni parmi les charts analysés, les dossiers --charts-dir ou le cache de Helm{} ; la construction est vérifiée sans lui", entry.name, repo.1),
                )))
            }
        }
    }

    /// kustomize's values: the values file, `valuesInline` over it, the additional files.
    fn values(&self, entry: &HelmChart<'_>) -> Result<helm::UserValues, Box<Diagnostic>> {
        let bad = |e: String| {
            Box::new(entry.diagnostic(
                DiagnosticLevel::Error,
                format!(
                    "chart `{}`: {e}; the build is checked without it",
                    entry.name
                ),
                format!(
                    "chart `{}` : {e} ; la construction est vérifiée sans lui",
                    entry.name
                ),
            ))
        };
        let mut values = helm::UserValues::default();
        let read = |values: &mut helm::UserValues, path: &Path| {
            let shown = display(path);
            let text = std::fs::read_to_string(path)
                .map_err(|e| bad(format!("cannot read values file {shown}: {e}")))?;
            values
                .add_file(&SourceFile::new(shown, text), &self.yaml)
                .map_err(|e| bad(e.message()))
        };
        if let Some(f) = &entry.values_file {
            read(&mut values, f)?;
        }
        let inline = format!("{}/valuesInline", entry.pointer);
        if let Some(t) = helm::values_at(entry.kustomization, &inline) {
            values.merge(t);
        }
        for f in &entry.additional_values_files {
            read(&mut values, f)?;
        }
        Ok(values)
    }
}

impl ChartRenderer for Inflater {
    fn render(&self, entry: &HelmChart<'_>) -> Result<Vec<Document>, Box<Diagnostic>> {
        let chart = self.chart(entry)?;
        let values = self.values(entry)?;
        let mut api_versions: Vec<String> = helm::PLATFORM_API_VERSIONS
            .iter()
            .map(|s| s.to_string())
            .collect();
        api_versions.extend(entry.api_versions.iter().cloned());
        let options = helm::RenderOptions {
            release_name: entry.release_name.clone(),
            namespace: entry
                .namespace
                .clone()
                .unwrap_or_else(|| "default".to_string()),
            include_crds: entry.include_crds,
            api_versions,
            kube_version: entry.kube_version.clone(),
            missing_dependencies: helm::MissingDependencies::Ignore,
            cheap_keys: self.cheap_keys,
            ..helm::RenderOptions::default()
        };
        let rendered = helm::render_loaded(&chart, &values, &options).map_err(|e| {
            let mut d = e.to_diagnostic();
            d.message.en = format!("helmCharts `{}`: {}", entry.name, d.message.en);
            d.message.fr = format!("helmCharts `{}` : {}", entry.name, d.message.fr);
            Box::new(d)
        })?;
        let (documents, _) = helm::documents(&rendered, None, &self.yaml);
        Ok(documents
            .into_iter()
            .filter(|d| !(entry.skip_tests && kube::is_test_hook(&d.value)))
            .filter(|d| !(entry.skip_hooks && is_hook(&d.value)))
            .collect())
    }
}

/// Whether a rendered object is a Helm hook.
fn is_hook(v: &serde_json::Value) -> bool {
    v.pointer("/metadata/annotations/helm.sh~1hook").is_some()
}

fn display(p: &Path) -> String {
    crate::discover::display_path(&crate::kustomize::normalize(p))
}

/// What `kustomize build --enable-helm DIR` prints, the charts of `helmCharts` inflated by
/// cct's Helm engine (looked for also in `charts_dirs` and Helm's cache): the YAML stream and
/// the build's warnings.
pub fn render_kustomization(
    dir: &Path,
    charts_dirs: Vec<PathBuf>,
    helm_cache: Option<PathBuf>,
) -> Result<(String, Vec<Diagnostic>), Box<Diagnostic>> {
    let inflater = Inflater {
        sources: helm::DependencySources {
            tree: Vec::new(),
            charts_dirs,
            helm_cache,
        },
        yaml: YamlLimits::default(),
        cheap_keys: false,
    };
    crate::kustomize::render(dir, Some(&inflater))
}
