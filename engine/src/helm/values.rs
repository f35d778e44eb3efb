//! Helm values as a tree whose every node remembers where it was written.
//!
//! Helm reads values with sigs.k8s.io/yaml, which goes through JSON: every number of a values
//! file is a Go `float64` (so `1000000` prints as `1e+06`), while `--set` yields `int64` for an
//! integer. [`ValueKind`] keeps that distinction ([`ValueKind::Float`] vs [`ValueKind::Int`]).
//!
//! Provenance is carried *in* the tree rather than in a pointer side table, because coalescing
//! moves whole subtrees (subchart scoping, globals copied down, `import-values`): a node keeps
//! its [`Origin`] wherever it lands. [`Value::origins`] flattens the final tree into a
//! JSON-pointer → [`Origin`] table when a consumer prefers that form.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Number;

use crate::source::{escape_token, ByteRange, Document, Location, SourceFile};

/// Where a value was written: a values file (or the synthetic file of a `--set` argument) and
/// the byte range of the node in it.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The file; `--set` arguments get a synthetic file named `--set` (see [`super::strvals`]).
    pub file: Arc<SourceFile>,
    /// The node's bytes (for a mapping entry, the value, not the key).
    pub range: ByteRange,
}

impl Origin {
    /// The resolved location (path, line, column).
    pub fn location(&self) -> Location {
        Location::of(&self.file, self.range)
    }
}

impl PartialEq for Origin {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.file, &other.file) && self.range == other.range
    }
}

/// A mapping of values (Go `map[string]interface{}`), keys sorted.
pub(crate) type Table = BTreeMap<String, Value>;

/// The Go type of a value, as templates see it.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// `nil`.
    Null,
    /// `bool`.
    Bool(bool),
    /// `int64` (from `--set`, never from a values file).
    Int(i64),
    /// `float64` (every number read from YAML or JSON).
    Float(f64),
    /// `string`.
    String(String),
    /// `[]interface{}`.
    List(Vec<Value>),
    /// `map[string]interface{}`.
    Map(Table),
}

/// A value and, when it was written in a file, where.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The value.
    pub kind: ValueKind,
    /// Where it was written (`None` for values Helm creates, e.g. an empty subchart table).
    pub origin: Option<Origin>,
}

impl Value {
    /// A value without origin.
    pub fn new(kind: ValueKind) -> Self {
        Value { kind, origin: None }
    }

    /// `nil`.
    pub fn null() -> Self {
        Value::new(ValueKind::Null)
    }

    /// A string without origin.
    pub fn string(s: impl Into<String>) -> Self {
        Value::new(ValueKind::String(s.into()))
    }

    /// A map without origin.
    pub fn map(t: Table) -> Self {
        Value::new(ValueKind::Map(t))
    }

    /// A list without origin.
    pub fn list(items: Vec<Value>) -> Self {
        Value::new(ValueKind::List(items))
    }

