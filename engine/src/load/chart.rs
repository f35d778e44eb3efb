//! A Helm chart: rendered with its defaults and once per environment (`values-<env>.yaml`,
//! `values.<env>.yaml`, `values/<env>/values.yaml`), each render a deployment unit whose
//! documents trace their bytes back to the values and template lines that wrote them.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{LoadOptions, Loaded, Stats};
use crate::discover::Input;
use crate::helm;
use crate::kube;
use crate::source::SourceFile;
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};

/// The API versions a chart sees on the Cloud π Native platform (`--api-versions`).
const CPIN_API_VERSIONS: &[&str] = &[
    "security.openshift.io/v1",
    "route.openshift.io/v1",
    "monitoring.coreos.com/v1",
];

/// A Helm chart: rendered with its defaults and once per environment (`values-<env>.yaml`,
/// `values.<env>.yaml`, `values/<env>/values.yaml`), each render a deployment unit whose
/// documents trace their bytes back to the values and template lines that wrote them.
pub(super) fn load(input: &Input, options: &LoadOptions) -> Loaded {
    let display = input.display.clone();
    let mut out = Loaded {
        stats: Stats {
            charts: 1,
            ..Stats::default()
        },
        ..Loaded::default()
    };
    let chart_file = format!("{display}/Chart.yaml");
    let chart = match helm::load_chart(
        &input.path,
        &display,
        &options.charts_dirs,
        &helm::LoadLimits::default(),
    ) {
        Ok(chart) => chart,
        Err(e) => {
            out.diagnostics.push(Diagnostic::for_path(
                &chart_file,
                DiagnosticCode::HelmLoad,
                DiagnosticLevel::Error,
                Text::new(
                    format!("this Helm chart cannot be loaded: {e}; it was not checked"),
                    format!("ce chart Helm ne peut pas être chargé : {e} ; il n'a pas été vérifié"),
                ),
            ));
            return out;
        }
    };
    out.diagnostics.extend(chart.diagnostics.iter().cloned());
    if chart.metadata.is_library() {
        return out;
    }
    for missing in &chart.missing {
        out.diagnostics.push(Diagnostic::for_path(
            &chart_file,
            DiagnosticCode::HelmMissingDependency,
            DiagnosticLevel::Warning,
            Text::new(
                format!("dependency `{missing}` is neither in charts/ nor in a --charts-dir folder: the chart is checked without it"),
                format!("la dépendance `{missing}` n'est ni dans charts/ ni dans un dossier --charts-dir : le chart est vérifié sans elle"),
            ),
        ));
    }
    // The configuration may name the chart's environments and add values files to each render.
    let canonical = std::fs::canonicalize(&input.path).unwrap_or_else(|_| input.path.clone());
    let settings = options.charts.iter().find(|c| c.dir == canonical);
    let extra: Vec<String> = settings.map(|c| c.values.clone()).unwrap_or_default();
    let environments: Vec<helm::Environment> = match settings.and_then(|c| c.environments.clone()) {
        Some(envs) => envs
            .into_iter()
            .map(|(name, files)| helm::Environment { name, files })
            .collect(),
        None => helm::environments(&input.path),
    };
    let default = helm::Environment {
        name: "default".to_string(),
        files: extra.clone(),
    };
    let mut renders: Vec<(Option<String>, helm::UserValues)> = Vec::new();
    match helm::UserValues::for_environment(&input.path, &display, &default, &options.yaml) {
        Ok(values) => renders.push((None, values)),
        Err(e) => out.diagnostics.push(Diagnostic::for_path(
            &chart_file,
            DiagnosticCode::HelmValues,
            DiagnosticLevel::Error,
            Text::new(
                format!("{e}; the chart was not checked with its defaults"),
                format!("{e} ; le chart n'a pas été vérifié avec ses valeurs par défaut"),
            ),
        )),
    }
    for mut env in environments {
        env.files.splice(0..0, extra.iter().cloned());
        match helm::UserValues::for_environment(&input.path, &display, &env, &options.yaml) {
            Ok(values) => renders.push((Some(env.name.clone()), values)),
            Err(e) => out.diagnostics.push(Diagnostic::for_path(
                &chart_file,
                DiagnosticCode::HelmValues,
                DiagnosticLevel::Error,
                Text::new(
                    format!("environment `{}`: {e}; it was not checked", env.name),
                    format!(
                        "environnement `{}` : {e} ; il n'a pas été vérifié",
                        env.name
                    ),
                ),
            )),
        }
    }
    let render_options = helm::RenderOptions {
        display: Some(display.clone()),
        charts_dirs: options.charts_dirs.clone(),
        missing_dependencies: helm::MissingDependencies::Ignore,
        // As Argo CD renders on the platform: OpenShift, routes and the monitoring stack
        // are there (REQUIREMENTS §3.2).
        api_versions: CPIN_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
        ..helm::RenderOptions::default()
    };
    let options_yaml = &options.yaml;
    let mut sources: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
    for (env, values) in renders {
        let label = env.clone().unwrap_or_else(|| "default".to_string());
        match helm::render_loaded(&chart, &values, &render_options) {
            Ok(rendered) => {
                for f in &rendered.provenance.files {
                    sources.insert(f.path().to_string(), Arc::clone(f));
                }
                let (documents, diagnostics) =
                    helm::documents(&rendered, env.as_deref(), options_yaml);
                out.diagnostics.extend(diagnostics);
                let mut kept = Vec::new();
                for doc in documents {
                    if let Some(p) = &doc.provenance {
                        sources.insert(p.manifest.path().to_string(), Arc::clone(&p.manifest));
                    }
                    if kube::is_object(&doc.value) {
                        out.stats.resources += kube::resources(&doc).len();
                        kept.push(doc);
                    } else {
                        out.stats.skipped_documents += 1;
                    }
                }
                out.units.push((format!("{display} ({label})"), kept));
            }
            Err(e) => {
                let mut d = e.to_diagnostic();
                if env.is_some() {
                    d.message = Text::new(
                        format!("environment `{label}`: {}", d.message.en),
                        format!("environnement `{label}` : {}", d.message.fr),
                    );
                }
                out.diagnostics.push(d);
            }
        }
    }
    out.sources = sources.into_values().collect();
    out
}
