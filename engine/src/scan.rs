//! A scan: discover and load in parallel, group the documents into deployment units, check
//! them in parallel (each document against every rule, Rego rules with the inventory of its
//! unit), then sort once.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::catalogue::{Catalogue, Severity};
use crate::check::{
    check_document, needs_inventory, DeploymentUnit, Inventory, Outcome, UnitRef, Worker,
};
use crate::diagnostic::{Diagnostic, DiagnosticLevel};
use crate::discover::{discover, Input, InputKind};
use crate::finding::Finding;
use crate::helm;
use crate::kube;
use crate::source::{ByteRange, Document, SourceFile};
use crate::text::Text;
use crate::yaml::{self, YamlLimits};

/// Files larger than this are not read.
pub const MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// Counts of what a scan read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScanStats {
    /// Manifest files read.
    pub manifest_files: usize,
    /// Kubernetes objects checked.
    pub resources: usize,
    /// YAML documents without `apiVersion`/`kind`, skipped.
    pub skipped_documents: usize,
    /// Files of which no document is a Kubernetes object.
    pub skipped_files: usize,
    /// Helm charts found.
    pub charts: usize,
    /// Dockerfiles found.
    pub dockerfiles: usize,
}

/// The result of a scan: sorted findings and diagnostics, and counts.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Findings, sorted by file, line, column, rule.
    pub findings: Vec<Finding>,
    /// Tool problems, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// What was read.
    pub stats: ScanStats,
    /// The files findings and diagnostics point into, for snippets.
    pub sources: BTreeMap<String, Arc<SourceFile>>,
}

impl Report {
    /// Whether an unsuppressed finding at or above `threshold` exists.
    pub fn blocks(&self, threshold: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| f.suppression.is_none() && f.severity <= threshold)
    }
}

/// Options of a scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Worker threads (0: one per core).
    pub jobs: usize,
    /// YAML limits.
    pub yaml: YamlLimits,
    /// Folders holding charts by name, for chart dependencies that `charts/` lacks.
    pub charts_dirs: Vec<PathBuf>,
}

/// A scan of paths with a catalogue.
///
/// ```no_run
/// use cct_engine::{CatalogueBuilder, Scan, ScanOptions};
/// let catalogue = CatalogueBuilder::new().build().unwrap();
/// let report = Scan::new(&catalogue, ScanOptions::default()).run(&["deploy".into()]);
/// for f in &report.findings {
///     println!("{}:{}: {}", f.location.path, f.location.start.line, f.rule_id);
/// }
/// ```
#[derive(Debug)]
pub struct Scan<'c> {
    catalogue: &'c Catalogue,
    options: ScanOptions,
}

/// A file after loading: its documents, what went wrong, what it counts for.
#[derive(Default)]
struct Loaded {
    documents: Vec<Document>,
    diagnostics: Vec<Diagnostic>,
    stats: ScanStats,
    source: Option<Arc<SourceFile>>,
    /// Other files the documents point into (local includes and scripts of a GitLab CI).
    extra_sources: Vec<Arc<SourceFile>>,
    /// For a GitLab CI file: the files it includes locally (display paths).
    included: Option<Vec<String>>,
    /// Deployment units of their own (a chart: one render per environment).
    units: Vec<(String, Vec<Document>)>,
}

impl<'c> Scan<'c> {
    /// A scan with a catalogue.
    pub fn new(catalogue: &'c Catalogue, options: ScanOptions) -> Self {
        Scan { catalogue, options }
    }

