//! The Rego check kind: a rule's policy (Rego v1), parsed once with the rule's parameters as
//! `data.params`, and prepared (analysed) once per process, on the first subject it selects:
//! each worker clones the prepared engine. The deployment unit's inventory travels in `input`
//! under [`INVENTORY_KEY`] (only for policies that read it), and a small module of package
//! `inventory` exposes it as the documented `data.inventory`: changing `data` would make regorus
//! analyse the policy again for every unit. Every element of the `deny`, `violation` and `warn`
//! sets becomes a raw result (message, path, the resource it is about, severity); anything else
//! a policy returns is a problem reported as a diagnostic, never a panic.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use regorus::{Engine, Value as RValue};
use serde_json::{Map, Value};

use crate::units::{to_rego, ResourceRef};
use crate::vocab::Text;
use crate::vocab::{Profile, Severity};

/// The key of `input` that carries the deployment unit's inventory, for policies that read
/// `data.inventory` (the `inventory` module below maps it there).
pub(crate) const INVENTORY_KEY: &str = "__inventory";

/// The module that exposes `input.__inventory` as `data.inventory` (empty when absent).
const INVENTORY_MODULE: &str = r#"package inventory

import rego.v1

default resources := []

default by_kind := {}

default namespace := ""

default repository := {"applications": [], "pushedImages": [], "services": [], "openapiDocuments": []}

resources := input.__inventory.resources

by_kind := input.__inventory.by_kind

namespace := input.__inventory.namespace

repository := input.__inventory.repository
"#;

/// Wall-clock limit of one evaluation of one policy set on one subject.
const EVAL_TIME_LIMIT: Duration = Duration::from_secs(5);

/// The sets a policy may define, and the severity of their elements (`None`: the rule's).
const SETS: [(&str, Option<Severity>); 3] = [
    ("deny", None),
    ("violation", None),
    ("warn", Some(Severity::Warning)),
];

/// A compiled Rego check.
#[derive(Debug)]
pub(crate) struct RegoCheck {
    /// The engine: the policy, `data.params`, `data.profile`; prepared on first use (or the
    /// reason it cannot be), then cloned per worker (cheap).
    engine: Mutex<Preparation>,
    /// The sets the policy defines: (rule path, severity of its elements).
    sets: Vec<(String, Option<Severity>)>,
    /// Whether the policy reads `data.inventory` (its input then carries the unit's).
    pub(crate) reads_inventory: bool,
    /// Display path of the policy file, for diagnostics.
    pub(crate) origin: String,
}

/// An engine before and after its one preparation.
#[derive(Debug)]
enum Preparation {
    Parsed(Box<Engine>),
    Prepared(Box<Engine>),
    Failed(String),
}

/// Why a policy cannot be prepared for evaluation (a semantic error found by the analysis).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct PrepareError(String);

