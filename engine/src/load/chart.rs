//! A Helm chart: rendered with its defaults and once per environment (`values-<env>.yaml`,
//! `values.<env>.yaml`, `values/<env>/values.yaml`), each render a deployment unit whose
//! documents trace their bytes back to the values and template lines that wrote them.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{DependencyStat, LoadOptions, Loaded, Stats};
use crate::discover::Input;
use crate::helm;
use crate::kube;
use crate::source::SourceFile;
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};

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
    let sources = helm::DependencySources {
        tree: options.tree_charts.clone(),
        charts_dirs: options.charts_dirs.clone(),
        helm_cache: options.helm_cache.clone(),
    };
    let chart = match helm::load_chart(
        &input.path,
        &display,
        &sources,
        &helm::LoadLimits::default(),
    ) {
        Ok(chart) => chart,
        Err(e) => {
            out.stats.charts_failed = 1;
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
    dependency_report(&chart, &mut out);
    // The chart's own files (Chart.yaml, values files), for the rules that judge them as written.
    out.documents = helm::file_documents(&chart, &input.path, &display, &options.yaml);
    out.grouping = super::Grouping::OwnFile;
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
    let mut renders: Vec<Render> = Vec::new();
    match helm::UserValues::for_environment(&input.path, &display, &default, &options.yaml) {
        Ok(values) => renders.push(Render {
            env: None,
            values,
            release: None,
            namespace: None,
        }),
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
            Ok(values) => renders.push(Render {
                env: Some(env.name.clone()),
                values,
                release: None,
                namespace: None,
            }),
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
    for app in options
        .applications
        .iter()
        .filter(|a| a.target == crate::argocd::Target::Chart && a.dir == canonical)
    {
        match application_values(&input.path, &display, app, &extra, &options.yaml) {
            Ok(values) => {
                let namespace = app.namespace.clone().unwrap_or_else(|| "default".into());
                renders.push(Render {
                    env: Some(app.name.clone()),
                    values,
                    release: Some((app.release_name.clone(), namespace)),
                    namespace: app.namespace.clone(),
                });
            }
            Err(e) => out.diagnostics.push(Diagnostic::for_path(
                app.document.file.path(),
                DiagnosticCode::HelmValues,
                DiagnosticLevel::Error,
                Text::new(
                    format!(
                        "Argo CD Application `{}`: {e}; it was not checked",
                        app.name
                    ),
                    format!(
                        "Application Argo CD `{}` : {e} ; elle n'a pas été vérifiée",
                        app.name
                    ),
                ),
            )),
        }
    }
    let render_options = helm::RenderOptions {
        display: Some(display.clone()),
        missing_dependencies: helm::MissingDependencies::Ignore,
        // As Argo CD renders on the platform.
        api_versions: helm::PLATFORM_API_VERSIONS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        // A scan never uses the keys and password hashes templates generate.
        cheap_keys: true,
        ..helm::RenderOptions::default()
    };
    let options_yaml = &options.yaml;
    let mut sources: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
    for Render {
        env,
        values,
        release,
        namespace,
    } in renders
    {
        let label = env.clone().unwrap_or_else(|| "default".to_string());
        let render_options = match release {
            Some((release_name, namespace)) => helm::RenderOptions {
                release_name,
                namespace,
                ..render_options.clone()
            },
            None => render_options.clone(),
        };
        match helm::render_loaded(&chart, &values, &render_options) {
            Ok(rendered) => {
                for f in &rendered.provenance.files {
                    sources.insert(f.path().to_string(), Arc::clone(f));
                }
                let (documents, diagnostics) =
                    helm::documents(&rendered, env.as_deref(), options_yaml);
                out.diagnostics.extend(diagnostics);
                let mut kept = Vec::new();
                for mut doc in documents {
                    if let Some(p) = &doc.provenance {
                        sources.insert(p.manifest.path().to_string(), Arc::clone(&p.manifest));
                    }
                    if kube::is_test_hook(&doc.value) {
                        out.stats.test_hooks += 1;
                    } else if kube::is_object(&doc.value) {
                        // Kubernetes reads `key: null` (and `""` in a typed field) as an absent key.
                        kube::drop_unset(&mut doc.value);
                        out.stats.resources += kube::resources(&doc).len();
                        kept.push(doc);
                    } else {
                        out.stats.skipped_documents += 1;
                    }
                }
                let unit = format!("{display} ({label})");
                if let Some(ns) = namespace {
                    out.unit_namespaces.push((unit.clone(), ns));
                }
                out.units.push((unit, kept));
                out.stats.environments += 1;
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
    for doc in &out.documents {
        sources
            .entry(doc.file.path().to_string())
            .or_insert_with(|| Arc::clone(&doc.file));
    }
    out.sources = sources.into_values().collect();
    if out.stats.environments > 0 {
        out.stats.charts_rendered = 1;
    } else {
        out.stats.charts_failed = 1;
    }
    out
}

/// One render of the chart: its environment (`None`: the defaults), its values, and its
/// release name and namespace (an Argo CD Application's; `None`: Helm's defaults).
struct Render {
    env: Option<String>,
    values: helm::UserValues,
    release: Option<(String, String)>,
    /// The namespace of the resources that do not write one (an Application's destination).
    namespace: Option<String>,
}

/// The values of an Argo CD Application's render, in Argo CD's order: the configuration's
/// values files, its `valueFiles` (relative to the chart, or `$<ref>/…` from the root of this
/// repository; those of another repository are not read, and with `ignoreMissingValueFiles`
/// a file that does not exist is left out), `valuesObject` or else `values`, then its
/// `parameters` as `--set` (or `--set-string` with `forceString`).
fn application_values(
    dir: &std::path::Path,
    display: &str,
    app: &crate::argocd::Application,
    extra: &[String],
    limits: &crate::yaml::YamlLimits,
) -> Result<helm::UserValues, helm::HelmError> {
    use crate::argocd::ValueFile;
    let env = helm::Environment {
        name: app.name.clone(),
        files: extra.to_vec(),
    };
    let mut values = helm::UserValues::for_environment(dir, display, &env, limits)?;
    for f in &app.value_files {
        let (path, shown) = match f {
            ValueFile::Chart(rel) => (dir.join(rel), format!("{display}/{rel}")),
            ValueFile::Repository(rel) => (
                app.root.join(rel),
                crate::argocd::display_in_repo(display, &app.path, rel),
            ),
            ValueFile::Elsewhere(_) => continue,
        };
        if app.ignore_missing && !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| helm::HelmError::Values(format!("failed to read {shown}: {e}")))?;
        values.add_file(&SourceFile::new(shown, text), limits)?;
    }
    let helm_pointer = format!("{}/helm", app.source_pointer);
    let doc = &app.document;
    if let Some(object) = helm::values_at(doc, &format!("{helm_pointer}/valuesObject")) {
        values.merge(object);
    } else if let Some(text) = doc
        .value
        .pointer(&format!("{helm_pointer}/values"))
        .and_then(|v| v.as_str())
    {
        let span = doc
            .spans
            .get(&format!("{helm_pointer}/values"))
            .map(|s| s.value);
        values.add_text(text, &doc.file, span, limits)?;
    }
    for (name, value, force) in &app.parameters {
        // Argo CD escapes the commas of a value that is no list.
        let value = if value.starts_with('{') {
            value.clone()
        } else {
            value.replace(',', "\\,")
        };
        let kind = if *force {
            helm::SetKind::String
        } else {
            helm::SetKind::Typed
        };
        values.set(&format!("{name}={value}"), kind)?;
    }
    Ok(values)
}

/// Where the chart's dependencies came from (statistics), a warning for each one found nowhere
/// and a note for each one found only in a version that does not fit.
fn dependency_report(chart: &helm::Chart, out: &mut Loaded) {
    for r in chart.all_resolved() {
        out.stats.dependencies.push(DependencyStat {
            chart: r.chart.clone(),
            name: r.name.clone(),
            wanted: r.wanted.clone(),
            version: r.version.clone(),
            source: r.from.as_str().to_string(),
            path: r.path.clone(),
        });
        let chart_file = format!("{}/Chart.yaml", r.chart);
        let (name, wanted) = (&r.name, &r.wanted);
        if r.from == helm::DependencyFrom::Missing {
            out.diagnostics.push(Diagnostic::for_path(
                &chart_file,
                DiagnosticCode::HelmMissingDependency,
                DiagnosticLevel::Warning,
                Text::new(
                    format!("dependency `{name}` ({wanted}) is found nowhere (charts/, its file:// path, the scanned charts, --charts-dir folders, Helm's cache): the chart is checked without it"),
                    format!("la dépendance `{name}` ({wanted}) n'est trouvée nulle part (charts/, son chemin file://, les charts analysés, les dossiers --charts-dir, le cache de Helm) : le chart est vérifié sans elle"),
                ),
            ));
        } else if r.version_mismatch {
            let (version, path) = (&r.version, &r.path);
            out.diagnostics.push(Diagnostic::for_path(
                &chart_file,
                DiagnosticCode::HelmMissingDependency,
                DiagnosticLevel::Note,
                Text::new(
                    format!("dependency `{name}` wants {wanted}, but only version {version} is found ({path}): the chart is checked with it"),
                    format!("la dépendance `{name}` demande {wanted}, mais seule la version {version} est trouvée ({path}) : le chart est vérifié avec elle"),
                ),
            ));
        }
    }
}
