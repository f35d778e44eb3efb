//! A resource being built: a YAML tree whose every key and value remembers where it was
//! written (a base file, an overlay's patch, a kustomization field), so that the built output
//! traces back to the line a person wrote.

use std::sync::Arc;

use serde_json::Value;

use crate::source::{escape_token, ByteRange, Document, PlaceRole, SourceFile};

/// Where a key or a value was written.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    /// The file.
    pub file: Arc<SourceFile>,
    /// The bytes of the key or value.
    pub range: ByteRange,
    /// Whether an overlay set it (a patch, a kustomization field) over what a resource file
    /// wrote: the built output points at it as the value that decided.
    pub set: bool,
}

impl Origin {
    /// The same place, marked as set by an overlay.
    pub(crate) fn as_set(&self) -> Origin {
        Origin {
            set: true,
            ..self.clone()
        }
    }
}

/// A node of a resource and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// What it holds.
    pub kind: Kind,
    /// Where its value was written.
    pub origin: Option<Origin>,
}

/// What a node holds.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// A mapping, in the order written.
    Map(Vec<Entry>),
    /// A sequence.
    Seq(Vec<Node>),
    /// A string, number, boolean or null.
    Scalar(Value),
}

/// One entry of a mapping.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The key.
    pub key: String,
    /// Where the key was written.
    pub key_origin: Option<Origin>,
    /// The value.
    pub value: Node,
}

impl Node {
    /// An empty mapping written nowhere.
    pub(crate) fn map() -> Node {
        Node {
            kind: Kind::Map(Vec::new()),
            origin: None,
        }
    }

    /// A string written at `origin`.
    pub(crate) fn string(s: &str, origin: Option<Origin>) -> Node {
        Node {
            kind: Kind::Scalar(Value::String(s.to_string())),
            origin,
        }
    }

    /// The node of a document (its root), each node's origin from the document's spans.
    pub(crate) fn from_document(doc: &Document) -> Node {
        Node::from_value(&doc.value, "", doc, false)
    }

    /// The node at `pointer` of a document; `set`: written by an overlay.
    pub(crate) fn from_document_at(doc: &Document, pointer: &str, set: bool) -> Option<Node> {
        doc.value
            .pointer(pointer)
            .map(|v| Node::from_value(v, pointer, doc, set))
    }

    /// The node of a rendered chart's document, each node's origin traced through the
    /// document's provenance to the template text or values line that wrote it (a value
    /// written by a values file is marked as set, the place that decided it).
    pub(crate) fn from_rendered(doc: &Document) -> Node {
        let Some(prov) = doc.provenance.clone() else {
            return Node::from_document(doc);
        };
        let at = move |_: &Arc<SourceFile>, range: ByteRange, _: bool| {
            let p = prov.trace(range).primary;
            Origin {
                set: p.role == PlaceRole::Value,
                file: p.file,
                range: p.range,
            }
        };
        Node::from_value_at(&doc.value, "", doc, &at)
    }

    fn from_value(v: &Value, pointer: &str, doc: &Document, set: bool) -> Node {
        let at = |file: &Arc<SourceFile>, range: ByteRange, _: bool| Origin {
            file: Arc::clone(file),
            range,
            set,
        };
        Node::from_value_at(v, pointer, doc, &at)
    }

