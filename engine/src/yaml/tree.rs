//! The span tree built from parser events, and its conversion to JSON plus a span table.
//!
//! Aliases are kept as shared references while building (so an alias bomb stays small) and are
//! expanded only during conversion, under a node budget.

use std::collections::HashMap;
use std::rc::Rc;

use granit_parser::{Event, ScalarStyle};
use serde_json::{Map, Value};

use super::scalar::{resolve_plain, resolve_tagged};
use crate::source::{escape_token, ByteRange, NodeSpans, SpanTable};
use crate::vocab::Text;
use crate::vocab::{DiagnosticCode, DiagnosticLevel};

/// A problem found while building or converting the tree.
#[derive(Debug)]
pub(super) struct Problem {
    pub(super) range: ByteRange,
    pub(super) code: DiagnosticCode,
    pub(super) level: DiagnosticLevel,
    pub(super) message: Text,
}

#[derive(Debug)]
pub(super) enum Kind {
    Scalar {
        text: String,
        plain: bool,
        tag: Option<String>,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Alias(Rc<Node>),
}

#[derive(Debug)]
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) range: ByteRange,
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: ByteRange,
        anchor: usize,
    },
    Map {
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
        start: ByteRange,
        anchor: usize,
    },
}

pub(super) struct TreeBuilder {
    stack: Vec<Frame>,
    root: Option<Node>,
    doc_start: Option<ByteRange>,
    anchors: HashMap<usize, Rc<Node>>,
    max_depth: usize,
    skipping: bool,
    problems: Vec<Problem>,
    /// Application tags (`!reference`) of sequences, by the start of the sequence's range.
    seq_tags: HashMap<u32, String>,
}

impl TreeBuilder {
    pub(super) fn new(max_depth: usize) -> Self {
        TreeBuilder {
            stack: Vec::new(),
            root: None,
            doc_start: None,
            anchors: HashMap::new(),
            max_depth,
            skipping: false,
            problems: Vec::new(),
            seq_tags: HashMap::new(),
        }
    }

    /// The application tags of the sequences of the last document, by range start.
    pub(super) fn take_seq_tags(&mut self) -> HashMap<u32, String> {
        std::mem::take(&mut self.seq_tags)
    }

    pub(super) fn start_document(&mut self, range: ByteRange) {
        self.seq_tags.clear();
        self.stack.clear();
        self.root = None;
        self.anchors.clear();
        self.skipping = false;
        self.doc_start = Some(range);
    }

    pub(super) fn abandon_document(&mut self) {
        self.stack.clear();
        self.root = None;
        self.anchors.clear();
        self.skipping = false;
        self.doc_start = None;
    }

    pub(super) fn end_document(&mut self, end: ByteRange) -> Option<(Node, ByteRange)> {
        let start = self.doc_start.take().unwrap_or(end);
        let root = self.root.take();
        self.stack.clear();
        self.anchors.clear();
        let skipped = std::mem::replace(&mut self.skipping, false);
        if skipped {
            return None;
        }
        root.map(|r| {
            let range = ByteRange {
                start: start.start.min(r.range.start),
                end: end.end.max(r.range.end),
            };
            (r, range)
        })
    }

    pub(super) fn take_problems(&mut self) -> Vec<Problem> {
        std::mem::take(&mut self.problems)
    }

