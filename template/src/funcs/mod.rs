//! Function maps: Go's builtins, the Sprig library and Helm's text functions.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use crate::exec::{Exec, ExecError};
use crate::gofmt;
use crate::json::JsonError;
use crate::prov::{Origin, Prov};
use crate::value::{Kind, Value};
use crate::yaml::{DecodeError, EmitError};

pub(crate) mod builtin;
pub(crate) mod crypto;
pub mod date;
pub(crate) mod dicts;
pub mod encoding;
pub(crate) mod helm;
pub(crate) mod lists;
pub(crate) mod math;
pub(crate) mod pki;
pub(crate) mod regexp;
pub mod semver;
pub(crate) mod strings;

/// Declared Go type of a function parameter. The executor converts and checks
/// arguments like Go's `text/template` does for a function with that signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// `interface{}`
    Any,
    /// `string`
    Str,
    /// `int`
    Int,
    /// `int64`
    Int64,
    /// `float64`
    Float,
    /// `bool`
    Bool,
    /// `map[string]interface{}`
    Map,
    /// `[]interface{}`
    List,
}

impl Param {
    /// The Go spelling of the type.
    pub fn go_type(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::Str => "string",
            Param::Int => "int",
            Param::Int64 => "int64",
            Param::Float => "float64",
            Param::Bool => "bool",
            Param::Map => "map[string]interface {}",
            Param::List => "[]interface {}",
        }
    }
}

/// An error returned by a function. The executor wraps it as `error calling NAME: MESSAGE`.
#[derive(Debug)]
pub struct FuncError {
    /// Message.
    pub message: String,
    /// A limit violation from a nested execution, propagated unchanged.
    pub(crate) limit: Option<Box<ExecError>>,
}

impl FuncError {
    pub(crate) fn from_exec(e: Box<ExecError>) -> FuncError {
        if e.limit {
            FuncError {
                message: e.to_string(),
                limit: Some(e),
            }
        } else {
            FuncError {
                message: e.to_string(),
                limit: None,
            }
        }
    }
}

impl From<String> for FuncError {
    fn from(message: String) -> FuncError {
        FuncError {
            message,
            limit: None,
        }
    }
}
impl From<&str> for FuncError {
    fn from(message: &str) -> FuncError {
        FuncError {
            message: message.into(),
            limit: None,
        }
    }
}
/// The typed errors of the function families become a function's error, their text its
/// message.
macro_rules! func_error_from {
    ($($family:ty),* $(,)?) => {
        $(
            impl From<$family> for FuncError {
                fn from(e: $family) -> FuncError {
                    FuncError {
                        message: e.to_string(),
                        limit: None,
                    }
                }
            }
        )*
    };
}

func_error_from!(
    JsonError,
    EmitError,
    DecodeError,
    semver::SemverError,
    regexp::RegexpError,
    builtin::IndexError,
    pki::PkiError,
    crypto::CryptoError,
);

impl fmt::Display for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Functions that walk their arguments in full (to write, copy or compare them): the
/// executor charges that walk against [`crate::Limits::max_value_size`] and the steps
/// before calling them, since a value that shares a map at every level expands
/// exponentially.
const WALKS_VALUES: &[&str] = &[
    "cat",
    "deepCopy",
    "deepEqual",
    "eq",
    "fail",
    "ge",
    "gt",
    "has",
    "html",
    "join",
    "js",
    "le",
    "lt",
    "merge",
    "mergeOverwrite",
    "mustDeepCopy",
    "mustHas",
    "mustMerge",
    "mustMergeOverwrite",
    "mustToJson",
    "mustToPrettyJson",
    "mustToRawJson",
    "mustToYaml",
    "mustUniq",
    "mustWithout",
    "ne",
    "print",
    "printf",
    "println",
    "quote",
    "sortAlpha",
    "squote",
    "toJson",
    "toPrettyJson",
    "toRawJson",
    "toString",
    "toStrings",
    "toYaml",
    "toYamlPretty",
    "uniq",
    "urlquery",
    "without",
];

