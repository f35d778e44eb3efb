//! One YAML document read as a typed value: validated against a JSON Schema (each error
//! located at its line and column), then deserialised (a type error located likewise). Used for
//! the files cct reads as configuration: rule files, the requirement list, `.cct.yaml`.

use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::{parse, YamlLimits};
use crate::source::{ByteRange, Document, LocateMode, SourceFile};
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};

/// What kind of file is read: the codes of its problems, and how it is named in messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileKind {
    /// The code of a validation or type error.
    pub(crate) invalid: DiagnosticCode,
    /// The code of a file that is not exactly one document.
    pub(crate) not_one_document: DiagnosticCode,
    /// The file, in English and French (`a rule file`, `un fichier de règle`).
    pub(crate) name: (&'static str, &'static str),
}

/// Compile a JSON Schema given as text (`None` if it does not compile: a build defect that the
/// tests catch).
pub(crate) fn compile_schema(schema: &str) -> Option<jsonschema::Validator> {
    let value: serde_json::Value = serde_json::from_str(schema).ok()?;
    jsonschema::draft202012::options().build(&value).ok()
}

/// The one YAML document of a file.
pub(crate) fn parse_single(
    file: &Arc<SourceFile>,
    kind: FileKind,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let mut stream = parse(file, &YamlLimits::default());
    let had_errors = stream
        .diagnostics
        .iter()
        .any(|d| d.level == DiagnosticLevel::Error);
    diagnostics.append(&mut stream.diagnostics);
    if had_errors || stream.documents.len() != 1 {
        if !had_errors {
            diagnostics.push(Diagnostic::for_path(
                file.path(),
                kind.not_one_document,
                DiagnosticLevel::Error,
                Text::new(
                    format!(
                        "{} must hold exactly one YAML document",
                        capitalise(kind.name.0)
                    ),
                    format!(
                        "{} doit contenir exactement un document YAML",
                        capitalise(kind.name.1)
                    ),
                ),
            ));
        }
        return None;
    }
    stream.documents.pop()
}

/// Where a node of a one-document file was written (its value; the nearest ancestor when it is
/// absent).
pub(crate) fn value_range(file: &Arc<SourceFile>, kind: FileKind, pointer: &str) -> ByteRange {
    parse_single(file, kind, &mut Vec::new())
        .and_then(|d| d.spans.locate(pointer, LocateMode::Value))
        .map(|(r, _)| r)
        .unwrap_or_default()
}

/// Parse one YAML document, validate it against a schema (each error located at its line),
/// then deserialise it.
pub(crate) fn read_typed<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    schema: Option<&jsonschema::Validator>,
    kind: FileKind,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let doc = parse_single(file, kind, diagnostics)?;
    if let Some(validator) = schema {
        let mut valid = true;
        for err in validator.iter_errors(&doc.value) {
            valid = false;
            let mut pointer = err.instance_path().as_str().to_string();
            let mut mode = LocateMode::Value;
            // An unexpected key is located at the key itself.
            if let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } =
                err.kind()
            {
                if let Some(key) = unexpected.first() {
                    pointer = format!("{pointer}/{}", crate::source::escape_token(key));
                    mode = LocateMode::Key;
                }
            }
            let range = doc
                .spans
                .locate(&pointer, mode)
                .map(|(r, _)| r)
                .unwrap_or_default();
            diagnostics.push(Diagnostic::at(
                file,
                range,
                kind.invalid,
                DiagnosticLevel::Error,
                Text::new(
                    format!("invalid at `{pointer}`: {err}"),
                    format!("invalide en `{pointer}` : {err}"),
                ),
            ));
        }
        if !valid {
            return None;
        }
    }
    let value = doc.value.clone();
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let path = e.path().to_string();
            let pointer = if path == "." {
                String::new()
            } else {
                format!("/{}", path.replace('.', "/"))
            };
            let range = doc
                .spans
                .locate(&pointer, LocateMode::Value)
                .map(|(r, _)| r)
                .unwrap_or_default();
            let inner = e.into_inner();
            diagnostics.push(Diagnostic::at(
                file,
                range,
                kind.invalid,
                DiagnosticLevel::Error,
                Text::new(
                    format!("invalid at `{pointer}`: {inner}"),
                    format!("invalide en `{pointer}` : {inner}"),
                ),
            ));
            None
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
