//! Rendering a chart with the template engine (`cct-template`), as `helm template` does, and
//! keeping where every byte of the output came from.
//!
//! [`render`] loads the chart, reads the values files and `--set` arguments, and calls
//! [`render_loaded`], which processes dependencies, coalesces and validates the values, parses
//! every template into one set (Helm's order), executes the non-partial ones with their scope's
//! objects (`.Values`, `.Chart`, `.Files`, `.Release`, `.Capabilities`, `.Subcharts`,
//! `.Template`), and assembles the manifest as `helm template` prints it, with a
//! [`ProvenanceMap`] of its bytes. [`documents`] parses the manifest into [`Document`]s that
//! carry that provenance.
//!
//! The steps have their modules: `execute` runs the plan's templates (with the `.Files` and
//! `.Capabilities` objects of `objects`), `manifest` assembles their outputs, and `error`
//! words failures as Helm does.

mod error;
mod execute;
mod manifest;
mod objects;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cct_template as tpl;

pub use error::{RenderError, RenderErrorKind};

use super::{
    coalesce_values, load_chart, plan, process_dependencies, validate_schema, Capabilities, Chart,
    HelmError, KubeVersion, LoadLimits, ReleaseOptions, SetKind, Table, UserValues, ValueKind,
    Warnings,
};
use crate::source::{ByteRange, Document, SourceFile};
use crate::source::{GlobalSetting, Place, PlaceRole, ProvenanceMap, RenderProvenance};
use crate::vocab::Diagnostic;
use crate::yaml::{self, YamlLimits};

/// The API versions a chart sees on the Cloud π Native platform, beyond Kubernetes' own:
/// OpenShift, its routes and the monitoring stack are there (REQUIREMENTS §3.2). `cct check`
/// renders with them, as Argo CD renders on the platform; `cct render` too, by default.
pub const PLATFORM_API_VERSIONS: &[&str] = &[
    "security.openshift.io/v1",
    "route.openshift.io/v1",
    "monitoring.coreos.com/v1",
];

/// What to do with a dependency declared in `Chart.yaml` that is neither in `charts/` nor
/// found by name in the `--charts-dir` folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingDependencies {
    /// Fail as `helm template` does (`found in Chart.yaml, but missing in charts/ directory`).
    #[default]
    Error,
    /// Render without it, as Helm's engine does when called directly (the SDK), with a
    /// warning in [`RenderedChart::warnings`].
    Ignore,
}

/// Bounds on a render.
#[derive(Debug, Clone, Copy)]
pub struct RenderLimits {
    /// Loading the chart (file sizes, counts, subchart depth) and YAML limits.
    pub load: LoadLimits,
    /// Each template's execution: steps, include/tpl depth, nesting, output size.
    pub exec: tpl::Limits,
    /// The whole manifest.
    pub max_manifest_bytes: usize,
}

impl Default for RenderLimits {
    fn default() -> Self {
        RenderLimits {
            load: LoadLimits::default(),
            exec: tpl::Limits::default(),
            max_manifest_bytes: 64 << 20,
        }
    }
}

