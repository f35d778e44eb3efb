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

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use cct_template as tpl;
use tpl::MethodError;

use super::output::{assemble_placed, OutputPart};
use super::provenance::{ByteOrigin, ProvSegment, ProvenanceMap, RenderProvenance};
use super::{
    coalesce_values, load_chart, plan, process_dependencies, validate_schema, Capabilities, Chart,
    Files, HelmError, KubeVersion, LoadLimits, ReleaseOptions, SetKind, UserValues, Value,
    ValueKind, Warnings,
};
use crate::diagnostic::{Diagnostic, DiagnosticLevel};
use crate::source::{ByteRange, Document, LineCol, Location, SourceFile};
use crate::text::Text;
use crate::yaml::{self, YamlLimits};

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
    /// The release name (`helm template`'s default: `release-name`).
    pub release_name: String,
    /// `-n` (default: `default`).
    pub namespace: String,
    /// Folders holding charts by name, for dependencies that `charts/` lacks.
    pub charts_dirs: Vec<PathBuf>,
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
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            values_files: Vec::new(),
            set: Vec::new(),
            set_string: Vec::new(),
            release_name: "release-name".into(),
            namespace: "default".into(),
            charts_dirs: Vec::new(),
            kube_version: None,
            api_versions: Vec::new(),
            include_crds: false,
            display: None,
            missing_dependencies: MissingDependencies::Error,
            limits: RenderLimits::default(),
        }
    }
}

/// What kind of failure a [`RenderError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderErrorKind {
    /// The chart could not be loaded.
    Load,
    /// A declared dependency is missing.
    MissingDependency,
    /// Values could not be read or merged (`-f`, `--set`).
    Values,
    /// Values do not meet `values.schema.json`.
    Schema,
    /// The chart's `kubeVersion` excludes the cluster version.
    KubeVersion,
    /// A template does not parse.
    Parse,
    /// A template failed (`required`, `fail`, nil pointer, bad function argument…).
    Exec,
    /// A bound was exceeded (steps, depth, output size).
    Limit,
    /// The output is not valid YAML (Helm's `YAML parse error on …`).
    Output,
}

/// Why a chart did not render: Helm's message and, when known, the place in the chart's files.
#[derive(Debug, Clone)]
pub struct RenderError {
    /// The kind of failure.
    pub kind: RenderErrorKind,
    /// Helm's message (what `helm template` prints after `Error: `).
    pub message: String,
    /// The file the location is in, for snippets.
    pub file: Option<Arc<SourceFile>>,
    /// The template (or values file, or `Chart.yaml`) line and column.
    pub location: Option<Location>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

impl RenderError {
    fn new(kind: RenderErrorKind, message: impl Into<String>) -> RenderError {
        RenderError {
            kind,
            message: message.into(),
            file: None,
            location: None,
        }
    }

    fn at(mut self, file: &Arc<SourceFile>, range: ByteRange) -> RenderError {
        self.location = Some(Location::of(file, range));
        self.file = Some(Arc::clone(file));
        self
    }

    fn at_path(mut self, path: &str) -> RenderError {
        self.location = Some(Location {
            path: path.to_string(),
            start: LineCol { line: 1, column: 1 },
            end: LineCol { line: 1, column: 1 },
            bytes: ByteRange::new(0, 0),
        });
        self
    }

