//! A file named as an OpenAPI document: each YAML document is one (a Kubernetes object in it
//! is still a manifest), with its facts computed, the other files its `$ref`s name read.

use std::collections::BTreeMap;
use std::path::{Component, Path};
use std::sync::Arc;

use super::{LoadOptions, Loaded};
use crate::kube;
use crate::openapi::External;
use crate::source::{DocFormat, Document, SourceFile};
use crate::yaml::{self, YamlLimits};

pub(super) fn load(file: Arc<SourceFile>, options: &LoadOptions) -> Loaded {
    let stream = yaml::parse(&file, &options.yaml);
    let mut out = Loaded {
        diagnostics: stream.diagnostics,
        sources: vec![Arc::clone(&file)],
        ..Loaded::default()
    };
    for doc in stream.documents {
        if kube::is_object(&doc.value) {
            out.stats.resources += kube::resources(&doc).len();
            out.documents.push(doc);
        } else {
            out.documents.push(as_openapi(doc, &options.yaml));
        }
    }
    out
}

/// A document read as an OpenAPI description, with its facts.
pub(super) fn as_openapi(mut doc: Document, limits: &YamlLimits) -> Document {
    doc.format = DocFormat::OpenApi;
    let dir = Path::new(doc.file.path())
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let files: BTreeMap<String, External> = crate::openapi::external_files(&doc.value)
        .into_iter()
        .map(|name| {
            let found = external(&dir, &name, limits);
            (name, found)
        })
        .collect();
    doc.facts = Some(Arc::new(crate::openapi::facts_with(&doc.value, &files)));
    doc
}

/// What the file a reference names holds: a relative path from the document's folder (an
/// absolute one is not judged), read as YAML or JSON within the loader's size limit.
fn external(dir: &Path, name: &str, limits: &YamlLimits) -> External {
    let relative = Path::new(name);
    if relative
        .components()
        .any(|c| matches!(c, Component::RootDir | Component::Prefix(_)))
    {
        return External::Unchecked;
    }
    let path = dir.join(relative);
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return External::Missing,
        Err(_) => return External::Unchecked,
    };
    if !meta.is_file() {
        return External::Missing;
    }
    if meta.len() > super::file::MAX_FILE_SIZE {
        return External::Unchecked;
    }
    let Ok(text) = std::fs::read_to_string(&path) else {
        return External::Unchecked;
    };
    let file = SourceFile::new(path.to_string_lossy().replace('\\', "/"), text);
    let stream = yaml::parse(&file, limits);
    match stream.documents.into_iter().next() {
        Some(d) if stream.diagnostics.is_empty() => External::Value(d.value),
        _ => External::Unchecked,
    }
}
