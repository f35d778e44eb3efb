//! The lists of `schemas/rule.schema.json` that come from Rust types: the subject kinds, the
//! profiles and the severities. The rest of the schema is hand-written; the file is rewritten
//! as serde_json prints it (keys in their order, two-space indentation, a final newline).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use cct_engine::vocab::{Profile, Severity, SubjectKind};
use serde_json::Value;

use crate::generate::Generated;

/// The rule schema.
const SCHEMA: &str = "schemas/rule.schema.json";

/// Every severity. The match is exhaustive: a new variant does not compile until it is listed.
fn severities() -> [Severity; 3] {
    let all = [Severity::Error, Severity::Warning, Severity::Note];
    for s in all {
        match s {
            Severity::Error | Severity::Warning | Severity::Note => {}
        }
    }
    all
}

/// The generated lists: where each sits in the schema, and its values.
fn lists() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "/$defs/subject/enum",
            SubjectKind::ALL.iter().map(|k| k.as_str()).collect(),
        ),
        (
            "/$defs/profile/enum",
            Profile::ALL.iter().map(|p| p.as_str()).collect(),
        ),
        (
            "/$defs/severity/enum",
            severities().iter().map(|s| s.as_str()).collect(),
        ),
    ]
}

/// The rule schema with its generated lists up to date.
pub(crate) fn generate(root: &Path) -> anyhow::Result<Generated> {
    let path = root.join(SCHEMA);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Generated {
        path: PathBuf::from(SCHEMA),
        text: rewrite(&text).with_context(|| format!("in {SCHEMA}"))?,
    })
}

/// `text` (a JSON document) with the lists set, printed pretty.
fn rewrite(text: &str) -> anyhow::Result<String> {
    let mut schema: Value = serde_json::from_str(text)?;
    for (pointer, values) in lists() {
        let Some(slot) = schema.pointer_mut(pointer) else {
            bail!("no `{pointer}` to hold the generated list");
        };
        *slot = Value::from(values);
    }
    let mut out = serde_json::to_string_pretty(&schema)?;
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_set_and_the_rest_kept_in_order() {
        let text = r##"{"z": 1, "properties": {"select": {"properties": {"subject": {"$ref": "#/$defs/subject"}}}},
            "$defs": {"subject": {"enum": ["old"]}, "profile": {"enum": []}, "severity": {"enum": ["fatal"], "x": true}}, "a": 2}"##;
        let out = rewrite(text).expect("rewrite");
        let v: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["$defs"]["subject"]["enum"][2], "container");
        assert_eq!(
            v["$defs"]["profile"]["enum"],
            serde_json::json!(["cpin", "kubernetes", "pss-baseline", "pss-restricted"])
        );
        assert_eq!(
            v["$defs"]["severity"],
            serde_json::json!({"enum": ["error", "warning", "note"], "x": true})
        );
        let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["z", "properties", "$defs", "a"]);
        assert!(out.starts_with("{\n  \"z\": 1,\n") && out.ends_with("}\n"));
        assert!(rewrite("{}").is_err());
    }
}
