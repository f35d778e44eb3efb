//! OpenAPI (and Swagger 2.0) documents: which files are API descriptions, and the facts rules
//! judge them on, computed once per document (dangling local `$ref`s, operations, examples,
//! access conditions).
//!
//! A document is an OpenAPI document when its file is named `openapi*.{yaml,yml,json}`,
//! `swagger*.{yaml,yml,json}` or `*.oas.{yaml,yml,json}`, or when its top level has
//! `openapi: 3.*` or `swagger: "2.0"` (it is then not a Kubernetes manifest).

use serde_json::{json, Value};

use crate::source::{escape_token, pointer_tokens, DocFacts};

/// HTTP methods of a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Whether a document's top level says it is an OpenAPI 3 or Swagger 2.0 document.
pub(crate) fn is_openapi_document(value: &Value) -> bool {
    let openapi = value
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3."));
    let swagger = value
        .get("swagger")
        .is_some_and(|v| v.as_str() == Some("2.0") || v.as_f64() == Some(2.0));
    (openapi || swagger) && value.get("kind").is_none()
}

/// Compute the facts of a document: an object whose keys are added to the document's top
/// level in its subject's view: `version` (`"3.0"`, `"3.1"`, `"2.0"` or null), `unresolvedRefs`
/// (`[{ref, pointer}]`: local `$ref`s that point at nothing), `operations` (`[{path, method,
/// operationId, pointer, hasExamples}]`), `operationCount`, `exampleCount` (the
/// `example`/`examples` written anywhere), `accessDescribed` (a top-level `security`, or
/// security schemes).
pub(crate) fn facts(doc: &Value) -> DocFacts {
    let mut f = DocFacts::default();
    let head = if doc.get("openapi").is_some() {
        "/openapi"
    } else if doc.get("swagger").is_some() {
        "/swagger"
    } else {
        ""
    };
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .and_then(|v| v.get(..3))
        .map(str::to_string)
        .or_else(|| doc.get("swagger").map(|_| "2.0".to_string()));
    f.value.insert("version".into(), json!(version));
    f.mounts.push(("/version".into(), head.into()));

    // Local references that do not resolve, and examples.
    let mut refs = Vec::new();
    let mut examples = 0usize;
    let mut budget = 2_000_000usize;
    walk(
        doc,
        doc,
        &mut String::new(),
        false,
        &mut refs,
        &mut examples,
        &mut budget,
    );
    let mut unresolved = Vec::new();
    for (i, (r, pointer)) in refs.into_iter().enumerate() {
        f.mounts
            .push((format!("/unresolvedRefs/{i}"), format!("{pointer}/$ref")));
        unresolved.push(json!({"ref": r, "pointer": pointer}));
    }
    f.value
        .insert("unresolvedRefs".into(), Value::Array(unresolved));
    f.mounts.push(("/unresolvedRefs".into(), head.into()));
    f.value.insert("exampleCount".into(), json!(examples));
    f.mounts.push(("/exampleCount".into(), head.into()));

    // Operations.
    let mut ops = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let pointer = format!("/paths/{}/{}", escape_token(path), escape_token(method));
                let mut n = 0;
                let mut none = Vec::new();
                let mut b = 100_000usize;
                walk(
                    op,
                    doc,
                    &mut String::new(),
                    false,
                    &mut none,
                    &mut n,
                    &mut b,
                );
                f.mounts
                    .push((format!("/operations/{}", ops.len()), pointer.clone()));
                ops.push(json!({
                    "path": path,
                    "method": method,
                    "operationId": op.get("operationId"),
                    "pointer": pointer,
                    "hasExamples": n > 0,
                }));
            }
        }
    }
    f.value.insert("operationCount".into(), json!(ops.len()));
    f.mounts.push(("/operationCount".into(), head.into()));
    f.value.insert("operations".into(), Value::Array(ops));
    f.mounts.push(("/operations".into(), head.into()));
    let access = doc.get("security").is_some()
        || doc
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
        || doc
            .get("securityDefinitions")
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty());
    f.value.insert("accessDescribed".into(), json!(access));
    f.mounts.push(("/accessDescribed".into(), head.into()));
    f
}

/// Collect dangling local `$ref`s and count examples. `in_properties`: `node` is a schema's
/// `properties` map, whose keys are property names (a property named `example` is no example).
fn walk(
    node: &Value,
    root: &Value,
    pointer: &mut String,
    in_properties: bool,
    refs: &mut Vec<(String, String)>,
    examples: &mut usize,
    budget: &mut usize,
) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if let Some(local) = r.strip_prefix('#') {
                    if !resolves(root, local) {
                        refs.push((r.clone(), pointer.clone()));
                    }
                }
            }
            for (k, v) in map {
                if !in_properties && (k == "example" || k == "examples") {
                    *examples += 1;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(k));
                let props = !in_properties && (k == "properties" || k == "patternProperties");
                walk(v, root, pointer, props, refs, examples, budget);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(v, root, pointer, false, refs, examples, budget);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Whether a local reference (the part after `#`, a JSON pointer, percent-encoded) resolves.
fn resolves(root: &Value, fragment: &str) -> bool {
    if !fragment.starts_with('/') {
        // The whole document, or an anchor (`#foo`, JSON Schema `$anchor`): not checked.
        return true;
    }
    let decoded = percent_decode(fragment);
    let mut node = root;
    for token in pointer_tokens(&decoded) {
        let next = match node {
            Value::Object(m) => m.get(&token),
            Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return false,
        }
    }
    true
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {

    #[test]
    fn example_module_example() {
        use crate::openapi;
        let doc = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
          "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Missing"}}}}}});
        assert!(openapi::is_openapi_document(&doc));
        let f = openapi::facts(&doc);
        assert_eq!(
            f.value["unresolvedRefs"][0]["ref"],
            "#/components/responses/Missing"
        );
        assert_eq!(f.value["operationCount"], 1);
    }

    use super::*;

    #[test]
    fn references_and_examples() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a~b/{id}": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"},
                "example": {"id": 1}}}}}}}},
            "components": {"schemas": {"A": {"properties": {"example": {"$ref": "#/components/schemas/B%20C"}}},
                                        "B C": {"type": "string"}}}
        });
        let f = facts(&doc);
        assert_eq!(f.value["unresolvedRefs"], json!([]));
        assert_eq!(f.value["exampleCount"], 1);
        assert_eq!(
            f.value["operations"][0]["pointer"],
            "/paths/~1a~0b~1{id}/get"
        );
        assert_eq!(f.value["operations"][0]["hasExamples"], true);
        assert_eq!(f.value["version"], "3.1");
        let bad = json!({"swagger": "2.0", "paths": {"/x": {"$ref": "#/nope"}}});
        let f = facts(&bad);
        assert_eq!(f.value["unresolvedRefs"][0]["pointer"], "/paths/~1x");
        assert_eq!(f.value["accessDescribed"], false);
    }

    #[test]
    fn percent_decoding_is_safe() {
        assert_eq!(percent_decode("/a%20b"), "/a b");
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("é%41"), "éA");
    }
}
