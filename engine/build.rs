//! Embeds every file of the catalogue (`rules/`) into the binary, in sorted order, with the
//! JSON form of each YAML file converted here, once, so that a run deserialises JSON instead of
//! parsing YAML with positions at every start.
//!
//! The conversion covers what catalogue files are written with (mappings, sequences, plain and
//! quoted scalars typed as the engine's YAML reader types them); a file that uses anything else
//! (anchors, aliases, tags, merge keys, duplicate keys, several documents, a syntax error) gets
//! no JSON form and is read as YAML at run time. A test of the engine checks that each JSON
//! form is what the engine's YAML reader makes of the file, and that every embedded file has one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use granit_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Value};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "rego")
        ) {
            out.push(path);
        }
    }
}

/// A collection being built.
enum Frame {
    Seq(Vec<Value>),
    Map(Map<String, Value>, Option<String>),
}

/// The JSON value of a one-document YAML text, or `None` when it uses anything this simple
/// conversion leaves to the run-time reader.
fn to_json(text: &str) -> Option<Value> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, _) = next.ok()?;
        let value = match event {
            Event::StreamStart | Event::StreamEnd | Event::Comment(..) | Event::DocumentEnd => {
                continue
            }
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(text, style, 0, None) => {
                if matches!(style, ScalarStyle::Plain) {
                    // A merge key, read as such by the run-time reader.
                    if text == "<<" && matches!(stack.last(), Some(Frame::Map(_, None))) {
                        return None;
                    }
                    cct_yaml11::json_value(&text)
                } else {
                    Value::String(text.into_owned())
                }
            }
            Event::SequenceStart(_, 0, None) => {
                stack.push(Frame::Seq(Vec::new()));
                continue;
            }
            Event::MappingStart(_, 0, None) => {
                stack.push(Frame::Map(Map::new(), None));
                continue;
            }
            Event::SequenceEnd => match stack.pop()? {
                Frame::Seq(items) => Value::Array(items),
                Frame::Map(..) => return None,
            },
            Event::MappingEnd => match stack.pop()? {
                Frame::Map(map, None) => Value::Object(map),
                _ => return None,
            },
            _ => return None,
        };
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq(items)) => items.push(value),
            Some(Frame::Map(map, pending)) => match pending.take() {
                None => {
                    // A key as the run-time reader writes it (sigs.k8s.io/yaml's conversion).
                    let key = match value {
                        Value::String(s) => s,
                        Value::Null => "null".to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Number(n) => n.to_string(),
                        _ => return None,
                    };
                    if map.contains_key(&key) {
                        return None;
                    }
                    *pending = Some(key);
                }
                Some(key) => {
                    map.insert(key, value);
                }
            },
        }
    }
    if !stack.is_empty() || documents != 1 {
        return None;
    }
    root.filter(|v| !v.is_null())
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let rules = manifest.join("../rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let json_dir = out_dir.join("embedded_json");
    if let Err(e) = std::fs::create_dir_all(&json_dir) {
        panic!("cannot create {}: {e}", json_dir.display());
    }
    let mut code = String::from(
        "/// The embedded catalogue: (path under rules/, text, JSON form of a YAML file).\n\
         pub(crate) static EMBEDDED: &[(&str, &str, Option<&str>)] = &[\n",
    );
    for (i, f) in files.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", f.display());
        if let Some(parent) = f.parent() {
            println!("cargo:rerun-if-changed={}", parent.display());
        }
        let rel = f
            .strip_prefix(&rules)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let abs = f.canonicalize().unwrap_or_else(|_| f.clone());
        let json = if rel.ends_with(".rego") {
            None
        } else {
            std::fs::read_to_string(f)
                .ok()
                .and_then(|text| to_json(&text))
        };
        let json = match json {
            Some(value) => {
                let path = json_dir.join(format!("{i}.json"));
                if let Err(e) = std::fs::write(&path, value.to_string()) {
                    panic!("cannot write {}: {e}", path.display());
                }
                format!("Some(include_str!({:?}))", path.to_string_lossy())
            }
            None => "None".to_string(),
        };
        let _ = writeln!(
            code,
            "    ({rel:?}, include_str!({:?}), {json}),",
            abs.to_string_lossy()
        );
    }
    code.push_str("];\n");
    let out = out_dir.join("embedded_rules.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
