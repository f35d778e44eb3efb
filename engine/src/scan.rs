//! A scan: discover, load and check in parallel, then sort once.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::catalogue::{Catalogue, Severity};
use crate::check::check_document;
use crate::diagnostic::{Diagnostic, DiagnosticLevel};
use crate::discover::{discover, Input, InputKind};
use crate::finding::Finding;
use crate::kube;
use crate::source::{ByteRange, SourceFile};
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

#[derive(Default)]
struct FileResult {
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    stats: ScanStats,
    source: Option<Arc<SourceFile>>,
}

impl<'c> Scan<'c> {
    /// A scan with a catalogue.
    pub fn new(catalogue: &'c Catalogue, options: ScanOptions) -> Self {
        Scan { catalogue, options }
    }

    /// Scan files and folders.
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
        let work =
            || -> Vec<FileResult> { inputs.par_iter().map(|input| self.input(input)).collect() };
        let results = match rayon::ThreadPoolBuilder::new()
            .num_threads(self.options.jobs)
            .build()
        {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        };
        for r in results {
            if let Some(src) = r.source {
                if !r.findings.is_empty() || !r.diagnostics.is_empty() {
                    report.sources.insert(src.path().to_string(), src);
                }
            }
            report.findings.extend(r.findings);
            report.diagnostics.extend(r.diagnostics);
            let s = r.stats;
            report.stats.manifest_files += s.manifest_files;
            report.stats.resources += s.resources;
            report.stats.skipped_documents += s.skipped_documents;
            report.stats.skipped_files += s.skipped_files;
            report.stats.charts += s.charts;
            report.stats.dockerfiles += s.dockerfiles;
        }
        report
            .diagnostics
            .extend(self.catalogue.diagnostics.iter().cloned());
        report
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        report.diagnostics.sort();
        report.diagnostics.dedup();
        report
    }

    /// Check one file's text (the pre-commit path, and tests).
    pub fn check_text(&self, display: &str, text: &str) -> Report {
        let file = SourceFile::new(display, text);
        let name = display.rsplit('/').next().unwrap_or(display);
        let r = if crate::dockerfile::is_dockerfile_name(name) {
            self.dockerfile(file)
        } else {
            self.manifest(file)
        };
        let mut report = Report {
            findings: r.findings,
            diagnostics: r.diagnostics,
            stats: r.stats,
            sources: r
                .source
                .map(|s| (s.path().to_string(), s))
                .into_iter()
                .collect(),
        };
        report
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        report.diagnostics.sort();
        report
    }

    fn input(&self, input: &Input) -> FileResult {
        match input.kind {
            InputKind::Manifest => match read(input) {
                Ok(file) => self.manifest(file),
                Err(d) => FileResult {
                    diagnostics: vec![*d],
                    ..FileResult::default()
                },
            },
            InputKind::Chart => FileResult {
                findings: Vec::new(),
                diagnostics: vec![Diagnostic::for_path(
                    &format!("{}/Chart.yaml", input.display),
                    "helm-chart-not-rendered",
                    DiagnosticLevel::Note,
                    Text::new(
                        "Helm chart: this version of cct does not render charts yet, so its templates were not checked",
                        "chart Helm : cette version de cct ne rend pas encore les charts, ses templates n'ont donc pas été vérifiés",
                    ),
                )],
                stats: ScanStats {
                    charts: 1,
                    ..ScanStats::default()
                },
                source: None,
            },
            InputKind::Dockerfile => match read(input) {
                Ok(file) => self.dockerfile(file),
                Err(d) => FileResult {
                    diagnostics: vec![*d],
                    ..FileResult::default()
                },
            },
        }
    }

    fn dockerfile(&self, file: Arc<SourceFile>) -> FileResult {
        let (doc, diagnostics) = crate::dockerfile::load(&file);
        FileResult {
            findings: doc
                .map(|d| check_document(self.catalogue, &d))
                .unwrap_or_default(),
            diagnostics,
            stats: ScanStats {
                dockerfiles: 1,
                ..ScanStats::default()
            },
            source: Some(file),
        }
    }

    fn manifest(&self, file: Arc<SourceFile>) -> FileResult {
        let mut out = FileResult {
            findings: Vec::new(),
            diagnostics: Vec::new(),
            stats: ScanStats {
                manifest_files: 1,
                ..ScanStats::default()
            },
            source: Some(Arc::clone(&file)),
        };
        if let Some(offset) = template_placeholder(file.text()) {
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
        let stream = yaml::parse(&file, &self.options.yaml);
        out.diagnostics.extend(stream.diagnostics);
        let mut objects = 0;
        for doc in &stream.documents {
            if !kube::is_object(&doc.value) {
                out.stats.skipped_documents += 1;
                continue;
            }
            objects += 1;
            out.stats.resources += kube::resources(doc).len();
            out.findings.extend(check_document(self.catalogue, doc));
        }
        if objects == 0 {
            out.stats.skipped_files = 1;
        }
        out
    }
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
