//! Loading a chart as Helm's `loader` does: a folder (`.helmignore` applied, the root's rules
//! covering vendored subchart folders too) or a `.tgz` archive (bounded), then the files sorted
//! into `Chart.yaml`, `values.yaml`, `values.schema.json`, `requirements.yaml`, `templates/`,
//! `charts/` (subcharts: folders and archives) and `.Files`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::chart::{dependencies_from_json, Chart, ChartFile, ChartTemplate, Metadata};
use super::ignore::IgnoreRules;
use super::values::{from_document, merge_maps, Table, ValueKind};
use super::HelmError;
use crate::source::SourceFile;
use crate::vocab::DiagnosticLevel;
use crate::yaml::{self, YamlLimits};

/// Bounds on what a chart may make the loader read.
#[derive(Debug, Clone, Copy)]
pub struct LoadLimits {
    /// Largest file (Helm's `MaxDecompressedFileSize`: 5 MiB).
    pub max_file_bytes: u64,
    /// Largest chart, all files (Helm's `MaxDecompressedChartSize`: 100 MiB).
    pub max_chart_bytes: u64,
    /// Most files (archive entries included) in one chart.
    pub max_files: usize,
    /// Deepest nesting of subcharts.
    pub max_depth: usize,
    /// YAML limits for values files and `Chart.yaml`.
    pub yaml: YamlLimits,
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_file_bytes: 5 * 1024 * 1024,
            max_chart_bytes: 100 * 1024 * 1024,
            max_files: 20_000,
            max_depth: 16,
            yaml: YamlLimits::default(),
        }
    }
}

/// A file read from a folder or an archive, named relative to the chart root.
#[derive(Debug, Clone)]
pub(crate) struct RawFile {
    pub(crate) name: String,
    pub(crate) data: Vec<u8>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Load a chart folder (without resolving dependencies: see [`super::load_chart`]).
pub(crate) fn load_dir(dir: &Path, display: &str, limits: &LoadLimits) -> Result<Chart, HelmError> {
    let ignore_path = dir.join(".helmignore");
    let rules = match std::fs::read_to_string(&ignore_path) {
        Ok(text) => IgnoreRules::parse(&text)
            .map_err(|e| HelmError::Load(format!("{}: {e}", ignore_path.display())))?,
        Err(_) => IgnoreRules::defaults(),
    };
    let root = dir
        .canonicalize()
        .map_err(|e| HelmError::Load(format!("{}: {e}", dir.display())))?;
    let mut files = Vec::new();
    let mut total = 0u64;
    walk(&root, &root, "", &rules, limits, &mut files, &mut total)?;
    let mut chart = load_files(files, display, limits, 0)?;
    chart.dir = Some(dir.to_path_buf());
    Ok(chart)
}

fn walk(
    root: &Path,
    dir: &Path,
    rel: &str,
    rules: &IgnoreRules,
    limits: &LoadLimits,
    out: &mut Vec<RawFile>,
    total: &mut u64,
) -> Result<(), HelmError> {
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| HelmError::Load(format!("{}: {e}", dir.display())))?
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    entries.sort();
    for (name, path) in entries {
        let n = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        // Symlinks are followed only while they stay inside the chart.
        let Ok(real) = path.canonicalize() else {
            continue;
        };
        if !real.starts_with(root) {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&real) else {
            continue;
        };
        if meta.is_dir() {
            if rules.ignore(&n, true) || n.matches('/').count() > 64 {
                continue;
            }
            walk(root, &real, &n, rules, limits, out, total)?;
            continue;
        }
        if rules.ignore(&n, false) {
            continue;
        }
        if !meta.is_file() {
            return Err(HelmError::Load(format!(
                "cannot load irregular file {} as it has file mode type bits set",
                path.display()
            )));
        }
        if meta.len() > limits.max_file_bytes {
            return Err(HelmError::Load(format!(
                "chart file {n:?} is larger than the maximum file size {}",
                limits.max_file_bytes
            )));
        }
        *total += meta.len();
        if *total > limits.max_chart_bytes || out.len() >= limits.max_files {
            return Err(HelmError::Load(format!(
                "chart is larger than the maximum size {} (or has more than {} files)",
                limits.max_chart_bytes, limits.max_files
            )));
        }
        let data = std::fs::read(&real).map_err(|e| HelmError::Load(format!("{n}: {e}")))?;
        let data = data.strip_prefix(BOM).map(<[u8]>::to_vec).unwrap_or(data);
        out.push(RawFile { name: n, data });
    }
    Ok(())
}

