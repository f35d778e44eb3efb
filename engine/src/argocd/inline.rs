//! The values an Argo CD Application writes inline (`helm.valuesObject`, `helm.values`) as
//! documents of their own (`helm-values` subjects), each node located in the Application's
//! file, so that rules judging values files judge them too.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::source::{ByteRange, DocFacts, DocFormat, Document, NodeSpans, SourceFile, SpanTable};
use crate::yaml::{self, YamlLimits};

/// The inline values of each source of an Application (`spec.source`, `spec.sources[]`) or of
/// an ApplicationSet's template; nothing for other documents.
pub(crate) fn inline_values(doc: &Document, limits: &YamlLimits) -> Vec<Document> {
    let v = &doc.value;
    let api = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
    let spec = match kind {
        "Application" => "/spec",
        "ApplicationSet" => "/spec/template/spec",
        _ => return Vec::new(),
    };
    if !api.starts_with("argoproj.io/") {
        return Vec::new();
    }
    let name = v
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut sources = Vec::new();
    if v.pointer(&format!("{spec}/source")).is_some() {
        sources.push(format!("{spec}/source"));
    }
    if let Some(list) = v
        .pointer(&format!("{spec}/sources"))
        .and_then(Value::as_array)
    {
        sources.extend((0..list.len()).map(|i| format!("{spec}/sources/{i}")));
    }
    let mut out = Vec::new();
    for source in sources {
        let Some(s) = v.pointer(&source) else {
            continue;
        };
        let object = format!("{source}/helm/valuesObject");
        let text = format!("{source}/helm/values");
        let values = if v.pointer(&object).is_some_and(Value::is_object) {
            Some(subtree(doc, &object))
        } else if let Some(t) = v.pointer(&text).and_then(Value::as_str) {
            embedded(doc, &text, t, limits)
        } else {
            None
        };
        if let Some(mut values) = values {
            values.facts = Some(Arc::new(facts(s, name, doc.file.path())));
            out.push(values);
        }
    }
    out
}

/// What the values configure: the source's chart (`chart`, else the last element of `path`),
/// its repository, and the Application.
fn facts(source: &Value, application: &str, file: &str) -> DocFacts {
    let get = |k: &str| source.get(k).and_then(Value::as_str).unwrap_or_default();
    let chart = if get("chart").is_empty() {
        get("path")
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
    } else {
        get("chart")
    };
    let mut m = Map::new();
    m.insert(
        "chart".into(),
        json!({
            "name": chart,
            "appVersion": null,
            "repository": get("repoURL"),
            "bitnamiDependencies": get("repoURL").contains("bitnami"),
        }),
    );
    m.insert("file".into(), json!(file));
    m.insert("environment".into(), json!(application));
    m.insert("application".into(), json!(application));
    DocFacts::at_root(m)
}

/// The mapping at `pointer` of a document as a document of its own.
fn subtree(doc: &Document, pointer: &str) -> Document {
    let mut spans = SpanTable::default();
    for (p, s) in doc.spans.iter() {
        if let Some(rest) = p.strip_prefix(pointer) {
            if rest.is_empty() || rest.starts_with('/') {
                spans.insert(rest.to_string(), s.clone());
            }
        }
    }
    Document {
        format: DocFormat::HelmValues,
        value: doc.value.pointer(pointer).cloned().unwrap_or(Value::Null),
        spans,
        facts: None,
        ..doc.clone()
    }
}

/// Values written as YAML text in a string of a document: parsed, each node located in the
/// document's file (line for line in a literal block scalar; at the string otherwise).
fn embedded(doc: &Document, pointer: &str, text: &str, limits: &YamlLimits) -> Option<Document> {
    let at = doc.spans.get(pointer)?.clone();
    let inner = SourceFile::new(doc.file.path(), text);
    let parsed = yaml::parse(&inner, limits).documents.into_iter().next()?;
    if !parsed.value.is_object() {
        return None;
    }
    let lines = block_lines(doc.file.text(), at.value, text);
    let map = |r: ByteRange| match &lines {
        Some(starts) => relocate(text, starts, r),
        None => at.value,
    };
    let mut spans = SpanTable::default();
    for (p, s) in parsed.spans.iter() {
        let located = if p.is_empty() {
            at.clone()
        } else {
            NodeSpans {
                key: s.key.map(map),
                value: map(s.value),
                related: s.related.map(map),
                file: None,
            }
        };
        spans.insert(p.to_string(), located);
    }
    Some(Document {
        format: DocFormat::HelmValues,
        value: parsed.value,
        spans,
        facts: None,
        ..doc.clone()
    })
}

/// For a literal block scalar (`values: |`) whose lines are the text's lines indented, the
/// file offset where each line of the text starts; `None` when the scalar is written otherwise.
fn block_lines(file: &str, scalar: ByteRange, text: &str) -> Option<Vec<usize>> {
    let raw = file.get(scalar.start as usize..)?;
    if !raw.starts_with('|') {
        return None;
    }
    let body_start = scalar.start as usize + raw.find('\n')? + 1;
    let body = file.get(body_start..)?;
    let mut file_lines = body.split_inclusive('\n');
    let mut indent: Option<usize> = None;
    let mut starts = Vec::new();
    let mut offset = body_start;
    for line in text.split('\n') {
        let in_file = file_lines.next().unwrap_or_default();
        let content = in_file.trim_end_matches('\n').trim_end_matches('\r');
        if line.is_empty() {
            starts.push(offset);
        } else {
            let n = *indent.get_or_insert_with(|| content.len() - content.trim_start().len());
            if content.get(n..) != Some(line) {
                return None;
            }
            starts.push(offset + n);
        }
        offset += in_file.len();
    }
    Some(starts)
}

/// A range of the text mapped to the file through the start of each of its lines.
fn relocate(text: &str, starts: &[usize], r: ByteRange) -> ByteRange {
    let point = |o: u32| -> u32 {
        let o = o as usize;
        let line = text.get(..o).map_or(0, |t| t.matches('\n').count());
        let line_start = text
            .get(..o)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let base = starts.get(line).or(starts.last()).copied().unwrap_or(0);
        (base + o - line_start) as u32
    };
    ByteRange {
        start: point(r.start),
        end: point(r.end),
    }
}