    /// The error as a diagnostic (code `helm-render`) at its location.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            location: self.location.clone(),
            code: "helm-render",
            level: DiagnosticLevel::Error,
            message: Text::new(
                format!("the chart does not render: {}", self.message),
                format!("le chart ne se rend pas : {}", self.message),
            ),
        }
    }

    fn from_helm(e: HelmError, chart: &str) -> RenderError {
        let kind = match &e {
            HelmError::Load(_) => RenderErrorKind::Load,
            HelmError::MissingDependencies(_) => RenderErrorKind::MissingDependency,
            HelmError::Values(_) => RenderErrorKind::Values,
            HelmError::Schema(_) => RenderErrorKind::Schema,
            _ => RenderErrorKind::Output,
        };
        RenderError::new(kind, e.message()).at_path(&format!("{chart}/Chart.yaml"))
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
    let chart = load_chart(chart_dir, &display, &opts.charts_dirs, &opts.limits.load)
        .map_err(|e| RenderError::from_helm(e, &display))?;
    let mut user = UserValues::default();
    for f in &opts.values_files {
        let file = read_values(chart_dir, &display, f, &opts.limits.load)?;
        user.add_file(&file, &opts.limits.load.yaml).map_err(|e| {
            RenderError::new(RenderErrorKind::Values, e.message()).at(&file, ByteRange::new(0, 0))
        })?;
    }
    for s in &opts.set {
        user.set(s, SetKind::Typed)
            .map_err(|e| RenderError::new(RenderErrorKind::Values, e.message()))?;
    }
    for s in &opts.set_string {
        user.set(s, SetKind::String)
            .map_err(|e| RenderError::new(RenderErrorKind::Values, e.message()))?;
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
pub fn render_loaded(
    chart: &Chart,
    user: &UserValues,
    opts: &RenderOptions,
) -> Result<RenderedChart, RenderError> {
    let display = chart.display.clone();
    let mut warnings_out = Vec::new();
    let chart_yaml = format!("{display}/Chart.yaml");
    match opts.missing_dependencies {
        MissingDependencies::Error => {
            if let Err(HelmError::MissingDependencies(names)) = chart.check_dependencies() {
                return Err(RenderError::new(
                    RenderErrorKind::MissingDependency,
                    format!(
                        "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {names}"
                    ),
                )
                .at_path(&chart_yaml));
            }
        }
        MissingDependencies::Ignore => {
            for m in &chart.missing {
                warnings_out.push(format!(
                    "dependency {m} of {} is missing: rendered without it",
                    chart.name()
                ));
            }
        }
    }
    let kube = match &opts.kube_version {
        None => None,
        Some(v) => Some(KubeVersion::parse(v).ok_or_else(|| {
            RenderError::new(
                RenderErrorKind::Values,
                format!("invalid kube version '{v}': invalid semantic version"),
            )
        })?),
    };
    let caps = Capabilities::with_options(kube, &opts.api_versions);
    let kv = &chart.metadata.kube_version;
    if !kv.is_empty() && !super::is_compatible_range(kv, &caps.kube_version.version) {
        return Err(RenderError::new(
            RenderErrorKind::KubeVersion,
            format!(
                "chart requires kubeVersion: {kv} which is incompatible with Kubernetes {}",
                caps.kube_version.version
            ),
        )
        .at_path(&chart_yaml));
    }
    let release = ReleaseOptions {
        name: opts.release_name.clone(),
        namespace: opts.namespace.clone(),
        ..ReleaseOptions::default()
    };
    let mut chart = chart.clone();
    let mut warnings = Warnings::new();
    process_dependencies(&mut chart, &user.values, &mut warnings)
        .map_err(|e| RenderError::from_helm(e, &display))?;
    let values = coalesce_values(&chart, &user.values, &mut warnings)
        .map_err(|e| RenderError::from_helm(e, &display))?;
    let errors = validate_schema(&chart, &values);
    if let Some(first) = errors.first() {
        let mut e = RenderError::new(RenderErrorKind::Schema, super::schema_error_text(&errors));
        e.location = first.location.clone();
        return Err(e);
    }
    warnings_out.extend(warnings.iter().map(|w| w.to_string()));
    let plan = plan(&chart, &values, &release, &caps);
    let rendered = execute_plan(&plan, &values, &opts.limits)?;

    let crds: Vec<(String, String, String)> = if opts.include_crds {
        collect_crds(&chart, &mut Vec::new())
    } else {
        Vec::new()
    };
    let mut files = rendered.files;
    let crd_file_index: Vec<u32> = crds
        .iter()
        .map(|(_, text, shown)| {
            files.push(SourceFile::new(shown.clone(), text.clone()));
            (files.len() - 1) as u32
        })
        .collect();
    let crd_pairs: Vec<(String, String)> = crds
        .iter()
        .map(|(n, t, _)| (n.clone(), t.clone()))
        .collect();
    let (manifest, parts) = assemble_placed(&rendered.outputs, &crd_pairs)
        .map_err(|e| RenderError::new(RenderErrorKind::Output, e.message()))?;
    if manifest.len() > opts.limits.max_manifest_bytes {
        return Err(RenderError::new(
            RenderErrorKind::Limit,
            format!(
                "rendered manifest exceeds {} bytes",
                opts.limits.max_manifest_bytes
            ),
        ));
    }
    let mut segments: Vec<ProvSegment> = Vec::new();
    let mut documents = Vec::new();
    let mut doc_ranges = Vec::new();
    for (range, part) in parts {
        match part {
            OutputPart::Crd(i) => {
                let name = crd_pairs[i].0.clone();
                if range.end > range.start {
                    segments.push(ProvSegment {
                        start: range.start as u32,
                        end: range.end as u32,
                        origin: ByteOrigin::Text {
                            file: crd_file_index[i],
                            start: 0,
                        },
                    });
                }
                doc_ranges.push((ByteRange::new(range.start, range.end), name.clone()));
                documents.push(RenderedDoc {
                    source_template: name,
                    text_range: range,
                    kind: "CustomResourceDefinition".into(),
                    hook: false,
                    crd: true,
                });
            }
            OutputPart::Doc(p) => {
                let segs = &rendered.segments[p.template];
                let from = segs.partition_point(|s| s.end <= p.range.start);
                let len = range.end - range.start;
                for s in segs.get(from..).unwrap_or(&[]) {
                    if s.start >= p.range.start + len {
                        break;
                    }
                    let a = s.start.max(p.range.start);
                    let b = s.end.min(p.range.start + len);
                    if a >= b {
                        continue;
                    }
                    let origin = match s.origin {
                        SegOrigin::Text { file, start } => ByteOrigin::Text {
                            file,
                            start: start + (a - s.start) as u32,
                        },
                        o => o.into_byte_origin(),
                    };
                    let shift = |x: usize| (x - p.range.start + range.start) as u32;
                    segments.push(ProvSegment {
                        start: shift(a),
                        end: shift(b),
                        origin,
                    });
                }
                let name = rendered.outputs[p.template].0.clone();
                doc_ranges.push((ByteRange::new(range.start, range.end), name.clone()));
                documents.push(RenderedDoc {
                    source_template: name,
                    text_range: range,
                    kind: p.kind,
                    hook: p.hook,
                    crd: false,
                });
            }
        }
    }
    segments.sort_by_key(|s| s.start);
    Ok(RenderedChart {
        chart_name: chart.name().to_string(),
        display,
        manifest,
        documents,
        provenance: Arc::new(ProvenanceMap {
            files,
            segments,
            documents: doc_ranges,
        }),
        warnings: warnings_out,
    })
}

/// The `crds/` files of a chart and its enabled subcharts (Helm's `CRDObjects`): full name
/// (`chart/charts/sub/crds/x.yaml`), text, and display path.
fn collect_crds(chart: &Chart, prefix: &mut Vec<String>) -> Vec<(String, String, String)> {
    prefix.push(chart.name().to_string());
    let path = prefix.join("/charts/");
    let mut out: Vec<(String, String, String)> = chart
        .crd_files()
        .map(|f| {
            (
                format!("{path}/{}", f.name),
                String::from_utf8_lossy(&f.data).into_owned(),
                format!("{}/{}", chart.display, f.name),
            )
        })
        .collect();
    for d in &chart.dependencies {
        out.extend(collect_crds(d, prefix));
    }
    prefix.pop();
    out
}

/// A segment origin while rendering (file ids already mapped to provenance file indexes).
#[derive(Debug, Clone, Copy)]
enum SegOrigin {
    Text { file: u32, start: u32 },
    Value { file: u32, range: ByteRange },
    Action { file: u32, range: ByteRange },
    None,
}

impl SegOrigin {
    fn into_byte_origin(self) -> ByteOrigin {
        match self {
            SegOrigin::Text { file, start } => ByteOrigin::Text { file, start },
            SegOrigin::Value { file, range } => ByteOrigin::Value { file, range },
            SegOrigin::Action { file, range } => ByteOrigin::Action { file, range },
            SegOrigin::None => ByteOrigin::Action {
                file: u32::MAX,
                range: ByteRange::default(),
            },
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    start: usize,
    end: usize,
    origin: SegOrigin,
}

struct Executed {
    /// (template name, output) of every executed template, in plan order.
    outputs: Vec<(String, String)>,
    /// Their segments (same order).
    segments: Vec<Vec<Seg>>,
    /// Provenance files: templates first (index = template-set file id), then values files.
    files: Vec<Arc<SourceFile>>,
}

/// Helm's `HELM_ERR_START`/`HELM_ERR_END` markers around `required`/`fail` messages.
const ERR_START: &str = "HELM_ERR_START";
const ERR_END: &str = "HELM_ERR_END";

fn helm_funcs() -> tpl::FuncMap {
    let mut f = tpl::FuncMap::standard();
    f.insert(
        "required",
        &[tpl::Param::Str, tpl::Param::Any],
        None,
        |_, a| {
            let missing = match a[1].kind() {
                tpl::Kind::Nil => true,
                tpl::Kind::Str(t) => t.is_empty(),
                _ => false,
            };
            if missing {
                let msg = a[0].as_str().unwrap_or_default();
                return Err(format!("{ERR_START}{msg}{ERR_END}").into());
            }
            Ok(a[1].clone())
        },
    );
    f.insert("fail", &[tpl::Param::Str], None, |_, a| {
        let msg = a[0].as_str().unwrap_or_default();
        Err(format!("{ERR_START}{msg}{ERR_END}").into())
    });
    f
}

/// Values files → provenance file indexes.
struct Sources {
    base: u32,
    files: Vec<Arc<SourceFile>>,
    ids: HashMap<*const SourceFile, u32>,
}

impl Sources {
    fn id(&mut self, f: &Arc<SourceFile>) -> u32 {
        let key = Arc::as_ptr(f);
        if let Some(&i) = self.ids.get(&key) {
            return i;
        }
        let i = self.base + self.files.len() as u32;
        self.files.push(Arc::clone(f));
        self.ids.insert(key, i);
        i
    }
}

/// A helm value as a template value; scalars keep their origin.
fn to_template(v: &Value, src: &mut Sources) -> tpl::Value {
    let out = match &v.kind {
        ValueKind::Null => return tpl::Value::nil(),
        ValueKind::Bool(b) => tpl::Value::bool(*b),
        ValueKind::Int(i) => tpl::Value::int64(*i),
        ValueKind::Float(f) => tpl::Value::float(*f),
        ValueKind::String(s) => tpl::Value::str(s.as_str()),
        ValueKind::List(l) => {
            return tpl::Value::list(l.iter().map(|x| to_template(x, src)).collect())
        }
        ValueKind::Map(t) => {
            return tpl::Value::map(
                t.iter()
                    .map(|(k, x)| (k.clone(), to_template(x, src)))
                    .collect(),
            )
        }
    };
    match &v.origin {
        Some(o) => {
            let source = src.id(&o.file);
            out.with_origin(tpl::Origin::Value {
                source,
                start: o.range.start,
                end: o.range.end,
            })
        }
        None => out,
    }
}

fn plain(v: &Value) -> tpl::Value {
    let mut s = Sources {
        base: 0,
        files: Vec::new(),
        ids: HashMap::new(),
    };
    strip(&to_template(v, &mut s))
}

fn strip(v: &tpl::Value) -> tpl::Value {
    v.without_prov()
}

/// `.Files` (its `%v` form, costly for big charts, computed once).
#[derive(Debug)]
struct FilesObj(Files, std::cell::OnceCell<String>);

impl FilesObj {
    fn new(files: Files) -> FilesObj {
        FilesObj(files, std::cell::OnceCell::new())
    }
}

impl tpl::Object for FilesObj {
    fn type_name(&self) -> String {
        "files.Files".into()
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets"
        )
    }
    fn call_method(&self, name: &str, args: &[tpl::Value]) -> Result<tpl::Value, MethodError> {
        let arg = |i: usize| -> Result<&str, MethodError> {
            match args.get(i) {
                Some(v) => v.as_str().ok_or_else(|| MethodError::ArgType {
                    expected: "string".into(),
                    got: v.type_name(),
                }),
                None => Err(MethodError::ArgCount {
                    method: name.to_string(),
                    want: 1,
                    got: 0,
                }),
            }
        };
        Ok(match name {
            "Get" | "GetBytes" => tpl::Value::str(self.0.get(arg(0)?)),
            "Glob" => tpl::Value::object(Rc::new(FilesObj::new(self.0.glob(arg(0)?)))),
            "Lines" => tpl::Value::list(
                self.0
                    .lines(arg(0)?)
                    .into_iter()
                    .map(tpl::Value::str)
                    .collect(),
            ),
            "AsConfig" => tpl::Value::str(self.0.as_config()),
            "AsSecrets" => tpl::Value::str(self.0.as_secrets()),
            _ => return Err(MethodError::Unknown(name.to_string())),
        })
    }
    fn truthy(&self) -> bool {
        !self.0.map.is_empty()
    }
    fn display(&self) -> String {
        // Go's `%v` of a `map[string][]byte`: `map[name:[97 98] …]`.
        self.1
            .get_or_init(|| {
                let size: usize = self
                    .0
                    .map
                    .iter()
                    .map(|(k, v)| k.len() + 4 * v.len() + 4)
                    .sum();
                let mut out = String::with_capacity(size + 5);
                out.push_str("map[");
                for (i, (k, v)) in self.0.map.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push_str(":[");
                    for (j, b) in v.iter().enumerate() {
                        if j > 0 {
                            out.push(' ');
                        }
                        if *b >= 100 {
                            out.push(char::from(b'0' + b / 100));
                        }
                        if *b >= 10 {
                            out.push(char::from(b'0' + (b / 10) % 10));
                        }
                        out.push(char::from(b'0' + b % 10));
                    }
                    out.push(']');
                }
                out.push(']');
                out
            })
            .clone()
    }
    fn to_plain(&self) -> tpl::Value {
        // `map[string][]byte`: JSON gives base64 strings.
        tpl::Value::map(
            self.0
                .map
                .iter()
                .map(|(k, v)| (k.clone(), tpl::Value::str(super::data::base64(v))))
                .collect(),
        )
    }
}

/// `.Capabilities.APIVersions`.
#[derive(Debug)]
struct ApiVersionsObj(Vec<String>);

impl tpl::Object for ApiVersionsObj {
    fn type_name(&self) -> String {
        "common.VersionSet".into()
    }
    fn has_method(&self, name: &str) -> bool {
        name == "Has"
    }
    fn call_method(&self, _: &str, args: &[tpl::Value]) -> Result<tpl::Value, MethodError> {
        let a = args.first().and_then(tpl::Value::as_str).unwrap_or("");
        Ok(tpl::Value::bool(self.0.iter().any(|v| v == a)))
    }
    fn display(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn to_plain(&self) -> tpl::Value {
        tpl::Value::list(self.0.iter().map(|s| tpl::Value::str(s.as_str())).collect())
    }
}

/// `.Capabilities.KubeVersion` (prints as its version).
#[derive(Debug)]
struct KubeVersionObj(KubeVersion);

impl tpl::Object for KubeVersionObj {
    fn type_name(&self) -> String {
        "*common.KubeVersion".into()
    }
    fn field(&self, name: &str) -> Option<tpl::Value> {
        Some(tpl::Value::str(match name {
            "Version" | "GitVersion" => self.0.version.as_str(),
            "Major" => self.0.major.as_str(),
            "Minor" => self.0.minor.as_str(),
            _ => return None,
        }))
    }
    fn has_method(&self, name: &str) -> bool {
        name == "String"
    }
    fn call_method(&self, _: &str, _: &[tpl::Value]) -> Result<tpl::Value, MethodError> {
        Ok(tpl::Value::str(self.0.version.as_str()))
    }
    fn display(&self) -> String {
        self.0.version.clone()
    }
    fn to_plain(&self) -> tpl::Value {
        tpl::Value::map(
            [
                ("major", &self.0.major),
                ("minor", &self.0.minor),
                ("version", &self.0.version),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), tpl::Value::str(v.as_str())))
            .collect(),
        )
    }
}

fn capabilities_value(c: &Capabilities) -> tpl::Value {
    let mut m = BTreeMap::new();
    m.insert(
        "APIVersions".to_string(),
        tpl::Value::object(Rc::new(ApiVersionsObj(c.api_versions.clone()))),
    );
    m.insert(
        "KubeVersion".to_string(),
        tpl::Value::object(Rc::new(KubeVersionObj(c.kube_version.clone()))),
    );
    let hv: BTreeMap<String, tpl::Value> = [
        ("Version", c.helm_version.as_str()),
        ("GitCommit", ""),
        ("GitTreeState", ""),
        ("GoVersion", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), tpl::Value::str(v)))
    .collect();
    m.insert("HelmVersion".to_string(), tpl::Value::map(hv));
    tpl::Value::map(m)
}