    pub(super) fn event(
        &mut self,
        event: Event<'_>,
        range: ByteRange,
        source: &str,
    ) -> Result<(), Problem> {
        if self.skipping {
            return Ok(());
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let range = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    block_indicator(source, range)
                } else {
                    range
                };
                let tag = tag.map(|t| {
                    let (handle, suffix) = t.parts();
                    if handle == "tag:yaml.org,2002:" || handle == "!!" {
                        format!("!!{suffix}")
                    } else {
                        format!("{handle}{suffix}")
                    }
                });
                let node = Node {
                    kind: Kind::Scalar {
                        text: text.into_owned(),
                        plain: matches!(style, ScalarStyle::Plain),
                        tag,
                    },
                    range,
                };
                self.push_node(node, anchor);
            }
            Event::SequenceStart(_, anchor, tag) => {
                if let Some(t) = tag {
                    let (handle, suffix) = t.parts();
                    if handle == "!" {
                        self.seq_tags.insert(range.start, format!("!{suffix}"));
                    }
                }
                self.open(Frame::Seq {
                    items: Vec::new(),
                    start: range,
                    anchor,
                })?;
            }
            Event::MappingStart(_, anchor, _) => {
                self.open(Frame::Map {
                    entries: Vec::new(),
                    pending_key: None,
                    start: range,
                    anchor,
                })?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (node, anchor) = match frame {
                    Frame::Seq {
                        items,
                        start,
                        anchor,
                    } => (
                        Node {
                            kind: Kind::Seq(items),
                            range: ByteRange {
                                start: start.start,
                                end: range.end.max(start.end),
                            },
                        },
                        anchor,
                    ),
                    Frame::Map {
                        entries,
                        start,
                        anchor,
                        ..
                    } => (
                        Node {
                            kind: Kind::Map(entries),
                            range: ByteRange {
                                start: start.start,
                                end: range.end.max(start.end),
                            },
                        },
                        anchor,
                    ),
                };
                self.push_node(node, anchor);
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(target) => {
                    let node = Node {
                        kind: Kind::Alias(Rc::clone(target)),
                        range,
                    };
                    self.push_node(node, 0);
                }
                None => {
                    return Err(Problem {
                        range,
                        code: DiagnosticCode::YamlAlias,
                        level: DiagnosticLevel::Error,
                        message: Text::new(
                            "alias to an anchor that is not defined before it",
                            "alias vers une ancre qui n'est pas définie avant lui",
                        ),
                    })
                }
            },
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame) -> Result<(), Problem> {
        if self.stack.len() >= self.max_depth {
            let range = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            self.skipping = true;
            self.stack.clear();
            return Err(Problem {
                range,
                code: DiagnosticCode::YamlTooDeep,
                level: DiagnosticLevel::Error,
                message: Text::new(
                    format!(
                        "YAML nesting deeper than {} levels; this document was not checked",
                        self.max_depth
                    ),
                    format!(
                        "imbrication YAML de plus de {} niveaux ; ce document n'a pas été vérifié",
                        self.max_depth
                    ),
                ),
            });
        }
        self.stack.push(frame);
        Ok(())
    }

    fn push_node(&mut self, node: Node, anchor: usize) {
        let node = if anchor != 0 {
            // Keep a copy for later aliases; the tree keeps its own node.
            let shared = Rc::new(shallow_share(&node));
            self.anchors.insert(anchor, shared);
            node
        } else {
            node
        };
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }
}

/// A block scalar starts at its `|` or `>` indicator, which the parser's span leaves out when
/// the content starts on a later line.
fn block_indicator(source: &str, range: ByteRange) -> ByteRange {
    let start = range.start as usize;
    let Some(before) = source.get(..start) else {
        return range;
    };
    // The indicator is on the last non-blank line before the content.
    let mut end = before.len();
    for _ in 0..64 {
        let line_start = before[..end.saturating_sub(1)]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = &before[line_start..end];
        let code = match line.find(" #") {
            Some(i) => &line[..i],
            None => line,
        };
        if let Some(i) = code.rfind(['|', '>']) {
            return ByteRange::new(line_start + i, range.end as usize);
        }
        if !line.trim().is_empty() || line_start == 0 {
            break;
        }
        end = line_start;
    }
    range
}

/// A copy of a node for the anchor table. Children that are aliases stay shared, so the copy
/// costs what the anchored text costs, never its expansion.
fn shallow_share(node: &Node) -> Node {
    let kind = match &node.kind {
        Kind::Scalar { text, plain, tag } => Kind::Scalar {
            text: text.clone(),
            plain: *plain,
            tag: tag.clone(),
        },
        Kind::Seq(items) => Kind::Seq(items.iter().map(shallow_share).collect()),
        Kind::Map(entries) => Kind::Map(
            entries
                .iter()
                .map(|(k, v)| (shallow_share(k), shallow_share(v)))
                .collect(),
        ),
        Kind::Alias(target) => Kind::Alias(Rc::clone(target)),
    };
    Node {
        kind,
        range: node.range,
    }
}

pub(super) struct Converter {
    budget: usize,
    spans: SpanTable,
    pub(super) problems: Vec<Problem>,
    /// The first plain (unquoted) scalar holding `{{`: a placeholder of a template language.
    pub(super) placeholder: Option<ByteRange>,
    /// Application tags of sequences (by range start), and the pointers they were found at.
    pub(super) seq_tags: HashMap<u32, String>,
    pub(super) tagged: Vec<(String, String)>,
}