    /// Scan files and folders: the manifests directly in one folder are one deployment unit.
    pub fn run(&self, paths: &[PathBuf]) -> Report {
        let (inputs, problems) = discover(paths);
        let mut report = Report::default();
        for p in problems {
            report.diagnostics.push(Diagnostic::for_path(
                &p.path,
                "path-unreadable",
                DiagnosticLevel::Error,
                Text::new(
                    format!("cannot read: {}", p.message),
                    format!("lecture impossible : {}", p.message),
                ),
            ));
        }
        let loaded = self.install(|| -> Vec<(String, Loaded)> {
            inputs
                .par_iter()
                .map(|input| {
                    let loaded = self.input(input);
                    (unit_of(&input.display, &loaded), loaded)
                })
                .collect()
        });
        // A CI file that another CI file includes is checked through it, not on its own.
        let included: std::collections::BTreeSet<String> = loaded
            .iter()
            .filter_map(|(_, l)| l.included.as_ref())
            .flatten()
            .cloned()
            .collect();
        let mut units: BTreeMap<String, Vec<Document>> = BTreeMap::new();
        let mut files = BTreeMap::new();
        for (unit, mut l) in loaded {
            let is_included = l.included.is_some()
                && l.source
                    .as_ref()
                    .is_some_and(|s| included.contains(s.path()));
            if is_included {
                l.documents.clear();
            }
            if let Some(src) = l.source {
                files.insert(src.path().to_string(), src);
            }
            for src in l.extra_sources {
                files.insert(src.path().to_string(), src);
            }
            report.diagnostics.extend(l.diagnostics);
            add_stats(&mut report.stats, &l.stats);
            units.entry(unit).or_default().extend(l.documents);
            for (name, documents) in l.units {
                units.entry(name).or_default().extend(documents);
            }
        }
        let units: Vec<DeploymentUnit> = units
            .into_iter()
            .map(|(name, documents)| DeploymentUnit::new(name, documents))
            .collect();
        let (findings, diagnostics) = self.check_units(&units);
        report.findings = merge_environments(findings);
        report.diagnostics.extend(diagnostics);
        self.finish(&mut report, &files);
        report
    }

    /// Check deployment units built by the caller (a chart render per environment, tests).
    pub fn check_units(&self, units: &[DeploymentUnit]) -> (Vec<Finding>, Vec<Diagnostic>) {
        self.install(|| {
            // Compile, in parallel, the rules these documents will need (embedded rules are
            // compiled on first use).
            let formats: std::collections::BTreeSet<&'static str> = units
                .iter()
                .flat_map(|u| u.documents.iter())
                .map(|d| match d.format {
                    crate::source::DocFormat::Yaml => "k8s",
                    crate::source::DocFormat::Dockerfile => "dockerfile",
                    crate::source::DocFormat::GitlabCi => "gitlab",
                    crate::source::DocFormat::OpenApi => "openapi",
                })
                .collect();
            self.catalogue.rules.par_iter().for_each(|r| {
                let family = match r.spec.select.subject.as_str() {
                    s if s.starts_with("dockerfile") => "dockerfile",
                    s if s.starts_with("gitlab") => "gitlab",
                    "openapi" => "openapi",
                    _ => "k8s",
                };
                if formats.contains(family) {
                    let _ = r.check();
                }
            });
            let repository = crate::check::repository_facts(units);
            // Only units where a rule reads `data.inventory` need theirs.
            let inventories: Vec<Inventory> = units
                .par_iter()
                .map(|u| {
                    if needs_inventory(self.catalogue, u) {
                        Inventory::build(u, &repository)
                    } else {
                        Inventory::default()
                    }
                })
                .collect();
            let work: Vec<(usize, usize)> = units
                .iter()
                .enumerate()
                .flat_map(|(u, unit)| (0..unit.documents.len()).map(move |d| (u, d)))
                .collect();
            // One worker state (prepared Rego engines) per thread of the pool, whatever the
            // number of splits rayon makes.
            let workers: Vec<std::sync::Mutex<Worker>> = (0..rayon::current_num_threads() + 1)
                .map(|_| std::sync::Mutex::new(Worker::default()))
                .collect();
            let outcomes: Vec<Outcome> = work
                .par_iter()
                .map(|&(u, d)| {
                    let unit = UnitRef {
                        unit: &units[u],
                        inventory: &inventories[u],
                    };
                    let slot = rayon::current_thread_index()
                        .unwrap_or(workers.len() - 1)
                        .min(workers.len() - 1);
                    match workers[slot].lock() {
                        Ok(mut worker) => check_document(self.catalogue, &unit, d, &mut worker),
                        Err(poisoned) => {
                            check_document(self.catalogue, &unit, d, &mut poisoned.into_inner())
                        }
                    }
                })
                .collect();
            let mut findings = Vec::new();
            let mut diagnostics = Vec::new();
            for o in outcomes {
                findings.extend(o.findings);
                diagnostics.extend(o.diagnostics);
            }
            (findings, diagnostics)
        })
    }

