//! Errors found by a vendored schema (the official OpenAPI schemas, named by a rule's `$ref`,
//! see [`crate::catalogue::vendored_registry`]): such a schema was not written for cct, so its
//! errors carry no annotations; the rule's annotations are those of the subschema holding the
//! `$ref`. A failed `oneOf`/`anyOf` is replaced by the most specific error of its closest branch,
//! and each error gets a short complaint in French and English.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

use crate::vocab::Text;

/// Whether a subschema's `$ref` names a vendored schema (anything but a local `#…`
/// reference): its pointer goes in the check's `external` list.
pub(super) fn is_external_ref(subschema: &serde_json::Map<String, Value>) -> bool {
    matches!(subschema.get("$ref"), Some(Value::String(r)) if !r.starts_with('#'))
}

/// The subschema (one of `external`) whose vendored `$ref` an error was found through, from the
/// error's evaluation path (which, unlike its schema path, goes through `$ref`s).
pub(super) fn found_through<'x>(external: &'x [String], evaluation_path: &str) -> Option<&'x str> {
    external
        .iter()
        .find(|p| {
            evaluation_path
                .strip_prefix(p.as_str())
                .and_then(|rest| rest.strip_prefix("/$ref"))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .map(String::as_str)
}

/// An error chosen to be reported, and when several alternatives fail on the value at its
/// place for not being one of a few constants (`in: body`, where each kind of parameter
/// allows its own), all those constants.
pub(super) struct Chosen<'e, 'a> {
    pub(super) error: &'e ValidationError<'a>,
    pub(super) allowed: Vec<Value>,
}

/// The error to report for `err`: itself, or under a failed `oneOf`/`anyOf` the most specific
/// one (see [`deepest`]), with the constants every alternative allows at its place.
pub(super) fn chosen<'e, 'a>(err: &'e ValidationError<'a>) -> Chosen<'e, 'a> {
    let error = most_specific(err);
    let mut allowed = Vec::new();
    if constants(error).is_some() {
        collect_constants(err, error.instance_path().as_str(), &mut allowed);
    }
    Chosen { error, allowed }
}

/// The constants an `enum` or `const` error allows.
fn constants(err: &ValidationError<'_>) -> Option<Vec<Value>> {
    match err.kind() {
        ValidationErrorKind::Enum { options } => {
            Some(options.as_array().cloned().unwrap_or_default())
        }
        ValidationErrorKind::Constant { expected_value } => Some(vec![(**expected_value).clone()]),
        _ => None,
    }
}

/// The constants of every `enum`/`const` error at `path` under `err`'s alternatives.
fn collect_constants(err: &ValidationError<'_>, path: &str, out: &mut Vec<Value>) {
    match err.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            for e in context.iter().flatten() {
                collect_constants(e, path, out);
            }
        }
        _ if err.instance_path().as_str() == path => {
            for c in constants(err).unwrap_or_default() {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        _ => {}
    }
}

/// The most specific error under a failed `oneOf`/`anyOf`: in the closest branch (not one
/// that only misses a `$ref`, the Reference Object alternative of every OpenAPI object; then
/// the one whose errors reach deepest; then the one with the fewest errors), its deepest error.
fn most_specific<'e, 'a>(err: &'e ValidationError<'a>) -> &'e ValidationError<'a> {
    let context = match err.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            context
        }
        _ => return err,
    };
    let mut best: Option<((bool, usize, isize), &'e ValidationError<'a>)> = None;
    for branch in context {
        let leaves: Vec<&'e ValidationError<'a>> =
            branch.iter().map(|e| most_specific(e)).collect();
        let Some(deepest) = leaves
            .iter()
            .copied()
            .reduce(|a, b| if depth(b) > depth(a) { b } else { a })
        else {
            continue;
        };
        let only_ref = leaves.iter().all(|e| misses_ref(e));
        let score = (!only_ref, depth(deepest), -(leaves.len() as isize));
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, deepest));
        }
    }
    best.map_or(err, |(_, e)| e)
}

/// How deep an error is in the instance (an unexpected key counts as one level below).
fn depth(err: &ValidationError<'_>) -> usize {
    let path = err.instance_path().as_str();
    let levels = path.matches('/').count();
    match err.kind() {
        ValidationErrorKind::AdditionalProperties { .. } => levels + 1,
        _ => levels,
    }
}

fn misses_ref(err: &ValidationError<'_>) -> bool {
    matches!(err.kind(), ValidationErrorKind::Required { property } if property.as_str() == Some("$ref"))
}

