//! YAML streams → documents whose every node keeps its span.
//!
//! Input: a [`SourceFile`]. Output: a [`YamlStream`]: the documents (JSON values with a
//! [`SpanTable`]), the comments (with their spans, for inline derogations), and diagnostics for
//! syntax errors, duplicate keys and alias bombs. A syntax error drops the document it is in and
//! parsing resumes at the next document. Scalars are typed the way Kubernetes reads them
//! (sigs.k8s.io/yaml on go-yaml v2: YAML 1.1 booleans such as `yes`/`on`, octal `0755`).

mod scalar;
mod tree;
mod typed;

use std::sync::Arc;

use granit_parser::{Event, Parser, ScanError};

use crate::source::{ByteRange, Document, SourceFile};
use crate::vocab::Text;
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel};

pub use scalar::resolve_plain;
pub(crate) use typed::{compile_schema, read_typed, value_range, FileKind};

/// Limits that keep a hostile YAML file from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct YamlLimits {
    /// Maximum number of nodes a document may expand to, aliases included.
    pub max_nodes: usize,
    /// Maximum nesting depth.
    pub max_depth: usize,
}

impl Default for YamlLimits {
    fn default() -> Self {
        YamlLimits {
            max_nodes: 1_000_000,
            max_depth: 256,
        }
    }
}

/// A comment of the stream: its text after `#` and its span (`#` included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Text after `#`.
    pub text: String,
    /// Span of the whole comment.
    pub range: ByteRange,
}

/// The documents, comments and problems of one YAML file.
#[derive(Debug, Default)]
pub struct YamlStream {
    /// Documents that parsed (empty documents are left out).
    pub documents: Vec<Document>,
    /// Every comment.
    pub comments: Vec<Comment>,
    /// Syntax errors, duplicate keys, exceeded limits.
    pub diagnostics: Vec<Diagnostic>,
    /// Unquoted scalars holding `{{` (template-language placeholders), by document index in
    /// `documents`: the first of each document that has one.
    pub placeholders: Vec<(usize, ByteRange)>,
    /// Sequences with an application tag (GitLab's `!reference [job, key]`), by document index
    /// in `documents`: (document, pointer, tag such as `!reference`).
    pub tags: Vec<(usize, String, String)>,
}

/// Parse a YAML stream.
///
/// ```
/// use cct_engine::{source::SourceFile, yaml};
/// let file = SourceFile::new("d.yaml", "a: 1\n---\nb: [x, yes]\n");
/// let stream = yaml::parse(&file, &yaml::YamlLimits::default());
/// assert_eq!(stream.documents.len(), 2);
/// assert_eq!(stream.documents[1].value["b"][1], serde_json::json!(true));
/// let spans = stream.documents[1].spans.get("/b/0").unwrap();
/// assert_eq!(file.line_col(spans.value.start).line, 3);
/// ```
pub fn parse(file: &Arc<SourceFile>, limits: &YamlLimits) -> YamlStream {
    let text = file.text();
    let mut stream = YamlStream::default();
    let mut parser = Parser::new_from_str(text);
    let mut builder = tree::TreeBuilder::new(limits.max_depth);
    let mut doc_index = 0usize;
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                let range = span_range(&span, text);
                match event {
                    Event::StreamStart | Event::StreamEnd => {}
                    Event::Comment(body, _) => stream.comments.push(Comment {
                        text: body.to_string(),
                        range,
                    }),
                    Event::DocumentStart(..) => builder.start_document(range),
                    Event::DocumentEnd => {
                        let tags = builder.take_seq_tags();
                        if let Some((root, doc_range)) = builder.end_document(range) {
                            finish_document(
                                file,
                                &mut stream,
                                (root, tags),
                                doc_range,
                                doc_index,
                                limits,
                            );
                        }
                        doc_index += 1;
                    }
                    other => {
                        if let Err(problem) = builder.event(other, range, text) {
                            stream.diagnostics.push(Diagnostic::at(
                                file,
                                problem.range,
                                problem.code,
                                problem.level,
                                problem.message,
                            ));
                        }
                    }
                }
            }
            Some(Err(err)) => {
                stream.diagnostics.push(syntax_error(file, &err));
                builder.abandon_document();
                doc_index += 1;
                match parser.proceed_next_document() {
                    Ok(true) => continue,
                    _ => break,
                }
            }
        }
    }
    stream.diagnostics.extend(
        builder
            .take_problems()
            .into_iter()
            .map(|p| Diagnostic::at(file, p.range, p.code, p.level, p.message)),
    );
    stream
}

fn finish_document(
    file: &Arc<SourceFile>,
    stream: &mut YamlStream,
    (root, tags): (tree::Node, std::collections::HashMap<u32, String>),
    range: ByteRange,
    index: usize,
    limits: &YamlLimits,
) {
    let mut conv = tree::Converter::new(limits.max_nodes);
    conv.seq_tags = tags;
    match conv.convert(&root) {
        Ok((value, spans)) => {
            for p in std::mem::take(&mut conv.problems) {
                stream
                    .diagnostics
                    .push(Diagnostic::at(file, p.range, p.code, p.level, p.message));
            }
            if value.is_null() {
                return;
            }
            if let Some(range) = conv.placeholder {
                stream.placeholders.push((stream.documents.len(), range));
            }
            for (pointer, tag) in std::mem::take(&mut conv.tagged) {
                stream.tags.push((stream.documents.len(), pointer, tag));
            }
            stream.documents.push(Document {
                format: crate::source::DocFormat::Yaml,
                file: Arc::clone(file),
                index,
                value,
                spans,
                range,
                provenance: None,
                facts: None,
            });
        }
        Err(p) => stream.diagnostics.push(Diagnostic::at(
            file,
            p.range,
            p.code,
            DiagnosticLevel::Error,
            p.message,
        )),
    }
}

fn span_range(span: &granit_parser::Span, text: &str) -> ByteRange {
    match span.byte_range() {
        Some(r) => ByteRange::new(r.start, r.end),
        None => {
            let start = char_to_byte(text, span.start.index());
            let end = char_to_byte(text, span.end.index());
            ByteRange::new(start, end)
        }
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

fn syntax_error(file: &SourceFile, err: &ScanError) -> Diagnostic {
    let marker = err.marker();
    let offset = marker
        .byte_offset()
        .unwrap_or_else(|| char_to_byte(file.text(), marker.index()));
    let info = err.info();
    Diagnostic::at(
        file,
        ByteRange::new(offset, offset),
        DiagnosticCode::YamlSyntax,
        DiagnosticLevel::Error,
        Text::new(
            format!("invalid YAML: {info}; this document was not checked"),
            format!("YAML invalide : {info} ; ce document n'a pas été vérifié"),
        ),
    )
}

#[cfg(test)]
mod tests;
