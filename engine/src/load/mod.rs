//! Loading: an input becomes documents, one loader per format behind one entry.
//!
//! Input: an [`Input`] whose format [`crate::discover`] decided, and what discovery saw of the
//! repository. Output: [`Loaded`]: its documents (Kubernetes objects, a Dockerfile's model, a
//! GitLab CI model, OpenAPI documents, a chart's renders), the diagnostics of what could not be
//! read, the files findings may point into, and counts. Nothing here knows a rule.

mod chart;
mod file;
mod gitlab;
mod inflate;
mod kustomize;
mod manifest;
mod openapi;
mod repository;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use inflate::render_kustomization;

use serde::Serialize;

use crate::discover::{Discovered, Format, Input};
use crate::progress::{Progress, ProgressSink};
use crate::source::{Document, SourceFile};
use crate::vocab::{catch_panic, Diagnostic};
use crate::yaml::YamlLimits;

/// Options of every loader.
#[derive(Debug, Clone, Default)]
pub(crate) struct LoadOptions {
    /// YAML limits.
    pub yaml: YamlLimits,
    /// Folders holding charts by name, for chart dependencies that `charts/` lacks.
    pub charts_dirs: Vec<PathBuf>,
    /// Helm's repository cache, for chart dependencies found nowhere else.
    pub helm_cache: Option<PathBuf>,
    /// The folders of the charts of the scanned tree (where a chart's dependency may be).
    pub tree_charts: Vec<PathBuf>,
    /// The Argo CD Applications of the scanned tree that render one of its charts or build
    /// one of its kustomizations.
    pub applications: Vec<crate::argocd::Application>,
    /// Kustomization folders (canonical) built only for the Applications naming them (a base
    /// that overlays include, which an Application also builds).
    pub applications_only: BTreeSet<PathBuf>,
    /// What the configuration says of some charts.
    pub charts: Vec<ChartSettings>,
    /// The folders given to the scan, and those of the files given alone (canonical): the
    /// files an OpenAPI document's references name are read only there.
    pub roots: Vec<PathBuf>,
}

/// What the configuration says of one chart: its environments and extra values files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartSettings {
    /// The chart's folder (canonical).
    pub dir: PathBuf,
    /// Its environments (name, values files relative to the chart folder), replacing those
    /// found from file names; `None`: found from file names.
    pub environments: Option<Vec<(String, Vec<String>)>>,
    /// Values files (relative to the chart folder) applied to every render, before the
    /// environment's.
    pub values: Vec<String>,
}

/// Counts of what a scan read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
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
    /// Helm charts rendered (at least one of their environments).
    pub charts_rendered: usize,
    /// Helm charts that did not render (not loaded, or no environment rendered).
    pub charts_failed: usize,
    /// Environments rendered or built: each render of a chart (its defaults, each
    /// `values-<env>.yaml`, each Argo CD Application), each Kustomize build.
    pub environments: usize,
    /// Dockerfiles found.
    pub dockerfiles: usize,
    /// Helm test hooks (`helm.sh/hook: test`) left unjudged: they run only under `helm test`
    /// and are never deployed.
    pub test_hooks: usize,
    /// Where each dependency of the charts came from.
    pub dependencies: Vec<DependencyStat>,
}

/// A chart's dependency and where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DependencyStat {
    /// The chart declaring it.
    pub chart: String,
    /// The dependency's name.
    pub name: String,
    /// The version wanted (locked, or the range).
    pub wanted: String,
    /// The version found (empty when missing).
    pub version: String,
    /// Where it came from: `charts/`, `file`, `tree`, `charts-dir`, `helm-cache`, `missing`.
    pub source: String,
    /// The folder or archive it was read from.
    pub path: String,
}

impl Stats {
    /// Add the counts of another load.
    pub fn add(&mut self, other: &Stats) {
        self.manifest_files += other.manifest_files;
        self.resources += other.resources;
        self.skipped_documents += other.skipped_documents;
        self.skipped_files += other.skipped_files;
        self.charts += other.charts;
        self.charts_rendered += other.charts_rendered;
        self.charts_failed += other.charts_failed;
        self.environments += other.environments;
        self.dockerfiles += other.dockerfiles;
        self.test_hooks += other.test_hooks;
        self.dependencies.extend(other.dependencies.iter().cloned());
    }
}

/// Which deployment unit the documents of a file belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Grouping {
    /// The unit of the file's folder (the manifests of one folder are deployed together).
    #[default]
    Folder,
    /// A unit of its own: a file of rendered chart output (`helm template` prints `# Source:`
    /// before each document) is one chart render.
    OwnFile,
}

/// An input after loading: its documents, what went wrong, what it counts for.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    /// The documents, grouped by [`Loaded::grouping`].
    pub documents: Vec<Document>,
    /// How the documents are grouped into deployment units.
    pub grouping: Grouping,
    /// Problems, located.
    pub diagnostics: Vec<Diagnostic>,
    /// What it counts for.
    pub stats: Stats,
    /// The files its documents point into (the input itself, included files, templates and
    /// values files of a chart, rendered manifests), for snippets.
    pub sources: Vec<Arc<SourceFile>>,
    /// For a GitLab CI file: the files it includes locally (display paths), which are checked
    /// through it and not on their own.
    pub included: Option<Vec<String>>,
    /// Deployment units of their own (a chart: one render per environment), by name.
    pub units: Vec<(String, Vec<Document>)>,
    /// The namespace of some of those units' resources that do not write one (an Argo CD
    /// Application's destination), by unit name.
    pub unit_namespaces: Vec<(String, String)>,
}

impl Loaded {
    /// A load that failed before anything was read.
    fn failed(diagnostic: Diagnostic) -> Loaded {
        Loaded {
            diagnostics: vec![diagnostic],
            ..Loaded::default()
        }
    }
}

