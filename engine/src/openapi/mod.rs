//! OpenAPI (and Swagger 2.0) documents: which files are API descriptions, and the facts rules
//! judge them on, computed once per document (dangling local `$ref`s, operations, examples,
//! access conditions).
//!
//! A document is an OpenAPI document when its file is named `openapi*.{yaml,yml,json}`,
//! `swagger*.{yaml,yml,json}` or `*.oas.{yaml,yml,json}`, or when its top level has
//! `openapi: 3.*` or `swagger: "2.0"` (it is then not a Kubernetes manifest).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::source::{escape_token, pointer_tokens, DocFacts};

/// Most files a document's references name that are looked at (the references written in
/// those files followed in turn count too).
pub(crate) const MAX_EXTERNAL_FILES: usize = 256;

/// A `$ref` written in another file than the document (a file its references lead to) that
/// resolves to nothing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Nested {
    /// The reference as written.
    pub(crate) reference: String,
    /// The file it is written in (as shown).
    pub(crate) file: String,
    /// Where in that file (the object holding the `$ref`).
    pub(crate) pointer: String,
    /// `"file"` or `"pointer"`, as for the document's own references.
    pub(crate) missing: &'static str,
    /// The pointer under which the loader recorded where it is written, in the document's span
    /// table (a place outside the document's value).
    pub(crate) at: String,
}

/// What the file a reference names holds, as the loader found it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum External {
    /// Its value (its first YAML or JSON document).
    Value(Value),
    /// It does not exist.
    Missing,
    /// Not judged: unreadable, too large, or not YAML or JSON.
    Unchecked,
}

/// The files other than itself a document's `$ref`s name (the part before `#`, relative to the
/// document's folder), sorted; URLs are left out (nothing is fetched).
pub(crate) fn external_files(doc: &Value) -> Vec<String> {
    fn collect(node: &Value, out: &mut std::collections::BTreeSet<String>, budget: &mut usize) {
        if *budget == 0 || out.len() >= MAX_EXTERNAL_FILES {
            return;
        }
        *budget -= 1;
        match node {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    if let Some(file) = external_file(r) {
                        out.insert(file.to_string());
                    }
                }
                map.values().for_each(|v| collect(v, out, budget));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out, budget)),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    collect(doc, &mut out, &mut 2_000_000);
    out.into_iter().collect()
}

/// The file part of a reference to another file (`schemas/order.yaml#/Order` →
/// `schemas/order.yaml`); none for a local reference or a URL.
fn external_file(r: &str) -> Option<&str> {
    let file = r.split('#').next().unwrap_or_default();
    (!file.is_empty() && !file.contains("://")).then_some(file)
}

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

/// The facts of a document that references no other file (see [`facts_with`]).
#[cfg(test)]
pub(crate) fn facts(doc: &Value) -> DocFacts {
    facts_with(doc, &BTreeMap::new(), &[])
}

/// The `$ref`s of a value read from a file (a file a document's references lead to) that
/// resolve to nothing: in the value itself, or in the files of `files` (what the loader found
/// for each of [`external_files`] of that value, relative to its own folder).
pub(crate) fn dangling(value: &Value, files: &BTreeMap<String, External>) -> Vec<Dangling> {
    let mut refs = Vec::new();
    walk(
        value,
        &Refs { root: value, files },
        &mut String::new(),
        false,
        &mut refs,
        &mut 0,
        &mut 2_000_000,
    );
    refs
}

