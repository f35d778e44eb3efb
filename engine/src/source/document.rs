//! A loaded document: a JSON value and where each of its nodes was written.

use std::collections::HashMap;
use std::sync::Arc;

use super::{parent_pointer, ByteRange, SourceFile};

/// Where one node of a document was written.
#[derive(Debug, Clone)]
pub struct NodeSpans {
    /// The key of a mapping entry (absent for sequence items and the root).
    pub key: Option<ByteRange>,
    /// The value.
    pub value: ByteRange,
    /// A related place: for a node reached through an alias, the alias (`*name`) when the span
    /// above is the anchor's definition, or the definition when the span above is the alias.
    pub related: Option<ByteRange>,
    /// The file the node was written in, when it is not the document's (a GitLab CI job
    /// inherited from an included file); `None`: the document's file.
    pub file: Option<Arc<SourceFile>>,
}

impl PartialEq for NodeSpans {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
            && self.value == other.value
            && self.related == other.related
            && match (&self.file, &other.file) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl Eq for NodeSpans {}

/// JSON pointer → spans, for one document.
#[derive(Debug, Default, Clone)]
pub struct SpanTable {
    map: HashMap<String, NodeSpans>,
}

/// What a location is about, which decides the span used for a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocateMode {
    /// The key's presence (a forbidden key): the key span, else the value span.
    Key,
    /// The value (a wrong value): the value span.
    Value,
    /// Something missing inside this node: the key span, or for a list item its first key.
    Parent,
}

impl SpanTable {
    /// Record the spans of a pointer.
    pub fn insert(&mut self, pointer: String, spans: NodeSpans) {
        self.map.insert(pointer, spans);
    }

    /// The spans of a pointer, if it exists in the document.
    pub fn get(&self, pointer: &str) -> Option<&NodeSpans> {
        self.map.get(pointer)
    }

    /// Every recorded pointer and its spans, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &NodeSpans)> {
        self.map.iter().map(|(p, s)| (p.as_str(), s))
    }

    /// As [`SpanTable::locate`], with the file of the node found when it is not the
    /// document's.
    pub fn locate_in(
        &self,
        pointer: &str,
        mode: LocateMode,
    ) -> Option<(ByteRange, bool, Option<&Arc<SourceFile>>)> {
        if let Some(spans) = self.map.get(pointer) {
            return Some((self.pick(pointer, spans, mode), true, spans.file.as_ref()));
        }
        let mut current = pointer;
        while let Some(parent) = parent_pointer(current) {
            if let Some(spans) = self.map.get(parent) {
                let range = self.pick(parent, spans, LocateMode::Parent);
                return Some((range, false, spans.file.as_ref()));
            }
            current = parent;
        }
        None
    }

    /// Number of recorded nodes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no node is recorded.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Resolve a pointer to a byte range: the node itself when it exists, else its nearest
    /// existing ancestor in [`LocateMode::Parent`] mode. Returns the range and whether the
    /// pointer itself was found.
    pub fn locate(&self, pointer: &str, mode: LocateMode) -> Option<(ByteRange, bool)> {
        self.locate_in(pointer, mode)
            .map(|(range, found, _)| (range, found))
    }

    fn pick(&self, pointer: &str, spans: &NodeSpans, mode: LocateMode) -> ByteRange {
        match (mode, spans.key) {
            (LocateMode::Value, _) => spans.value,
            (_, Some(key)) => key,
            (LocateMode::Key, None) => spans.value,
            (LocateMode::Parent, None) => {
                // A list item or the root: its first key, when it is a mapping.
                self.first_child_key(pointer).unwrap_or(spans.value)
            }
        }
    }

    fn first_child_key(&self, pointer: &str) -> Option<ByteRange> {
        let prefix = format!("{pointer}/");
        let own = self.map.get(pointer).and_then(|s| s.file.as_ref());
        self.map
            .iter()
            .filter(|(p, _)| p.starts_with(&prefix) && !p[prefix.len()..].contains('/'))
            // A key written in the same file as the node.
            .filter(|(_, s)| match (&s.file, own) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            })
            .filter_map(|(_, s)| s.key)
            .min_by_key(|r| r.start)
    }
}

/// What a document was read from, which decides the subjects it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocFormat {
    /// A YAML (or JSON) document.
    Yaml,
    /// The model of a Dockerfile.
    Dockerfile,
    /// The model of a GitLab CI configuration (includes, `extends` and script lines resolved).
    GitlabCi,
    /// An OpenAPI (or Swagger 2.0) document.
    OpenApi,
    /// The derogations of a scan (configuration, comments, annotations), for the rule that
    /// judges them.
    Derogations,
    /// A Helm chart's `Chart.yaml`, with facts about the chart's other files.
    HelmChart,
    /// A values file of a Helm chart, or the inline values of an Argo CD Application.
    HelmValues,
    /// A folder given to the scan, as the list of its files, for rules about the whole
    /// repository.
    Repository,
}

