//! sigs.k8s.io/yaml's decoding into `interface{}`: go-yaml v2 reads the first document, then
//! the JSON conversion makes numbers `float64`, keys strings and timestamps strings; values
//! files also get an [`Origin::Value`] on every scalar.

use std::collections::{BTreeMap, HashMap};

use granit_parser::{Event, Parser, ScalarStyle, ScanError};

use cct_yaml11::{resolve, Resolved};

use crate::json::JsonError;
use crate::parse::parse_go_int;
use crate::prov::{Origin, Prov, SourceId};
use crate::value::{Kind, Value};

/// Why YAML cannot be read, with the messages of Helm's `fromYaml` (sigs.k8s.io/yaml).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The text is not YAML.
    #[error("error converting YAML to JSON: yaml: {0}")]
    Syntax(ScanError),
    /// The parser closed a sequence that was not open.
    #[error("unbalanced sequence")]
    UnbalancedSequence,
    /// The parser closed a mapping that was not open.
    #[error("unbalanced mapping")]
    UnbalancedMapping,
    /// An alias of an anchor not defined before.
    #[error("unknown anchor referenced")]
    UnknownAnchor,
    /// A `!!int` or `!!float` scalar that is no number.
    #[error("cannot decode !!{tag} `{text}`")]
    NotANumber {
        /// `int` or `float`.
        tag: String,
        /// The scalar.
        text: String,
    },
    /// A null mapping key, which JSON cannot hold; `value` is the entry's value (Go's `%v`).
    #[error(
        "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: {value}"
    )]
    NullKey {
        /// The entry's value, as Go's `%v` prints it.
        value: String,
    },
    /// A value JSON cannot hold (`.inf`, `.nan`).
    #[error(transparent)]
    Json(#[from] JsonError),
}

struct Builder<'a> {
    src: &'a str,
    source: Option<SourceId>,
    anchors: HashMap<usize, Value>,
}

enum Frame {
    Seq(Vec<Value>, usize),
    Map(BTreeMap<String, Value>, Option<String>, usize, Vec<Value>),
}

fn scalar_value(text: &str, style: ScalarStyle, tag: Option<&str>) -> Result<Value, DecodeError> {
    if let Some(t) = tag {
        match t {
            "str" => return Ok(Value::str(text)),
            "int" | "float" => {
                if let Some(f) = tagged_float(&text.replace('_', "")) {
                    return Ok(Value::float(f));
                }
                if let Some(i) = parse_go_int(&text.replace('_', "")) {
                    return Ok(Value::float(i as f64));
                }
                return Err(DecodeError::NotANumber {
                    tag: t.to_string(),
                    text: text.to_string(),
                });
            }
            "bool" => {
                if let Resolved::Bool(b) = resolve(text) {
                    return Ok(Value::bool(b));
                }
            }
            "null" => return Ok(Value::nil()),
            _ => {}
        }
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::str(text));
    }
    // The JSON conversion: every number a `float64`, timestamps their text.
    Ok(match resolve(text) {
        Resolved::Null => Value::nil(),
        Resolved::Bool(b) => Value::bool(b),
        Resolved::Int(i) => Value::float(i as f64),
        Resolved::Uint(u) => Value::float(u as f64),
        Resolved::Float(f) if !f.is_finite() => return Err(JsonError::UnsupportedFloat(f).into()),
        Resolved::Float(f) => Value::float(f),
        Resolved::Timestamp | Resolved::Str => Value::str(text),
    })
}