/// Helm's reformatting of an execution error (`execution error at (…)` for `required` and
/// `fail`, the indented trace for nil pointers and `include` chains, Go's text otherwise).
fn helm_exec_message(e: &tpl::ExecError, template: &str) -> String {
    let s = e.to_string();
    let tokens: Vec<&str> = s.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({template}): {s}");
    }
    if let Some(a) = tokens[2].find(ERR_START) {
        let rest = &tokens[2][a + ERR_START.len()..];
        if let Some(b) = rest.rfind(ERR_END) {
            return format!("execution error at ({}): {}", tokens[1], &rest[..b]);
        }
    }
    traceable(&s).unwrap_or(s)
}

/// `template: LOC: executing "NAME" at <CTX>: REST` → (LOC, "NAME", CTX, REST).
fn parse_exec(s: &str) -> Option<(&str, &str, &str, &str)> {
    let s = s.strip_prefix("template: ")?;
    let i = s.find(": executing \"")?;
    let loc = &s[..i];
    let rest = &s[i + ": executing ".len()..];
    let j = rest.find("\" at <")?;
    let name = &rest[..=j];
    let rest = &rest[j + "\" at <".len()..];
    let k = rest.find(">: ")?;
    Some((loc, name, &rest[..k], &rest[k + 3..]))
}

