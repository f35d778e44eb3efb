//! Dockerfiles → a document: the model of `cct-dockerfile` (stages, instructions, RUN commands)
//! with its pointer-to-span table, and a diagnostic for every parse error.

use std::sync::Arc;

use crate::source::{ByteRange, DocFormat, Document, NodeSpans, SourceFile, SpanTable};
use crate::vocab::Text;
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel};

/// Parse a Dockerfile into a document (none when it has no instruction) and diagnostics.
pub(crate) fn load(file: &Arc<SourceFile>) -> (Option<Document>, Vec<Diagnostic>) {
    let parsed = cct_dockerfile::parse(file.text());
    let diagnostics = parsed
        .errors
        .iter()
        .map(|e| {
            Diagnostic::at(
                file,
                ByteRange::new(e.span.start, e.span.end),
                DiagnosticCode::DockerfileSyntax,
                DiagnosticLevel::Error,
                Text::new(
                    format!(
                        "invalid Dockerfile: {}; this instruction was not checked",
                        e.message
                    ),
                    format!(
                        "Dockerfile invalide : {} ; cette instruction n'a pas été vérifiée",
                        e.message
                    ),
                ),
            )
        })
        .collect();
    if parsed.dockerfile.instructions.is_empty() {
        return (None, diagnostics);
    }
    let (value, table) = parsed.dockerfile.model();
    let mut spans = SpanTable::default();
    for (pointer, s) in table.iter() {
        spans.insert(
            pointer.to_string(),
            NodeSpans {
                key: s.key.as_ref().map(|k| ByteRange::new(k.start, k.end)),
                value: ByteRange::new(s.value.start, s.value.end),
                related: None,
                file: None,
            },
        );
    }
    let doc = Document {
        format: DocFormat::Dockerfile,
        file: Arc::clone(file),
        index: 0,
        value,
        spans,
        range: ByteRange::new(0, file.text().len()),
        provenance: None,
        facts: None,
    };
    (Some(doc), diagnostics)
}

#[cfg(test)]
mod tests {

    #[test]
    fn example_load() {
        use crate::{dockerfile, source::SourceFile};
        let file = SourceFile::new("Dockerfile", "FROM alpine:3.20\nUSER 1001\n");
        let (doc, diagnostics) = dockerfile::load(&file);
        assert!(diagnostics.is_empty());
        assert_eq!(doc.unwrap().value["stages"][0]["from"]["tag"], "3.20");
    }
}