/// Whether the function `name` walks its arguments in full (see `WALKS_VALUES`).
pub(crate) fn walks_values(name: &str) -> bool {
    WALKS_VALUES.binary_search(&name).is_ok()
}

/// Result of a template function.
pub type FuncResult = Result<Value, FuncError>;

/// The native implementation of a function.
pub type NativeFn = dyn Fn(&mut CallCtx<'_, '_>, Vec<Value>) -> FuncResult;

/// A function with its Go-like signature.
#[derive(Clone)]
pub struct Func {
    /// Fixed parameters.
    pub params: Vec<Param>,
    /// Type of variadic trailing parameters, if variadic.
    pub variadic: Option<Param>,
    /// Implementation.
    pub f: Rc<NativeFn>,
    /// `Some(false)` for `and`, `Some(true)` for `or`: evaluated lazily by the executor.
    pub(crate) lazy_bool: Option<bool>,
}

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Func")
            .field("params", &self.params)
            .field("variadic", &self.variadic)
            .finish()
    }
}

/// Context handed to functions: access to the executor (for `include`/`tpl`), the
/// deterministic random source and the calling action's origin.
pub struct CallCtx<'e, 's> {
    pub(crate) exec: &'e mut Exec<'s>,
    pub(crate) origin: Origin,
    pub(crate) template_name: Rc<str>,
}

/// A map of named functions.
#[derive(Clone, Default)]
pub struct FuncMap {
    map: HashMap<String, Func>,
}

impl fmt::Debug for FuncMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.map.keys().collect();
        names.sort();
        f.debug_struct("FuncMap").field("names", &names).finish()
    }
}

impl FuncMap {
    /// An empty map (templates using no functions at all).
    pub fn empty() -> FuncMap {
        FuncMap::default()
    }

    /// Go's builtin functions (`and`, `or`, `not`, `eq`, `index`, `printf`, ...).
    pub fn builtins() -> FuncMap {
        let mut m = FuncMap::empty();
        builtin::register(&mut m);
        m
    }

    /// Builtins plus the Sprig library.
    pub fn sprig() -> FuncMap {
        let mut m = FuncMap::builtins();
        strings::register(&mut m);
        lists::register(&mut m);
        dicts::register(&mut m);
        math::register(&mut m);
        encoding::register(&mut m);
        regexp::register(&mut m);
        semver::register(&mut m);
        date::register(&mut m);
        crypto::register(&mut m);
        m
    }

    /// Builtins, Sprig, and Helm's default functions (`include`, `tpl`, `required`,
    /// `fail`, `toYaml`, `fromYaml`, `lookup` returning an empty map, ...). A Helm layer
    /// may replace any of them with [`FuncMap::insert`].
    pub fn standard() -> FuncMap {
        let mut m = FuncMap::sprig();
        helm::register(&mut m);
        m
    }

    /// Adds or replaces a function.
    pub fn insert(
        &mut self,
        name: &str,
        params: &[Param],
        variadic: Option<Param>,
        f: impl Fn(&mut CallCtx<'_, '_>, Vec<Value>) -> FuncResult + 'static,
    ) {
        self.map.insert(
            name.to_string(),
            Func {
                params: params.to_vec(),
                variadic,
                f: Rc::new(f),
                lazy_bool: None,
            },
        );
    }

    /// Adds a function that needs no context.
    pub(crate) fn add(
        &mut self,
        name: &str,
        params: &[Param],
        variadic: Option<Param>,
        f: impl Fn(Vec<Value>) -> FuncResult + 'static,
    ) {
        self.insert(name, params, variadic, move |_, a| f(a));
    }

    /// Registers the same function under another name.
    pub(crate) fn alias(&mut self, name: &str, existing: &str) {
        if let Some(f) = self.map.get(existing).cloned() {
            self.map.insert(name.to_string(), f);
        }
    }

    /// Removes a function.
    pub fn remove(&mut self, name: &str) {
        self.map.remove(name);
    }