fn traceable(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split("error calling include: ").collect();
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match parse_exec(p) {
            Some((loc, name, ctx, rest)) => {
                if !last {
                    if !rest.is_empty() {
                        return None;
                    }
                    out.push_str(&format!(
                        "{loc}\n  executing {name} at <{ctx}>:\n    error calling include:\n"
                    ));
                } else {
                    if rest.contains(": ") {
                        return None;
                    }
                    out.push_str(&format!(
                        "{loc}\n  executing {name} at <{ctx}>:\n    {rest}"
                    ));
                }
            }
            None if last && i > 0 => out.push_str(p),
            None => return None,
        }
    }
    Some(out)
}

fn execute_plan(
    plan: &super::RenderPlan,
    _values: &super::Table,
    limits: &RenderLimits,
) -> Result<Executed, RenderError> {
    let mut set = tpl::TemplateSet::with_funcs(helm_funcs());
    let mut by_name: HashMap<&str, &Arc<SourceFile>> = HashMap::new();
    let mut files: Vec<Arc<SourceFile>> = Vec::new();
    for job in &plan.templates {
        by_name.insert(job.name.as_str(), &job.file);
        files.push(Arc::clone(&job.file));
        match set.add(&job.name, job.file.text()) {
            // File ids are assigned in order, one per added template.
            Ok(id) => debug_assert_eq!(id as usize + 1, files.len()),
            Err(e) => {
                // Helm's `cleanupParseError`: the location, then the last `: ` token.
                let text = e.to_string();
                let tokens: Vec<&str> = text.split(": ").collect();
                let message = match tokens.as_slice() {
                    [_, location, .., last] => format!("parse error at ({location}): {last}"),
                    _ => format!("parse error in ({}): {text}", job.name),
                };
                let off = job.file.line_start(e.line as u32) as usize + e.col;
                return Err(RenderError::new(RenderErrorKind::Parse, message)
                    .at(&job.file, ByteRange::new(off, off)));
            }
        }
    }
    let mut sources = Sources {
        base: files.len() as u32,
        files: Vec::new(),
        ids: HashMap::new(),
    };
    // `.Values` of each scope: a subchart's is its parent's map entry (Go maps are shared).
    let mut vals: Vec<Option<tpl::Value>> = vec![None; plan.scopes.len()];
    for i in 0..plan.scopes.len() {
        if vals[i].is_none() {
            vals[i] = Some(to_template(&plan.scopes[i].values, &mut sources));
        }
        for (name, &ci) in &plan.scopes[i].subcharts {
            let shared = vals[i]
                .as_ref()
                .and_then(|v| v.get(name))
                .filter(|v| matches!(v.kind(), tpl::Kind::Map(_)));
            if let (Some(v), Some(slot)) = (shared, vals.get_mut(ci)) {
                *slot = Some(v);
            }
        }
    }
    let release = plain(&plan.release);
    let caps = capabilities_value(&plan.capabilities);
    // Top-level objects, children first (`.Subcharts` refers to them).
    let mut tops: Vec<Option<tpl::Value>> = vec![None; plan.scopes.len()];
    for i in (0..plan.scopes.len()).rev() {
        let sc = &plan.scopes[i];
        let mut m = BTreeMap::new();
        m.insert(
            "Values".to_string(),
            vals[i]
                .clone()
                .unwrap_or_else(|| tpl::Value::map(BTreeMap::new())),
        );
        m.insert("Chart".to_string(), plain(&sc.chart));
        m.insert(
            "Files".to_string(),
            tpl::Value::object(Rc::new(FilesObj::new(sc.files.clone()))),
        );
        m.insert("Release".to_string(), release.clone());
        m.insert("Capabilities".to_string(), caps.clone());
        let subs: BTreeMap<String, tpl::Value> = sc
            .subcharts
            .iter()
            .filter_map(|(n, &ci)| tops.get(ci).cloned().flatten().map(|t| (n.clone(), t)))
            .collect();
        m.insert("Subcharts".to_string(), tpl::Value::map(subs));
        tops[i] = Some(tpl::Value::map(m));
    }
    let mut exec_opts = tpl::ExecOptions::helm();
    exec_opts.limits = limits.exec;
    let mut outputs = Vec::new();
    let mut segments = Vec::new();
    let mut total = 0usize;
    for job in &plan.templates {
        if job.partial {
            continue;
        }
        let Some(top) = tops.get(job.scope).cloned().flatten() else {
            continue;
        };
        let t: BTreeMap<String, tpl::Value> = [
            ("Name".to_string(), tpl::Value::str(job.name.as_str())),
            (
                "BasePath".to_string(),
                tpl::Value::str(job.base_path.as_str()),
            ),
        ]
        .into_iter()
        .collect();
        top.set("Template", tpl::Value::map(t));
        let r = set.execute(&job.name, &top, &exec_opts).map_err(|e| {
            let kind = if e.limit {
                RenderErrorKind::Limit
            } else {
                RenderErrorKind::Exec
            };
            let message = helm_exec_message(&e, &job.name);
            let file = e
                .file
                .as_deref()
                .and_then(|f| by_name.get(f).copied())
                .unwrap_or(&job.file);
            let line = if e.line == 0 { 1 } else { e.line as u32 };
            let off = file.line_start(line) as usize + e.col;
            RenderError::new(kind, message).at(file, ByteRange::new(off, off))
        })?;
        total += r.text.len();
        if total > limits.max_manifest_bytes {
            return Err(RenderError::new(
                RenderErrorKind::Limit,
                format!(
                    "rendered templates exceed {} bytes",
                    limits.max_manifest_bytes
                ),
            )
            .at(&job.file, ByteRange::new(0, 0)));
        }
        let segs: Vec<Seg> = r
            .segments
            .iter()
            .map(|s| Seg {
                start: s.start,
                end: s.end,
                origin: match s.origin {
                    tpl::Origin::Template { file, start, .. } => SegOrigin::Text { file, start },
                    tpl::Origin::Value { source, start, end } => SegOrigin::Value {
                        file: source,
                        range: ByteRange { start, end },
                    },
                    tpl::Origin::Action { file, start, end } => SegOrigin::Action {
                        file,
                        range: ByteRange { start, end },
                    },
                },
            })
            .collect();
        outputs.push((job.name.clone(), r.text));
        segments.push(segs);
    }
    files.extend(sources.files);
    // Drop origins pointing to unknown files.
    let n = files.len() as u32;
    for segs in &mut segments {
        for s in segs.iter_mut() {
            let f = match s.origin {
                SegOrigin::Text { file, .. }
                | SegOrigin::Value { file, .. }
                | SegOrigin::Action { file, .. } => file,
                SegOrigin::None => continue,
            };
            if f >= n {
                s.origin = SegOrigin::None;
            }
        }
        segs.retain(|s| !matches!(s.origin, SegOrigin::None));
    }
    Ok(Executed {
        outputs,
        segments,
        files,
    })
}

/// The documents of a rendered chart, parsed from its manifest (spans in manifest
/// coordinates), each carrying the chart's provenance; `env` names the environment rendered.
/// YAML problems are diagnostics located where the offending bytes were written.
pub fn documents(
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
