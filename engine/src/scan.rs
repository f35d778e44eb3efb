//! A scan: the stages wired in the order of the flow.
//!
//! `discover` (paths → inputs) → `load` (in parallel: inputs → documents) → `units`
//! (documents → deployment units) → `check` (in parallel: units → findings) → `derogate`
//! (suppressions) → `report` (sorted once). Nothing else happens here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::catalogue::Catalogue;
use crate::check::{self, RuleSet};
use crate::derogate;
use crate::discover::{self, Format};
use crate::load::{self, LoadOptions, Loaded, Stats};
use crate::report::Report;
use crate::source::SourceFile;
use crate::units::{self, DeploymentUnit, Units};
use crate::vocab::{Diagnostic, Finding, Profile};
use crate::yaml::YamlLimits;

/// Options of a scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// The profile to judge against.
    pub profile: Profile,
    /// Worker threads (0: one per core).
    pub jobs: usize,
    /// YAML limits.
    pub yaml: YamlLimits,
    /// Folders holding charts by name, for chart dependencies that `charts/` lacks.
    pub charts_dirs: Vec<PathBuf>,
    /// Helm's repository cache (`$HELM_CACHE_HOME/repository`), for chart dependencies found
    /// nowhere else; `None`: not looked at.
    pub helm_cache: Option<PathBuf>,
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
    rules: RuleSet,
    options: ScanOptions,
}

/// What the loads of a scan gathered besides the documents.
#[derive(Default)]
struct Gathered {
    diagnostics: Vec<Diagnostic>,
    stats: Stats,
    files: BTreeMap<String, Arc<SourceFile>>,
}

impl Gathered {
    fn add(&mut self, loaded: &mut Loaded) {
        self.diagnostics.append(&mut loaded.diagnostics);
        self.stats.add(&loaded.stats);
        for src in loaded.sources.drain(..) {
            self.files.insert(src.path().to_string(), src);
        }
    }
}

impl<'c> Scan<'c> {
    /// A scan with a catalogue: its rules that run under the profile are compiled (user rules
    /// now, embedded ones on first use).
    pub fn new(catalogue: &'c Catalogue, options: ScanOptions) -> Self {
        Scan {
            catalogue,
            rules: RuleSet::new(catalogue, options.profile),
            options,
        }
    }

    /// Compile every rule of the set now (embedded rules are otherwise compiled on first use):
    /// the diagnostics of those that do not compile, none for a sound catalogue.
    pub fn compile_all(&self) -> Vec<Diagnostic> {
        self.rules.compile_all()
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            yaml: self.options.yaml,
            charts_dirs: self.options.charts_dirs.clone(),
            helm_cache: self.options.helm_cache.clone(),
            tree_charts: Vec::new(),
        }
    }

    /// Scan files and folders.
    pub fn run(&self, paths: &[PathBuf]) -> Report {
        let discovered = discover::discover(paths);
        let mut options = self.load_options();
        // A chart's dependency may be another chart of the tree.
        options.tree_charts = discovered
            .inputs
            .iter()
            .filter(|i| i.format == Format::Chart)
            .map(|i| i.path.clone())
            .collect();
        let loaded: Vec<Loaded> = self.install(|| {
            discovered
                .inputs
                .par_iter()
                .map(|input| load::load(input, &discovered, &options))
                .collect()
        });
        // A CI file that another CI file includes is checked through it, not on its own.
        let included: BTreeSet<&String> = loaded
            .iter()
            .filter_map(|l| l.included.as_ref())
            .flatten()
            .collect();
        let included: BTreeSet<String> = included.into_iter().cloned().collect();
        let mut gathered = Gathered {
            diagnostics: discovered.diagnostics,
            ..Gathered::default()
        };
        let mut units = Units::default();
        for (input, mut l) in discovered.inputs.iter().zip(loaded) {
            if l.included.is_some() && included.contains(&input.display) {
                l.documents.clear();
            }
            gathered.add(&mut l);
            units.add_file(&input.display, l.grouping, l.documents);
            for (name, documents) in l.units {
                units.add(name, documents);
            }
        }
        self.finish(units.build(), gathered)
    }

    /// Check one file's text on its own (the pre-commit path, and tests): its format from its
    /// name, the file its own unit.
    pub fn check_text(&self, display: &str, text: &str) -> Report {
        let file = SourceFile::new(display, text);
        let name = display.rsplit('/').next().unwrap_or(display);
        let format = discover::format_of_name(name).unwrap_or(Format::Manifest);
        let mut l = load::load_text(format, file, &self.load_options());
        let mut gathered = Gathered::default();
        gathered.add(&mut l);
        let units = vec![DeploymentUnit::new(
            units::folder_unit(display),
            std::mem::take(&mut l.documents),
        )];
        self.finish(units, gathered)
    }

    /// Check, derogate, report.
    fn finish(&self, units: Vec<DeploymentUnit>, mut gathered: Gathered) -> Report {
        let (findings, diagnostics) = self.install(|| check::check_units(&self.rules, &units));
        let findings: Vec<Finding> = derogate::apply(findings);
        gathered.diagnostics.extend(diagnostics);
        gathered
            .diagnostics
            .extend(self.catalogue.diagnostics.iter().cloned());
        gathered
            .diagnostics
            .extend(self.rules.diagnostics().iter().cloned());
        Report::new(
            self.options.profile,
            findings,
            gathered.diagnostics,
            gathered.stats,
            &gathered.files,
        )
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CatalogueBuilder;

    fn codes(text: &str) -> (Vec<String>, usize) {
        let catalogue = CatalogueBuilder::new().build().unwrap();
        let report = Scan::new(&catalogue, ScanOptions::default()).check_text("x.yaml", text);
        (
            report
                .diagnostics
                .iter()
                .map(|d| d.code.to_string())
                .collect(),
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
