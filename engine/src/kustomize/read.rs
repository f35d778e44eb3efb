//! A kustomization file read with positions: its fields, and where each was written.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::node::{Node, Origin};
use super::BuildError;
use crate::source::{escape_token, ByteRange, Document, SourceFile};
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};
use crate::yaml::YamlLimits;

/// Files larger than this are not read (as the loaders' limit).
pub(crate) const MAX_FILE_SIZE: u64 = 16 << 20;

/// Fields kustomize knows that cct does not build yet.
const UNSUPPORTED: &[&str] = &[
    "helmChartInflationGenerator",
    "transformers",
    "generators",
    "validators",
    "configurations",
    "crds",
    "openapi",
];

/// How the output is ordered (`sortOptions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortOrder {
    /// Kinds in kustomize's legacy order (the default).
    Legacy,
    /// As the resources were read.
    Fifo,
}

/// A kustomization file.
#[derive(Debug)]
pub(crate) struct Kustomization {
    /// The file.
    pub file: Arc<SourceFile>,
    /// Its document.
    pub doc: Document,
    /// The document's range (for diagnostics about the whole file).
    pub range: ByteRange,
}

/// Whether a resource entry is remote (a URL or a Git repository), never fetched.
pub(crate) fn is_remote(entry: &str) -> bool {
    entry.contains("://")
        || entry.starts_with("git@")
        || entry.starts_with("github.com/")
        || entry.starts_with("gitlab.com/")
        || entry.starts_with("bitbucket.org/")
        || entry.contains("?ref=")
        || entry.contains(".git//")
}

impl Kustomization {
    /// Read a kustomization file from disk (for [`super::references`]).
    pub(crate) fn read(
        path: &Path,
        display: &str,
        limits: &YamlLimits,
    ) -> Result<Kustomization, BuildError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Box::new(Diagnostic::for_path(
                display,
                DiagnosticCode::KustomizeBuild,
                DiagnosticLevel::Error,
                Text::new(
                    format!("cannot read: {e}"),
                    format!("lecture impossible : {e}"),
                ),
            ))
        })?;
        Kustomization::parse(&SourceFile::new(display, text), limits)
    }

    /// Parse a kustomization file.
    pub(crate) fn parse(
        file: &Arc<SourceFile>,
        limits: &YamlLimits,
    ) -> Result<Kustomization, BuildError> {
        let stream = crate::yaml::parse(file, limits);
        if let Some(d) = stream
            .diagnostics
            .iter()
            .find(|d| d.level == DiagnosticLevel::Error)
        {
            return Err(Box::new(d.clone()));
        }
        let doc = stream.documents.into_iter().next();
        match doc {
            Some(doc) if doc.value.is_object() => Ok(Kustomization {
                file: Arc::clone(file),
                range: doc.range,
                doc,
            }),
            Some(doc) if doc.value.is_null() => Ok(Kustomization {
                file: Arc::clone(file),
                range: doc.range,
                doc,
            }),
            _ => Err(Box::new(Diagnostic::at(
                file,
                ByteRange::new(0, 0),
                DiagnosticCode::KustomizeBuild,
                DiagnosticLevel::Error,
                Text::new(
                    "a kustomization must be a YAML mapping",
                    "une kustomization doit être un mapping YAML",
                ),
            ))),
        }
    }

    /// A kustomization given as a document (an Argo CD Application's `kustomize` block).
    pub(crate) fn from_document(doc: Document) -> Kustomization {
        Kustomization {
            file: Arc::clone(&doc.file),
            range: doc.range,
            doc,
        }
    }

    /// Leave out what an edit sets (as `kustomize edit set …` replaces it): the name prefix,
    /// suffix and namespace it gives, and the images and replicas of the same names.
    pub(crate) fn edited_by(&mut self, edit: &Kustomization) {
        let Some(own) = self.doc.value.as_object_mut() else {
            return;
        };
        for field in ["namePrefix", "nameSuffix", "namespace"] {
            if edit.get(field).is_some() {
                own.remove(field);
            }
        }
        for field in ["images", "replicas"] {
            let names: Vec<&str> = edit
                .get(field)
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .filter_map(|e| e.get("name").and_then(Value::as_str))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(list) = own.get_mut(field).and_then(Value::as_array_mut) {
                list.retain(|e| {
                    !e.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| names.contains(&n))
                });
            }
        }
    }

    /// The value of a field.
    pub(crate) fn get(&self, field: &str) -> Option<&Value> {
        self.doc.value.get(field)
    }

    /// Where the value at a pointer was written, as a place an overlay set.
    pub(crate) fn origin(&self, pointer: &str) -> Option<Origin> {
        self.doc.spans.get(pointer).map(|s| Origin {
            file: Arc::clone(&self.file),
            range: s.value,
            set: true,
        })
    }

    /// Where the value at a pointer was written.
    pub(crate) fn range(&self, pointer: &str) -> ByteRange {
        self.doc.spans.get(pointer).map_or(self.range, |s| s.value)
    }

    /// The node at a pointer, every part marked as set by this kustomization.
    pub(crate) fn node(&self, pointer: &str) -> Option<Node> {
        Node::from_document_at(&self.doc, pointer, true)
    }

    /// The strings of a list field, with where each was written.
    pub(crate) fn strings(&self, field: &str) -> Vec<(String, ByteRange)> {
        let Some(items) = self.get(field).and_then(Value::as_array) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                v.as_str().map(|s| {
                    (
                        s.to_string(),
                        self.range(&format!("/{}/{i}", escape_token(field))),
                    )
                })
            })
            .collect()
    }

    /// The files used as patches (never judged as whole resources).
    pub(crate) fn patch_files(&self) -> Vec<String> {
        let mut out = Vec::new();
        for field in ["patches", "patchesJson6902", "replacements"] {
            if let Some(items) = self.get(field).and_then(Value::as_array) {
                for item in items {
                    if let Some(p) = item.get("path").and_then(Value::as_str) {
                        out.push(p.to_string());
                    }
                }
            }
        }
        if let Some(items) = self.get("patchesStrategicMerge").and_then(Value::as_array) {
            for item in items {
                if let Some(p) = item.as_str().filter(|s| !s.contains('\n')) {
                    out.push(p.to_string());
                }
            }
        }
        out
    }

    /// The output order.
    pub(crate) fn sort_order(&self) -> Option<SortOrder> {
        match self
            .doc
            .value
            .pointer("/sortOptions/order")
            .and_then(Value::as_str)
        {
            Some("fifo") => Some(SortOrder::Fifo),
            Some("legacy") => Some(SortOrder::Legacy),
            _ => None,
        }
    }

    /// A warning for each field cct does not build.
    pub(crate) fn unsupported(&self) -> Vec<Diagnostic> {
        let Some(map) = self.doc.value.as_object() else {
            return Vec::new();
        };
        map.keys()
            .filter(|k| UNSUPPORTED.contains(&k.as_str()))
            .map(|k| {
                let range = self
                    .doc
                    .spans
                    .get(&format!("/{}", escape_token(k)))
                    .and_then(|s| s.key)
                    .unwrap_or(self.range);
                Diagnostic::at(
                    &self.file,
                    range,
                    DiagnosticCode::KustomizeUnsupported,
                    DiagnosticLevel::Warning,
                    Text::new(
                        format!("`{k}` is not built by this version of cct: the build is checked without it"),
                        format!("`{k}` n'est pas construit par cette version de cct : la construction est vérifiée sans lui"),
                    ),
                )
            })
            .collect()
    }
}
