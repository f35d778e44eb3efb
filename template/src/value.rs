//! Dynamic values, modelled on the Go `interface{}` values that Helm templates see,
//! with optional provenance attached to every scalar.

use std::cell::{Ref, RefCell};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use crate::prov::{Origin, Prov};

/// An object with Go-like fields and methods, supplied by the embedding layer
/// (for example Helm's `.Files`, `.Capabilities.APIVersions`).
pub trait Object: fmt::Debug {
    /// The Go type name shown in error messages and by `typeOf` (e.g. `*chart.Metadata`).
    fn type_name(&self) -> String;
    /// A field (or map entry) by name; `None` when the object has no such field.
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    /// Whether `name` is a method of the object.
    fn has_method(&self, _name: &str) -> bool {
        false
    }
    /// Calls a method. Only called when [`Object::has_method`] returned true.
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, MethodError> {
        Err(MethodError::Unknown(name.to_string()))
    }
    /// The text printed for `{{ obj }}` and `%v`.
    fn display(&self) -> String {
        format!("{{{}}}", self.type_name())
    }
    /// A plain value equivalent used by serialisation functions (`toYaml`, `toJson`), and
    /// by `range` and `len` when it is a list or a map (Go map and slice types).
    fn to_plain(&self) -> Value {
        Value::str(self.display())
    }
    /// Go's truthiness (`if`, `with`, `and`, `or`, `not`): true for a pointer to a struct;
    /// an object of a map or slice type is false when empty.
    fn truthy(&self) -> bool {
        true
    }
}

/// Why a method of an [`Object`] could not be called; the executor reports it as
/// `error calling NAME: …`, with Go's wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MethodError {
    /// The object has no such method.
    #[error("can't call method {0}")]
    Unknown(String),
    /// Too few or too many arguments.
    #[error("wrong number of args for {method}: want {want} got {got}")]
    ArgCount {
        /// The method.
        method: String,
        /// The number of parameters.
        want: usize,
        /// The number of arguments.
        got: usize,
    },
    /// An argument of the wrong type.
    #[error("wrong type for value; expected {expected}; got {got}")]
    ArgType {
        /// The parameter's Go type.
        expected: String,
        /// The argument's Go type.
        got: String,
    },
}

/// The Go type a value carries.
#[derive(Clone, Debug)]
pub enum Kind {
    /// A nil interface (also the result of a missing map key).
    Nil,
    /// `bool`
    Bool(bool),
    /// Go `int` (64-bit).
    Int(i64),
    /// Go `int64`.
    Int64(i64),
    /// Go `uint64` (only produced by a few functions and huge YAML numbers).
    Uint64(u64),
    /// `float64`
    Float(f64),
    /// `string`
    Str(Rc<str>),
    /// `[]interface {}`
    List(Rc<Vec<Value>>),
    /// `map[string]interface {}`; iteration is in sorted key order, like Go's templates.
    /// Maps have reference semantics like Go maps: `set` mutates every alias.
    Map(MapRef),
    /// A point in time (`time.Time`), as Unix nanoseconds plus a zone offset in seconds.
    Time(GoTime),
    /// An embedder-defined object.
    Object(Rc<dyn Object>),
}

/// A shared, mutable map (Go maps are references).
pub type MapRef = Rc<RefCell<BTreeMap<String, Value>>>;

/// A `time.Time` value: Unix nanoseconds and a fixed zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoTime {
    /// Nanoseconds since the Unix epoch (UTC).
    pub unix_nanos: i128,
    /// Zone offset east of UTC, in seconds.
    pub offset: i32,
}

/// A dynamic template value with optional provenance.
#[derive(Clone, Debug)]
pub struct Value {
    kind: Kind,
    prov: Prov,
}

impl Default for Value {
    fn default() -> Self {
        Value::nil()
    }
}

impl PartialEq for Value {
    /// Deep equality of data (provenance is ignored), like Go's `reflect.DeepEqual`.
    fn eq(&self, other: &Value) -> bool {
        deep_equal(self, other)
    }
}