fn too_many_nodes(range: ByteRange) -> Problem {
    Problem {
        range,
        code: DiagnosticCode::YamlAliasBudget,
        level: DiagnosticLevel::Error,
        message: Text::new(
            "this document expands to too many nodes (alias bomb?); it was not checked",
            "ce document se développe en trop de nœuds (bombe d'alias ?) ; il n'a pas été vérifié",
        ),
    }
}

/// The number of values a tree expands to once its aliases are replaced by what they name,
/// computed without expanding: each anchored node is counted once and remembered.
#[derive(Default)]
struct ExpansionCount {
    /// Nodes of each anchored node, by address.
    memo: HashMap<*const Node, usize>,
    /// The alias that expands to the most nodes, and its place (where a bomb shows).
    largest_alias: Option<(usize, ByteRange)>,
}

impl ExpansionCount {
    fn nodes(&mut self, node: &Node) -> usize {
        match &node.kind {
            Kind::Scalar { .. } => 1,
            Kind::Seq(items) => items
                .iter()
                .fold(1usize, |n, item| n.saturating_add(self.nodes(item))),
            // Keys are not counted, as conversion does not spend on them.
            Kind::Map(entries) => entries
                .iter()
                .fold(1usize, |n, (_, value)| n.saturating_add(self.nodes(value))),
            Kind::Alias(target) => {
                let address = Rc::as_ptr(target);
                let n = match self.memo.get(&address) {
                    Some(&n) => n,
                    None => {
                        let n = self.nodes(target);
                        self.memo.insert(address, n);
                        n
                    }
                };
                if self.largest_alias.is_none_or(|(m, _)| n > m) {
                    self.largest_alias = Some((n, node.range));
                }
                n
            }
        }
    }
}

impl Converter {
    pub(super) fn new(max_nodes: usize) -> Self {
        Converter {
            budget: max_nodes,
            spans: SpanTable::default(),
            problems: Vec::new(),
            placeholder: None,
            seq_tags: HashMap::new(),
            tagged: Vec::new(),
        }
    }

    pub(super) fn convert(&mut self, root: &Node) -> Result<(Value, SpanTable), Problem> {
        // An alias bomb is refused before anything is built: counting what the tree expands
        // to costs one visit per node written, where building it would cost the budget.
        let mut count = ExpansionCount::default();
        if count.nodes(root) > self.budget {
            let range = count.largest_alias.map_or(root.range, |(_, r)| r);
            return Err(too_many_nodes(range));
        }
        let mut pointer = String::new();
        let value = self.node(root, &mut pointer, None, None)?;
        Ok((value, std::mem::take(&mut self.spans)))
    }

    fn spend(&mut self, range: ByteRange) -> Result<(), Problem> {
        if self.budget == 0 {
            return Err(too_many_nodes(range));
        }
        self.budget -= 1;
        Ok(())
    }

    fn node(
        &mut self,
        node: &Node,
        pointer: &mut String,
        key: Option<ByteRange>,
        via_alias: Option<ByteRange>,
    ) -> Result<Value, Problem> {
        self.spend(node.range)?;
        if let Kind::Alias(target) = &node.kind {
            // The aliased node's children are located at their definition, with this alias as
            // related place; the node itself is located at the alias.
            let value = self.node(target, pointer, key, Some(node.range))?;
            self.spans.insert(
                pointer.clone(),
                NodeSpans {
                    key,
                    value: node.range,
                    related: Some(target.range),
                    file: None,
                },
            );
            return Ok(value);
        }
        self.spans.insert(
            pointer.clone(),
            NodeSpans {
                key,
                value: node.range,
                related: via_alias,
                file: None,
            },
        );
        match &node.kind {
            Kind::Scalar { text, plain, tag } => {
                if *plain && self.placeholder.is_none() && text.contains("{{") {
                    self.placeholder = Some(node.range);
                }
                Ok(scalar_value(text, *plain, tag.as_deref()))
            }
            Kind::Seq(items) => {
                if let Some(tag) = self.seq_tags.get(&node.range.start) {
                    self.tagged.push((pointer.clone(), tag.clone()));
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    out.push(self.node(item, pointer, None, via_alias)?);
                    pointer.truncate(len);
                }
                Ok(Value::Array(out))
            }
            Kind::Map(entries) => self.mapping(entries, pointer, via_alias),
            Kind::Alias(_) => Ok(Value::Null),
        }
    }

