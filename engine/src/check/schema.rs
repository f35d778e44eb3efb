//! The JSON-Schema check kind: a rule's schema, with its parameters substituted and its
//! profile-specific branches resolved, compiled once; validation errors become raw findings
//! with the path, the way to locate it, and the annotations of the failing branch.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::written::Written;
use crate::catalogue::Escalation;
use crate::source::LocateMode;
use crate::vocab::Text;
use crate::vocab::{Profile, Severity};

/// A compiled JSON-Schema check.
#[derive(Debug)]
pub(crate) struct SchemaCheck {
    validator: jsonschema::Validator,
    /// The schema after substitution, to read annotations along an error's schema path.
    schema: Value,
    /// The subschemas marked `x-cct-at: match`: a violation under one is located at the first
    /// line of the string value that its pattern matches.
    at_match: Vec<AtMatch>,
    /// The subschemas whose `$ref` names a vendored schema (their pointer): errors found
    /// through one are reported as [`super::vendored`] says.
    external: Vec<String>,
}

/// A subschema marked `x-cct-at: match`: its pointer, the pattern it tests (the one under
/// `not`, or its own), and a validator of the pattern, built the first time a violation under
/// it is located in a multi-line string (most checks never need it: compiling its regular
/// expression up front doubled the cost of some schemas).
#[derive(Debug)]
struct AtMatch {
    pointer: String,
    pattern: Value,
    validator: OnceLock<Option<jsonschema::Validator>>,
}

impl AtMatch {
    fn validator(&self) -> Option<&jsonschema::Validator> {
        self.validator
            .get_or_init(|| {
                jsonschema::validator_for(&serde_json::json!({ "pattern": self.pattern })).ok()
            })
            .as_ref()
    }
}

/// Why a rule's schema does not compile.
#[derive(Debug)]
pub(crate) struct SchemaError {
    /// Pointer in the rule's `check.schema`.
    pub(crate) pointer: String,
    pub(crate) message: String,
}

/// A validation error, ready to be located.
/// The annotations of a subschema: message, severity, escalation, where it must be written.
type Annotations = (
    Option<Text>,
    Option<Severity>,
    Vec<Escalation>,
    Vec<Written>,
    bool,
    Option<Setting>,
);

#[derive(Debug, Clone)]

pub(crate) struct Violation {
    /// Path in the subject's view.
    pub(crate) path: String,
    pub(crate) mode: LocateMode,
    /// The key at fault (the first missing one for `required`).
    pub(crate) property: Option<String>,
    /// Every key a `required` misses at that place, when there are several (one violation
    /// names them all).
    pub(crate) missing: Vec<String>,
    /// The offending value (scalars only).
    pub(crate) value: Option<String>,
    pub(crate) message: Option<Text>,
    pub(crate) severity: Option<Severity>,
    pub(crate) escalation: Vec<Escalation>,
    /// The validator's own description, for rules without messages.
    pub(crate) detail: String,
    /// The failing subschema's path in the rule's schema.
    pub(crate) schema_path: String,
    /// Where the offending value must have been written for the violation to count
    /// (`x-cct-written`); empty: anywhere.
    pub(crate) written: Vec<Written>,
    /// For a multi-line string value whose subschema is marked `x-cct-at-match`: the line of
    /// the value (from 0) that the pattern matches, where the finding is located.
    pub(crate) line: Option<usize>,
    /// `x-cct-at: key`: the key itself is at fault (its name), so the finding goes where the
    /// key is written, never where its value came from.
    pub(crate) at_key: bool,
    /// For an error found by a vendored schema: what is wrong, shortly.
    pub(crate) complaint: Option<Text>,
    /// `x-cct-setting`: the chart value that decides whether a subchart prints the offending
    /// value; when the value is a dependency's default, the finding goes where the chart's
    /// values set it.
    pub(crate) setting: Option<Setting>,
}

/// `x-cct-setting: {value: /global/…, when: [disabled]}`: a shared value of the chart, and the
/// values of it that make subcharts print their defaults.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct Setting {
    /// Its JSON pointer in the values (`/global/…`).
    pub(crate) value: String,
    /// The values (compared without case) that leave the default in place.
    pub(crate) when: Vec<String>,
}

