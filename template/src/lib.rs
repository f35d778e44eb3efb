//! A Go `text/template` engine with the Sprig function library and Helm's text
//! functions, built for rendering Helm charts natively and exactly, while recording
//! where every output byte came from (template text, a values scalar, or an action).
//!
//! ```
//! use cct_template::{ExecOptions, Origin, TemplateSet, Value};
//!
//! let mut set = TemplateSet::new();
//! let file = set.add("t.yaml", "image: {{ .tag | default \"latest\" | quote }}\n").unwrap();
//! // A value carrying its origin (source 7, bytes 5..9 of some values file).
//! let tag = Value::str("v1.2").with_origin(Origin::Value { source: 7, start: 5, end: 9 });
//! let data = Value::map([("tag".to_string(), tag)].into_iter().collect());
//! let out = set.execute("t.yaml", &data, &ExecOptions::helm()).unwrap();
//! assert_eq!(out.text, "image: \"v1.2\"\n");
//! // The byte 'v' of the output comes from the value.
//! let seg = out.origin_at(8).unwrap();
//! assert_eq!(seg.origin, Origin::Value { source: 7, start: 5, end: 9 });
//! // "image: " is literal template text of file `file`.
//! assert!(matches!(out.origin_at(0).unwrap().origin, Origin::Template { file: f, .. } if f == file));
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(clippy::print_stdout, clippy::print_stderr)]
pub mod ast;
mod exec;
pub mod funcs;
pub mod gofmt;
mod json;
mod lex;
mod parse;
mod prov;
mod set;
mod value;
pub mod yaml;

pub use exec::{ExecError, ExecOptions, Limits, MissingKey};
/// Standard base64 with padding, as Sprig's `b64enc` writes it.
pub use funcs::encoding::b64encode as base64_encode;
/// Whether a version satisfies a Masterminds/semver constraint, as Sprig's `semverCompare`.
pub use funcs::semver::semver_compare;
pub use funcs::semver::SemverError;
pub use funcs::{CallCtx, Func, FuncError, FuncMap, FuncResult, Param};
pub use json::JsonError;
pub use parse::ParseError;
pub use prov::{FileId, Origin, Out, Prov, Rendered, Segment, SourceId};
pub use set::TemplateSet;
pub use value::{deep_equal, GoTime, Kind, MapRef, MethodError, Object, Value};

impl Value {
    /// Parses JSON into a value the way Go's `encoding/json` does into `interface{}`:
    /// every number becomes a `float64`.
    pub fn from_json(text: &str) -> Result<Value, JsonError> {
        json::from_json(text)
    }
    /// Serialises like Go's `json.Marshal` (sorted keys, HTML-safe escaping).
    pub fn to_json(&self) -> Result<String, JsonError> {
        json::to_json(self, true, None)
    }
    /// Parses YAML like Helm (sigs.k8s.io/yaml): YAML is converted to JSON, so
    /// numbers become `float64` and keys strings.
    pub fn from_yaml(text: &str) -> Result<Value, yaml::DecodeError> {
        yaml::from_yaml(text)
    }
    /// Serialises like Helm's `toYaml` (sigs.k8s.io/yaml over go-yaml v2), without the
    /// trailing newline trimming that `toYaml` applies.
    pub fn to_yaml(&self) -> Result<String, yaml::EmitError> {
        yaml::to_yaml(self).map(|o| o.text)
    }
}
