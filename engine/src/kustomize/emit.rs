//! The built resources printed as `kustomize build` prints them (block YAML, sequences at their
//! key's indentation, documents separated by `---`), with the origin of every key and scalar
//! recorded as the provenance of the printed bytes.
//!
//! A key or scalar printed exactly as a resource file wrote it is that file's text (byte-exact);
//! anything an overlay set, or printed differently, is a value of the place that wrote it, so
//! that a finding lands on the overlay's line with the resource file's line as related place.

use std::sync::Arc;

use serde_json::Value;

use super::node::{Kind, Node, Origin};
use crate::source::{ByteOrigin, ByteRange, ProvSegment, ProvenanceMap, SourceFile};

/// Printed resources and where their bytes come from.
pub(crate) struct Printed {
    /// The YAML stream.
    pub text: String,
    /// The origin of its bytes.
    pub map: ProvenanceMap,
}

struct Printer {
    out: String,
    map: ProvenanceMap,
}

/// Print resources.
pub(crate) fn print(resources: &[Node]) -> Printed {
    let mut p = Printer {
        out: String::new(),
        map: ProvenanceMap::default(),
    };
    for (i, r) in resources.iter().enumerate() {
        if i > 0 {
            p.out.push_str("---\n");
        }
        let start = p.out.len();
        match &r.kind {
            Kind::Map(entries) if !entries.is_empty() => p.map_body(r, 0),
            _ => {
                p.scalar_or_empty(r);
                p.out.push('\n');
            }
        }
        let source = r
            .origin
            .as_ref()
            .map(|o| o.file.path().to_string())
            .unwrap_or_default();
        p.map
            .documents
            .push((ByteRange::new(start, p.out.len()), source));
    }
    Printed {
        text: p.out,
        map: p.map,
    }
}

impl Printer {
    fn file_index(&mut self, file: &Arc<SourceFile>) -> u32 {
        if let Some(i) = self.map.files.iter().position(|f| Arc::ptr_eq(f, file)) {
            return i as u32;
        }
        self.map.files.push(Arc::clone(file));
        (self.map.files.len() - 1) as u32
    }

    /// Write `text` and record where it was written.
    fn write(&mut self, text: &str, origin: Option<&Origin>) {
        let start = self.out.len();
        self.out.push_str(text);
        let Some(o) = origin else { return };
        let file = self.file_index(&o.file);
        let same = o
            .file
            .text()
            .get(o.range.start as usize..o.range.end as usize)
            == Some(text);
        let origin = if same && !o.set {
            ByteOrigin::Text {
                file,
                start: o.range.start,
            }
        } else {
            ByteOrigin::Value {
                file,
                range: o.range,
            }
        };
        self.map.segments.push(ProvSegment {
            start: start as u32,
            end: self.out.len() as u32,
            origin,
        });
    }

    fn indent(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push(' ');
        }
    }

    /// The entries of a mapping, each on its own line at `indent` (the first one's indentation
    /// already written when `first_inline`).
    fn map_entries(&mut self, node: &Node, indent: usize, first_inline: bool) {
        let Kind::Map(entries) = &node.kind else {
            return;
        };
        // kustomize prints keys sorted.
        let mut entries: Vec<_> = entries.iter().collect();
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        for (i, e) in entries.into_iter().enumerate() {
            if i > 0 || !first_inline {
                self.indent(indent);
            }
            let key = key_text(&e.key);
            self.write(&key, e.key_origin.as_ref());
            self.out.push(':');
            self.value_after_key(&e.value, indent);
        }
    }

    fn map_body(&mut self, node: &Node, indent: usize) {
        self.map_entries(node, indent, false);
    }

    fn value_after_key(&mut self, v: &Node, indent: usize) {
        match &v.kind {
            Kind::Map(entries) if !entries.is_empty() => {
                self.out.push('\n');
                self.map_body(v, indent + 2);
            }
            Kind::Seq(items) if !items.is_empty() => {
                self.out.push('\n');
                self.seq_body(v, indent);
            }
            _ => {
                self.out.push(' ');
                self.scalar_or_empty_at(v, indent);
                self.out.push('\n');
            }
        }
    }

    fn seq_body(&mut self, node: &Node, indent: usize) {
        let Kind::Seq(items) = &node.kind else {
            return;
        };
        for item in items {
            self.indent(indent);
            self.out.push('-');
            match &item.kind {
                Kind::Map(entries) if !entries.is_empty() => {
                    self.out.push(' ');
                    self.map_entries(item, indent + 2, true);
                }
                Kind::Seq(inner) if !inner.is_empty() => {
                    self.out.push('\n');
                    self.seq_body(item, indent + 2);
                }
                _ => {
                    self.out.push(' ');
                    self.scalar_or_empty_at(item, indent);
                    self.out.push('\n');
                }
            }
        }
    }

    fn scalar_or_empty(&mut self, v: &Node) {
        self.scalar_or_empty_at(v, 0);
    }

    fn scalar_or_empty_at(&mut self, v: &Node, indent: usize) {
        match &v.kind {
            Kind::Map(_) => self.write("{}", v.origin.as_ref()),
            Kind::Seq(_) => self.write("[]", v.origin.as_ref()),
            Kind::Scalar(s) => {
                let text = scalar_text(s, indent + 2);
                self.write(&text, v.origin.as_ref());
            }
        }
    }
}

