//! Argo CD Applications as environments: an `Application` of the scanned tree whose source
//! (`spec.source`, or an entry of `spec.sources`) is a chart or a kustomization of the
//! repository defines one render of it, as Argo CD renders it. For a chart: its
//! `helm.valueFiles` (relative to the chart, or `$<ref>/…` from the root of the repository a
//! `ref` source names, when that is this repository), `helm.ignoreMissingValueFiles`,
//! `helm.values` / `helm.valuesObject`, `helm.parameters`, `helm.releaseName` (default: the
//! Application's name). For a kustomization: its `kustomize` block (images, namePrefix,
//! nameSuffix, namespace, commonLabels, commonAnnotations, patches, replicas), as a
//! kustomization applied over the folder's ([`edit`]). Both: `destination.namespace`.
//!
//! An `ApplicationSet` whose generators are static (lists, and git files or directories of
//! this repository) defines one Application per parameter set ([`generators`]).
//!
//! A source's `path` is relative to the repository's root, which is not known here: it is
//! taken relative to the Application file's folder or to one of its parents, the nearest that
//! holds a chart or a kustomization at that path; that parent is the repository's root.

mod edit;
mod generators;

mod inline;

pub(crate) use inline::inline_values;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::discover::{Format, Input, KUSTOMIZATION_NAMES};
use crate::source::{Document, SourceFile};
use crate::yaml::{self, YamlLimits};

/// What an Application's source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A Helm chart.
    Chart,
    /// A kustomization folder.
    Kustomize,
}

/// A values file an Application names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ValueFile {
    /// Relative to the chart folder.
    Chart(String),
    /// `$<ref>/…` of a `ref` source that is this repository: relative to its root.
    Repository(String),
    /// `$<ref>/…` of another repository (or of no source): not read.
    Elsewhere(String),
}

/// An Application rendering a chart or building a kustomization of the repository.
#[derive(Debug, Clone)]
pub(crate) struct Application {
    /// Its `metadata.name`: the environment's name.
    pub name: String,
    /// What its source is.
    pub target: Target,
    /// The chart or kustomization folder (canonical).
    pub dir: PathBuf,
    /// The source's `path`, as written (relative to the repository's root).
    pub path: String,
    /// The repository's root (canonical): where `path` was found.
    pub root: PathBuf,
    /// `helm.valueFiles`.
    pub value_files: Vec<ValueFile>,
    /// `helm.ignoreMissingValueFiles`: a values file that does not exist is left out.
    pub ignore_missing: bool,
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

impl Application {
    /// Its `kustomize` block as a kustomization document (fields renamed as kustomize names
    /// them, positions in the Application's file), when it has one.
    pub(crate) fn kustomize_edit(&self) -> Option<Document> {
        edit::kustomization(
            &self.document,
            &format!("{}/kustomize", self.source_pointer),
        )
    }
}

/// The Applications of the manifests among `inputs` that render a chart or build a
/// kustomization of the repository.
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
                    generators::generated(&doc, &input.path, limits)
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

/// A repository URL compared as Argo CD compares them (case, `.git` and `/` at the end aside).
fn same_repo(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.trim()
            .trim_end_matches('/')
            .trim_end_matches(".git")
            .to_ascii_lowercase()
    };
    norm(a) == norm(b)
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
    // `ref` sources, by name: their repository.
    let refs: Vec<(&str, &str)> = sources
        .iter()
        .filter_map(|(_, s)| {
            let r = s.get("ref")?.as_str()?;
            Some((r, s.get("repoURL").and_then(|u| u.as_str()).unwrap_or("")))
        })
        .collect();
    let (source_pointer, source, (target, dir, root)) = sources.iter().find_map(|(p, s)| {
        let rel = s.get("path")?.as_str()?;
        located(file_path, rel).map(|found| (p.clone(), *s, found))
    })?;
    let path = source
        .get("path")
        .and_then(|p| p.as_str())
        .unwrap_or("")
        .to_string();
    let repo = source.get("repoURL").and_then(|u| u.as_str()).unwrap_or("");
    let helm = source.get("helm");
    let value_files = helm
        .and_then(|h| h.get("valueFiles"))
        .and_then(|l| l.as_array())
        .map(|l| {
            l.iter()
                .filter_map(|x| x.as_str())
                .map(|f| value_file(f, &refs, repo))
                .collect()
        })
        .unwrap_or_default();
    let ignore_missing = helm
        .and_then(|h| h.get("ignoreMissingValueFiles"))
        .and_then(|b| b.as_bool())
        == Some(true);
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
        target,
        dir,
        path,
        root,
        value_files,
        ignore_missing,
        source_pointer,
        parameters,
        release_name,
        namespace,
        document: doc,
    })
}

/// A `valueFiles` entry: relative to the chart, or `$<ref>/…` from a `ref` source's root.
fn value_file(written: &str, refs: &[(&str, &str)], repo: &str) -> ValueFile {
    let Some(rest) = written.strip_prefix('$') else {
        return ValueFile::Chart(written.to_string());
    };
    let (name, path) = rest.split_once('/').unwrap_or((rest, ""));
    match refs.iter().find(|(r, _)| *r == name) {
        Some((_, url)) if same_repo(url, repo) => {
            ValueFile::Repository(path.trim_start_matches('/').to_string())
        }
        _ => ValueFile::Elsewhere(written.to_string()),
    }
}

/// The chart or kustomization folder at `rel` from the Application file's folder or the
/// nearest parent that has one there.
fn located(file_path: &Path, rel: &str) -> Option<(Target, PathBuf, PathBuf)> {
    let rel = rel.trim_start_matches("./").trim_end_matches('/');
    let start = std::fs::canonicalize(file_path).ok()?;
    start.ancestors().skip(1).find_map(|dir| {
        let candidate = if rel.is_empty() || rel == "." {
            dir.to_path_buf()
        } else {
            dir.join(rel)
        };
        let target = if candidate.join("Chart.yaml").is_file() {
            Target::Chart
        } else if KUSTOMIZATION_NAMES
            .iter()
            .any(|n| candidate.join(n).is_file())
        {
            Target::Kustomize
        } else {
            return None;
        };
        std::fs::canonicalize(&candidate)
            .ok()
            .map(|d| (target, d, dir.to_path_buf()))
    })
}

/// The display path of a file relative to the repository's root, from the display path of
/// the Application's folder and that folder's path relative to the root (`envs/prod.yaml`
/// beside `charts/shop` shown as `repo/charts/shop`: `repo/envs/prod.yaml`).
pub(crate) fn display_in_repo(display: &str, rel: &str, file: &str) -> String {
    let rel = rel.trim_start_matches("./").trim_matches('/');
    let root = if rel.is_empty() || rel == "." {
        Some(display.trim_end_matches('/'))
    } else {
        display.trim_end_matches('/').strip_suffix(rel)
    };
    match root.map(|r| r.trim_end_matches('/')) {
        Some("") | Some(".") => file.to_string(),
        Some(root) => format!("{root}/{file}"),
        // The folder is shown under another name (a link): from the folder up.
        None => {
            let up = rel.split('/').filter(|s| !s.is_empty()).count();
            format!("{display}/{}{file}", "../".repeat(up))
        }
    }
}

#[cfg(test)]
mod tests;