/// The number of a `!!int` or `!!float` scalar: Go's `strconv.ParseFloat` for decimal text
/// and the words `inf`, `infinity`, `nan` (hexadecimal is read as an integer instead).
fn tagged_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        return Some(if body == "nan" {
            f64::NAN
        } else if lower.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if body.starts_with("0x") || s.contains('_') {
        return None;
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

/// Marks a null mapping key (rejected by sigs.k8s.io/yaml when its value is read).
const NULL_KEY: &str = "\u{0}<null key>";

fn key_string(v: &Value) -> String {
    match v.kind() {
        Kind::Str(s) => s.to_string(),
        Kind::Nil => "null".into(),
        _ => crate::gofmt::format_v(v),
    }
}

impl Builder<'_> {
    fn origin(&self, span: &granit_parser::Span) -> Option<Origin> {
        let src = self.source?;
        let r = span.byte_range().unwrap_or_else(|| {
            let s = char_to_byte(self.src, span.start.index());
            let e = char_to_byte(self.src, span.end.index());
            s..e
        });
        Some(Origin::Value {
            source: src,
            start: r.start as u32,
            end: r.end as u32,
        })
    }

    fn parse(&mut self) -> Result<Value, DecodeError> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut result: Option<Value> = None;
        let mut docs = 0;
        for ev in Parser::new_from_str(self.src) {
            let (ev, span) = ev.map_err(DecodeError::Syntax)?;
            let (val, anchor) = match ev {
                Event::DocumentStart(..) => {
                    docs += 1;
                    if docs > 1 {
                        break;
                    }
                    continue;
                }
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
                Event::SequenceStart(_, anchor, _) => {
                    stack.push(Frame::Seq(Vec::new(), anchor));
                    continue;
                }
                Event::MappingStart(_, anchor, _) => {
                    stack.push(Frame::Map(BTreeMap::new(), None, anchor, Vec::new()));
                    continue;
                }
                Event::SequenceEnd => match stack.pop() {
                    Some(Frame::Seq(items, anchor)) => (Value::list(items), anchor),
                    _ => return Err(DecodeError::UnbalancedSequence),
                },
                Event::MappingEnd => match stack.pop() {
                    Some(Frame::Map(mut m, _, anchor, merges)) => {
                        for mv in merges {
                            merge_key(&mut m, &mv);
                        }
                        (Value::map(m), anchor)
                    }
                    _ => return Err(DecodeError::UnbalancedMapping),
                },
                Event::Alias(id) => (
                    self.anchors
                        .get(&id)
                        .cloned()
                        .ok_or(DecodeError::UnknownAnchor)?,
                    0,
                ),
                Event::Scalar(text, style, anchor, tag) => {
                    let tag_suffix = tag
                        .as_ref()
                        .and_then(|t| t.core_suffix().map(str::to_string));
                    let is_key = matches!(stack.last(), Some(Frame::Map(_, None, ..)));
                    let v = if is_key {
                        Value::str(text.as_ref())
                    } else {
                        scalar_value(&text, style, tag_suffix.as_deref())?
                    };
                    let v = match (v.is_nil(), self.origin(&span)) {
                        (false, Some(o)) => {
                            if matches!(v.kind(), Kind::Str(_)) {
                                v.with_prov(Prov::Whole(o))
                            } else {
                                v.with_origin(o)
                            }
                        }
                        _ => v,
                    };
                    let v = if is_key && style == ScalarStyle::Plain {
                        // Non-string plain keys are converted to JSON object keys.
                        // (go-yaml v2 reads YAML 1.1: `n`, `on`, `yes` are booleans.)
                        match resolve(&text) {
                            Resolved::Null => Value::str(NULL_KEY),
                            Resolved::Int(i) => Value::str(i.to_string()),
                            _ => Value::str(key_string(&scalar_value(&text, style, None)?)),
                        }
                    } else {
                        v
                    };
                    (v, anchor)
                }
                _ => continue,
            };
            if anchor != 0 {
                self.anchors.insert(anchor, val.clone());
            }
            match stack.last_mut() {
                None => {
                    if result.is_none() {
                        result = Some(val);
                    }
                }
                Some(Frame::Seq(items, _)) => items.push(val),
                Some(Frame::Map(m, key, _, merges)) => match key.take() {
                    None => *key = Some(key_string(&val)),
                    Some(k) => {
                        if k == NULL_KEY {
                            return Err(DecodeError::NullKey {
                                value: crate::gofmt::format_v(&val),
                            });
                        }
                        if k == "<<" {
                            merges.push(val);
                        } else {
                            m.insert(k, val);
                        }
                    }
                },
            }
        }
        Ok(result.unwrap_or_default())
    }
}

fn merge_key(m: &mut BTreeMap<String, Value>, v: &Value) {
    match v.kind() {
        Kind::Map(src) => {
            for (k, x) in src.borrow().iter() {
                m.entry(k.clone()).or_insert_with(|| x.clone());
            }
        }
        Kind::List(l) => {
            for x in l.iter() {
                merge_key(m, x);
            }
        }
        _ => {}
    }
}

fn char_to_byte(s: &str, ci: usize) -> usize {
    s.char_indices().nth(ci).map(|(b, _)| b).unwrap_or(s.len())
}

/// Parses the first YAML document like `sigs.k8s.io/yaml.Unmarshal` into `interface{}`.
/// An empty document yields nil.
pub fn from_yaml(text: &str) -> Result<Value, DecodeError> {
    Builder {
        src: text,
        source: None,
        anchors: HashMap::new(),
    }
    .parse()
}

/// Parses a values file, attaching an [`Origin::Value`] with `source` and the scalar's
/// byte span to every non-null scalar (mapping keys excluded).
pub fn parse_values(text: &str, source: SourceId) -> Result<Value, DecodeError> {
    Builder {
        src: text,
        source: Some(source),
        anchors: HashMap::new(),
    }
    .parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_print_helm_messages() {
        let err = |t: &str| from_yaml(t).unwrap_err().to_string();
        assert_eq!(err("a: !!int x\n"), "cannot decode !!int `x`");
        assert_eq!(err("a: .inf\n"), "json: unsupported value: +Inf");
        assert_eq!(
            err("~: [1]\n"),
            "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: [1]"
        );
        assert!(err("a: [1").starts_with("error converting YAML to JSON: yaml: "));
    }
}
