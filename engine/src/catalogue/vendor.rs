//! JSON Schemas published by others, vendored unchanged under `schemas/vendor/` and embedded in
//! the binary: a rule's schema names one by its official `$id` in a `$ref`, and the compiler
//! gets it from here. Nothing is ever fetched: any other URI is an error.

use std::fmt;
use std::sync::LazyLock;

use serde_json::Value;

/// The vendored schemas: (official URI, as a `$ref` names it, without fragment; text).
const VENDORED: &[(&str, &str)] = &[
    (
        // OpenAPI 3.0.x, schema of 2021-09-28 (draft-04).
        "https://spec.openapis.org/oas/3.0/schema/2021-09-28",
        include_str!("../../../schemas/vendor/openapi/v3.0/schema.json"),
    ),
    (
        // OpenAPI 3.1.x, base schema of 2022-10-07 (structure, without the schema dialect).
        "https://spec.openapis.org/oas/3.1/schema/2022-10-07",
        include_str!("../../../schemas/vendor/openapi/v3.1/schema.json"),
    ),
    (
        // Swagger 2.0 (draft-04).
        "http://swagger.io/v2/schema.json",
        include_str!("../../../schemas/vendor/openapi/v2.0/schema.json"),
    ),
];

/// The official URIs of the vendored schemas.
pub fn vendored_uris() -> impl Iterator<Item = &'static str> {
    VENDORED.iter().map(|(uri, _)| *uri)
}

/// The vendored schema a URI names (its fragment ignored), parsed.
pub fn vendored(uri: &str) -> Option<Value> {
    let base = uri.split('#').next().unwrap_or_default();
    let (_, text) = VENDORED.iter().find(|(u, _)| *u == base)?;
    serde_json::from_str(text).ok()
}

/// The vendored schemas, indexed once for every compilation that names one. Built with
/// draft-04 as the default draft, so that the draft-04 meta-schema that Swagger 2.0's schema
/// `$ref`s is bundled (the compiler bundles only the meta-schemas of the root's draft).
static REGISTRY: LazyLock<Option<jsonschema::Registry<'static>>> = LazyLock::new(|| {
    let resources = VENDORED.iter().filter_map(|(uri, text)| {
        let value: Value = serde_json::from_str(text).ok()?;
        Some((*uri, jsonschema::Resource::from_contents(value)))
    });
    jsonschema::Registry::new()
        .draft(jsonschema::Draft::Draft4)
        .retriever(Vendored)
        .extend(resources)
        .ok()?
        .prepare()
        .ok()
});

/// The registry of the vendored schemas, to give a compiler whose schema `$ref`s one of them
/// (none if it could not be built, a defect the tests catch).
pub fn vendored_registry() -> Option<&'static jsonschema::Registry<'static>> {
    REGISTRY.as_ref()
}

/// Why a schema could not be had.
#[derive(Debug)]
struct NotVendored(String);

impl fmt::Display for NotVendored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a schema embedded in cct (cct never fetches schemas)",
            self.0
        )
    }
}

impl std::error::Error for NotVendored {}

/// The retriever given to the JSON-Schema compiler: the vendored schemas, nothing else.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Vendored;

impl jsonschema::Retrieve for Vendored {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        vendored(uri.as_str()).ok_or_else(|| NotVendored(uri.as_str().to_string()).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Each vendored schema parses and declares the URI it is filed under.
    #[test]
    fn every_schema_is_filed_under_its_own_id() {
        for uri in vendored_uris() {
            let schema = vendored(uri).unwrap_or_default();
            let id = schema
                .get("$id")
                .or_else(|| schema.get("id"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            assert_eq!(id.trim_end_matches('#'), uri);
        }
        assert!(vendored("https://example.org/schema.json").is_none());
    }

    fn validator(uri: &str) -> jsonschema::Validator {
        let schema =
            json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": uri});
        jsonschema::draft202012::options()
            .with_registry(vendored_registry().unwrap_or_else(|| panic!("no registry")))
            .build(&schema)
            .unwrap_or_else(|e| panic!("{uri}: {e}"))
    }

    /// The draft-04 schemas (3.0, Swagger 2.0) and the 2020-12 one (3.1) compile behind a
    /// 2020-12 `$ref`, and judge documents as their draft says.
    #[test]
    fn each_schema_judges_its_documents() {
        let v30 = validator("https://spec.openapis.org/oas/3.0/schema/2021-09-28");
        let good30 = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}});
        assert!(v30.is_valid(&good30));
        let mut bad30 = good30.clone();
        bad30["paths"]["/a"]["get"]["responses"]["200"] = json!({"descriptio": "ok"});
        assert!(!v30.is_valid(&bad30));
        // Draft-04 `exclusiveMinimum` is a boolean there, and `id` (not `$id`) names it.
        let v20 = validator("http://swagger.io/v2/schema.json");
        let good20 = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "definitions": {"N": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}}});
        assert!(v20.is_valid(&good20));
        let mut bad20 = good20.clone();
        bad20["definitions"]["N"]["exclusiveMinimum"] = json!(0);
        assert!(!v20.is_valid(&bad20));
        let v31 = validator("https://spec.openapis.org/oas/3.1/schema/2022-10-07");
        let good31 = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"A": {"type": "string", "examples": ["a"]}}}});
        assert!(v31.is_valid(&good31));
        let bad31 = json!({"openapi": "3.1.0", "info": {"title": "t"}, "paths": {}});
        assert!(!v31.is_valid(&bad31));
    }

    #[test]
    fn nothing_else_is_fetched() {
        let schema = json!({"$ref": "https://example.org/schema.json"});
        let built = jsonschema::draft202012::options()
            .with_retriever(Vendored)
            .build(&schema);
        assert!(built.is_err());
    }
}