/// The files of a `.tgz` chart archive (Helm's `LoadArchive`): gzip then tar, the first path
/// component (the chart's folder) stripped, absolute and `..` paths refused, sizes bounded.
pub(crate) fn read_archive(bytes: &[u8], limits: &LoadLimits) -> Result<Vec<RawFile>, HelmError> {
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut archive = tar::Archive::new(gz);
    let entries = archive
        .entries()
        .map_err(|e| HelmError::Load(format!("archive: {e}")))?;
    let mut files: Vec<RawFile> = Vec::new();
    let mut total = 0u64;
    for (count, entry) in entries.enumerate() {
        if count >= limits.max_files {
            return Err(HelmError::Load(format!(
                "archive has more than {} entries",
                limits.max_files
            )));
        }
        let mut entry = entry.map_err(|e| HelmError::Load(format!("archive: {e}")))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let delimiter = if raw.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = raw.split(delimiter).collect();
        let n = parts[1..].join("/");
        let n = n.replace('\\', "/");
        if n.starts_with('/') {
            return Err(HelmError::Load(
                "chart illegally contains absolute paths".into(),
            ));
        }
        if n.split('/').any(|p| p == "..") {
            return Err(HelmError::Load(
                "chart illegally references parent directory".into(),
            ));
        }
        if parts.first() == Some(&"Chart.yaml") && parts.len() == 1 {
            return Err(HelmError::Load("chart yaml not in base directory".into()));
        }
        if n.is_empty() {
            continue;
        }
        let size = entry.header().size().unwrap_or(0);
        if size > limits.max_file_bytes {
            return Err(HelmError::Load(format!(
                "decompressed chart file {n:?} is larger than the maximum file size {}",
                limits.max_file_bytes
            )));
        }
        let mut data = Vec::new();
        (&mut entry)
            .take(limits.max_file_bytes + 1)
            .read_to_end(&mut data)
            .map_err(|e| HelmError::Load(format!("archive: {e}")))?;
        total += data.len() as u64;
        if total > limits.max_chart_bytes {
            return Err(HelmError::Load(format!(
                "decompressed chart is larger than the maximum size {}",
                limits.max_chart_bytes
            )));
        }
        let data = data.strip_prefix(BOM).map(<[u8]>::to_vec).unwrap_or(data);
        // A later entry of the same name replaces an earlier one.
        files.retain(|f| f.name != n);
        files.push(RawFile { name: n, data });
    }
    if files.is_empty() {
        return Err(HelmError::Load("no files in chart archive".into()));
    }
    Ok(files)
}

fn yaml_file(display: &str, name: &str, data: &[u8]) -> Arc<SourceFile> {
    SourceFile::new(
        format!("{display}/{name}"),
        String::from_utf8_lossy(data).into_owned(),
    )
}