    /// Whether this is `nil`.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, ValueKind::Null)
    }

    /// Whether this is a table (Helm's `istable`).
    pub fn is_table(&self) -> bool {
        matches!(self.kind, ValueKind::Map(_))
    }

    /// The table, when this is one.
    pub fn as_table(&self) -> Option<&Table> {
        match &self.kind {
            ValueKind::Map(t) => Some(t),
            _ => None,
        }
    }

    /// The table, mutably, when this is one.
    pub fn as_table_mut(&mut self) -> Option<&mut Table> {
        match &mut self.kind {
            ValueKind::Map(t) => Some(t),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value at a JSON pointer.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        let mut cur = self;
        for token in crate::source::pointer_tokens(pointer) {
            cur = match &cur.kind {
                ValueKind::Map(t) => t.get(&token)?,
                ValueKind::List(l) => l.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// The plain JSON value (origins dropped). Whole floats become JSON integers, as Go's
    /// `encoding/json` prints a `float64` such as `3`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.kind {
            ValueKind::Null => J::Null,
            ValueKind::Bool(b) => J::Bool(*b),
            ValueKind::Int(i) => J::Number((*i).into()),
            ValueKind::Float(f) => float_json(*f),
            ValueKind::String(s) => J::String(s.clone()),
            ValueKind::List(l) => J::Array(l.iter().map(Value::to_json).collect()),
            ValueKind::Map(t) => {
                J::Object(t.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    /// A value from plain JSON, every node with the same origin (or none); numbers become
    /// `float64` as in Helm.
    pub fn from_json(json: &serde_json::Value, origin: Option<&Origin>) -> Value {
        use serde_json::Value as J;
        let kind = match json {
            J::Null => ValueKind::Null,
            J::Bool(b) => ValueKind::Bool(*b),
            J::Number(n) => ValueKind::Float(n.as_f64().unwrap_or(0.0)),
            J::String(s) => ValueKind::String(s.clone()),
            J::Array(a) => ValueKind::List(a.iter().map(|v| Value::from_json(v, origin)).collect()),
            J::Object(o) => ValueKind::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v, origin)))
                    .collect(),
            ),
        };
        Value {
            kind,
            origin: origin.cloned(),
        }
    }

    /// Every node that has an origin, by JSON pointer (the root is `""`), in pointer order.
    pub fn origins(&self) -> BTreeMap<String, Origin> {
        let mut out = BTreeMap::new();
        let mut pointer = String::new();
        collect_origins(self, &mut pointer, &mut out);
        out
    }
}

fn collect_origins(v: &Value, pointer: &mut String, out: &mut BTreeMap<String, Origin>) {
    if let Some(o) = &v.origin {
        out.insert(pointer.clone(), o.clone());
    }
    let len = pointer.len();
    match &v.kind {
        ValueKind::Map(t) => {
            for (k, child) in t {
                pointer.push('/');
                pointer.push_str(&escape_token(k));
                collect_origins(child, pointer, out);
                pointer.truncate(len);
            }
        }
        ValueKind::List(l) => {
            for (i, child) in l.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                collect_origins(child, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn float_json(f: f64) -> serde_json::Value {
    if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        serde_json::Value::Number((f as i64).into())
    } else {
        Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// A YAML document as values, every node located through the document's span table.
pub(crate) fn from_document(doc: &Document) -> Value {
    let mut pointer = String::new();
    located(&doc.value, &doc.file, doc, &mut pointer)
}

/// The value at `pointer` of a document, each node keeping where it was written.
pub(crate) fn from_document_at(doc: &Document, pointer: &str) -> Option<Value> {
    let json = doc.value.pointer(pointer)?;
    let mut pointer = pointer.to_string();
    Some(located(json, &doc.file, doc, &mut pointer))
}

/// Every origin of `v` (and of its children) replaced by `span` of `file` (no origin without
/// a span).
pub(crate) fn relocate(v: &mut Value, file: &Arc<SourceFile>, span: Option<ByteRange>) {
    v.origin = span.map(|range| Origin {
        file: Arc::clone(file),
        range,
    });
    match &mut v.kind {
        ValueKind::List(items) => items.iter_mut().for_each(|x| relocate(x, file, span)),
        ValueKind::Map(t) => t.values_mut().for_each(|x| relocate(x, file, span)),
        _ => {}
    }
}

fn located(
    json: &serde_json::Value,
    file: &Arc<SourceFile>,
    doc: &Document,
    pointer: &mut String,
) -> Value {
    use serde_json::Value as J;
    let origin = doc.spans.get(pointer).map(|s| Origin {
        file: Arc::clone(file),
        range: s.value,
    });
    let len = pointer.len();
    let kind = match json {
        J::Null => ValueKind::Null,
        J::Bool(b) => ValueKind::Bool(*b),
        J::Number(n) => ValueKind::Float(n.as_f64().unwrap_or(0.0)),
        J::String(s) => ValueKind::String(s.clone()),
        J::Array(a) => {
            let mut items = Vec::with_capacity(a.len());
            for (i, item) in a.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                items.push(located(item, file, doc, pointer));
                pointer.truncate(len);
            }
            ValueKind::List(items)
        }
        J::Object(o) => {
            let mut t = Table::new();
            for (k, v) in o {
                pointer.push('/');
                pointer.push_str(&escape_token(k));
                t.insert(k.clone(), located(v, file, doc, pointer));
                pointer.truncate(len);
            }
            ValueKind::Map(t)
        }
    };
    Value { kind, origin }
}

/// Helm's `MergeMaps` (used for `-f` files and the documents of a chart's `values.yaml`):
/// `b` over `a`, tables merged recursively, anything else replaced (a `null` included).
pub(crate) fn merge_maps(a: &mut Table, b: Table) {
    for (k, v) in b {
        if let ValueKind::Map(bt) = v.kind {
            if let Some(ValueKind::Map(at)) = a.get_mut(&k).map(|x| &mut x.kind) {
                merge_maps(at, bt);
                continue;
            }
            a.insert(
                k,
                Value {
                    kind: ValueKind::Map(bt),
                    origin: v.origin,
                },
            );
        } else {
            a.insert(k, v);
        }
    }
}

/// Helm's `Values.Table`: the table at a dotted path (`a.b.c`).
pub(super) fn table_at<'a>(root: &'a Table, path: &str) -> Option<&'a Table> {
    let mut cur = root;
    for part in path.split('.') {
        cur = cur.get(part)?.as_table()?;
    }
    Some(cur)
}

/// Helm's `Values.PathValue`: a non-table value at a dotted path.
pub(super) fn path_value<'a>(root: &'a Table, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return None;
    }
    let (table, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (table_at(root, parent)?, key),
        None => (root, path),
    };
    table.get(key).filter(|v| !v.is_table())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, YamlLimits};

    #[test]
    fn document_values_keep_spans_and_numbers_are_floats() {
        let file = SourceFile::new("values.yaml", "image:\n  tag: latest\nreplicas: 3\n");
        let stream = parse(&file, &YamlLimits::default());
        let v = from_document(&stream.documents[0]);
        let tag = v.pointer("/image/tag").unwrap();
        assert_eq!(tag.kind, ValueKind::String("latest".into()));
        let loc = tag.origin.as_ref().unwrap().location();
        assert_eq!((loc.start.line, loc.start.column), (2, 8));
        assert_eq!(v.pointer("/replicas").unwrap().kind, ValueKind::Float(3.0));
        assert_eq!(v.to_json()["replicas"], serde_json::json!(3));
        assert!(v.origins().contains_key("/image/tag"));
    }

    #[test]
    fn path_value_ignores_tables() {
        let v = Value::from_json(&serde_json::json!({"a": {"b": true, "c": {}}}), None);
        let t = v.as_table().unwrap();
        assert_eq!(path_value(t, "a.b").unwrap().kind, ValueKind::Bool(true));
        assert!(path_value(t, "a.c").is_none());
        assert!(path_value(t, "a").is_none());
        assert!(path_value(t, "x.y").is_none());
    }
}