/// What is wrong with an element of a `deny`/`violation`/`warn` set (the text that follows
/// "an element of `<set>`").
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum BadResult {
    #[error("is neither a message nor an object `{{msg, path}}`: {0}")]
    NotAResult(String),
    #[error("has a `msg` object that is not `{{en, fr}}`")]
    MessageNotBilingual,
    #[error("has a `msg` that is not a string: {0}")]
    MessageNotText(String),
    #[error("has a `path` item that is neither a key nor an index: {0}")]
    PathItem(String),
    #[error("has a `path` that is neither a JSON pointer nor an array of keys: {0}")]
    Path(String),
    #[error("has a `resource` without `kind` and `name`")]
    ResourceIncomplete,
    #[error("has a `resource` that is not `{{kind, namespace, name}}`: {0}")]
    Resource(String),
    #[error("has a `related` that is not an array of objects `{{path, resource, msg}}`: {0}")]
    Related(String),
    #[error("has a `{key}` other than error, warning or note: `{value}`")]
    SeverityUnknown { key: &'static str, value: String },
    #[error("has a `{key}` that is not a string: {value}")]
    SeverityNotText { key: &'static str, value: String },
}

/// Why a policy does not compile: a message, at a 1-based line and column when known.
#[derive(Debug, Clone)]
pub(crate) struct RegoError {
    pub(crate) line: Option<(u32, u32)>,
    pub(crate) message: String,
}

/// One element of a `deny`/`violation`/`warn` set, parsed.
#[derive(Debug, Clone)]
pub(crate) struct RegoResult {
    /// `msg`: a string (both languages) or `{en, fr}`.
    pub(crate) message: Option<Text>,
    /// `path`, as a JSON pointer into the input (or into `resource` when given).
    pub(crate) path: Option<String>,
    pub(crate) resource: Option<ResourceRef>,
    pub(crate) severity: Option<Severity>,
    /// `related`: other places the finding names (a port a Service's named targetPort resolves
    /// to), each in the input or in another resource of the unit.
    pub(crate) related: Vec<RelatedRef>,
}

/// A related place of a result: `{path, resource, msg}`, all optional but one of `path` and
/// `resource`.
#[derive(Debug, Clone)]
pub(crate) struct RelatedRef {
    /// A JSON pointer into the input, or into `resource` when given.
    pub(crate) path: Option<String>,
    pub(crate) resource: Option<ResourceRef>,
    /// What the place is.
    pub(crate) message: Option<Text>,
}

/// A Conftest policy's rule to evaluate, and the other policy files loaded with it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Conftest<'a> {
    /// The rule's name in the policy's package (`deny`, `warn_latest`).
    pub(crate) rule: &'a str,
    /// Whether its results are warnings.
    pub(crate) warn: bool,
    /// The other policy files of its folder: (display path, text).
    pub(crate) modules: &'a [(&'a str, &'a str)],
}

/// Add a policy written in Rego v1 or, failing that, in the Rego v0 syntax many Conftest
/// policies still use (`deny[msg] { … }`); the error reported is the v1 one.
fn add_either_syntax(engine: &mut Engine, origin: &str, text: &str) -> Result<String, RegoError> {
    match engine.add_policy(origin.to_string(), text.to_string()) {
        Ok(package) => Ok(package),
        Err(v1) => {
            engine.set_rego_v0(true);
            let v0 = engine.add_policy(origin.to_string(), text.to_string());
            engine.set_rego_v0(false);
            v0.map_err(|_| located(origin, &format!("{v1:#}")))
        }
    }
}

/// A policy to compile: its display path, its text, and whether it reads `data.inventory`
/// ([`reads_inventory`], asked by the caller, which knows it once per rule).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy<'a> {
    pub(crate) origin: &'a str,
    pub(crate) text: &'a str,
    pub(crate) reads_inventory: bool,
}

/// A new engine with cct's settings: OPA's semantics for builtins given bad arguments
/// (undefined, not an error) and the evaluation time limit.
fn new_engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_strict_builtin_errors(false);
    if let Some(interval) = NonZeroU32::new(64) {
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: EVAL_TIME_LIMIT,
            check_interval: interval,
        });
    }
    engine
}

/// An engine with cct's settings and the `inventory` module, parsed once per process and cloned
/// for each policy that reads `data.inventory` (a clone shares the parsed module).
fn engine_with_inventory() -> Result<Engine, RegoError> {
    static BASE: std::sync::LazyLock<Mutex<Result<Engine, RegoError>>> =
        std::sync::LazyLock::new(|| {
            let mut engine = new_engine();
            let added = engine
                .add_policy("(cct inventory)".to_string(), INVENTORY_MODULE.to_string())
                .map(|_| engine)
                .map_err(|e| RegoError {
                    line: None,
                    message: format!("{e:#}"),
                });
            Mutex::new(added)
        });
    let base = match BASE.lock() {
        Ok(base) => base,
        Err(poisoned) => poisoned.into_inner(),
    };
    base.clone()
}