    /// The node of `v` at `pointer`, `at` making the origin of a span written in a file (its
    /// last argument: whether the span is a key's).
    fn from_value_at(
        v: &Value,
        pointer: &str,
        doc: &Document,
        at: &dyn Fn(&Arc<SourceFile>, ByteRange, bool) -> Origin,
    ) -> Node {
        let spans = doc.spans.get(pointer);
        let file = spans
            .and_then(|s| s.file.clone())
            .unwrap_or(doc.file.clone());
        let origin = spans.map(|s| at(&file, s.value, false));
        let kind = match v {
            Value::Object(m) => Kind::Map(
                m.iter()
                    .map(|(k, child)| {
                        let p = format!("{pointer}/{}", escape_token(k));
                        let key_origin = doc.spans.get(&p).and_then(|s| {
                            s.key.map(|range| {
                                at(&s.file.clone().unwrap_or(doc.file.clone()), range, true)
                            })
                        });
                        Entry {
                            key: k.clone(),
                            key_origin,
                            value: Node::from_value_at(child, &p, doc, at),
                        }
                    })
                    .collect(),
            ),
            Value::Array(items) => Kind::Seq(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, child)| {
                        Node::from_value_at(child, &format!("{pointer}/{i}"), doc, at)
                    })
                    .collect(),
            ),
            other => Kind::Scalar(other.clone()),
        };
        Node { kind, origin }
    }

    /// The node as JSON.
    pub(crate) fn to_json(&self) -> Value {
        match &self.kind {
            Kind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
            Kind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Kind::Scalar(v) => v.clone(),
        }
    }

    /// The string a scalar holds.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The entries of a mapping.
    pub(crate) fn entries(&self) -> Option<&Vec<Entry>> {
        match &self.kind {
            Kind::Map(e) => Some(e),
            _ => None,
        }
    }

    /// The items of a sequence.
    pub(crate) fn items_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.kind {
            Kind::Seq(e) => Some(e),
            _ => None,
        }
    }

    /// The value of a key of a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
    }

    /// The value of a key of a mapping, to change.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.kind {
            Kind::Map(entries) => entries
                .iter_mut()
                .find(|e| e.key == key)
                .map(|e| &mut e.value),
            _ => None,
        }
    }

    /// The node at a path of keys.
    pub(crate) fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, k| n.get(k))
    }

    /// The node at a path of keys, to change.
    pub(crate) fn at_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        let mut n = self;
        for k in path {
            n = n.get_mut(k)?;
        }
        Some(n)
    }

    /// The string at a path of keys.
    pub(crate) fn str_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path).and_then(Node::as_str)
    }

    /// Set a key of a mapping (replacing its value, keeping where the key was written when it
    /// was there); a node that is not a mapping becomes one.
    pub(crate) fn set(&mut self, key: &str, value: Node, key_origin: Option<Origin>) {
        if !matches!(self.kind, Kind::Map(_)) {
            self.kind = Kind::Map(Vec::new());
        }
        if let Kind::Map(entries) = &mut self.kind {
            if let Some(e) = entries.iter_mut().find(|e| e.key == key) {
                e.value = value;
                if e.key_origin.is_none() {
                    e.key_origin = key_origin;
                }
            } else {
                entries.push(Entry {
                    key: key.to_string(),
                    key_origin,
                    value,
                });
            }
        }
    }

    /// Remove a key of a mapping; whether it was there.
    pub(crate) fn remove(&mut self, key: &str) -> bool {
        match &mut self.kind {
            Kind::Map(entries) => {
                let before = entries.len();
                entries.retain(|e| e.key != key);
                before != entries.len()
            }
            _ => false,
        }
    }

    /// Set `key` in the mapping at `path` (made where missing, written at `origin`).
    pub(crate) fn set_in(
        &mut self,
        path: &[&str],
        key: &str,
        value: Node,
        key_origin: Option<Origin>,
        origin: Option<&Origin>,
    ) {
        if let Some(m) = self.ensure_map(path, origin) {
            m.set(key, value, key_origin);
        }
    }

    /// The mapping at a path of keys, made (empty, written at `origin`) where missing (always
    /// `Some`).
    pub(crate) fn ensure_map(
        &mut self,
        path: &[&str],
        origin: Option<&Origin>,
    ) -> Option<&mut Node> {
        let Some((k, rest)) = path.split_first() else {
            return Some(self);
        };
        if !matches!(self.kind, Kind::Map(_)) {
            self.kind = Kind::Map(Vec::new());
        }
        let Kind::Map(entries) = &mut self.kind else {
            return None;
        };
        let i = match entries.iter().position(|e| e.key == *k) {
            Some(i) => i,
            None => {
                entries.push(Entry {
                    key: k.to_string(),
                    key_origin: origin.cloned(),
                    value: Node {
                        kind: Kind::Map(Vec::new()),
                        origin: origin.cloned(),
                    },
                });
                entries.len() - 1
            }
        };
        let child = &mut entries[i].value;
        if !matches!(child.kind, Kind::Map(_)) {
            *child = Node {
                kind: Kind::Map(Vec::new()),
                origin: origin.cloned(),
            };
        }
        child.ensure_map(rest, origin)
    }
}

/// A resource's identity: kind, namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ResId {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl ResId {
    /// The identity of a resource node.
    pub(crate) fn of(n: &Node) -> ResId {
        let api = n.str_at(&["apiVersion"]).unwrap_or("");
        let group = api.rsplit_once('/').map_or("", |(g, _)| g).to_string();
        ResId {
            group,
            kind: n.str_at(&["kind"]).unwrap_or("").to_string(),
            namespace: n
                .str_at(&["metadata", "namespace"])
                .unwrap_or("")
                .to_string(),
            name: n.str_at(&["metadata", "name"]).unwrap_or("").to_string(),
        }
    }
}
