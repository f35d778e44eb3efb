//! How go-yaml v2 types a plain YAML scalar (YAML 1.1): the resolver behind Helm's
//! `fromYaml`/`toYaml` and values files (sigs.k8s.io/yaml) and behind Kubernetes tools reading
//! manifests.
//!
//! [`resolve`] gives the tag a plain (unquoted, untagged) scalar gets, with its value:
//!
//! * nulls: empty, `~`, `null`, `Null`, `NULL`;
//! * YAML 1.1 booleans: `y`, `yes`, `on`, `true` (and `n`, `no`, `off`, `false`) in their
//!   lower, capitalised and upper-case spellings;
//! * integers: Go's integer literals once every `_` is removed (`1_000`, `0x1F`, `0o17`, octal
//!   `0755`, `0b101`, a sign), as `int64`, or `uint64` above `int64`'s range;
//! * floats: `.inf`, `-.inf`, `.nan` and their spellings, and text matching YAML's float
//!   pattern (`1e3`, `.5`, `3.`, `08`) that Go parses without overflow;
//! * timestamps: `2001-12-14`, `2001-12-14T21:59:43.10-05:00`, `2001-12-14 21:59:43.10`;
//! * anything else (`1.2.3`, `0x`, `1e400`, `<<`, `v1`) a string.
//!
//! Tagged scalars (`!!str 1`) and quoted ones are the caller's business, and so are merge
//! keys: go-yaml v2 resolves the text `<<` as a string, and its decoder recognises a plain `<<`
//! mapping key as a merge by its text. [`is_base60_float`] is the extra rule go-yaml's encoder
//! applies before it writes a string unquoted.
//!
//! ```
//! use cct_yaml11::{resolve, Resolved};
//!
//! assert_eq!(resolve("yes"), Resolved::Bool(true));
//! assert_eq!(resolve("0755"), Resolved::Int(493));
//! assert_eq!(resolve("1.5"), Resolved::Float(1.5));
//! assert_eq!(resolve("~"), Resolved::Null);
//! assert_eq!(resolve("2001-12-14"), Resolved::Timestamp);
//! assert_eq!(resolve("1.4.2"), Resolved::Str);
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![deny(missing_docs)]

mod base60;
mod number;
mod timestamp;

pub use base60::is_base60_float;

/// The tag a plain scalar resolves to, with its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved {
    /// `!!null`.
    Null,
    /// `!!bool`.
    Bool(bool),
    /// `!!int` within `int64`.
    Int(i64),
    /// `!!int` above `int64::MAX` (Go's `uint64`).
    Uint(u64),
    /// `!!float`, infinities and NaN included.
    Float(f64),
    /// `!!timestamp` (decoders into Go's `interface{}` keep the text as a string).
    Timestamp,
    /// `!!str`.
    Str,
}

impl Resolved {
    /// Whether the scalar is a string: go-yaml v2 writes such a string unquoted (unless it
    /// is a base-60 float, see [`is_base60_float`]).
    pub fn is_str(self) -> bool {
        matches!(self, Resolved::Str)
    }
}

/// The JSON value sigs.k8s.io/yaml makes of a plain (unquoted, untagged) scalar: the
/// resolved type, with `.inf`/`.nan` (not representable in JSON) and timestamps (decoders into
/// Go's `interface{}` keep their text) kept as text.
#[cfg(feature = "json")]
pub fn json_value(text: &str) -> serde_json::Value {
    use serde_json::{Number, Value};
    match resolve(text) {
        Resolved::Null => Value::Null,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Number(Number::from(i)),
        Resolved::Uint(u) => Value::Number(Number::from(u)),
        Resolved::Float(f) => {
            Number::from_f64(f).map_or_else(|| Value::String(text.to_string()), Value::Number)
        }
        Resolved::Timestamp | Resolved::Str => Value::String(text.to_string()),
    }
}

/// The tag and value go-yaml v2 gives the plain scalar `text` (its `resolve("", text)`).
pub fn resolve(text: &str) -> Resolved {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        _ => {}
    }
    // go-yaml's hint: only a leading dot, digit or sign can start anything but a string.
    match text.as_bytes().first() {
        Some(b'.') => number::parse_dot_float(text).map_or(Resolved::Str, Resolved::Float),
        Some(b'0'..=b'9' | b'+' | b'-') => number_or_timestamp(text),
        _ => Resolved::Str,
    }
}

/// go-yaml v2's order for text starting with a digit or a sign: timestamp, `int64`, `uint64`,
/// float, then its own reading of `0b` literals.
fn number_or_timestamp(text: &str) -> Resolved {
    if timestamp::is_timestamp(text) {
        return Resolved::Timestamp;
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(i) = number::parse_int(&plain, 0) {
        return Resolved::Int(i);
    }
    if let Some(u) = number::parse_uint(&plain, 0) {
        return Resolved::Uint(u);
    }
    if let Some(f) = number::parse_float(&plain) {
        return Resolved::Float(f);
    }
    // Go's base-0 parsing already read `0b101`; these only add what base 2 accepts after
    // the prefix (a sign: `0b-101` is -5).
    if let Some(bits) = plain.strip_prefix("0b") {
        if let Some(i) = number::parse_int(bits, 2) {
            return Resolved::Int(i);
        }
        if let Some(u) = number::parse_uint(bits, 2) {
            return Resolved::Uint(u);
        }
    } else if let Some(bits) = plain.strip_prefix("-0b") {
        if let Some(i) = number::parse_int(&format!("-{bits}"), 2) {
            return Resolved::Int(i);
        }
    }
    Resolved::Str
}

#[cfg(test)]
mod tests;