/// Compute the facts of a document: an object whose keys are added to the document's top
/// level in its subject's view: `version` (`"3.0"`, `"3.1"`, `"2.0"` or null), `unresolvedRefs`
/// (`[{ref, pointer, missing}]`: `$ref`s that point at nothing in the document, or at a file
/// of `files` that does not exist (`missing: "file"`) or has nothing at the pointer
/// (`missing: "pointer"`)), `operations` (`[{path, method, operationId, pointer,
/// hasExamples}]`), `operationCount`, `exampleCount` (the `example`/`examples` written
/// anywhere), `accessDescribed` (a top-level `security`, or security schemes), `document` (the
/// document itself, to validate against the official schemas). `files`: what
/// the loader found for each of [`external_files`] (a file not in it is not judged); `nested`:
/// the references written in those files, followed in turn, that resolve to nothing (in
/// `unresolvedRefs` too, with their `file`).
pub(crate) fn facts_with(
    doc: &Value,
    files: &BTreeMap<String, External>,
    nested: &[Nested],
) -> DocFacts {
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
        &Refs { root: doc, files },
        &mut String::new(),
        false,
        &mut refs,
        &mut examples,
        &mut budget,
    );
    let mut unresolved = Vec::new();
    for (i, (r, pointer, missing)) in refs.into_iter().enumerate() {
        f.mounts
            .push((format!("/unresolvedRefs/{i}"), format!("{pointer}/$ref")));
        unresolved.push(json!({"ref": r, "pointer": pointer, "missing": missing}));
    }
    for n in nested {
        f.mounts.push((
            format!("/unresolvedRefs/{}", unresolved.len()),
            n.at.clone(),
        ));
        unresolved.push(
            json!({"ref": n.reference, "pointer": n.pointer, "missing": n.missing,
            "file": n.file}),
        );
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
                    &Refs { root: doc, files },
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
    // The document itself, for the official schemas (the facts beside it are not OpenAPI).
    f.value.insert("document".into(), doc.clone());
    f.mounts.push(("/document".into(), String::new()));
    f
}

/// What references resolve against: the document, and the other files it names.
struct Refs<'a> {
    root: &'a Value,
    files: &'a BTreeMap<String, External>,
}

impl Refs<'_> {
    /// What a reference misses: `"pointer"` (nothing at the pointer), `"file"` (no such
    /// file); none when it resolves or is not judged (a URL, an unreadable file).
    fn missing(&self, r: &str) -> Option<&'static str> {
        if let Some(local) = r.strip_prefix('#') {
            return (!resolves(self.root, local)).then_some("pointer");
        }
        let file = external_file(r)?;
        match self.files.get(file)? {
            External::Missing => Some("file"),
            External::Unchecked => None,
            External::Value(v) => {
                let fragment = r.split_once('#').map(|(_, f)| f).unwrap_or_default();
                (!resolves(v, fragment)).then_some("pointer")
            }
        }
    }
}

/// A `$ref` that resolves to nothing: the reference, where it is written, what it misses.
pub(crate) type Dangling = (String, String, &'static str);

/// Collect dangling `$ref`s and count examples. `in_properties`: `node` is a schema's
/// `properties` map, whose keys are property names (a property named `example` is no example).
fn walk(
    node: &Value,
    refs_in: &Refs<'_>,
    pointer: &mut String,
    in_properties: bool,
    refs: &mut Vec<Dangling>,
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
                if let Some(missing) = refs_in.missing(r) {
                    refs.push((r.clone(), pointer.clone(), missing));
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
                walk(v, refs_in, pointer, props, refs, examples, budget);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(v, refs_in, pointer, false, refs, examples, budget);
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
    fn references_to_other_files() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"responses": {
                "200": {"$ref": "responses.yaml#/Ok"},
                "404": {"$ref": "responses.yaml#/Gone"},
                "500": {"$ref": "errors.yaml"},
                "502": {"$ref": "https://example.org/r.yaml#/X"},
                "503": {"$ref": "binary.yaml#/X"}}}}}
        });
        assert_eq!(
            external_files(&doc),
            vec!["binary.yaml", "errors.yaml", "responses.yaml"]
        );
        let files = BTreeMap::from([
            (
                "responses.yaml".to_string(),
                External::Value(json!({"Ok": {}})),
            ),
            ("errors.yaml".to_string(), External::Missing),
            ("binary.yaml".to_string(), External::Unchecked),
        ]);
        let f = facts_with(&doc, &files, &[]);
        let missing: Vec<(&str, &str)> = f.value["unresolvedRefs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|u| {
                (
                    u["ref"].as_str().unwrap_or_default(),
                    u["missing"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            missing,
            vec![("responses.yaml#/Gone", "pointer"), ("errors.yaml", "file")]
        );
    }

    #[test]
    fn percent_decoding_is_safe() {
        assert_eq!(percent_decode("/a%20b"), "/a b");
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("é%41"), "éA");
    }
}