impl RegoCheck {
    /// Parse the policy, with `data.params` and `data.profile`. The engine is prepared later,
    /// on the first subject the rule selects: a one-file check does not pay for the policies
    /// that select nothing in it. A Conftest policy ([`Conftest`]) may be written in Rego v0,
    /// is loaded with the other policies of its folder, and only its one rule is evaluated.
    pub(crate) fn compile(
        policy: Policy<'_>,
        params: &Map<String, Value>,
        profile: Profile,
        conftest: Option<Conftest<'_>>,
    ) -> Result<RegoCheck, RegoError> {
        let Policy { origin, text, .. } = policy;
        let add = |engine: &mut Engine| match conftest {
            None => engine
                .add_policy(origin.to_string(), text.to_string())
                .map_err(|e| located(origin, &format!("{e:#}"))),
            Some(c) => {
                for (path, module) in c.modules {
                    add_either_syntax(engine, path, module)?;
                }
                add_either_syntax(engine, origin, text)
            }
        };
        let mut reads_inventory = policy.reads_inventory;
        let mut engine = if reads_inventory {
            engine_with_inventory()?
        } else {
            new_engine()
        };
        let mut package = add(&mut engine)?;
        if reads_inventory && package == "data.inventory" {
            // A policy of package `inventory` is its own inventory: without cct's module.
            reads_inventory = false;
            engine = new_engine();
            package = add(&mut engine)?;
        }
        let mut data = Map::new();
        data.insert("params".into(), Value::Object(params.clone()));
        data.insert(
            "profile".into(),
            Value::String(profile.as_str().to_string()),
        );
        engine
            .add_data(to_rego(&Value::Object(data)))
            .map_err(|e| RegoError {
                line: None,
                message: format!("{e:#}"),
            })?;
        if let Some(c) = conftest {
            return Ok(RegoCheck {
                engine: Mutex::new(Preparation::Parsed(Box::new(engine))),
                sets: vec![(
                    format!("{package}.{}", c.rule),
                    c.warn.then_some(Severity::Warning),
                )],
                reads_inventory,
                origin: origin.to_string(),
            });
        }
        let sets: Vec<(String, Option<Severity>)> = SETS
            .iter()
            .filter(|(set, _)| {
                engine
                    .has_declared_rule_rooted_at(origin, set)
                    .unwrap_or(false)
            })
            .map(|(set, severity)| (format!("{package}.{set}"), *severity))
            .collect();
        if sets.is_empty() {
            return Err(RegoError {
                line: None,
                message: format!(
                    "package `{}` defines none of the sets `deny`, `violation`, `warn`",
                    package.trim_start_matches("data.")
                ),
            });
        }
        Ok(RegoCheck {
            engine: Mutex::new(Preparation::Parsed(Box::new(engine))),
            sets,
            reads_inventory,
            origin: origin.to_string(),
        })
    }

    /// A copy of the prepared engine, for one worker; the first call prepares it (analysis of
    /// the policy: a semantic error, such as an unsafe variable, is reported here).
    pub(crate) fn engine(&self) -> Result<Engine, PrepareError> {
        let mut state = match self.engine.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Preparation::Parsed(engine) = &mut *state {
            let mut engine = std::mem::take(engine);
            engine.set_input(RValue::new_object());
            // A query that reads no rule: any error is the preparation's.
            *state = match engine.eval_query("true".to_string(), false) {
                Ok(_) => Preparation::Prepared(engine),
                Err(e) => {
                    let e = located(&self.origin, &format!("{e:#}"));
                    let at = e
                        .line
                        .map(|(l, c)| format!("{}:{l}:{c}: ", self.origin))
                        .unwrap_or_default();
                    Preparation::Failed(format!("the policy cannot be prepared: {at}{}", e.message))
                }
            };
        }
        match &*state {
            Preparation::Prepared(engine) => Ok((**engine).clone()),
            Preparation::Failed(why) => Err(PrepareError(why.clone())),
            Preparation::Parsed(_) => Err(PrepareError("the policy was not prepared".to_string())),
        }
    }

