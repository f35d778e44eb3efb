//! A scan: the stages wired in the order of the flow.
//!
//! `discover` (paths → inputs) → `load` (in parallel: inputs → documents) → `units`
//! (documents → deployment units) → `check` (in parallel: units → findings) → `derogate`
//! (suppressions) → `report` (sorted once). Nothing else happens here.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::catalogue::Catalogue;
use crate::check::{self, RuleSet};
use crate::config::{LoadedConfig, RuleSettings};
use crate::derogate::{self, Baseline, Date, Derogations};
use crate::discover::{self, Format, PathFilter, Scope};
use crate::load::{self, ChartSettings, LoadOptions, Loaded, Stats};
use crate::progress::ProgressSink;
use crate::report::Report;
use crate::source::SourceFile;
use crate::units::{self, DeploymentUnit, Units};
use crate::vocab::{Diagnostic, Profile};
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
    /// What the configuration says of the rules (switched off, severity, parameters).
    pub settings: RuleSettings,
    /// The configuration, for its derogations.
    pub config: Option<LoadedConfig>,
    /// Which files are read.
    pub filter: PathFilter,
    /// What the configuration says of some charts (environments, values files).
    pub charts: Vec<ChartSettings>,
    /// Known findings: only new ones count.
    pub baseline: Option<Baseline>,
    /// The day derogations expire against (default: today, UTC).
    pub today: Option<Date>,
    /// Check only shard K of N (from 1): a chart or a folder's unit is never split, and what
    /// the whole repository says (its Argo CD Applications) is still read.
    pub shard: Option<(usize, usize)>,
    /// Told of the progress of the scan (the CLI's progress line).
    pub progress: ProgressSink,
    /// Measure the time each rule takes ([`Report::timings`]).
    pub timings: bool,
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
    /// What the user asked to judge (findings elsewhere are context).
    scope: Scope,
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
            rules: RuleSet::new(catalogue, &options),
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
            applications: Vec::new(),
            applications_only: Default::default(),
            charts: self.options.charts.clone(),
            roots: Vec::new(),
        }
    }

    /// Scan files and folders.
    pub fn run(&self, paths: &[PathBuf]) -> Report {
        let mut discovered = discover::discover_filtered(paths, &self.options.filter);
        let mut options = self.load_options();
        load::prepare(&mut discovered, &mut options);
        let loaded = self.install(|| load::load_all(&discovered, &options, &self.options.progress));
        let repositories = load::repositories(&discovered);
        let shard = self.options.shard;
        let in_shard = |key: &str| shard.is_none_or(|(k, n)| units::shard_of(key, n) == k);
        let mut gathered = Gathered {
            // What discovery says belongs to the first shard.
            diagnostics: if shard.is_none_or(|(k, _)| k == 1) {
                discovered.diagnostics
            } else {
                Vec::new()
            },
            ..Gathered::default()
        };
        let mut units = Units::default();
        for (input, mut l) in discovered.inputs.iter().zip(loaded) {
            // The overlays of an application fall in the same shard.
            let key = match input.format {
                Format::Kustomization => load::kustomize_unit(&input.display),
                format => units::input_key(&input.display, format == Format::Chart),
            };
            if !in_shard(&key) {
                // Another shard judges it; its documents still tell what the repository holds.
                l.diagnostics.clear();
            }
            gathered.add(&mut l);
            units.add_file(&input.display, l.grouping, l.documents);
            for (name, documents) in l.units {
                units.add(name, key.clone(), documents);
            }
            for (name, namespace) in l.unit_namespaces {
                units.set_namespace(name, namespace);
            }
        }
        gathered.scope = discovered.scope;
        let mut units = units.build();
        units.extend(DeploymentUnit::repositories(repositories));
        self.finish(units, gathered)
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
    fn finish(&self, mut units: Vec<DeploymentUnit>, mut gathered: Gathered) -> Report {
        let derogations = Derogations::collect(
            self.options.config.as_ref(),
            &gathered.files,
            &units,
            self.catalogue,
            self.options.today.unwrap_or_else(Date::today),
        );
        // The derogations are judged too (a reason, an expiry date), where they are written.
        if let Some(doc) = derogations.document() {
            units.push(DeploymentUnit::derogations(doc));
        }
        let repository = units::repository_facts(&units);
        let checked: Vec<&DeploymentUnit> = units
            .iter()
            .filter(|u| self.options.shard.is_none_or(|(k, n)| u.in_shard(k, n)))
            .collect();
        let scope = &gathered.scope;
        let reported = |path: &str| scope.contains(path);
        let (findings, diagnostics) = self.install(|| {
            let progress = &self.options.progress;
            check::check_units(&self.rules, &checked, &repository, &reported, progress)
        });
        let (mut findings, derogation_diagnostics) = derogations.apply(findings);
        let absent =
            (self.options.baseline.as_ref()).map(|b| derogate::compare(&mut findings, b, reported));
        gathered.diagnostics.extend(diagnostics);
        gathered.diagnostics.extend(derogation_diagnostics);
        // Files given alone are judged with their unit; only what is in them is reported.
        findings.retain(|f| scope.contains(&f.location.path));
        gathered
            .diagnostics
            .retain(|d| d.location.as_ref().is_none_or(|l| scope.contains(&l.path)));
        gathered
            .diagnostics
            .extend(self.catalogue.diagnostics.iter().cloned());
        gathered
            .diagnostics
            .extend(self.rules.diagnostics().iter().cloned());
        let mut report = Report::new(
            self.options.profile,
            findings,
            gathered.diagnostics,
            gathered.stats,
            &gathered.files,
        );
        report.baseline_absent = absent;
        report.active_rules = self.rules.ids();
        report.timings = self.rules.timings();
        // Documents are freed beside the report's rendering (here if no thread can start).
        let _ = std::thread::Builder::new().spawn(move || drop(units));
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
}
