//! Argo CD Applications as environments: an `Application` of the scanned tree whose source
//! (`spec.source`, or an entry of `spec.sources`) is a chart of the repository defines one
//! render of that chart, as Argo CD renders it: its `helm.valueFiles`, `helm.values` /
//! `helm.valuesObject`, `helm.parameters`, `helm.releaseName` (default: the Application's
//! name) and `destination.namespace` (the release namespace).
//!
//! An `ApplicationSet` whose generators are all static lists defines one Application per
//! element: its template with the element's parameters put in (`{{key}}`, or `{{.key}}` with
//! `goTemplate`). Other generators (git, clusters, pull requests…) are not expanded.
//!
//! A source's `path` is relative to the repository's root, which is not known here: it is
//! taken relative to the Application file's folder or to one of its parents, the nearest that
//! holds a chart at that path.

mod inline;

pub(crate) use inline::inline_values;

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
pub(crate) fn applications(
    inputs: &[Input],
    limits: &YamlLimits,
    max_file_size: u64,
) -> Vec<Application> {
    let mut out = Vec::new();
    for input in inputs.iter().filter(|i| i.format == Format::Manifest) {
        // Larger files are refused by their loader, with a diagnostic.
        if std::fs::metadata(&input.path).map_or(true, |m| m.len() > max_file_size) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&input.path) else {
            continue;
        };
        if !text.contains("argoproj.io") || !text.contains("Application") {
            continue;
        }
        let file: Arc<SourceFile> = SourceFile::new(input.display.clone(), text);
        let stream = yaml::parse(&file, limits);
        for doc in stream.documents {
            let set = doc.value.get("kind").and_then(|k| k.as_str()) == Some("ApplicationSet");
            if set {
                out.extend(
                    generated(&doc)
                        .into_iter()
                        .filter_map(|d| application(&input.path, d)),
                );
            } else {
                out.extend(application(&input.path, doc));
            }
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

/// The Applications of an ApplicationSet whose generators are all `list`s, as documents of the
/// same file (positions of the template kept).
fn generated(doc: &Document) -> Vec<Document> {
    let v = &doc.value;
    let api = v.get("apiVersion").and_then(|a| a.as_str()).unwrap_or("");
    if !api.starts_with("argoproj.io/") {
        return Vec::new();
    }
    let (Some(generators), Some(template)) = (
        v.pointer("/spec/generators").and_then(|g| g.as_array()),
        v.pointer("/spec/template"),
    ) else {
        return Vec::new();
    };
    let mut elements = Vec::new();
    for g in generators {
        match g.pointer("/list/elements").and_then(|e| e.as_array()) {
            Some(list) if g.as_object().is_some_and(|o| o.len() == 1) => {
                elements.extend(list.iter().filter_map(|e| e.as_object()))
            }
            _ => return Vec::new(),
        }
    }
    let go = v.pointer("/spec/goTemplate").and_then(|g| g.as_bool()) == Some(true);
    let mut spans = crate::source::SpanTable::default();
    for (pointer, span) in doc.spans.iter() {
        if let Some(rest) = pointer.strip_prefix("/spec/template") {
            spans.insert(rest.to_string(), span.clone());
        }
    }
    elements
        .into_iter()
        .map(|element| {
            let mut value = template.clone();
            fill(&mut value, element, go);
            if let Some(o) = value.as_object_mut() {
                o.insert("apiVersion".into(), api.into());
                o.insert("kind".into(), "Application".into());
            }
            Document {
                value,
                spans: spans.clone(),
                ..doc.clone()
            }
        })
        .collect()
}

/// Put an element's parameters into every string of a template.
fn fill(v: &mut serde_json::Value, element: &serde_json::Map<String, serde_json::Value>, go: bool) {
    match v {
        serde_json::Value::String(s) => {
            for (key, value) in element {
                let text = match value {
                    serde_json::Value::String(t) => t.clone(),
                    other => other.to_string(),
                };
                for form in if go {
                    [format!("{{{{.{key}}}}}"), format!("{{{{ .{key} }}}}")]
                } else {
                    [format!("{{{{{key}}}}}"), format!("{{{{ {key} }}}}")]
                } {
                    if s.contains(&form) {
                        *s = s.replace(&form, &text);
                    }
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|x| fill(x, element, go)),
        serde_json::Value::Object(o) => o.values_mut().for_each(|x| fill(x, element, go)),
        _ => {}
    }
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