    /// Evaluate every set of the policy on an input with an engine prepared by
    /// [`RegoCheck::engine`] (and the unit's inventory). Returns the results, and the problems
    /// (an evaluation error, an element that is not a result).
    pub(crate) fn evaluate(
        &self,
        engine: &mut Engine,
        input: &RValue,
    ) -> (Vec<RegoResult>, Vec<String>) {
        let mut results = Vec::new();
        let mut problems = Vec::new();
        engine.set_input(input.clone());
        for (path, severity) in &self.sets {
            let value = match engine.eval_rule(path.clone()) {
                Ok(v) => v,
                Err(e) => {
                    let e = located(&self.origin, &format!("{e:#}"));
                    let at = e
                        .line
                        .map(|(l, c)| format!("{}:{l}:{c}: ", self.origin))
                        .unwrap_or_default();
                    problems.push(format!("evaluating `{path}` failed: {at}{}", e.message));
                    continue;
                }
            };
            let items: Vec<&RValue> = match &value {
                RValue::Undefined => continue,
                RValue::Set(s) => s.iter().collect(),
                RValue::Array(a) => a.iter().collect(),
                other => {
                    problems.push(format!(
                        "`{path}` must be a set of results, not {}",
                        short(other)
                    ));
                    continue;
                }
            };
            for item in items {
                match parse_result(item, *severity) {
                    Ok(r) => results.push(r),
                    Err(why) => problems.push(format!("an element of `{path}` {why}")),
                }
            }
        }
        (results, problems)
    }
}

/// Whether a policy reads `data.inventory`: a reference `data.inventory`, `data["inventory"]`
/// or a computed `data[…]` in its code (comments and strings aside), known from its tokens
/// without compiling it.
pub(crate) fn reads_inventory(policy: &str) -> bool {
    // Most policies neither name the inventory nor index `data`: a substring search says so
    // without tokenising them.
    if !policy.contains("inventory") && !may_index_data(policy) {
        return false;
    }
    let tokens = tokens(policy);
    tokens.windows(3).any(|w| match (w[0], w[1], w[2]) {
        (Token::Word("data"), Token::Dot, Token::Word("inventory")) => true,
        (Token::Word("data"), Token::Open, Token::Str(s)) => s == "inventory",
        (Token::Word("data"), Token::Open, _) => true,
        _ => false,
    })
}

/// Whether a policy's results may be about another resource than its subject: some string of
/// its code is `"resource"` (the key of a result's or a related place's resource), known from
/// its tokens without compiling it. Such a rule may report in another file of the unit than the
/// subject's, so it runs on every document of a unit even when only some files are judged.
pub(crate) fn may_name_resources(policy: &str) -> bool {
    (policy.contains("\"resource\"") || policy.contains("`resource`"))
        && tokens(policy)
            .iter()
            .any(|t| matches!(t, Token::Str(s) if *s == "resource"))
}

/// Whether some `data` of the text is followed, past blanks and comments, by `[` (a necessary
/// condition of a computed `data[…]` reference).
fn may_index_data(text: &str) -> bool {
    text.match_indices("data").any(|(i, _)| {
        let mut rest = &text[i + "data".len()..];
        loop {
            rest = rest.trim_start();
            match rest.strip_prefix('#') {
                Some(comment) => rest = comment.split_once('\n').map_or("", |(_, after)| after),
                None => return rest.starts_with('['),
            }
        }
    })
}

/// The few tokens [`reads_inventory`] needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Str(&'a str),
    Dot,
    Open,
    Other,
}

/// Rego's tokens, coarsely: identifiers, string contents, `.` and `[`; comments skipped.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'`' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != c {
                    if c == b'"' && bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                out.push(Token::Str(
                    text.get(start..i.min(bytes.len())).unwrap_or(""),
                ));
                i += 1;
            }
            b'.' => {
                out.push(Token::Dot);
                i += 1;
            }
            b'[' => {
                out.push(Token::Open);
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                out.push(Token::Word(&text[start..i]));
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                out.push(Token::Other);
                i += 1;
            }
        }
    }
    out
}