/// A mapping key: plain when YAML reads it back as the same string, else double-quoted.
fn key_text(k: &str) -> String {
    if is_plain_safe(k) {
        k.to_string()
    } else {
        quoted(k)
    }
}

/// A scalar: plain when YAML reads it back as the same value, a literal block for multi-line
/// text, else double-quoted.
fn scalar_text(v: &Value, block_indent: usize) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if is_plain_safe(s) {
                s.clone()
            } else if let Some(block) = literal_block(s, block_indent) {
                block
            } else {
                quoted(s)
            }
        }
        other => quoted(&other.to_string()),
    }
}

/// A JSON string is a YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}

/// Whether a string may be written plain and read back as the same string (YAML 1.1 typing,
/// as the engine reads files).
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !(first == '-' && s.len() > 1 && !s[1..].starts_with(' '))
    {
        return false;
    }
    if first == '-' && s.starts_with("---") {
        return false;
    }
    if s != s.trim() || s.ends_with(':') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains(['\n', '\r', '\t']) {
        return false;
    }
    if s.chars().any(|c| c.is_control()) {
        return false;
    }
    cct_yaml11::resolve(s).is_str() && core_schema_is_str(s)
}

/// YAML 1.2's core schema also reads these as non-strings (a reader of the printed output may
/// use either version).
fn core_schema_is_str(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true"
            | "false"
            | "null"
            | "~"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
    ) {
        return false;
    }
    let numeric = s.trim_start_matches(['+', '-']).chars().all(|c| {
        c.is_ascii_hexdigit() || matches!(c, '.' | '_' | 'x' | 'o' | 'e' | 'E' | '+' | '-')
    });
    !(numeric && s.chars().any(|c| c.is_ascii_digit()))
}

/// A literal block (`|`, `|-`, `|+`) for multi-line text that one can hold exactly.
fn literal_block(s: &str, indent: usize) -> Option<String> {
    if !s.contains('\n')
        || s.starts_with([' ', '\n'])
        || s.chars().any(|c| c.is_control() && c != '\n')
        || s.lines().any(|l| l.ends_with(' '))
    {
        return None;
    }
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let mut out = format!("|{chomp}\n");
    let pad = " ".repeat(indent);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    // The last line break belongs to the scalar; the printer adds the one that ends it.
    if trailing > 0 {
        out.pop();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_only_when_read_back_as_the_same_string() {
        for s in ["nginx:1.25", "app", "a-b", "/x/y", "-x"] {
            assert!(is_plain_safe(s), "{s}");
        }
        for s in [
            "true", "yes", "1", "1.5", "0755", "", " a", "a: b", "- a", "{x}", "1e3", "null",
        ] {
            assert!(!is_plain_safe(s), "{s}");
        }
    }

    #[test]
    fn literal_blocks_keep_their_line_breaks() {
        assert_eq!(literal_block("a\nb\n", 2).as_deref(), Some("|\n  a\n  b"));
        assert_eq!(literal_block("a\nb", 2).as_deref(), Some("|-\n  a\n  b"));
        assert_eq!(literal_block("one line", 2), None);
    }
}