/// Facts a loader computed about a document (an OpenAPI document's operations and unresolved
/// references): keys added to the top level of its subject's view, each mapped back to where it
/// is located in the document.
#[derive(Debug, Clone, Default)]
pub struct DocFacts {
    /// The facts, added to the view's top level.
    pub value: serde_json::Map<String, serde_json::Value>,
    /// (path in the view, pointer in the document) for each fact.
    pub mounts: Vec<(String, String)>,
}

impl DocFacts {
    /// Facts located at the document's root (in a subject: its first key).
    pub fn at_root(value: serde_json::Map<String, serde_json::Value>) -> DocFacts {
        let mounts = value
            .keys()
            .map(|k| (format!("/{k}"), String::new()))
            .collect();
        DocFacts { value, mounts }
    }
}

/// One document of a file: its value, where its nodes were written, and its position.
#[derive(Debug, Clone)]
pub struct Document {
    /// What it was read from.
    pub format: DocFormat,
    /// The file it was read from.
    pub file: Arc<SourceFile>,
    /// 0-based index of the document in its file.
    pub index: usize,
    /// The value, as JSON.
    pub value: serde_json::Value,
    /// Pointer → spans.
    pub spans: SpanTable,
    /// The byte range of the whole document.
    pub range: ByteRange,
    /// For a document of a rendered Helm chart: where each byte of its file (the rendered
    /// manifest) was written (values file, template, action). `None` for files read as is.
    pub provenance: Option<Arc<super::RenderProvenance>>,
    /// Facts its loader computed, for its subject's view.
    pub facts: Option<Arc<DocFacts>>,
}

impl Document {
    /// Where the bytes `range` of this document's file were written, for a rendered chart
    /// (see [`super::RenderProvenance::trace`]); `None` for other documents.
    pub fn trace(&self, range: ByteRange) -> Option<super::Trace> {
        self.provenance.as_ref().map(|p| p.trace(range))
    }

    /// Where the node at `pointer` was written, for a rendered chart. For a scalar found in
    /// [`LocateMode::Key`] or [`LocateMode::Value`] mode whose value came from a values file,
    /// that values scalar is the primary place (so that `hostNetwork: true` leads to the
    /// values line of `true` even when the rule points at the key, which is template text);
    /// otherwise the span [`SpanTable::locate`] gives is traced.
    pub fn trace_pointer(&self, pointer: &str, mode: LocateMode) -> Option<super::Trace> {
        let prov = self.provenance.as_ref()?;
        let (range, found) = self.spans.locate(pointer, mode)?;
        let scalar = found
            && mode != LocateMode::Parent
            && self
                .value
                .pointer(pointer)
                .is_some_and(|v| !v.is_object() && !v.is_array());
        if scalar {
            if let Some(s) = self.spans.get(pointer) {
                let t = prov.trace(s.value);
                if t.primary.role == super::PlaceRole::Value {
                    return Some(t);
                }
            }
        }
        Some(prov.trace(range))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(key: Option<(usize, usize)>, value: (usize, usize)) -> NodeSpans {
        NodeSpans {
            key: key.map(|(s, e)| ByteRange::new(s, e)),
            value: ByteRange::new(value.0, value.1),
            related: None,
            file: None,
        }
    }

    #[test]
    fn missing_pointer_walks_up_to_parent_key() {
        let mut t = SpanTable::default();
        t.insert(String::new(), spans(None, (0, 100)));
        t.insert("/a".into(), spans(Some((0, 1)), (3, 50)));
        t.insert("/a/0".into(), spans(None, (10, 40)));
        t.insert("/a/0/name".into(), spans(Some((12, 16)), (18, 21)));
        assert_eq!(
            t.locate("/a/0/name", LocateMode::Value),
            Some((ByteRange::new(18, 21), true))
        );
        assert_eq!(
            t.locate("/a/0/name", LocateMode::Key),
            Some((ByteRange::new(12, 16), true))
        );
        // A missing key in a list item lands on the item's first key.
        assert_eq!(
            t.locate("/a/0/image", LocateMode::Value),
            Some((ByteRange::new(12, 16), false))
        );
        assert_eq!(
            t.locate("/a/9/x", LocateMode::Value),
            Some((ByteRange::new(0, 1), false))
        );
    }
}
