//! `schemas/config.schema.json`: the JSON Schema of `.cct.yaml`, derived from the engine's
//! configuration types, so that editors complete and check the file (yaml-language-server:
//! `# yaml-language-server: $schema=…`).

use std::path::PathBuf;

use cct_engine::config::Config;

use crate::generate::Generated;

/// The configuration's schema, pretty-printed with a final newline.
pub(crate) fn generate() -> anyhow::Result<Generated> {
    let mut schema = serde_json::to_value(schemars::schema_for!(Config))?;
    simple_enums(&mut schema);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".into(),
            serde_json::json!("https://cloud-pi-native.github.io/cct/schemas/config.schema.json"),
        );
    }
    let mut text = serde_json::to_string_pretty(&schema)?;
    text.push('\n');
    Ok(Generated {
        path: PathBuf::from("schemas/config.schema.json"),
        text,
    })
}

/// Enumerations written as `oneOf` constants (each with its description) become `enum` with
/// `enumDescriptions`: editors complete them the same, and a wrong value is reported as "not one
/// of …" rather than "not valid under any of the schemas".
fn simple_enums(node: &mut serde_json::Value) {
    use serde_json::{json, Value};
    match node {
        Value::Object(obj) => {
            let consts: Option<Vec<(Value, Option<Value>)>> =
                obj.get("oneOf")
                    .and_then(Value::as_array)
                    .and_then(|branches| {
                        branches
                            .iter()
                            .map(|b| {
                                let c = b.get("const")?.clone();
                                let extra = b.as_object()?.keys().all(|k| {
                                    matches!(k.as_str(), "const" | "type" | "description")
                                });
                                extra.then(|| (c, b.get("description").cloned()))
                            })
                            .collect()
                    });
            if let Some(consts) = consts {
                obj.remove("oneOf");
                obj.insert("type".into(), json!("string"));
                obj.insert(
                    "enum".into(),
                    Value::Array(consts.iter().map(|(c, _)| c.clone()).collect()),
                );
                obj.insert(
                    "enumDescriptions".into(),
                    Value::Array(
                        consts
                            .iter()
                            .map(|(_, d)| d.clone().unwrap_or(json!("")))
                            .collect(),
                    ),
                );
            }
            for v in obj.values_mut() {
                simple_enums(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(simple_enums),
        _ => {}
    }
}