/// Parse one element of a result set.
fn parse_result(item: &RValue, severity: Option<Severity>) -> Result<RegoResult, BadResult> {
    let json = to_json(item);
    let mut out = RegoResult {
        message: None,
        path: None,
        resource: None,
        severity,
        related: Vec::new(),
    };
    let obj = match json {
        Value::String(s) => {
            out.message = Some(Text::new(s.clone(), s));
            return Ok(out);
        }
        Value::Object(obj) => obj,
        other => return Err(BadResult::NotAResult(clip(&other.to_string()))),
    };
    out.message = message_of(&obj)?;
    out.path = path_of(&obj)?;
    out.resource = resource_of(&obj)?;
    match obj.get("related") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let Value::Object(r) = item else {
                    return Err(BadResult::Related(clip(&item.to_string())));
                };
                let related = RelatedRef {
                    path: path_of(r)?,
                    resource: resource_of(r)?,
                    message: message_of(r)?,
                };
                if related.path.is_none() && related.resource.is_none() {
                    return Err(BadResult::Related(clip(&item.to_string())));
                }
                out.related.push(related);
            }
        }
        Some(other) => return Err(BadResult::Related(clip(&other.to_string()))),
    }
    for key in ["severity", "level"] {
        match obj.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => match Severity::parse(s) {
                Some(s) => out.severity = Some(s),
                None => {
                    return Err(BadResult::SeverityUnknown {
                        key,
                        value: clip(s),
                    })
                }
            },
            Some(other) => {
                return Err(BadResult::SeverityNotText {
                    key,
                    value: clip(&other.to_string()),
                })
            }
        }
    }
    Ok(out)
}

/// `msg`: a string (both languages) or `{en, fr}`.
fn message_of(obj: &serde_json::Map<String, Value>) -> Result<Option<Text>, BadResult> {
    match obj.get("msg") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(Text::new(s.clone(), s.clone()))),
        Some(m @ Value::Object(_)) => serde_json::from_value::<Text>(m.clone())
            .map(Some)
            .map_err(|_| BadResult::MessageNotBilingual),
        Some(other) => Err(BadResult::MessageNotText(clip(&other.to_string()))),
    }
}

/// `path`: a JSON pointer, or an array of keys and indices.
fn path_of(obj: &serde_json::Map<String, Value>) -> Result<Option<String>, BadResult> {
    match obj.get("path") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(p)) if p.is_empty() || p.starts_with('/') => Ok(Some(p.clone())),
        Some(Value::Array(items)) => {
            let mut pointer = String::new();
            for token in items {
                pointer.push('/');
                match token {
                    Value::String(s) => pointer.push_str(&crate::source::escape_token(s)),
                    Value::Number(n) if n.as_u64().is_some() => pointer.push_str(&n.to_string()),
                    other => return Err(BadResult::PathItem(clip(&other.to_string()))),
                }
            }
            Ok(Some(pointer))
        }
        Some(other) => Err(BadResult::Path(clip(&other.to_string()))),
    }
}

/// `resource`: `{kind, namespace, name}` of another object of the unit.
fn resource_of(obj: &serde_json::Map<String, Value>) -> Result<Option<ResourceRef>, BadResult> {
    match obj.get("resource") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(r)) => {
            let text = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
            let (Some(kind), Some(name)) = (text("kind"), text("name")) else {
                return Err(BadResult::ResourceIncomplete);
            };
            Ok(Some(ResourceRef {
                kind,
                namespace: text("namespace"),
                name,
            }))
        }
        Some(other) => Err(BadResult::Resource(clip(&other.to_string()))),
    }
}

/// A Rego value as JSON (results are small).
fn to_json(v: &RValue) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn short(v: &RValue) -> &'static str {
    match v {
        RValue::Null => "null",
        RValue::Bool(_) => "a boolean",
        RValue::Number(_) => "a number",
        RValue::String(_) => "a string",
        RValue::Array(_) => "an array",
        RValue::Set(_) => "a set",
        RValue::Object(_) => "an object",
        RValue::Undefined => "undefined",
    }
}

