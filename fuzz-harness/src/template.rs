//! The template target: the input holds one or more template files and a values
//! document; every file is added to a [`TemplateSet`] (parse), then every file is executed
//! with Helm's options against a Helm-like top-level object whose `.Values` come from the
//! values document.
//!
//! Input layout (each part optional):
//!
//! ```text
//! {{ template text of t0.yaml }}
//! -- file --
//! {{ template text of t1.yaml }}
//! -- values --
//! replicas: 3
//! image: {tag: "1.0"}
//! ```

use std::collections::BTreeMap;

use cct_template::{ExecOptions, Kind, Origin, Rendered, TemplateSet, Value};

/// The line that ends the templates and starts the values document.
const VALUES_SEPARATOR: &str = "\n-- values --\n";
/// The line between two template files.
const FILE_SEPARATOR: &str = "\n-- file --\n";
/// Nesting of values given a provenance; deeper values are kept as parsed.
const MAX_VALUES_DEPTH: usize = 64;

/// Parses and executes `data` with [`ExecOptions::helm`] and its limits, as the engine's
/// Helm renderer does by default.
pub fn template(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let (templates, values_text) = match input.split_once(VALUES_SEPARATOR) {
        Some((t, v)) => (t, v),
        None => (input.as_ref(), ""),
    };
    let mut set = TemplateSet::new();
    let mut names = Vec::new();
    for (i, text) in templates.split(FILE_SEPARATOR).enumerate() {
        let name = format!("t{i}.yaml");
        match set.add(&name, text) {
            Ok(id) => names.push((name, id, text)),
            // As the engine: a parse error stops the chart.
            Err(_) => return,
        }
    }
    let values = match Value::from_yaml(values_text) {
        Ok(v) if matches!(v.kind(), Kind::Map(_)) => with_origins(v, values_text.len(), 0),
        _ => Value::map(BTreeMap::new()),
    };
    let opts = ExecOptions::helm();
    for (name, id, text) in &names {
        let top = top_object(&values, name);
        if let Ok(out) = set.execute(name, &top, &opts) {
            check_provenance(&out, &set, *id, text, values_text.len());
        }
    }
}

/// A Helm-like top-level object: `.Values`, `.Release`, `.Chart`, `.Capabilities`,
/// `.Template`.
fn top_object(values: &Value, name: &str) -> Value {
    let map = |pairs: &[(&str, Value)]| {
        Value::map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    };
    map(&[
        ("Values", values.clone()),
        (
            "Release",
            map(&[
                ("Name", Value::str("release-name")),
                ("Namespace", Value::str("default")),
                ("Service", Value::str("Helm")),
                ("IsInstall", Value::bool(true)),
                ("Revision", Value::int(1)),
            ]),
        ),
        (
            "Chart",
            map(&[
                ("Name", Value::str("fuzz")),
                ("Version", Value::str("0.1.0")),
                ("AppVersion", Value::str("1.0.0")),
            ]),
        ),
        (
            "Capabilities",
            map(&[(
                "KubeVersion",
                map(&[
                    ("Version", Value::str("v1.30.0")),
                    ("Major", Value::str("1")),
                    ("Minor", Value::str("30")),
                ]),
            )]),
        ),
        (
            "Template",
            map(&[
                ("Name", Value::str(name)),
                ("BasePath", Value::str("fuzz/templates")),
            ]),
        ),
    ])
}

/// Gives every scalar of `v` an origin in the values document (source 0, the whole
/// document), as the engine gives each values scalar its span.
fn with_origins(v: Value, len: usize, depth: usize) -> Value {
    if depth > MAX_VALUES_DEPTH {
        return v;
    }
    let origin = Origin::Value {
        source: 0,
        start: 0,
        end: u32::try_from(len).unwrap_or(u32::MAX),
    };
    match v.kind() {
        Kind::Map(m) => {
            let entries: BTreeMap<String, Value> = m
                .borrow()
                .iter()
                .map(|(k, v)| (k.clone(), with_origins(v.clone(), len, depth + 1)))
                .collect();
            Value::map(entries)
        }
        Kind::List(items) => Value::list(
            items
                .iter()
                .map(|v| with_origins(v.clone(), len, depth + 1))
                .collect(),
        ),
        Kind::Nil | Kind::Time(_) | Kind::Object(_) => v,
        _ => v.with_origin(origin),
    }
}

/// The documented contract of [`Rendered`]: segments cover the whole output in order,
/// without gaps or overlaps; template and action origins lie inside a file of the set,
/// value origins inside the values document.
fn check_provenance(out: &Rendered, set: &TemplateSet, file: u32, text: &str, values_len: usize) {
    let mut at = 0;
    for s in &out.segments {
        assert!(
            s.start == at && s.end >= s.start,
            "segment {s:?} does not follow byte {at} (output of {} bytes, file {file}: {text:?})",
            out.text.len()
        );
        at = s.end;
        match s.origin {
            Origin::Template { file, start, end } | Origin::Action { file, start, end } => {
                let len = set.file_text(file).map(str::len);
                assert!(
                    start <= end && len.is_some_and(|n| end as usize <= n),
                    "segment {s:?} points outside its file ({len:?} bytes)"
                );
            }
            Origin::Value { start, end, .. } => assert!(
                start <= end && end as usize <= values_len,
                "segment {s:?} points outside the values ({values_len} bytes)"
            ),
        }
    }
    assert_eq!(
        at,
        out.text.len(),
        "segments end at byte {at}, the output has {} bytes (file {file}: {text:?})",
        out.text.len()
    );
}