/// Helm's `LoadFiles`: sort the files of one chart into its parts.
pub(crate) fn load_files(
    files: Vec<RawFile>,
    display: &str,
    limits: &LoadLimits,
    depth: usize,
) -> Result<Chart, HelmError> {
    if depth > limits.max_depth {
        return Err(HelmError::Load(format!(
            "subcharts nested deeper than {}",
            limits.max_depth
        )));
    }
    let mut metadata: Option<Metadata> = None;
    let mut chart = Chart::synthetic("");
    chart.display = display.to_string();
    let mut requirements: Option<RawFile> = None;
    let mut subcharts: BTreeMap<String, Vec<RawFile>> = BTreeMap::new();
    let mut values_docs: Vec<(Arc<SourceFile>, Vec<u8>)> = Vec::new();
    for f in files {
        match f.name.as_str() {
            "Chart.yaml" => {
                let file = yaml_file(display, "Chart.yaml", &f.data);
                let stream = yaml::parse(&file, &limits.yaml);
                if let Some(d) = stream
                    .diagnostics
                    .iter()
                    .find(|d| d.level == DiagnosticLevel::Error)
                {
                    return Err(HelmError::Load(format!(
                        "cannot load Chart.yaml: {}",
                        d.message.en
                    )));
                }
                let json = stream
                    .documents
                    .first()
                    .map(|d| d.value.clone())
                    .unwrap_or_default();
                let mut md = Metadata::from_json(&json);
                if md.api_version.is_empty() {
                    md.api_version = "v1".into();
                }
                if md.api_version == "v1" {
                    chart.files.push(ChartFile {
                        name: f.name.clone(),
                        data: f.data.clone().into(),
                    });
                }
                metadata = Some(md);
            }
            "Chart.lock" => chart.lock = lock_file(display, &f, limits),
            "values.yaml" => values_docs.push((yaml_file(display, "values.yaml", &f.data), f.data)),
            "values.schema.json" => {
                chart.schema = Some(yaml_file(display, "values.schema.json", &f.data))
            }
            "requirements.yaml" => requirements = Some(f),
            "requirements.lock" => {
                chart.lock = lock_file(display, &f, limits);
                chart.files.push(ChartFile {
                    name: f.name,
                    data: f.data.into(),
                })
            }
            n if n.starts_with("templates/") => chart.templates.push(ChartTemplate {
                name: f.name.clone(),
                file: yaml_file(display, &f.name, &f.data),
            }),
            n if n.starts_with("charts/") => {
                if n.ends_with(".prov") {
                    chart.files.push(ChartFile {
                        name: f.name,
                        data: f.data.into(),
                    });
                    continue;
                }
                let cname = &n["charts/".len()..];
                if cname.starts_with(['.', '_']) {
                    continue;
                }
                let scname = cname.split('/').next().unwrap_or(cname).to_string();
                let cname = cname.to_string();
                subcharts.entry(scname).or_default().push(RawFile {
                    name: cname,
                    data: f.data,
                });
            }
            _ => chart.files.push(ChartFile {
                name: f.name,
                data: f.data.into(),
            }),
        }
    }
    let Some(mut md) = metadata else {
        return Err(HelmError::Load("Chart.yaml file is missing".into()));
    };
    if let Some(req) = requirements {
        let file = yaml_file(display, "requirements.yaml", &req.data);
        let stream = yaml::parse(&file, &limits.yaml);
        if let Some(doc) = stream.documents.first() {
            md.dependencies = dependencies_from_json(doc.value.get("dependencies"));
        }
        if md.api_version == "v1" {
            chart.files.push(ChartFile {
                name: req.name,
                data: req.data.into(),
            });
        }
    }
    md.validate()?;
    chart.metadata = md;
    // values.yaml: every document merged (Helm's `LoadValues`).
    for (file, _) in values_docs {
        let stream = yaml::parse(&file, &limits.yaml);
        if let Some(d) = first_error(&stream) {
            return Err(HelmError::Load(format!(
                "cannot load values.yaml: {}: {}",
                file.path(),
                d.message.en
            )));
        }
        chart.diagnostics.extend(stream.diagnostics);
        for doc in &stream.documents {
            match from_document(doc).kind {
                ValueKind::Map(t) => merge_maps(&mut chart.values, t),
                _ => {
                    return Err(HelmError::Load(format!(
                        "cannot load values.yaml: {}: error unmarshaling JSON: json: cannot unmarshal into Go value of type map[string]interface {{}}",
                        file.path()
                    )))
                }
            }
        }
        chart.values_file = Some(file);
    }
    for (n, files) in subcharts {
        let sub_display = format!("{display}/charts/{n}");
        let loaded = if n.ends_with(".tgz") {
            match files.first() {
                Some(f) if f.name == n => read_archive(&f.data, limits)
                    .and_then(|fs| load_files(fs, &sub_display, limits, depth + 1)),
                Some(f) => Err(HelmError::Load(format!(
                    "error unpacking subchart tar in {}: expected {n}, got {}",
                    chart.name(),
                    f.name
                ))),
                None => continue,
            }
        } else {
            let buff: Vec<RawFile> = files
                .into_iter()
                .filter_map(|f| {
                    f.name.split_once('/').map(|(_, rest)| RawFile {
                        name: rest.to_string(),
                        data: f.data,
                    })
                })
                .collect();
            load_files(buff, &sub_display, limits, depth + 1)
        };
        match loaded {
            Ok(sc) => chart.dependencies.push(sc),
            Err(e) => {
                return Err(HelmError::Load(format!(
                    "error unpacking subchart {n} in {}: {}",
                    chart.name(),
                    e.message()
                )))
            }
        }
    }
    Ok(chart)
}

/// The `name` → `version` pairs of a lock file's `dependencies` (nothing when it does not
/// read: the ranges of `Chart.yaml` then apply).
fn lock_file(display: &str, f: &RawFile, limits: &LoadLimits) -> Vec<(String, String)> {
    let file = yaml_file(display, &f.name, &f.data);
    let stream = yaml::parse(&file, &limits.yaml);
    let Some(doc) = stream.documents.first() else {
        return Vec::new();
    };
    dependencies_from_json(doc.value.get("dependencies"))
        .into_iter()
        .filter(|d| !d.name.is_empty() && !d.version.is_empty())
        .map(|d| (d.name, d.version))
        .collect()
}

/// The first error of a parsed values file (values with a syntax error are refused whole, as
/// Helm refuses them).
fn first_error(stream: &yaml::YamlStream) -> Option<&crate::vocab::Diagnostic> {
    stream
        .diagnostics
        .iter()
        .find(|d| d.level == DiagnosticLevel::Error)
}

/// Values read from a user values file (`-f`): its first document, as Helm reads it.
pub(crate) fn read_values_file(
    file: &Arc<SourceFile>,
    limits: &YamlLimits,
) -> Result<Table, HelmError> {
    let stream = yaml::parse(file, limits);
    if let Some(d) = first_error(&stream) {
        return Err(HelmError::Values(format!(
            "failed to parse {}: {}",
            file.path(),
            d.message.en
        )));
    }
    match stream.documents.first().map(|d| from_document(d).kind) {
        None | Some(ValueKind::Null) => Ok(Table::new()),
        Some(ValueKind::Map(t)) => Ok(t),
        Some(_) => Err(HelmError::Values(format!(
            "failed to parse {}: error unmarshaling JSON: json: cannot unmarshal into Go value of type map[string]interface {{}}",
            file.path()
        ))),
    }
}