    /// Looks a function up.
    pub fn get(&self, name: &str) -> Option<&Func> {
        self.map.get(name)
    }

    /// Names of all functions, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.map.keys().cloned().collect();
        v.sort();
        v
    }

    pub(crate) fn set_lazy(&mut self, name: &str, is_or: bool) {
        if let Some(f) = self.map.get_mut(name) {
            f.lazy_bool = Some(is_or);
        }
    }
}

// ---------------------------------------------------------------------------
// Conversion helpers with spf13/cast and Sprig semantics.

/// Sprig's `strval`: strings as is, everything else with `%v`.
pub(crate) fn strval(v: &Value) -> String {
    match v.kind() {
        Kind::Str(s) => s.to_string(),
        _ => gofmt::format_v(v),
    }
}

/// `strval` keeping provenance.
pub(crate) fn strval_value(v: &Value) -> Value {
    match v.kind() {
        Kind::Str(_) => v.clone(),
        _ => {
            let prov = match v.kind() {
                Kind::List(_) | Kind::Map(_) => Prov::None,
                _ => v.prov().clone(),
            };
            Value::str(gofmt::format_v(v)).with_prov(prov)
        }
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` after cast's trimming of a zero decimal part.
fn cast_parse_int(s: &str) -> Option<i64> {
    let t = trim_zero_decimal(s);
    crate::parse::parse_go_int(t)
}

fn trim_zero_decimal(s: &str) -> &str {
    if let Some(i) = s.find('.') {
        let frac = &s[i + 1..];
        if !frac.is_empty() && frac.bytes().all(|b| b == b'0') && i > 0 {
            return &s[..i];
        }
        if frac.is_empty() && i > 0 {
            return &s[..i];
        }
    }
    s
}

/// `cast.ToInt64` (errors become 0, as Sprig ignores them).
pub(crate) fn to_int64(v: &Value) -> i64 {
    match v.kind() {
        Kind::Int(i) | Kind::Int64(i) => *i,
        Kind::Uint64(u) => *u as i64,
        Kind::Float(f) => {
            if f.is_nan() {
                i64::MIN
            } else {
                *f as i64
            }
        }
        Kind::Bool(b) => i64::from(*b),
        Kind::Str(s) => cast_parse_int(s).unwrap_or(0),
        _ => 0,
    }
}

/// `cast.ToFloat64`.
pub(crate) fn to_float64(v: &Value) -> f64 {
    match v.kind() {
        Kind::Int(i) | Kind::Int64(i) => *i as f64,
        Kind::Uint64(u) => *u as f64,
        Kind::Float(f) => *f,
        Kind::Bool(b) => f64::from(u8::from(*b)),
        Kind::Str(s) => crate::parse::parse_go_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Sprig's `empty`.
pub(crate) fn is_empty(v: &Value) -> bool {
    match v.kind() {
        Kind::Time(_) => false,
        _ => !v.truthy(),
    }
}

/// Sprig's `strslice`.
pub(crate) fn strslice(v: &Value) -> Vec<Value> {
    match v.kind() {
        Kind::List(l) => l.iter().filter(|x| !x.is_nil()).map(strval_value).collect(),
        Kind::Nil => Vec::new(),
        _ => vec![strval_value(v)],
    }
}

/// An argument as `&str` (already type-checked by the executor).
pub(crate) fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// An `int` argument (already type-checked by the executor).
pub(crate) fn i(v: &Value) -> i64 {
    match v.kind() {
        Kind::Int(i) | Kind::Int64(i) => *i,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::{FuncMap, WALKS_VALUES};

    #[test]
    fn the_functions_that_walk_values_are_sorted_and_exist() {
        assert!(WALKS_VALUES.windows(2).all(|w| w[0] < w[1]), "not sorted");
        let standard = FuncMap::standard();
        for name in WALKS_VALUES {
            assert!(standard.get(name).is_some(), "no function {name}");
        }
    }
}
