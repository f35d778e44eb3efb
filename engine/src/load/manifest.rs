//! YAML and JSON files that may hold Kubernetes objects.
//!
//! Each document with `apiVersion` and `kind` is kept (an OpenAPI description found by its
//! content is one too), its unset values dropped (null, and `""` in a typed field: Kubernetes
//! reads them as absent); others are counted as skipped, and so are Helm test hooks (never
//! deployed). A file with `{{ … }}` placeholders of another tool is not a manifest: it is
//! reported once and not checked. The values an Argo CD Application writes inline are documents
//! of their own (`helm-values`). A file of rendered chart output (`helm template` prints `# Source:` before each document) is a unit of its own.

use std::sync::Arc;

use super::{Grouping, LoadOptions, Loaded, Stats};
use crate::kube;
use crate::source::{ByteRange, SourceFile};
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};
use crate::yaml;

/// Kinds whose fields legitimately hold `{{ … }}` for the tool that reads them: Argo CD
/// ApplicationSet parameters, Argo Workflows and Events parameters, Argo Rollouts analysis
/// arguments, Prometheus and Alertmanager templates, configuration files in ConfigMaps and
/// Secrets, CRD descriptions.
const TEMPLATING_KINDS: &[&str] = &[
    "ApplicationSet",
    "Workflow",
    "WorkflowTemplate",
    "ClusterWorkflowTemplate",
    "CronWorkflow",
    "Sensor",
    "EventSource",
    "AnalysisTemplate",
    "ClusterAnalysisTemplate",
    "PrometheusRule",
    "AlertmanagerConfig",
    "Alertmanager",
    "ConfigMap",
    "Secret",
    "CustomResourceDefinition",
];

/// Whether a text is rendered chart output: `helm template` prints `# Source:` before each
/// document.
pub(crate) fn is_rendered_output(text: &str) -> bool {
    text.starts_with("# Source: ") || text.contains("\n# Source: ")
}

pub(super) fn load(file: Arc<SourceFile>, options: &LoadOptions) -> Loaded {
    let rendered = is_rendered_output(file.text());
    let mut out = Loaded {
        stats: Stats {
            manifest_files: 1,
            ..Stats::default()
        },
        grouping: if rendered {
            Grouping::OwnFile
        } else {
            Grouping::Folder
        },
        sources: vec![Arc::clone(&file)],
        ..Loaded::default()
    };
    let stream = yaml::parse(&file, &options.yaml);
    // A file with `{{ … }}` placeholders that are not YAML (a syntax error, a placeholder read
    // as a mapping key), or that stand unquoted in objects whose data is not itself a template
    // language (see TEMPLATING_KINDS), is a template for another tool, not a manifest. Helm's
    // rendered output is final, never a template.
    let unreadable = stream
        .diagnostics
        .iter()
        .any(|d| d.level == DiagnosticLevel::Error || d.code == DiagnosticCode::YamlComplexKey);
    let placeholder = stream.placeholders.iter().find(|(i, _)| {
        !rendered
            && stream.documents.get(*i).is_some_and(|d| {
                let kind = d.value.get("kind").and_then(serde_json::Value::as_str);
                !kind.is_some_and(|k| TEMPLATING_KINDS.contains(&k))
            })
    });
    let at = match (placeholder, unreadable) {
        (Some((_, range)), _) => Some(range.start as usize),
        (None, true) => template_placeholder(file.text()),
        (None, false) => None,
    };
    if let Some(offset) = at {
        out.diagnostics.push(Diagnostic::at(
            &file,
            ByteRange::new(offset, offset + 2),
            DiagnosticCode::TemplatePlaceholder,
            DiagnosticLevel::Warning,
            Text::new(
                "this file holds template placeholders (`{{ … }}`): it is a template for another tool, not a manifest, and was not checked",
                "ce fichier contient des espaces réservés de gabarit (`{{ … }}`) : c'est un gabarit pour un autre outil, pas un manifeste, et il n'a pas été vérifié",
            ),
        ));
        out.stats.skipped_files = 1;
        return out;
    }
    out.diagnostics.extend(stream.diagnostics);
    for mut doc in stream.documents {
        if crate::openapi::is_openapi_document(&doc.value) {
            // An API description, not a manifest.
            let doc = super::openapi::as_openapi(doc, options, &mut out.sources);
            out.documents.push(doc);
            continue;
        }
        if !kube::is_object(&doc.value) {
            out.stats.skipped_documents += 1;
            continue;
        }
        if kube::is_test_hook(&doc.value) {
            out.stats.test_hooks += 1;
            continue;
        }
        // Values an Argo CD Application writes inline are judged as values files are.
        let inline = crate::argocd::inline_values(&doc, &options.yaml);
        kube::drop_unset(&mut doc.value);
        out.stats.resources += kube::resources(&doc).len();
        out.documents.push(doc);
        out.documents.extend(inline);
    }
    if out.documents.is_empty() && out.stats.test_hooks == 0 {
        out.stats.skipped_files = 1;
    }
    out
}

/// The offset of a `{{` that is not inside a YAML comment, if any.
fn template_placeholder(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = match line.find(" #") {
            Some(i) => &line[..i],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        };
        if let Some(i) = content.find("{{") {
            return Some(offset + i);
        }
        offset += line.len();
    }
    None
}
