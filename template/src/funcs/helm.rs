//! Helm's own template functions, with default implementations that a Helm layer can
//! replace through [`FuncMap::insert`] (`include`, `tpl`, `required`, `lookup`, ...).

use std::collections::BTreeMap;

use super::{s, CallCtx, FuncMap, Param};
use crate::json;
use crate::value::{Kind, Value};
use crate::yaml;

use Param::*;

/// Helm's `include` recursion limit per template name.
const INCLUDE_MAX: usize = 1000;

/// Helm's `toYaml`: sigs.k8s.io/yaml output without its final newline; errors give "".
pub(crate) fn to_yaml_value(v: &Value) -> Value {
    trimmed(yaml::to_yaml(v))
}

fn trimmed(r: Result<crate::prov::Out, yaml::EmitError>) -> Value {
    match r {
        Ok(mut o) => {
            if o.text.ends_with('\n') {
                o.text.pop();
                if let Some(last) = o.segs.last_mut() {
                    if last.end > o.text.len() {
                        last.end = o.text.len();
                        if last.start >= last.end {
                            o.segs.pop();
                        }
                    }
                }
            }
            let (t, p) = o.into_parts();
            Value::str(t).with_prov(p)
        }
        Err(_) => Value::str(""),
    }
}

fn include(ctx: &mut CallCtx<'_, '_>, a: Vec<Value>) -> super::FuncResult {
    let name = s(&a[0]).to_string();
    let depth = ctx
        .exec
        .include_stack
        .iter()
        .filter(|n| &***n == name.as_str())
        .count();
    if depth > INCLUDE_MAX {
        return Err(format!(
            "rendering template has a nested reference name: {name}: unable to execute template"
        )
        .into());
    }
    ctx.exec.include_stack.push(name.as_str().into());
    let r = ctx.include(&name, &a[1]);
    ctx.exec.include_stack.pop();
    r
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert("include", &[Str, Any], None, include);
    m.insert("tpl", &[Str, Any], None, |ctx, a| {
        let v = ctx.tpl(&a[0], &a[1])?;
        // Helm replaces "<no value>" inside tpl output itself.
        match v.as_str() {
            Some(t) if t.contains("<no value>") => {
                let out = crate::prov::Out {
                    text: t.to_string(),
                    segs: v.prov().segments(t.len()),
                };
                let (t, p) = out.remove_all("<no value>").into_parts();
                Ok(Value::str(t).with_prov(p))
            }
            _ => Ok(v),
        }
    });
    m.add("required", &[Str, Any], None, |a| {
        let missing = match a[1].kind() {
            Kind::Nil => true,
            Kind::Str(t) => t.is_empty(),
            _ => false,
        };
        if missing {
            return Err(s(&a[0]).to_string().into());
        }
        Ok(a[1].clone())
    });
    m.add("fail", &[Str], None, |a| Err(s(&a[0]).to_string().into()));
    m.add("lookup", &[Str, Str, Str, Str], None, |_| {
        Ok(Value::map(BTreeMap::new()))
    });
    m.add("toYaml", &[Any], None, |a| Ok(to_yaml_value(&a[0])));
    m.add("toYamlPretty", &[Any], None, |a| {
        Ok(trimmed(yaml::to_yaml_pretty(&a[0])))
    });
    m.add("mustToYaml", &[Any], None, |a| {
        yaml::to_yaml(&a[0])?;
        Ok(to_yaml_value(&a[0]))
    });
    m.add("fromYaml", &[Str], None, |a| {
        Ok(decoded_map(
            yaml::from_yaml(s(&a[0])),
            "error unmarshaling JSON: while decoding JSON: ",
        ))
    });
    m.add("fromYamlArray", &[Str], None, |a| match yaml::from_yaml(s(&a[0])) {
        Ok(v) => match v.kind() {
            Kind::List(_) => Ok(v),
            Kind::Nil => Ok(Value::list(Vec::new())),
            _ => Ok(Value::list(vec![Value::str(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
                json_kind(&v)
            ))])),
        },
        Err(e) => Ok(Value::list(vec![Value::str(e.to_string())])),
    });
    m.add("toToml", &[Any], None, |a| {
        Ok(Value::str(
            super::toml::to_toml(&a[0]).map_err(|e| e.to_string())?,
        ))
    });
    m.add("fromToml", &[Str], None, |a| {
        Ok(super::toml::from_toml(s(&a[0])))
    });
    m.add("toJson", &[Any], None, |a| {
        Ok(Value::str(
            json::to_json(&a[0], true, None).unwrap_or_default(),
        ))
    });
    m.add("mustToJson", &[Any], None, |a| {
        Ok(Value::str(json::to_json(&a[0], true, None)?))
    });
    m.add("fromJson", &[Str], None, |a| {
        Ok(decoded_map(json::from_json(s(&a[0])), ""))
    });
    m.add("mustFromJson", &[Str], None, |a| {
        Ok(json::from_json(s(&a[0]))?)
    });
    m.add("fromJsonArray", &[Str], None, |a| {
        match json::from_json(s(&a[0])) {
            Ok(v) => match v.kind() {
                Kind::List(_) => Ok(v),
                Kind::Nil => Ok(Value::list(Vec::new())),
                _ => Ok(Value::list(vec![Value::str(format!(
                    "json: cannot unmarshal {} into Go value of type []interface {{}}",
                    json_kind(&v)
                ))])),
            },
            Err(e) => Ok(Value::list(vec![Value::str(e.to_string())])),
        }
    });
}

fn json_kind(v: &Value) -> &'static str {
    match v.kind() {
        Kind::Str(_) => "string",
        Kind::Bool(_) => "bool",
        Kind::List(_) => "array",
        Kind::Map(_) => "object",
        _ => "number",
    }
}

/// What Helm's `fromYaml`/`fromJson` return: the decoded map, an empty map for nothing, or a
/// map holding the decoding error under `Error` (Go's message, after `prefix`).
fn decoded_map(parsed: Result<Value, impl std::fmt::Display>, prefix: &str) -> Value {
    let mut map = BTreeMap::new();
    match parsed {
        Ok(v) => match v.kind() {
            Kind::Map(_) => return v,
            Kind::Nil => {}
            _ => {
                map.insert(
                    "Error".into(),
                    Value::str(format!(
                        "{prefix}json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                        json_kind(&v)
                    )),
                );
            }
        },
        Err(e) => {
            map.insert("Error".into(), Value::str(e.to_string()));
        }
    }
    Value::map(map)
}