/// What loading needs to know of the whole tree before any input is loaded: its charts (a
/// chart's dependency may be another chart of the tree), its Argo CD Applications (each one
/// pointing at a chart of the tree is an environment of it), and what its kustomizations read
/// (judged through their builds, not on its own).
pub(crate) fn prepare(discovered: &mut Discovered, options: &mut LoadOptions) {
    let dot = || PathBuf::from(".");
    options.roots = discovered
        .scope
        .folders
        .iter()
        .map(|f| {
            if f.is_empty() {
                dot()
            } else {
                PathBuf::from(f)
            }
        })
        .chain(
            discovered
                .scope
                .files
                .iter()
                .map(|f| match Path::new(f).parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => dot(),
                }),
        )
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    options.tree_charts = discovered
        .inputs
        .iter()
        .filter(|i| i.format == Format::Chart)
        .map(|i| i.path.clone())
        .collect();
    // Applications matter only to the charts and kustomizations of the tree: with neither, no
    // manifest is read twice.
    let kustomizations = discovered
        .inputs
        .iter()
        .any(|i| i.format == Format::Kustomization);
    if !options.tree_charts.is_empty() || kustomizations {
        options.applications =
            crate::argocd::applications(&discovered.inputs, &options.yaml, file::MAX_FILE_SIZE);
    }
    let tree_kustomizations: BTreeSet<PathBuf> = discovered
        .inputs
        .iter()
        .filter(|i| i.format == Format::Kustomization)
        .filter_map(|i| std::fs::canonicalize(&i.path).ok())
        .collect();
    kustomize::add_users(discovered, &options.yaml);
    claim_kustomized(discovered, &options.yaml);
    // A kustomization of the tree that only others include is built for the Applications
    // naming it.
    for app in &options.applications {
        if app.target != crate::argocd::Target::Kustomize || !tree_kustomizations.contains(&app.dir)
        {
            continue;
        }
        let listed = discovered.inputs.iter().any(|i| {
            i.format == Format::Kustomization
                && std::fs::canonicalize(&i.path).is_ok_and(|p| p == app.dir)
        });
        if !listed && options.applications_only.insert(app.dir.clone()) {
            discovered.inputs.push(Input {
                path: app.dir.clone(),
                display: crate::discover::display_path(&app.dir),
                format: Format::Kustomization,
            });
        }
    }
}

/// Load every discovered input (in the current rayon pool, in parallel), in the order of
/// `discovered.inputs`. A defect met reading one input (a panic) fails that input only, as
/// an internal-error diagnostic. A CI file that another CI file includes keeps no documents:
/// it is checked through the file that includes it.
pub(crate) fn load_all(
    discovered: &Discovered,
    options: &LoadOptions,
    progress: &ProgressSink,
) -> Vec<Loaded> {
    let loading = progress.counter(discovered.inputs.len(), |done, total| Progress::Loading {
        done,
        total,
    });
    // One input per task: a chart may take a thousand times longer than a manifest, and the
    // inputs come sorted by path (a repository's charts side by side), so ranges of inputs
    // would leave a thread with all the charts and the other idle.
    let mut loaded: Vec<Loaded> = discovered
        .inputs
        .par_iter()
        .with_max_len(1)
        .map(|input| {
            let l = catch_panic(|| load(input, discovered, options)).unwrap_or_else(|panicked| {
                Loaded::failed(Diagnostic::internal_error(
                    None,
                    &input.display,
                    &panicked.0,
                ))
            });
            loading.step();
            l
        })
        .collect();
    let included: BTreeSet<String> = loaded
        .iter()
        .filter_map(|l| l.included.as_ref())
        .flatten()
        .cloned()
        .collect();
    for (input, l) in discovered.inputs.iter().zip(&mut loaded) {
        if l.included.is_some() && included.contains(&input.display) {
            l.documents.clear();
        }
    }
    loaded
}

pub(crate) use kustomize::{claim as claim_kustomized, unit_of as kustomize_unit};
pub(crate) use repository::repositories;

/// Load an input; `discovered` tells what else the repository holds.
pub(crate) fn load(input: &Input, discovered: &Discovered, options: &LoadOptions) -> Loaded {
    if input.format == Format::Chart {
        return chart::load(input, options);
    }
    if input.format == Format::Kustomization {
        return kustomize::load(input, options);
    }
    match file::read(input) {
        Ok(file) => match input.format {
            Format::GitlabCi => gitlab::load(file, Some((input, discovered)), options),
            format => load_file(format, file, options),
        },
        Err(d) => Loaded::failed(*d),
    }
}

/// Load a file's text in a format (the pre-commit path: a file on its own, a GitLab CI
/// configuration with no repository around it).
pub(crate) fn load_text(format: Format, file: Arc<SourceFile>, options: &LoadOptions) -> Loaded {
    match format {
        Format::GitlabCi => gitlab::load(file, None, options),
        Format::Chart | Format::Kustomization => load_file(Format::Manifest, file, options),
        format => load_file(format, file, options),
    }
}

fn load_file(format: Format, file: Arc<SourceFile>, options: &LoadOptions) -> Loaded {
    match format {
        Format::Dockerfile => {
            let (doc, diagnostics) = crate::dockerfile::load(&file);
            Loaded {
                documents: doc.into_iter().collect(),
                diagnostics,
                stats: Stats {
                    dockerfiles: 1,
                    ..Stats::default()
                },
                sources: vec![file],
                ..Loaded::default()
            }
        }
        Format::OpenApi => openapi::load(file, options),
        Format::GitlabCi => gitlab::load(file, None, options),
        Format::Manifest | Format::Chart | Format::Kustomization => manifest::load(file, options),
    }
}
