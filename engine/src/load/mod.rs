//! Loading: an input becomes documents, one loader per format behind one entry.
//!
//! Input: an [`Input`] whose format [`crate::discover`] decided, and what discovery saw of the
//! repository. Output: [`Loaded`]: its documents (Kubernetes objects, a Dockerfile's model, a
//! GitLab CI model, OpenAPI documents, a chart's renders), the diagnostics of what could not be
//! read, the files findings may point into, and counts. Nothing here knows a rule.

mod chart;
mod file;
mod gitlab;
mod manifest;
mod openapi;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::discover::{Discovered, Format, Input};
use crate::source::{Document, SourceFile};
use crate::vocab::Diagnostic;
use crate::yaml::YamlLimits;

/// Options of every loader.
#[derive(Debug, Clone, Default)]
pub(crate) struct LoadOptions {
    /// YAML limits.
    pub yaml: YamlLimits,
    /// Folders holding charts by name, for chart dependencies that `charts/` lacks.
    pub charts_dirs: Vec<PathBuf>,
    /// What the configuration says of some charts.
    pub charts: Vec<ChartSettings>,
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
    /// Dockerfiles found.
    pub dockerfiles: usize,
}

impl Stats {
    /// Add the counts of another load.
    pub fn add(&mut self, other: &Stats) {
        self.manifest_files += other.manifest_files;
        self.resources += other.resources;
        self.skipped_documents += other.skipped_documents;
        self.skipped_files += other.skipped_files;
        self.charts += other.charts;
        self.dockerfiles += other.dockerfiles;
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

/// Load an input; `discovered` tells what else the repository holds.
pub(crate) fn load(input: &Input, discovered: &Discovered, options: &LoadOptions) -> Loaded {
    if input.format == Format::Chart {
        return chart::load(input, options);
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
        Format::Chart => load_file(Format::Manifest, file, options),
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
        Format::Manifest | Format::Chart => manifest::load(file, options),
    }
}
