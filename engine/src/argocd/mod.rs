//! Argo CD Applications as environments: an `Application` of the scanned tree whose source
//! (`spec.source`, or an entry of `spec.sources`) is a chart of the repository defines one
//! render of that chart, as Argo CD renders it: its `helm.valueFiles`, `helm.values` /
//! `helm.valuesObject`, `helm.parameters`, `helm.releaseName` (default: the Application's
//! name) and `destination.namespace` (the release namespace).
//!
//! A source's `path` is relative to the repository's root, which is not known here: it is
//! taken relative to the Application file's folder or to one of its parents, the nearest that
//! holds a chart at that path.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::discover::{Format, Input};
use crate::source::{Document, SourceFile};
use crate::yaml::{self, YamlLimits};

/// An Application rendering a chart of the repository.
#[derive(Debug, Clone)]
pub(crate) struct Application {
    /// Its `metadata.name`: the environment's name.
    pub name: String,
    /// The chart folder (canonical).
    pub chart_dir: PathBuf,
    /// `helm.valueFiles`, relative to the chart folder.
    pub value_files: Vec<String>,
    /// The document of the Application, for `helm.values`/`helm.valuesObject` with their
    /// positions.
    pub document: Document,
    /// The JSON pointer of the chosen source in [`Application::document`].
    pub source_pointer: String,
    /// `helm.parameters`: name, value, `forceString`.
    pub parameters: Vec<(String, String, bool)>,
    /// The release name.
    pub release_name: String,
    /// `destination.namespace`, when given.
    pub namespace: Option<String>,
}

/// The Applications of the manifests among `inputs` that render a chart of the repository.
pub(crate) fn applications(inputs: &[Input], limits: &YamlLimits) -> Vec<Application> {
    let mut out = Vec::new();
    for input in inputs.iter().filter(|i| i.format == Format::Manifest) {
        let Ok(text) = std::fs::read_to_string(&input.path) else {
            continue;
        };
        if !text.contains("argoproj.io") || !text.contains("Application") {
            continue;
        }
        let file: Arc<SourceFile> = SourceFile::new(input.display.clone(), text);
        let stream = yaml::parse(&file, limits);
        for doc in stream.documents {
            out.extend(application(&input.path, doc));
        }
    }
    out
}

fn application(file_path: &Path, doc: Document) -> Option<Application> {
    let v = &doc.value;
    let api = v.get("apiVersion")?.as_str()?;
    if !api.starts_with("argoproj.io/") || v.get("kind")?.as_str()? != "Application" {
        return None;
    }
    let name = v.pointer("/metadata/name")?.as_str()?.to_string();
    let spec = v.get("spec")?;
    let mut sources: Vec<(String, &serde_json::Value)> = Vec::new();
    if let Some(s) = spec.get("source") {
        sources.push(("/spec/source".to_string(), s));
    }
    if let Some(list) = spec.get("sources").and_then(|s| s.as_array()) {
        for (i, s) in list.iter().enumerate() {
            sources.push((format!("/spec/sources/{i}"), s));
        }
    }
    let (source_pointer, source, chart_dir) = sources.into_iter().find_map(|(p, s)| {
        let rel = s.get("path")?.as_str()?;
        chart_at(file_path, rel).map(|dir| (p, s, dir))
    })?;
    let helm = source.get("helm");
    let strings = |key: &str| -> Vec<String> {
        helm.and_then(|h| h.get(key))
            .and_then(|l| l.as_array())
            .map(|l| {
                l.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let value_files = strings("valueFiles");
    let parameters = helm
        .and_then(|h| h.get("parameters"))
        .and_then(|l| l.as_array())
        .map(|l| {
            l.iter()
                .filter_map(|p| {
                    let name = p.get("name")?.as_str()?.to_string();
                    let value = match p.get("value") {
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    };
                    let force = p.get("forceString").and_then(|f| f.as_bool()) == Some(true);
                    Some((name, value, force))
                })
                .collect()
        })
        .unwrap_or_default();
    let release_name = helm
        .and_then(|h| h.get("releaseName"))
        .and_then(|r| r.as_str())
        .filter(|r| !r.is_empty())
        .unwrap_or(&name)
        .to_string();
    let namespace = v
        .pointer("/spec/destination/namespace")
        .and_then(|n| n.as_str())
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    Some(Application {
        name,
        chart_dir,
        value_files,
        source_pointer,
        parameters,
        release_name,
        namespace,
        document: doc,
    })
}

/// The chart folder at `rel` from the Application file's folder or the nearest parent that
/// has one there.
fn chart_at(file_path: &Path, rel: &str) -> Option<PathBuf> {
    let rel = rel.trim_start_matches("./").trim_end_matches('/');
    let start = std::fs::canonicalize(file_path).ok()?;
    start.ancestors().skip(1).find_map(|dir| {
        let candidate = if rel.is_empty() || rel == "." {
            dir.to_path_buf()
        } else {
            dir.join(rel)
        };
        candidate
            .join("Chart.yaml")
            .is_file()
            .then(|| std::fs::canonicalize(&candidate).ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests;