/// `helm template`'s options.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// `-f` files, merged in order.
    pub values_files: Vec<PathBuf>,
    /// `--set` arguments.
    pub set: Vec<String>,
    /// `--set-string` arguments.
    pub set_string: Vec<String>,
    /// `--set-json` arguments (applied before `--set`, as Helm does).
    pub set_json: Vec<String>,
    /// `--set-file` arguments (applied after `--set-string`).
    pub set_file: Vec<String>,
    /// `--set-literal` arguments (applied last).
    pub set_literal: Vec<String>,
    /// The release name (`helm template`'s default: `release-name`).
    pub release_name: String,
    /// `-n` (default: `default`).
    pub namespace: String,
    /// Folders holding charts by name, for dependencies that `charts/` lacks.
    pub charts_dirs: Vec<PathBuf>,
    /// Helm's repository cache (`$HELM_CACHE_HOME/repository`), for dependencies found
    /// nowhere else.
    pub helm_cache: Option<PathBuf>,
    /// `--kube-version`.
    pub kube_version: Option<String>,
    /// `--api-versions`.
    pub api_versions: Vec<String>,
    /// `--include-crds`: the `crds/` files first.
    pub include_crds: bool,
    /// The chart's display path (default: the folder as given).
    pub display: Option<String>,
    /// Missing dependencies: an error (default, as `helm template`) or ignored.
    pub missing_dependencies: MissingDependencies,
    /// Bounds.
    pub limits: RenderLimits,
    /// Keys, certificates and password hashes made cheaply (the template engine's
    /// `ExecOptions::cheap_keys`): for a scan, which never uses them; `cct render` keeps
    /// Sprig's fresh key per call.
    pub cheap_keys: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            values_files: Vec::new(),
            set: Vec::new(),
            set_string: Vec::new(),
            set_json: Vec::new(),
            set_file: Vec::new(),
            set_literal: Vec::new(),
            release_name: "release-name".into(),
            namespace: "default".into(),
            charts_dirs: Vec::new(),
            helm_cache: None,
            kube_version: None,
            api_versions: Vec::new(),
            include_crds: false,
            display: None,
            missing_dependencies: MissingDependencies::Error,
            limits: RenderLimits::default(),
            cheap_keys: false,
        }
    }
}
/// One document of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedDoc {
    /// The template it came from (`# Source:`), e.g. `mychart/templates/deployment.yaml`.
    pub source_template: String,
    /// Its bytes in [`RenderedChart::manifest`] (the `# Source:` header excluded).
    pub text_range: Range<usize>,
    /// Its `kind`.
    pub kind: String,
    /// Whether it is a hook.
    pub hook: bool,
    /// Whether it is a `crds/` file (`--include-crds`).
    pub crd: bool,
}

/// A rendered chart.
#[derive(Debug, Clone)]
pub struct RenderedChart {
    /// The chart's name.
    pub chart_name: String,
    /// The chart's display path.
    pub display: String,
    /// Exactly what `helm template` prints.
    pub manifest: String,
    /// The documents of the manifest, in order.
    pub documents: Vec<RenderedDoc>,
    /// Where each byte of the manifest came from.
    pub provenance: Arc<ProvenanceMap>,
    /// Helm's warnings (values coalescing, ignored missing dependencies).
    pub warnings: Vec<String>,
}

impl RenderedChart {
    /// The provenance under the manifest's file name (`<chart> (rendered[, <env>])`).
    pub fn provenance_for(&self, env: Option<&str>) -> RenderProvenance {
        let name = match env {
            Some(e) => format!("{} (rendered, {e})", self.display),
            None => format!("{} (rendered)", self.display),
        };
        RenderProvenance {
            manifest: SourceFile::new(name, self.manifest.clone()),
            environment: env.map(str::to_string),
            map: Arc::clone(&self.provenance),
        }
    }
}

/// Render a chart folder as `helm template` does.
pub fn render(chart_dir: &Path, opts: &RenderOptions) -> Result<RenderedChart, RenderError> {
    let display = opts.display.clone().unwrap_or_else(|| {
        let s = chart_dir.to_string_lossy().replace('\\', "/");
        let t = s.trim_end_matches('/');
        if t.is_empty() {
            s.clone()
        } else {
            t.to_string()
        }
    });
    let sources = super::DependencySources {
        tree: Vec::new(),
        charts_dirs: opts.charts_dirs.clone(),
        helm_cache: opts.helm_cache.clone(),
    };
    let chart = load_chart(chart_dir, &display, &sources, &opts.limits.load)
        .map_err(|e| RenderError::from_helm(e, &display))?;
    let mut user = UserValues::default();
    for f in &opts.values_files {
        let file = read_values(chart_dir, &display, f, &opts.limits.load)?;
        user.add_file(&file, &opts.limits.load.yaml).map_err(|e| {
            RenderError::new(RenderErrorKind::Values, e.message()).at(&file, ByteRange::new(0, 0))
        })?;
    }
    // Helm's order, whatever the order on the command line.
    let sets = [
        (&opts.set_json, SetKind::Json),
        (&opts.set, SetKind::Typed),
        (&opts.set_string, SetKind::String),
        (&opts.set_file, SetKind::File),
        (&opts.set_literal, SetKind::Literal),
    ];
    for (args, kind) in sets {
        for s in args {
            user.set(s, kind)
                .map_err(|e| RenderError::new(RenderErrorKind::Values, e.message()))?;
        }
    }
    render_loaded(&chart, &user, opts)
}