fn clip(s: &str) -> String {
    const MAX: usize = 120;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// A regorus error (`--> path:line:col`, a snippet, then `error: …`) as a message and a
/// position.
fn located(origin: &str, error: &str) -> RegoError {
    let prefix = format!("{origin}:");
    let mut position = None;
    let mut message = None;
    for line in error.lines() {
        let t = line.trim_start();
        if let Some(rest) = t
            .trim_start_matches("-->")
            .trim_start()
            .strip_prefix(&prefix)
        {
            let mut parts = rest.splitn(3, ':');
            let l = parts.next().and_then(|s| s.trim().parse::<u32>().ok());
            let c = parts.next().and_then(|s| s.trim().parse::<u32>().ok());
            if let (Some(l), Some(c), None) = (l, c, position) {
                position = Some((l, c));
                if let Some(m) = parts.next() {
                    let m = m.trim().trim_start_matches("error:").trim();
                    if !m.is_empty() {
                        message = Some(m.to_string());
                    }
                }
            }
        } else if let Some(m) = t.strip_prefix("error:") {
            message.get_or_insert_with(|| m.trim().to_string());
        }
    }
    RegoError {
        line: position,
        message: message.unwrap_or_else(|| error.trim().lines().last().unwrap_or("").to_string()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn inventory_readers_are_told_from_their_tokens() {
        assert!(super::reads_inventory(
            "deny contains m if { some r in data.inventory.resources }"
        ));
        assert!(super::reads_inventory(
            "import data.inventory\nx := inventory.by_kind"
        ));
        assert!(super::reads_inventory("x := data[\"inventory\"].namespace"));
        assert!(super::reads_inventory("x := data[k]"));
        // Comments, strings and other names are not reads.
        assert!(!super::reads_inventory(
            "# reads data.inventory\ndeny contains \"no inventory\" if { input.inventory }"
        ));
        assert!(!super::reads_inventory("x := data.params.inventory"));
        // The quick test lets through what the tokens decide: `data` then `[` past a comment.
        assert!(super::reads_inventory("x := data # all of it\n  [k]"));
        assert!(!super::reads_inventory("x := data.params.max # [k]"));
        assert!(!super::may_index_data("x := data.params[k]"));
    }

    #[test]
    fn policies_that_may_report_on_other_resources_are_told_from_their_tokens() {
        assert!(super::may_name_resources(
            "deny contains {\"msg\": m, \"resource\": r} if { some r in data.inventory.resources }"
        ));
        assert!(super::may_name_resources("k := `resource`"));
        // `resources`, comments and names are not the key.
        assert!(!super::may_name_resources(
            "# a result may name a resource\ndeny contains m if { some r in data.inventory.resources; resource := r }"
        ));
        assert!(!super::may_name_resources(
            "deny contains \"no resource here\" if { true }"
        ));
    }

    use super::*;
    use serde_json::json;

    fn compile(text: &str) -> Result<RegoCheck, RegoError> {
        RegoCheck::compile(
            Policy {
                origin: "p.rego",
                text,
                reads_inventory: reads_inventory(text),
            },
            &json!({"n": 2}).as_object().cloned().unwrap(),
            crate::vocab::Profile::Cpin,
            None,
        )
    }

    #[test]
    fn results_of_every_shape() {
        let check = compile(
            r#"package t
deny contains "plain" if input.a == 1
deny contains {"msg": {"en": "e", "fr": "f"}, "path": ["spec", 0, "x"]} if input.a == 1
violation contains {"msg": "v", "path": "/metadata/name", "severity": "note"} if data.params.n == 2
warn contains {"resource": {"kind": "Service", "name": "s"}} if true
"#,
        )
        .unwrap();
        let mut engine = check.engine().unwrap();
        let (r, problems) = check.evaluate(&mut engine, &to_rego(&json!({"a": 1})));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(r.len(), 4);
        assert!(r.iter().any(
            |x| x.path.as_deref() == Some("/spec/0/x") && x.message.as_ref().unwrap().fr == "f"
        ));
        assert!(r
            .iter()
            .any(|x| x.severity == Some(Severity::Note)
                && x.path.as_deref() == Some("/metadata/name")));
        let warn = r.iter().find(|x| x.resource.is_some()).unwrap();
        assert_eq!(warn.severity, Some(Severity::Warning));
        assert_eq!(warn.resource.as_ref().unwrap().name, "s");
    }

    #[test]
    fn related_places_are_parsed() {
        let check = compile(
            r#"package t
deny contains {"path": ["a"], "related": [
	{"resource": {"kind": "Deployment", "name": "web"}, "path": ["spec", "x"], "msg": {"en": "e", "fr": "f"}},
	{"path": "/b"},
]} if true
deny contains {"path": ["c"], "related": [{"msg": "nowhere"}]} if true
deny contains {"path": ["d"], "related": "/e"} if true
"#,
        )
        .unwrap();
        let mut engine = check.engine().unwrap();
        let (r, problems) = check.evaluate(&mut engine, &to_rego(&json!({})));
        // A related place with neither path nor resource, or not in an array, is refused.
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(r.len(), 1);
        let related = &r[0].related;
        assert_eq!(related.len(), 2);
        assert_eq!(related[0].resource.as_ref().unwrap().kind, "Deployment");
        assert_eq!(related[0].path.as_deref(), Some("/spec/x"));
        assert_eq!(related[0].message.as_ref().unwrap().fr, "f");
        assert_eq!(related[1].path.as_deref(), Some("/b"));
        assert!(related[1].resource.is_none() && related[1].message.is_none());
    }

    #[test]
    fn garbage_and_errors_are_problems() {
        let check = compile(
            "package t\ndeny contains 42 if true\ndeny contains {\"path\": true} if true\n",
        )
        .unwrap();
        let mut engine = check.engine().unwrap();
        let (r, problems) = check.evaluate(&mut engine, &RValue::new_object());
        assert!(r.is_empty());
        assert_eq!(problems.len(), 2, "{problems:?}");

        let e = compile("package t\ndeny contains x if {\n  x := \n").unwrap_err();
        assert_eq!(e.line, Some((3, 5)), "{e:?}");
        assert!(e.message.contains("expecting"), "{e:?}");
        let e = compile("package t\nallow := true\n").unwrap_err();
        assert!(e.message.contains("none of"), "{e:?}");
        // v0 syntax is refused (Rego v1 only).
        assert!(compile("package t\ndeny[msg] { msg := \"x\" }\n").is_err());
    }

    #[test]
    fn inventory_comes_through_input_and_preparation_errors_are_reported() {
        let check = compile(
            r#"package t
deny contains r.name if {
	some r in data.inventory.resources
	data.inventory.namespace == "shop"
}
"#,
        )
        .unwrap();
        assert!(check.reads_inventory);
        let mut engine = check.engine().unwrap();
        let input = to_rego(&json!({
            "kind": "Deployment",
            INVENTORY_KEY: {"resources": [{"name": "a"}, {"name": "b"}], "by_kind": {}, "namespace": "shop"}
        }));
        let (r, problems) = check.evaluate(&mut engine, &input);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(r.len(), 2);
        // Without an inventory, `data.inventory` is empty, not an error.
        let (r, problems) = check.evaluate(&mut engine, &to_rego(&json!({"kind": "Pod"})));
        assert!(r.is_empty() && problems.is_empty(), "{r:?} {problems:?}");

        // An unsafe variable is found when the policy is prepared, once.
        let check = compile("package t\ndeny contains x if { y == 1 }\n").unwrap();
        let e = check.engine().unwrap_err();
        assert!(e.to_string().contains("cannot be prepared"), "{e}");
        assert_eq!(check.engine().unwrap_err(), e);
    }

    #[test]
    fn regex_has_unicode_and_sprintf_of_undefined() {
        let check = compile(
            r#"package t
deny contains "ci" if regex.match(`(?i)^secret\d+$`, input.s)
deny contains sprintf("%s", [input.missing]) if input.s == "x"
"#,
        )
        .unwrap();
        let mut engine = check.engine().unwrap();
        let (r, problems) = check.evaluate(&mut engine, &to_rego(&json!({"s": "SECRET12"})));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(r.len(), 1);
        // With regorus 0.14.1, an undefined argument makes the call undefined, as in OPA.
        let (r, problems) = check.evaluate(&mut engine, &to_rego(&json!({"s": "x"})));
        assert!(r.is_empty() && problems.is_empty(), "{r:?} {problems:?}");
    }
}
