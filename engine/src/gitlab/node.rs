//! The located tree of a GitLab CI configuration: every node keeps the file and spans where it
//! was written, through include merging, `extends`, `default:` and `!reference`.

use std::sync::Arc;

use serde_json::Value;

use crate::source::{escape_token, ByteRange, Document, NodeSpans, SourceFile};

/// Where a node was written.
#[derive(Debug, Clone)]
pub(super) struct Place {
    pub(super) file: Arc<SourceFile>,
    pub(super) key: Option<ByteRange>,
    pub(super) value: ByteRange,
}

impl Place {
    pub(super) fn spans(&self) -> NodeSpans {
        NodeSpans {
            key: self.key,
            value: self.value,
            related: None,
            file: Some(Arc::clone(&self.file)),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) enum Kind {
    Scalar(Value),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// A node of the configuration and where it was written.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) place: Option<Place>,
    /// Brought in from elsewhere (`extends`, `default:`, `!reference`): written for another job.
    pub(super) borrowed: bool,
    /// A `!reference [job, key…]` not resolved yet.
    pub(super) reference: bool,
}

impl Node {
    pub(super) fn map(entries: Vec<(String, Node)>, place: Option<Place>) -> Node {
        Node {
            kind: Kind::Map(entries),
            place,
            borrowed: false,
            reference: false,
        }
    }

    /// The tree of a YAML document, with its `!reference` sequences marked.
    pub(super) fn from_document(doc: &Document, references: &[String]) -> Node {
        let mut pointer = String::new();
        build(doc, &doc.value, &mut pointer, references)
    }

    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(super) fn entries(&self) -> &[(String, Node)] {
        match &self.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }

    pub(super) fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Seq(items) => items,
            _ => &[],
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    pub(super) fn is_map(&self) -> bool {
        matches!(self.kind, Kind::Map(_))
    }

    /// Set or replace a key of a mapping (appended when new).
    pub(super) fn set(&mut self, key: &str, value: Node) {
        if let Kind::Map(entries) = &mut self.kind {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => entries.push((key.to_string(), value)),
            }
        }
    }

    /// This node and all below it marked as written elsewhere.
    pub(super) fn borrow_all(&mut self) {
        self.borrowed = true;
        match &mut self.kind {
            Kind::Scalar(_) => {}
            Kind::Seq(items) => items.iter_mut().for_each(Node::borrow_all),
            Kind::Map(entries) => entries.iter_mut().for_each(|(_, v)| v.borrow_all()),
        }
    }

    /// This node and all below it placed at `place`: a template shipped with cct is written,
    /// for the repository, where a job extends it.
    pub(super) fn place_all(&mut self, place: &Place) {
        self.place = Some(place.clone());
        match &mut self.kind {
            Kind::Scalar(_) => {}
            Kind::Seq(items) => items.iter_mut().for_each(|i| i.place_all(place)),
            Kind::Map(entries) => entries.iter_mut().for_each(|(_, v)| v.place_all(place)),
        }
    }

    /// Number of nodes, for budgets.
    pub(super) fn size(&self) -> usize {
        1 + match &self.kind {
            Kind::Scalar(_) => 0,
            Kind::Seq(items) => items.iter().map(Node::size).sum(),
            Kind::Map(entries) => entries.iter().map(|(_, v)| v.size()).sum(),
        }
    }

    /// The plain JSON value.
    pub(super) fn to_value(&self) -> Value {
        match &self.kind {
            Kind::Scalar(v) => v.clone(),
            Kind::Seq(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Kind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// Write the spans of this node and its children under `pointer`.
    pub(super) fn write_spans(&self, pointer: &mut String, out: &mut crate::source::SpanTable) {
        if let Some(p) = &self.place {
            out.insert(pointer.clone(), p.spans());
        }
        match &self.kind {
            Kind::Scalar(_) => {}
            Kind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    item.write_spans(pointer, out);
                    pointer.truncate(len);
                }
            }
            Kind::Map(entries) => {
                for (k, v) in entries {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape_token(k));
                    v.write_spans(pointer, out);
                    pointer.truncate(len);
                }
            }
        }
    }
}

fn build(doc: &Document, value: &Value, pointer: &mut String, references: &[String]) -> Node {
    let place = doc.spans.get(pointer).map(|s| Place {
        file: Arc::clone(&doc.file),
        key: s.key,
        value: s.value,
    });
    let kind = match value {
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                out.push(build(doc, item, pointer, references));
                pointer.truncate(len);
            }
            Kind::Seq(out)
        }
        Value::Object(map) => {
            let mut out = Vec::with_capacity(map.len());
            for (k, v) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(k));
                out.push((k.clone(), build(doc, v, pointer, references)));
                pointer.truncate(len);
            }
            Kind::Map(out)
        }
        other => Kind::Scalar(other.clone()),
    };
    let reference = matches!(kind, Kind::Seq(_)) && references.iter().any(|r| r == pointer);
    Node {
        kind,
        place,
        borrowed: false,
        reference,
    }
}

/// GitLab's deep merge: mappings merge key by key, anything else is replaced by `over`.
pub(super) fn deep_merge(base: &mut Node, over: &Node) {
    match (&mut base.kind, &over.kind) {
        (Kind::Map(entries), Kind::Map(over_entries)) => {
            for (k, v) in over_entries {
                match entries.iter_mut().find(|(bk, _)| bk == k) {
                    Some((_, bv)) => deep_merge(bv, v),
                    None => entries.push((k.clone(), v.clone())),
                }
            }
            // The mapping is now (also) written where the overriding one is.
            if over.place.is_some() {
                base.place = over.place.clone();
            }
            base.borrowed = over.borrowed;
        }
        _ => *base = over.clone(),
    }
}