impl Value {
    /// Builds a value of the given kind without provenance.
    pub fn new(kind: Kind) -> Value {
        Value {
            kind,
            prov: Prov::None,
        }
    }
    /// The nil interface.
    pub fn nil() -> Value {
        Value::new(Kind::Nil)
    }
    /// A `bool`.
    pub fn bool(b: bool) -> Value {
        Value::new(Kind::Bool(b))
    }
    /// A Go `int`.
    pub fn int(i: i64) -> Value {
        Value::new(Kind::Int(i))
    }
    /// A Go `int64`.
    pub fn int64(i: i64) -> Value {
        Value::new(Kind::Int64(i))
    }
    /// A `float64`.
    pub fn float(f: f64) -> Value {
        Value::new(Kind::Float(f))
    }
    /// A `string`.
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::new(Kind::Str(s.into()))
    }
    /// A `[]interface{}`.
    pub fn list(items: Vec<Value>) -> Value {
        Value::new(Kind::List(Rc::new(items)))
    }
    /// A `map[string]interface{}`.
    pub fn map(m: BTreeMap<String, Value>) -> Value {
        Value::new(Kind::Map(Rc::new(RefCell::new(m))))
    }
    /// An embedder-defined object.
    pub fn object(o: Rc<dyn Object>) -> Value {
        Value::new(Kind::Object(o))
    }
    /// A `time.Time`.
    pub fn time(t: GoTime) -> Value {
        Value::new(Kind::Time(t))
    }

    /// Attaches an origin covering the whole scalar.
    pub fn with_origin(mut self, origin: Origin) -> Value {
        self.prov = Prov::Whole(origin);
        self
    }
    /// Replaces the provenance.
    pub fn with_prov(mut self, prov: Prov) -> Value {
        self.prov = prov;
        self
    }
    /// The provenance of this value.
    pub fn prov(&self) -> &Prov {
        &self.prov
    }
    /// The kind (Go type) and data of this value.
    pub fn kind(&self) -> &Kind {
        &self.kind
    }
    /// Consumes the value, returning its kind.
    pub fn into_kind(self) -> Kind {
        self.kind
    }

    /// True for the nil interface.
    pub fn is_nil(&self) -> bool {
        matches!(self.kind, Kind::Nil)
    }
    /// The string content, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }
    /// The map, if this is a map.
    pub fn as_map(&self) -> Option<Ref<'_, BTreeMap<String, Value>>> {
        match &self.kind {
            Kind::Map(m) => Some(m.borrow()),
            _ => None,
        }
    }
    /// The list items, if this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::List(l) => Some(l),
            _ => None,
        }
    }

    /// The entry `key` of a map value (a clone; maps share their entries).
    pub fn get(&self, key: &str) -> Option<Value> {
        self.as_map().and_then(|m| m.get(key).cloned())
    }

    /// Sets `key` in a map value, in place (visible through every alias, like Go maps).
    /// Returns false when the value is not a map.
    pub fn set(&self, key: &str, v: Value) -> bool {
        match &self.kind {
            Kind::Map(m) => {
                m.borrow_mut().insert(key.to_string(), v);
                true
            }
            _ => false,
        }
    }

    /// Go's truthiness used by `if`, `with`, `and`, `or`, `not`.
    pub fn truthy(&self) -> bool {
        match &self.kind {
            Kind::Nil => false,
            Kind::Bool(b) => *b,
            Kind::Int(i) | Kind::Int64(i) => *i != 0,
            Kind::Uint64(u) => *u != 0,
            Kind::Float(f) => *f != 0.0,
            Kind::Str(s) => !s.is_empty(),
            Kind::List(l) => !l.is_empty(),
            Kind::Map(m) => !m.borrow().is_empty(),
            Kind::Time(_) => true,
            Kind::Object(o) => o.truthy(),
        }
    }

    /// The Go type name, as printed by `%T` and Sprig's `typeOf`.
    pub fn type_name(&self) -> String {
        match &self.kind {
            Kind::Nil => "<nil>".into(),
            Kind::Bool(_) => "bool".into(),
            Kind::Int(_) => "int".into(),
            Kind::Int64(_) => "int64".into(),
            Kind::Uint64(_) => "uint64".into(),
            Kind::Float(_) => "float64".into(),
            Kind::Str(_) => "string".into(),
            Kind::List(_) => "[]interface {}".into(),
            Kind::Map(_) => "map[string]interface {}".into(),
            Kind::Time(_) => "time.Time".into(),
            Kind::Object(o) => o.type_name(),
        }
    }

    /// The Go reflect kind name, as printed by Sprig's `kindOf`.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Nil => "invalid",
            Kind::Bool(_) => "bool",
            Kind::Int(_) => "int",
            Kind::Int64(_) => "int64",
            Kind::Uint64(_) => "uint64",
            Kind::Float(_) => "float64",
            Kind::Str(_) => "string",
            Kind::List(_) => "slice",
            Kind::Map(_) => "map",
            Kind::Time(_) => "struct",
            Kind::Object(_) => "ptr",
        }
    }

    /// Strips provenance recursively-free: returns the same data with no provenance on the top level.
    pub fn without_prov(&self) -> Value {
        Value::new(self.kind.clone())
    }

    /// The single origin of a scalar, if it has one covering it wholly.
    pub fn origin(&self) -> Option<Origin> {
        match &self.prov {
            Prov::Whole(o) => Some(*o),
            Prov::Spans(s) => {
                let len = self.as_str().map(str::len).unwrap_or(0);
                if s.len() == 1 && s[0].start == 0 && s[0].end == len {
                    Some(s[0].origin)
                } else {
                    None
                }
            }
            Prov::None => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::str(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::int(i)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::float(f)
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Value {
        Value::list(v)
    }
}
impl From<BTreeMap<String, Value>> for Value {
    fn from(m: BTreeMap<String, Value>) -> Value {
        Value::map(m)
    }
}

/// Size units of one node (a scalar, a list or a map, a map entry's key aside) in
/// [`Value::expanded_size`]: about what a node costs once written out or copied.
pub(crate) const NODE_UNITS: usize = 16;

/// Nesting below which [`Value::expanded_size`] stops descending (cyclic maps built with
/// `set`; the printers stop at a similar depth).
const MAX_SIZE_DEPTH: usize = 1000;

impl Value {
    /// The size of the value written out in full, as `toJson`, `toYaml`, `printf "%v"`,
    /// `deepCopy` or a deep comparison walk it: 16 units per node plus the bytes of
    /// strings and keys. A map or list reachable twice counts twice (templates can share a
    /// map at every level of a tree: 40 levels make 2^40 paths). The walk stops as soon as
    /// the size passes `limit`, so it costs at most about `limit / 16` nodes; the
    /// result is then some size above `limit`.
    pub fn expanded_size(&self, limit: usize) -> usize {
        let mut total = 0usize;
        add_size(self, limit, 0, &mut total);
        total
    }
}

fn add_size(v: &Value, limit: usize, depth: usize, total: &mut usize) {
    *total = total.saturating_add(NODE_UNITS);
    if *total > limit || depth > MAX_SIZE_DEPTH {
        return;
    }
    match &v.kind {
        Kind::Str(s) => *total = total.saturating_add(s.len()),
        Kind::List(l) => {
            for x in l.iter() {
                add_size(x, limit, depth + 1, total);
                if *total > limit {
                    return;
                }
            }
        }
        Kind::Map(m) => {
            for (k, x) in m.borrow().iter() {
                *total = total.saturating_add(k.len());
                add_size(x, limit, depth + 1, total);
                if *total > limit {
                    return;
                }
            }
        }
        _ => {}
    }
}

/// Go's `reflect.DeepEqual` on values (types must match exactly).
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    deep_equal_depth(a, b, 0)
}

fn deep_equal_depth(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > 1000 {
        return false;
    }
    match (&a.kind, &b.kind) {
        (Kind::Nil, Kind::Nil) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Int(x), Kind::Int(y)) | (Kind::Int64(x), Kind::Int64(y)) => x == y,
        (Kind::Uint64(x), Kind::Uint64(y)) => x == y,
        (Kind::Float(x), Kind::Float(y)) => x == y,
        (Kind::Str(x), Kind::Str(y)) => x == y,
        (Kind::List(x), Kind::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| deep_equal_depth(p, q, depth + 1))
        }
        (Kind::Map(x), Kind::Map(y)) => {
            if Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && deep_equal_depth(v1, v2, depth + 1))
        }
        (Kind::Time(x), Kind::Time(y)) => x == y,
        (Kind::Object(x), Kind::Object(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// Numeric view of a value, used by comparisons and math helpers.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Num {
    I(i64),
    U(u64),
    F(f64),
}

impl Num {
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Num::I(i) => i as f64,
            Num::U(u) => u as f64,
            Num::F(f) => f,
        }
    }
    pub(crate) fn cmp(self, other: Num) -> Option<Ordering> {
        match (self, other) {
            (Num::I(a), Num::I(b)) => Some(a.cmp(&b)),
            (Num::U(a), Num::U(b)) => Some(a.cmp(&b)),
            (Num::I(a), Num::U(b)) => Some(if a < 0 {
                Ordering::Less
            } else {
                (a as u64).cmp(&b)
            }),
            (Num::U(a), Num::I(b)) => Some(if b < 0 {
                Ordering::Greater
            } else {
                a.cmp(&(b as u64))
            }),
            (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
        }
    }
}