/// A `-f` file as a source file: named under the chart's display path when it is inside the
/// chart folder, else as given.
fn read_values(
    chart_dir: &Path,
    display: &str,
    path: &Path,
    limits: &LoadLimits,
) -> Result<Arc<SourceFile>, RenderError> {
    let shown = path.to_string_lossy().replace('\\', "/");
    let name = match (path.canonicalize(), chart_dir.canonicalize()) {
        (Ok(p), Ok(d)) => match p.strip_prefix(&d) {
            Ok(rel) => format!("{display}/{}", rel.to_string_lossy().replace('\\', "/")),
            Err(_) => shown.clone(),
        },
        _ => shown.clone(),
    };
    let err = |m: String| RenderError::new(RenderErrorKind::Values, m).at_path(&shown);
    let meta = std::fs::metadata(path).map_err(|e| err(format!("open {shown}: {e}")))?;
    if meta.len() > limits.max_file_bytes {
        return Err(err(format!(
            "{shown}: file is larger than {} bytes",
            limits.max_file_bytes
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(format!("open {shown}: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| err(format!("{shown}: not UTF-8 text")))?;
    Ok(SourceFile::new(name, text))
}

/// Render a loaded chart (see [`super::load_chart`]) with user values (for an environment:
/// [`UserValues::for_environment`]). `opts.values_files`, `set`, `set_string` and
/// `charts_dirs` are not used here.
pub(crate) fn render_loaded(
    chart: &Chart,
    user: &UserValues,
    opts: &RenderOptions,
) -> Result<RenderedChart, RenderError> {
    let display = chart.display.clone();
    let mut warnings = Vec::new();
    match opts.missing_dependencies {
        MissingDependencies::Error => check_dependencies(chart)?,
        MissingDependencies::Ignore => warnings.extend(missing_dependency_warnings(chart)),
    }
    let caps = capabilities(opts)?;
    check_kube_version(chart, &caps)?;
    let release = ReleaseOptions {
        name: opts.release_name.clone(),
        namespace: opts.namespace.clone(),
        ..ReleaseOptions::default()
    };
    let (chart, values) = prepare_values(chart, user, &mut warnings)?;
    let plan = plan(&chart, &values, &release, &caps);
    let executed = execute::execute_plan(&plan, &opts.limits, opts.cheap_keys)?;
    let assembled = manifest::assemble_manifest(&chart, executed, opts)?;
    let mut provenance = assembled.provenance;
    provenance.dependency_values = dependency_values(&chart);
    provenance.globals = globals(&values, &provenance.dependency_values);
    Ok(RenderedChart {
        chart_name: chart.name().to_string(),
        display,
        manifest: assembled.manifest,
        documents: assembled.documents,
        provenance: Arc::new(provenance),
        warnings,
    })
}

/// The default values files of a chart's dependencies, at every depth.
fn dependency_values(chart: &Chart) -> Vec<Arc<SourceFile>> {
    let mut out = Vec::new();
    let mut stack: Vec<&Chart> = chart.dependencies.iter().collect();
    while let Some(c) = stack.pop() {
        out.extend(c.values_file.iter().cloned());
        stack.extend(c.dependencies.iter());
    }
    out
}

/// Where the chart's coalesced `global` values were written, out of the dependencies' defaults
/// (see [`ProvenanceMap::globals`]).
fn globals(values: &Table, dependency_values: &[Arc<SourceFile>]) -> Vec<GlobalSetting> {
    let Some(global) = values.get(super::coalesce::GLOBAL) else {
        return Vec::new();
    };
    global
        .origins()
        .into_iter()
        .filter(|(_, o)| {
            !dependency_values
                .iter()
                .any(|f| Arc::ptr_eq(f, &o.file) || f.path() == o.file.path())
        })
        .map(|(p, o)| {
            let value = match global.pointer(&p).map(|v| &v.kind) {
                Some(ValueKind::String(s)) => s.clone(),
                Some(ValueKind::Bool(b)) => b.to_string(),
                Some(ValueKind::Int(i)) => i.to_string(),
                Some(ValueKind::Float(f)) => f.to_string(),
                _ => String::new(),
            };
            GlobalSetting {
                pointer: format!("/{}{p}", super::coalesce::GLOBAL),
                value,
                place: Place {
                    role: PlaceRole::Value,
                    file: o.file,
                    range: o.range,
                },
            }
        })
        .collect()
}

/// Helm's dependency check (`helm template` refuses a chart with missing dependencies).
fn check_dependencies(chart: &Chart) -> Result<(), RenderError> {
    match chart.check_dependencies() {
        Err(HelmError::MissingDependencies(names)) => Err(RenderError::new(
            RenderErrorKind::MissingDependency,
            format!(
                "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {names}"
            ),
        )
        .at_path(&format!("{}/Chart.yaml", chart.display))),
        _ => Ok(()),
    }
}

/// A warning for each missing dependency, when they are ignored.
fn missing_dependency_warnings(chart: &Chart) -> impl Iterator<Item = String> + '_ {
    chart.missing.iter().map(|m| {
        format!(
            "dependency {m} of {} is missing: rendered without it",
            chart.name()
        )
    })
}

/// `.Capabilities`, from `--kube-version` and `--api-versions`.
fn capabilities(opts: &RenderOptions) -> Result<Capabilities, RenderError> {
    let kube = match &opts.kube_version {
        None => None,
        Some(v) => Some(KubeVersion::parse(v).ok_or_else(|| {
            RenderError::new(
                RenderErrorKind::Values,
                format!("invalid kube version '{v}': invalid semantic version"),
            )
        })?),
    };
    Ok(Capabilities::with_options(kube, &opts.api_versions))
}

/// The chart's `kubeVersion` constraint against the cluster version.
fn check_kube_version(chart: &Chart, caps: &Capabilities) -> Result<(), RenderError> {
    let kv = &chart.metadata.kube_version;
    if !kv.is_empty() && !super::is_compatible_range(kv, &caps.kube_version.version) {
        return Err(RenderError::new(
            RenderErrorKind::KubeVersion,
            format!(
                "chart requires kubeVersion: {kv} which is incompatible with Kubernetes {}",
                caps.kube_version.version
            ),
        )
        .at_path(&format!("{}/Chart.yaml", chart.display)));
    }
    Ok(())
}

/// Helm's values steps: dependencies processed with the user values, values coalesced (their
/// warnings added to `warnings`) and validated against `values.schema.json`.
fn prepare_values(
    chart: &Chart,
    user: &UserValues,
    warnings: &mut Vec<String>,
) -> Result<(Chart, Table), RenderError> {
    let display = &chart.display;
    let mut chart = chart.clone();
    let mut coalescing = Warnings::new();
    process_dependencies(&mut chart, &user.values, &mut coalescing)
        .map_err(|e| RenderError::from_helm(e, display))?;
    let values = coalesce_values(&chart, &user.values, &mut coalescing)
        .map_err(|e| RenderError::from_helm(e, display))?;
    let errors = validate_schema(&chart, &values);
    if let Some(first) = errors.first() {
        let mut e = RenderError::new(RenderErrorKind::Schema, super::schema_error_text(&errors));
        e.location = first.location.clone();
        return Err(e);
    }
    warnings.extend(coalescing.iter().map(|w| w.to_string()));
    Ok((chart, values))
}

/// The documents of a rendered chart, parsed from its manifest (spans in manifest
/// coordinates), each carrying the chart's provenance; `env` names the environment rendered.
/// YAML problems are diagnostics located where the offending bytes were written.
pub(crate) fn documents(
    rendered: &RenderedChart,
    env: Option<&str>,
    limits: &YamlLimits,
) -> (Vec<Document>, Vec<Diagnostic>) {
    let prov = Arc::new(rendered.provenance_for(env));
    let stream = yaml::parse(&prov.manifest, limits);
    let docs = stream
        .documents
        .into_iter()
        .map(|mut d| {
            d.provenance = Some(Arc::clone(&prov));
            d
        })
        .collect();
    let diags = stream
        .diagnostics
        .into_iter()
        .map(|mut d| {
            if let Some(loc) = &d.location {
                let t = prov.trace(loc.bytes);
                d.location = Some(t.primary.location());
            }
            d
        })
        .collect();
    (docs, diags)
}