/// What an error complains about, shortly, in French and English.
pub(super) fn complaint(chosen: &Chosen<'_, '_>) -> Text {
    let err = chosen.error;
    let value = short(err.instance());
    if chosen.allowed.len() > 1 {
        let allowed = short(&Value::Array(chosen.allowed.clone()));
        return Text::new(
            format!("{value} is not one of {allowed}"),
            format!("{value} n'est pas l'une des valeurs {allowed}"),
        );
    }
    match err.kind() {
        ValidationErrorKind::Required { property } => {
            let p = property.as_str().unwrap_or_default();
            Text::new(format!("`{p}` is missing"), format!("`{p}` manque"))
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let k = unexpected.first().map(String::as_str).unwrap_or_default();
            Text::new(
                format!("`{k}` is not allowed here"),
                format!("`{k}` n'est pas permis ici"),
            )
        }
        ValidationErrorKind::FalseSchema => Text::new("not allowed here", "non permis ici"),
        ValidationErrorKind::Enum { options } => Text::new(
            format!("{value} is not one of {}", short(options)),
            format!("{value} n'est pas l'une des valeurs {}", short(options)),
        ),
        ValidationErrorKind::Constant { expected_value } => Text::new(
            format!("{value} is not {}", short(expected_value)),
            format!("{value} ne vaut pas {}", short(expected_value)),
        ),
        ValidationErrorKind::Type { kind } => {
            let types = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            Text::new(
                format!("{value} is not of type {types}"),
                format!("{value} n'est pas du type {types}"),
            )
        }
        ValidationErrorKind::Pattern { pattern } => Text::new(
            format!("{value} does not match `{pattern}`"),
            format!("{value} ne correspond pas à `{pattern}`"),
        ),
        ValidationErrorKind::Format { format } => Text::new(
            format!("{value} is not a valid {format}"),
            format!("{value} n'est pas un {format} valide"),
        ),
        ValidationErrorKind::OneOfMultipleValid { .. } => Text::new(
            "matches more than one of the allowed forms",
            "correspond à plusieurs des formes permises",
        ),
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => Text::new(
            "matches none of the allowed forms",
            "ne correspond à aucune des formes permises",
        ),
        _ => {
            let detail = err.to_string();
            Text::new(detail.clone(), detail)
        }
    }
}

/// The complaint for several keys missing at one place.
pub(super) fn all_missing(keys: &[String]) -> Text {
    let list = keys
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if keys.len() > 1 {
        Text::new(format!("{list} are missing"), format!("{list} manquent"))
    } else {
        Text::new(format!("{list} is missing"), format!("{list} manque"))
    }
}

/// A value as a complaint quotes it: short scalars, arrays of them; longer ones elided.
fn short(v: &Value) -> String {
    let text = match v {
        Value::Object(_) => return "an object".to_string(),
        other => other.to_string(),
    };
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn validator(schema: &Value) -> jsonschema::Validator {
        jsonschema::draft202012::options()
            .build(schema)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_closest_branch_is_chosen() {
        // A response object, or a reference: a response with a misspelt key is judged as a
        // response, not as a reference without `$ref`.
        let schema = json!({"oneOf": [
            {"required": ["$ref"]},
            {"required": ["description"], "properties": {"content": {"type": "object"}}},
        ]});
        let v = validator(&schema);
        let doc = json!({"descriptio": "ok"});
        let errors: Vec<_> = v.iter_errors(&doc).collect();
        assert_eq!(errors.len(), 1);
        let leaf = chosen(&errors[0]);
        assert_eq!(complaint(&leaf).en, "`description` is missing");
        assert_eq!(complaint(&leaf).fr, "`description` manque");
        // The branch whose error goes deepest wins over one that fails at the top.
        let doc = json!({"description": "ok", "content": 3});
        let errors: Vec<_> = v.iter_errors(&doc).collect();
        let leaf = chosen(&errors[0]);
        assert_eq!(leaf.error.instance_path().as_str(), "/content");
        assert_eq!(complaint(&leaf).en, "3 is not of type object");
    }

    #[test]
    fn the_constants_of_every_alternative_are_named() {
        // Each kind of parameter allows its own `in`.
        let schema = json!({"oneOf": [
            {"required": ["name", "required"], "properties": {"in": {"enum": ["path"]}}},
            {"properties": {"in": {"enum": ["query"]}}},
            {"properties": {"in": {"const": "header"}}},
        ]});
        let v = validator(&schema);
        let doc = json!({"name": "b", "in": "body"});
        let errors: Vec<_> = v.iter_errors(&doc).collect();
        let leaf = chosen(&errors[0]);
        assert_eq!(leaf.error.instance_path().as_str(), "/in");
        assert_eq!(
            complaint(&leaf).en,
            r#""body" is not one of ["path","query","header"]"#
        );
    }

    #[test]
    fn errors_through_a_vendored_ref_are_recognised() {
        let mut out = Vec::new();
        let schema = json!({"allOf": [{"then": {"properties": {"document": {"$ref": "https://x/s"}}}},
            {"$ref": "#/$defs/a"}]});
        super::super::schema::for_each_object(&schema, &mut String::new(), &mut |pointer, obj| {
            if is_external_ref(obj) {
                out.push(pointer.to_string());
            }
        });
        assert_eq!(out, ["/allOf/0/then/properties/document"]);
        assert_eq!(
            found_through(&out, "/allOf/0/then/properties/document/$ref/required"),
            Some("/allOf/0/then/properties/document")
        );
        assert_eq!(
            found_through(&out, "/allOf/0/then/properties/document/$refs"),
            None
        );
        assert_eq!(found_through(&out, "/allOf/1/$ref/required"), None);
    }

    #[test]
    fn missing_keys_are_named_together() {
        let keys = ["info".to_string(), "paths".to_string()];
        assert_eq!(all_missing(&keys).en, "`info`, `paths` are missing");
        assert_eq!(all_missing(&keys[..1]).fr, "`info` manque");
    }

    #[test]
    fn long_values_are_elided() {
        assert_eq!(short(&json!("a".repeat(100))).chars().count(), 78);
        assert_eq!(short(&json!({"a": 1})), "an object");
        assert_eq!(short(&json!(["a", "b"])), r#"["a","b"]"#);
    }
}