impl SchemaCheck {
    pub(crate) fn compile(
        schema: &Value,
        params: &Map<String, Value>,
        profile: Profile,
    ) -> Result<SchemaCheck, SchemaError> {
        let mut schema = schema.clone();
        prepare(&mut schema, params, profile.as_str(), &mut String::new())?;
        // One walk: the subschemas that `$ref` a vendored schema, and those marked
        // `x-cct-at: match` with a validator of the pattern they test.
        let mut external = Vec::new();
        let mut at_match = Vec::new();
        for_each_object(&schema, &mut String::new(), &mut |pointer, obj| {
            if super::vendored::is_external_ref(obj) {
                external.push(pointer.to_string());
            }
            if let Some(pattern) = match_pattern(obj) {
                at_match.push(AtMatch {
                    pointer: pointer.to_string(),
                    pattern: pattern.clone(),
                    validator: OnceLock::new(),
                });
            }
        });
        let mut options = jsonschema::draft202012::options()
            .with_keyword("x-cct-quantity", crate::check::quantity::factory);
        // The vendored schemas are indexed (once) only for a schema that names one.
        let registry = (!external.is_empty())
            .then(crate::catalogue::vendored_registry)
            .flatten();
        if let Some(registry) = registry {
            options = options.with_registry(registry);
        }
        let validator = options.build(&schema).map_err(|e| SchemaError {
            pointer: e.schema_path().as_str().to_string(),
            message: e.to_string(),
        })?;
        Ok(SchemaCheck {
            validator,
            schema,
            at_match,
            external,
        })
    }

