//! A file named as an OpenAPI document: each YAML document is one (a Kubernetes object in it
//! is still a manifest), with its facts computed.

use std::sync::Arc;

use super::{LoadOptions, Loaded};
use crate::kube;
use crate::source::{DocFormat, Document, SourceFile};
use crate::yaml;

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
            out.documents.push(as_openapi(doc));
        }
    }
    out
}

/// A document read as an OpenAPI description, with its facts.
pub(super) fn as_openapi(mut doc: Document) -> Document {
    doc.format = DocFormat::OpenApi;
    doc.facts = Some(Arc::new(crate::openapi::facts(&doc.value)));
    doc
}