    /// Check one file's text (the pre-commit path, and tests): the file is its own unit.
    pub fn check_text(&self, display: &str, text: &str) -> Report {
        let file = SourceFile::new(display, text);
        let name = display.rsplit('/').next().unwrap_or(display);
        let l = if crate::dockerfile::is_dockerfile_name(name) {
            self.dockerfile(file)
        } else if crate::gitlab::is_gitlab_ci_name(name) {
            self.gitlab(file, None)
        } else if crate::openapi::is_openapi_name(name) {
            self.openapi(file)
        } else {
            self.manifest(file)
        };
        let units = [DeploymentUnit::new(unit_name(display), l.documents)];
        let (findings, diagnostics) = self.check_units(&units);
        let mut report = Report {
            findings,
            diagnostics: l.diagnostics,
            stats: l.stats,
            sources: BTreeMap::new(),
        };
        report.diagnostics.extend(diagnostics);
        let files = l
            .source
            .into_iter()
            .chain(l.extra_sources)
            .map(|s| (s.path().to_string(), s))
            .collect();
        self.finish(&mut report, &files);
        report
    }

    fn install<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        match rayon::ThreadPoolBuilder::new()
            .num_threads(self.options.jobs)
            .build()
        {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        }
    }

    /// Sort, deduplicate, and keep the sources findings and diagnostics point into.
    fn finish(&self, report: &mut Report, files: &BTreeMap<String, Arc<SourceFile>>) {
        report
            .diagnostics
            .extend(self.catalogue.diagnostics.iter().cloned());
        report
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // A place reported through two documents (a Rego result about another resource).
        report.findings.dedup_by(|a, b| {
            a.rule_id == b.rule_id
                && a.location == b.location
                && a.pointer == b.pointer
                && a.message == b.message
        });
        report.diagnostics.sort();
        report.diagnostics.dedup();
        let used = report
            .findings
            .iter()
            .flat_map(|f| {
                std::iter::once(&f.location.path).chain(f.related.iter().map(|r| &r.location.path))
            })
            .chain(
                report
                    .diagnostics
                    .iter()
                    .filter_map(|d| d.location.as_ref().map(|l| &l.path)),
            );
        for path in used {
            if let Some(src) = files.get(path) {
                report.sources.insert(path.clone(), Arc::clone(src));
            }
        }
    }

    fn input(&self, input: &Input) -> Loaded {
        match input.kind {
            InputKind::Manifest => match read(input) {
                Ok(file) => self.manifest(file),
                Err(d) => Loaded {
                    diagnostics: vec![*d],
                    ..Loaded::default()
                },
            },
            InputKind::Chart => self.chart(input),
            InputKind::Dockerfile => match read(input) {
                Ok(file) => self.dockerfile(file),
                Err(d) => Loaded {
                    diagnostics: vec![*d],
                    ..Loaded::default()
                },
            },
            InputKind::GitlabCi => match read(input) {
                Ok(file) => self.gitlab(file, input.path.parent()),
                Err(d) => Loaded {
                    diagnostics: vec![*d],
                    ..Loaded::default()
                },
            },
            InputKind::OpenApi => match read(input) {
                Ok(file) => self.openapi(file),
                Err(d) => Loaded {
                    diagnostics: vec![*d],
                    ..Loaded::default()
                },
            },
        }
    }

    /// A GitLab CI configuration; `dir` is the repository root on disk (none: includes are
    /// not followed).
    fn gitlab(&self, file: Arc<SourceFile>, dir: Option<&std::path::Path>) -> Loaded {
        // `Path::parent` of a bare file name is the empty path: the working folder.
        let dir = dir.map(|d| {
            if d.as_os_str().is_empty() {
                std::path::Path::new(".")
            } else {
                d
            }
        });
        let g = crate::gitlab::load(&file, dir, &self.options.yaml);
        Loaded {
            documents: g.document.into_iter().collect(),
            diagnostics: g.diagnostics,
            stats: ScanStats::default(),
            source: Some(file),
            extra_sources: g.sources,
            included: Some(g.included),
            units: Vec::new(),
        }
    }

    /// A file named as an OpenAPI document: each YAML document is one (a Kubernetes object
    /// in it is still a manifest).
    fn openapi(&self, file: Arc<SourceFile>) -> Loaded {
        let stream = yaml::parse(&file, &self.options.yaml);
        let mut out = Loaded {
            diagnostics: stream.diagnostics,
            source: Some(Arc::clone(&file)),
            ..Loaded::default()
        };
        for mut doc in stream.documents {
            if kube::is_object(&doc.value) {
                out.stats.resources += kube::resources(&doc).len();
            } else {
                doc.format = crate::source::DocFormat::OpenApi;
            }
            out.documents.push(doc);
        }
        out
    }

    /// A Helm chart: rendered with its defaults and once per environment (`values-<env>.yaml`,
    /// `values.<env>.yaml`, `values/<env>/values.yaml`), each render a deployment unit whose
    /// documents trace their bytes back to the values and template lines that wrote them.
    fn chart(&self, input: &Input) -> Loaded {
        let display = input.display.clone();
        let mut out = Loaded {
            stats: ScanStats {
                charts: 1,
                ..ScanStats::default()
            },
            ..Loaded::default()
        };
        let chart_file = format!("{display}/Chart.yaml");
        let chart = match helm::load_chart(
            &input.path,
            &display,
            &self.options.charts_dirs,
            &helm::LoadLimits::default(),
        ) {
            Ok(chart) => chart,
            Err(e) => {
                out.diagnostics.push(Diagnostic::for_path(
                    &chart_file,
                    "helm-load",
                    DiagnosticLevel::Error,
                    Text::new(
                        format!("this Helm chart cannot be loaded: {e}; it was not checked"),
                        format!(
                            "ce chart Helm ne peut pas être chargé : {e} ; il n'a pas été vérifié"
                        ),
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
                "helm-missing-dependency",
                DiagnosticLevel::Warning,
                Text::new(
                    format!("dependency `{missing}` is neither in charts/ nor in a --charts-dir folder: the chart is checked without it"),
                    format!("la dépendance `{missing}` n'est ni dans charts/ ni dans un dossier --charts-dir : le chart est vérifié sans elle"),
                ),
            ));
        }
        let mut renders: Vec<(Option<String>, helm::UserValues)> =
            vec![(None, helm::UserValues::default())];
        for env in helm::environments(&input.path) {
            match helm::UserValues::for_environment(&input.path, &display, &env, &self.options.yaml)
            {
                Ok(values) => renders.push((Some(env.name.clone()), values)),
                Err(e) => out.diagnostics.push(Diagnostic::for_path(
                    &chart_file,
                    "helm-values",
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
        let options = helm::RenderOptions {
            display: Some(display.clone()),
            charts_dirs: self.options.charts_dirs.clone(),
            missing_dependencies: helm::MissingDependencies::Ignore,
            // As Argo CD renders on the platform: OpenShift, routes and the monitoring stack
            // are there (REQUIREMENTS §3.2).
            api_versions: CPIN_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
            ..helm::RenderOptions::default()
        };
        let mut sources: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
        for (env, values) in renders {
            let label = env.clone().unwrap_or_else(|| "default".to_string());
            match helm::render_loaded(&chart, &values, &options) {
                Ok(rendered) => {
                    for f in &rendered.provenance.files {
                        sources.insert(f.path().to_string(), Arc::clone(f));
                    }
                    let (documents, diagnostics) =
                        helm::documents(&rendered, env.as_deref(), &self.options.yaml);
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
        out.extra_sources = sources.into_values().collect();
        out
    }

    fn dockerfile(&self, file: Arc<SourceFile>) -> Loaded {
        let (doc, diagnostics) = crate::dockerfile::load(&file);
        Loaded {
            documents: doc.into_iter().collect(),
            diagnostics,
            stats: ScanStats {
                dockerfiles: 1,
                ..ScanStats::default()
            },
            source: Some(file),
            ..Loaded::default()
        }
    }

    fn manifest(&self, file: Arc<SourceFile>) -> Loaded {
        let mut out = Loaded {
            documents: Vec::new(),
            diagnostics: Vec::new(),
            stats: ScanStats {
                manifest_files: 1,
                ..ScanStats::default()
            },
            source: Some(Arc::clone(&file)),
            ..Loaded::default()
        };
        let stream = yaml::parse(&file, &self.options.yaml);
        // A file with `{{ … }}` placeholders that are not YAML (a syntax error, a placeholder
        // read as a mapping key), or that stand unquoted in objects whose data is not itself a
        // template language (see TEMPLATING_KINDS), is a template for another tool, not a
        // manifest. Helm's rendered output (`# Source:` headers) is final, never a template.
        let unreadable = stream
            .diagnostics
            .iter()
            .any(|d| d.level == DiagnosticLevel::Error || d.code == "yaml-complex-key");
        let rendered =
            file.text().starts_with("# Source: ") || file.text().contains("\n# Source: ");
        let placeholder = stream.placeholders.iter().find(|(i, _)| {
            !rendered
                && stream.documents.get(*i).is_some_and(|d| {
                    let kind = d.value.get("kind").and_then(serde_json::Value::as_str);
                    !kind.is_some_and(|k| TEMPLATING_KINDS.contains(&k))
                })
        });
        let at = match (placeholder, unreadable) {
            (Some((_, range)), _) => Some(range.start as usize),
            (None, true) => template_placeholder(file.text()),
            (None, false) => None,
        };
        if let Some(offset) = at {
            out.diagnostics.push(Diagnostic::at(
                &file,
                ByteRange::new(offset, offset + 2),
                "template-placeholder",
                DiagnosticLevel::Warning,
                Text::new(
                    "this file holds template placeholders (`{{ … }}`): it is a template for another tool, not a manifest, and was not checked",
                    "ce fichier contient des espaces réservés de gabarit (`{{ … }}`) : c'est un gabarit pour un autre outil, pas un manifeste, et il n'a pas été vérifié",
                ),
            ));
            out.stats.skipped_files = 1;
            return out;
        }
        out.diagnostics.extend(stream.diagnostics);
        for mut doc in stream.documents {
            if crate::openapi::is_openapi_document(&doc.value) {
                // An API description, not a manifest.
                doc.format = crate::source::DocFormat::OpenApi;
                out.documents.push(doc);
                continue;
            }
            if !kube::is_object(&doc.value) {
                out.stats.skipped_documents += 1;
                continue;
            }
            out.stats.resources += kube::resources(&doc).len();
            out.documents.push(doc);
        }
        if out.documents.is_empty() {
            out.stats.skipped_files = 1;
        }
        out
    }
}

/// The API versions a chart sees on the Cloud π Native platform (`--api-versions`).
const CPIN_API_VERSIONS: &[&str] = &[
    "security.openshift.io/v1",
    "route.openshift.io/v1",
    "monitoring.coreos.com/v1",
];

/// The same finding in several renders of a chart (its environments) is reported once, with
/// the list of environments.
fn merge_environments(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut index: BTreeMap<(String, String, ByteRange, String, String), usize> = BTreeMap::new();
    for f in findings {
        if f.environments.is_empty() {
            out.push(f);
            continue;
        }
        let key = (
            f.rule_id.clone(),
            f.location.path.clone(),
            f.location.bytes,
            f.pointer.clone(),
            f.message.en.clone(),
        );
        match index.get(&key) {
            Some(&i) => {
                for e in f.environments {
                    if !out[i].environments.contains(&e) {
                        out[i].environments.push(e);
                    }
                }
                out[i].environments.sort_by(|a, b| {
                    (a != "default", a.as_str()).cmp(&(b != "default", b.as_str()))
                });
            }
            None => {
                index.insert(key, out.len());
                out.push(f);
            }
        }
    }
    out
}

/// Kinds whose fields legitimately hold `{{ … }}` for the tool that reads them: Argo CD
/// ApplicationSet parameters, Argo Workflows and Events parameters, Argo Rollouts analysis
/// arguments, Prometheus and Alertmanager templates, configuration files in ConfigMaps and
/// Secrets, CRD descriptions.
const TEMPLATING_KINDS: &[&str] = &[
    "ApplicationSet",
    "Workflow",
    "WorkflowTemplate",
    "ClusterWorkflowTemplate",
    "CronWorkflow",
    "Sensor",
    "EventSource",
    "AnalysisTemplate",
    "ClusterAnalysisTemplate",
    "PrometheusRule",
    "AlertmanagerConfig",
    "Alertmanager",
    "ConfigMap",
    "Secret",
    "CustomResourceDefinition",
];

/// The deployment unit of a loaded file: a file of rendered chart output (`helm template`
/// prints `# Source:` before each document) is one chart render, hence a unit of its own;
/// other manifests belong to their folder's unit.
fn unit_of(display: &str, loaded: &Loaded) -> String {
    let rendered = loaded.source.as_ref().is_some_and(|s| {
        let text = s.text();
        text.starts_with("# Source: ") || text.contains("\n# Source: ")
    });
    if rendered {
        display.to_string()
    } else {
        unit_name(display)
    }
}

/// The deployment unit of a file: its folder (`.` for a file of the working folder).
fn unit_name(display: &str) -> String {
    match display.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir.to_string(),
        Some(_) => "/".to_string(),
        None => ".".to_string(),
    }
}

fn add_stats(total: &mut ScanStats, s: &ScanStats) {
    total.manifest_files += s.manifest_files;
    total.resources += s.resources;
    total.skipped_documents += s.skipped_documents;
    total.skipped_files += s.skipped_files;
    total.charts += s.charts;
    total.dockerfiles += s.dockerfiles;
}

/// The offset of a `{{` that is not inside a YAML comment, if any.
fn template_placeholder(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = match line.find(" #") {
            Some(i) => &line[..i],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        };
        if let Some(i) = content.find("{{") {
            return Some(offset + i);
        }
        offset += line.len();
    }
    None
}

fn read(input: &Input) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    let fail = |code: &'static str, en: String, fr: String| {
        Box::new(Diagnostic::for_path(
            &input.display,
            code,
            DiagnosticLevel::Error,
            Text::new(en, fr),
        ))
    };
    let meta = std::fs::metadata(&input.path).map_err(|e| {
        fail(
            "file-unreadable",
            format!("cannot read: {e}"),
            format!("lecture impossible : {e}"),
        )
    })?;
    if meta.len() > MAX_FILE_SIZE {
        return Err(fail(
            "file-too-large",
            format!("file larger than {} MiB, not checked", MAX_FILE_SIZE >> 20),
            format!(
                "fichier de plus de {} Mio, non vérifié",
                MAX_FILE_SIZE >> 20
            ),
        ));
    }
    let bytes = std::fs::read(&input.path).map_err(|e| {
        fail(
            "file-unreadable",
            format!("cannot read: {e}"),
            format!("lecture impossible : {e}"),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(
            "file-not-utf8",
            format!(
                "not UTF-8 text (invalid byte at offset {}), not checked",
                e.utf8_error().valid_up_to()
            ),
            format!(
                "texte non UTF-8 (octet invalide à la position {}), non vérifié",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(SourceFile::new(input.display.clone(), text))
}

#[cfg(test)]
mod placeholder_tests {
    use super::*;
    use crate::CatalogueBuilder;

    fn codes(text: &str) -> (Vec<&'static str>, usize) {
        let catalogue = CatalogueBuilder::new().build().unwrap();
        let report = Scan::new(&catalogue, ScanOptions::default()).check_text("x.yaml", text);
        (
            report.diagnostics.iter().map(|d| d.code).collect(),
            report.stats.resources,
        )
    }

    #[test]
    fn templates_of_other_tools_are_told_apart_from_manifests() {
        // A template for a script: unquoted placeholders in a Service.
        let (c, _) = codes("apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-{{cell}}\n");
        assert_eq!(c, vec!["template-placeholder"]);
        // A placeholder read as a mapping key.
        let (c, _) = codes("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    cell: {{cell}}\n");
        assert_eq!(c, vec!["template-placeholder"]);
        // An ApplicationSet's parameters and a PrometheusRule's annotations are data.
        let (c, n) = codes("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      name: pr-{{number}}\n");
        assert!(c.is_empty(), "{c:?}");
        assert_eq!(n, 1);
        let (c, _) = codes("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: r\nspec:\n  groups:\n  - rules:\n    - annotations:\n        description: failed for {{ $labels.pod }}.\n");
        assert!(c.is_empty(), "{c:?}");
    }
}