    /// The line of `value` a pattern marked `x-cct-at: match` on the way to `schema_path` matches.
    fn matched_line(&self, schema_path: &str, value: &Value) -> Option<usize> {
        let text = value.as_str().filter(|t| t.contains('\n'))?;
        let at = self.at_match.iter().find(|at| {
            schema_path
                .strip_prefix(at.pointer.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })?;
        let pattern = at.validator()?;
        text.split('\n')
            .position(|line| pattern.is_valid(&Value::String(line.to_string())))
    }

    pub(crate) fn evaluate(&self, view: &Value) -> Vec<Violation> {
        if self.validator.is_valid(view) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for err in self.validator.iter_errors(view) {
            if !self.external.is_empty() {
                let evaluation = err.evaluation_path().as_str().to_string();
                if let Some(at) = super::vendored::found_through(&self.external, &evaluation) {
                    self.push_vendored(&super::vendored::chosen(&err), at, &mut out);
                    continue;
                }
            }
            let path = err.instance_path().as_str().to_string();
            let schema_path = err.schema_path().as_str().to_string();
            let (message, severity, escalation, written, at_key, setting) =
                self.annotations(&schema_path);
            let detail = err.to_string();
            let line = self.matched_line(&schema_path, err.instance());
            let scalar = |v: &Value| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Null => Some("null".to_string()),
                _ => None,
            };
            match err.kind() {
                jsonschema::error::ValidationErrorKind::Required { property } => {
                    let name = property.as_str().map(str::to_string);
                    // The other keys the same `required` misses at the same place.
                    if let Some(previous) = out.iter_mut().find(|p: &&mut Violation| {
                        p.mode == LocateMode::Parent
                            && p.path == path
                            && p.schema_path == schema_path
                    }) {
                        previous.missing.extend(name);
                        continue;
                    }
                    out.push(Violation {
                        path: path.clone(),
                        mode: LocateMode::Parent,
                        missing: name.iter().cloned().collect(),
                        property: name,
                        schema_path: schema_path.clone(),
                        value: None,
                        message,
                        severity,
                        escalation,
                        detail,
                        written,
                        line,
                        at_key,
                        complaint: None,
                        setting: setting.clone(),
                    });
                }
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for key in unexpected {
                        out.push(Violation {
                            path: format!("{path}/{}", crate::source::escape_token(key)),
                            mode: LocateMode::Key,
                            property: Some(key.clone()),
                            missing: Vec::new(),
                            schema_path: schema_path.clone(),
                            value: None,
                            message: message.clone(),
                            severity,
                            escalation: escalation.clone(),
                            detail: detail.clone(),
                            written: written.clone(),
                            line: None,
                            at_key,
                            complaint: None,
                            setting: setting.clone(),
                        });
                    }
                }
                kind => {
                    let mode =
                        if matches!(kind, jsonschema::error::ValidationErrorKind::FalseSchema) {
                            LocateMode::Key
                        } else {
                            LocateMode::Value
                        };
                    let property = path
                        .rsplit('/')
                        .next()
                        .filter(|s| !s.is_empty())
                        .map(|s| s.replace("~1", "/").replace("~0", "~"));
                    out.push(Violation {
                        path,
                        mode,
                        property,
                        missing: Vec::new(),
                        schema_path: schema_path.clone(),
                        value: scalar(err.instance()),
                        message,
                        severity,
                        escalation,
                        detail,
                        written,
                        line,
                        at_key,
                        complaint: None,
                        setting: setting.clone(),
                    });
                }
            }
        }
        out
    }

    /// A violation for an error found by a vendored schema through the `$ref` of subschema
    /// `at`, with that subschema's annotations; at most one for each place.
    fn push_vendored(
        &self,
        chosen: &super::vendored::Chosen<'_, '_>,
        at: &str,
        out: &mut Vec<Violation>,
    ) {
        let (message, severity, escalation, written, at_key, setting) = self.annotations(at);
        let err = chosen.error;
        let instance = err.instance_path().as_str();
        let (path, mode, property) = match err.kind() {
            jsonschema::error::ValidationErrorKind::Required { property } => (
                instance.to_string(),
                LocateMode::Parent,
                property.as_str().map(str::to_string),
            ),
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                let key = unexpected.first().cloned().unwrap_or_default();
                (
                    format!("{instance}/{}", crate::source::escape_token(&key)),
                    LocateMode::Key,
                    Some(key),
                )
            }
            jsonschema::error::ValidationErrorKind::FalseSchema => {
                (instance.to_string(), LocateMode::Key, None)
            }
            _ => (instance.to_string(), LocateMode::Value, None),
        };
        if let Some(previous) = out
            .iter_mut()
            .find(|v| v.complaint.is_some() && v.path == path && v.mode == mode)
        {
            // Every key missing at one place, named in one finding.
            if mode == LocateMode::Parent {
                if let Some(p) = property.filter(|p| !previous.missing.contains(p)) {
                    previous.missing.push(p);
                    previous.complaint = Some(super::vendored::all_missing(&previous.missing));
                }
            }
            return;
        }
        let value = match err.instance().as_ref() {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        out.push(Violation {
            path,
            mode,
            missing: property.iter().cloned().collect(),
            property,
            value: value.filter(|_| mode == LocateMode::Value),
            message,
            severity,
            escalation,
            detail: err.to_string(),
            schema_path: at.to_string(),
            written,
            line: None,
            at_key,
            complaint: Some(super::vendored::complaint(chosen)),
            setting,
        });
    }

    /// The annotations of the deepest subschema along `schema_path` that has them.
    fn annotations(&self, schema_path: &str) -> Annotations {
        let mut message = None;
        let mut severity = None;
        let mut escalation = Vec::new();
        let mut written = Vec::new();
        let mut at_key = false;
        let mut setting = None;
        let mut node = &self.schema;
        let mut visit = |node: &Value| {
            if let Some(obj) = node.as_object() {
                if let Some(m) = obj.get("x-cct-message") {
                    if let Ok(t) = serde_json::from_value::<Text>(m.clone()) {
                        message = Some(t);
                    }
                }
                if let Some(s) = obj.get("x-cct-severity").and_then(Value::as_str) {
                    severity = Severity::parse(s);
                }
                if let Some(e) = obj.get("x-cct-escalation") {
                    if let Ok(e) = serde_json::from_value::<Vec<Escalation>>(e.clone()) {
                        escalation = e;
                    }
                }
                if let Some(w) = obj.get("x-cct-written") {
                    written = Written::list(w);
                }
                if let Some(at) = obj.get("x-cct-at").and_then(Value::as_str) {
                    at_key = at == "key";
                }
                if let Some(s) = obj.get("x-cct-setting") {
                    if let Ok(s) = serde_json::from_value::<Setting>(s.clone()) {
                        setting = Some(s);
                    }
                }
            }
        };
        visit(node);
        for token in crate::source::pointer_tokens(schema_path) {
            let next = match node {
                Value::Object(o) => o.get(&token),
                Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            };
            match next {
                Some(n) => {
                    node = n;
                    visit(node);
                }
                None => break,
            }
        }
        (message, severity, escalation, written, at_key, setting)
    }
}