    fn mapping(
        &mut self,
        entries: &[(Node, Node)],
        pointer: &mut String,
        via_alias: Option<ByteRange>,
    ) -> Result<Value, Problem> {
        let mut out = Map::new();
        let mut seen: HashMap<String, ByteRange> = HashMap::new();
        let mut merges: Vec<&Node> = Vec::new();
        for (k, v) in entries {
            let Some(name) = key_string(k) else {
                self.problems.push(Problem {
                    range: k.range,
                    code: DiagnosticCode::YamlComplexKey,
                    level: DiagnosticLevel::Warning,
                    message: Text::new(
                        "a mapping or sequence used as a key is ignored",
                        "une clé qui est un mapping ou une séquence est ignorée",
                    ),
                });
                continue;
            };
            if name == "<<" && is_plain_scalar(k) {
                merges.push(v);
                continue;
            }
            if let Some(first) = seen.get(&name) {
                let first_line = *first;
                self.problems.push(Problem {
                    range: k.range,
                    code: DiagnosticCode::YamlDuplicateKey,
                    level: DiagnosticLevel::Warning,
                    message: Text::new(
                        format!("duplicate key `{name}` (first at byte {}); the last value is used, and kubectl rejects the file", first_line.start),
                        format!("clé `{name}` en double (première à l'octet {}) ; la dernière valeur est retenue, et kubectl rejette le fichier", first_line.start),
                    ),
                });
            }
            seen.insert(name.clone(), k.range);
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&escape_token(&name));
            let value = self.node(v, pointer, Some(k.range), via_alias)?;
            if is_empty_plain(v) {
                // `key:` with nothing after it: the value is null, and is best shown at its key.
                if let Some(spans) = self.spans.get(pointer.as_str()).cloned() {
                    self.spans.insert(
                        pointer.clone(),
                        NodeSpans {
                            value: k.range,
                            ..spans
                        },
                    );
                }
            }
            pointer.truncate(len);
            out.insert(name, value);
        }
        // Merge keys: entries of the merged mappings that the mapping does not set itself,
        // earlier merged mappings taking precedence over later ones.
        for merge in merges {
            let sources: Vec<&Node> = match &deref(merge).kind {
                Kind::Seq(items) => items.iter().collect(),
                _ => vec![merge],
            };
            for source in sources {
                let alias = match &source.kind {
                    Kind::Alias(_) => Some(source.range),
                    _ => via_alias,
                };
                let Kind::Map(src_entries) = &deref(source).kind else {
                    self.problems.push(Problem {
                        range: source.range,
                        code: DiagnosticCode::YamlMerge,
                        level: DiagnosticLevel::Warning,
                        message: Text::new(
                            "a merge key (<<) needs a mapping or a list of mappings",
                            "une clé de fusion (<<) attend un mapping ou une liste de mappings",
                        ),
                    });
                    continue;
                };
                for (k, v) in src_entries {
                    let Some(name) = key_string(k) else { continue };
                    if out.contains_key(&name) || name == "<<" {
                        continue;
                    }
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape_token(&name));
                    let value = self.node(v, pointer, Some(k.range), alias)?;
                    pointer.truncate(len);
                    out.insert(name, value);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

fn deref(node: &Node) -> &Node {
    match &node.kind {
        Kind::Alias(target) => deref(target),
        _ => node,
    }
}

/// A value left empty (`key:`): the parser reports it as a zero-width `~`.
fn is_empty_plain(node: &Node) -> bool {
    matches!(&node.kind, Kind::Scalar { plain: true, tag: None, text } if text.is_empty() || (text == "~" && node.range.start == node.range.end))
}

fn is_plain_scalar(node: &Node) -> bool {
    matches!(
        &node.kind,
        Kind::Scalar {
            plain: true,
            tag: None,
            ..
        }
    )
}

/// A mapping key as a JSON object key, the way the JSON conversion of sigs.k8s.io/yaml does.
fn key_string(node: &Node) -> Option<String> {
    match &deref(node).kind {
        Kind::Scalar { text, plain, tag } => {
            Some(match scalar_value(text, *plain, tag.as_deref()) {
                Value::String(s) => s,
                Value::Null if *plain => "null".to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                _ => text.clone(),
            })
        }
        _ => None,
    }
}

fn scalar_value(text: &str, plain: bool, tag: Option<&str>) -> Value {
    match tag {
        Some(tag) => resolve_tagged(text, tag),
        None if plain => resolve_plain(text),
        None => Value::String(text.to_string()),
    }
}