/// Substitute `{$param: name}` objects, and replace subschemas whose `x-cct-profiles` leaves the
/// profile out by `true`.
fn prepare(
    node: &mut Value,
    params: &Map<String, Value>,
    profile: &str,
    pointer: &mut String,
) -> Result<(), SchemaError> {
    match node {
        Value::Object(obj) => {
            if let Some(name) = obj.get("$param") {
                let Some(name) = name.as_str() else {
                    return Err(SchemaError {
                        pointer: pointer.clone(),
                        message: "`$param` must name a parameter".into(),
                    });
                };
                let value = lookup_param(params, name).ok_or_else(|| SchemaError {
                    pointer: pointer.clone(),
                    message: format!("unknown parameter `{name}`"),
                })?;
                *node = value;
                return Ok(());
            }
            if let Some(profiles) = obj.get("x-cct-profiles").and_then(Value::as_array) {
                if !profiles.iter().any(|p| p.as_str() == Some(profile)) {
                    *node = Value::Bool(true);
                    return Ok(());
                }
            }
            for (k, v) in obj.iter_mut() {
                if k.starts_with("x-cct-") && k != "x-cct-quantity" {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::source::escape_token(k));
                prepare(v, params, profile, pointer)?;
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                prepare(v, params, profile, pointer)?;
                pointer.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// For a subschema marked `x-cct-at: match`, the pattern it tests (under `not`, or its own).
fn match_pattern(obj: &Map<String, Value>) -> Option<&Value> {
    if obj.get("x-cct-at").and_then(Value::as_str) != Some("match") {
        return None;
    }
    obj.get("not")
        .and_then(|n| n.get("pattern"))
        .or_else(|| obj.get("pattern"))
}

/// Every object of a JSON value (a schema), with its JSON pointer, parents first.
pub(super) fn for_each_object(
    node: &Value,
    pointer: &mut String,
    visit: &mut dyn FnMut(&str, &Map<String, Value>),
) {
    let children: Vec<(String, &Value)> = match node {
        Value::Object(obj) => {
            visit(pointer, obj);
            obj.iter()
                .map(|(k, v)| (crate::source::escape_token(k), v))
                .collect()
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return,
    };
    for (token, child) in children {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&token);
        for_each_object(child, pointer, visit);
        pointer.truncate(len);
    }
}

/// A parameter by name; dotted names reach into objects (`ports.min_port`).
fn lookup_param(params: &Map<String, Value>, name: &str) -> Option<Value> {
    let mut parts = name.split('.');
    let first = parts.next()?;
    let mut v = params.get(first)?;
    for p in parts {
        v = v.get(p)?;
    }
    Some(v.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn params_profiles_and_annotations() {
        let schema = json!({
            "properties": {
                "port": {"minimum": {"$param": "min"}, "x-cct-message": {"en": "low", "fr": "bas"}},
                "k8s": {"x-cct-profiles": ["kubernetes"], "const": 1},
                "hostPath": false,
                "spec": {"required": ["x"], "x-cct-severity": "note"}
            }
        });
        let params = json!({"min": 1025}).as_object().cloned().unwrap();
        let check = SchemaCheck::compile(&schema, &params, crate::vocab::Profile::Cpin).unwrap();
        let v = check.evaluate(&json!({"port": 80, "k8s": 2, "hostPath": {}, "spec": {}}));
        assert_eq!(v.len(), 3, "{v:?}");
        let port = v.iter().find(|x| x.path == "/port").unwrap();
        assert_eq!(port.message.as_ref().unwrap().en, "low");
        assert_eq!(port.value.as_deref(), Some("80"));
        let host = v.iter().find(|x| x.path == "/hostPath").unwrap();
        assert_eq!(host.mode, LocateMode::Key);
        let spec = v.iter().find(|x| x.path == "/spec").unwrap();
        assert_eq!(spec.property.as_deref(), Some("x"));
        assert_eq!(spec.severity, Some(Severity::Note));
        assert!(SchemaCheck::compile(
            &json!({"minimum": {"$param": "nope"}}),
            &params,
            crate::vocab::Profile::Cpin
        )
        .is_err());
    }

    #[test]
    fn one_violation_names_every_missing_key() {
        let schema = json!({
            "properties": {"labels": {"required": ["app", "env", "tier"]}}
        });
        let check =
            SchemaCheck::compile(&schema, &Map::new(), crate::vocab::Profile::Cpin).unwrap();
        let v = check.evaluate(&json!({"labels": {"env": "dev"}}));
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].property.as_deref(), Some("app"));
        assert_eq!(v[0].missing, ["app", "tier"]);
        let v = check.evaluate(&json!({"labels": {"app": "a", "env": "dev"}}));
        assert_eq!(v[0].missing, ["tier"]);
        assert_eq!(
            Written::list(&json!(["manifest", "nope", "computed"])),
            [Written::Manifest, Written::Computed]
        );
    }
}
