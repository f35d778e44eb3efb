//! Scalar typing as Kubernetes tools read YAML (sigs.k8s.io/yaml over go-yaml v2, YAML 1.1).

use serde_json::{Number, Value};

/// The JSON value of a plain (unquoted, untagged) scalar.
///
/// ```
/// use cct_engine::yaml::resolve_plain;
/// use serde_json::json;
/// assert_eq!(resolve_plain("yes"), json!(true));
/// assert_eq!(resolve_plain("0755"), json!(493));
/// assert_eq!(resolve_plain("1.5"), json!(1.5));
/// assert_eq!(resolve_plain("~"), json!(null));
/// assert_eq!(resolve_plain("1.4.2"), json!("1.4.2"));
/// ```
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => {
            // Not representable in JSON: kept as text.
            return Value::String(text.to_string());
        }
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return Value::String(text.to_string());
    }
    if let Some(n) = parse_int(text) {
        return n;
    }
    if is_float(text) {
        if let Ok(f) = text.replace('_', "").parse::<f64>() {
            if let Some(n) = Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    Value::String(text.to_string())
}

/// The JSON value of a scalar with an explicit tag (`!!str`, `!!int`…).
pub(super) fn resolve_tagged(text: &str, tag: &str) -> Value {
    match tag {
        "!!str" | "!!binary" | "!!timestamp" => Value::String(text.to_string()),
        "!!null" => Value::Null,
        "!!bool" | "!!int" | "!!float" => match resolve_plain(text) {
            Value::String(_) => Value::String(text.to_string()),
            v => v,
        },
        _ => resolve_plain(text),
    }
}

fn parse_int(text: &str) -> Option<Value> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    let (neg, digits) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    if digits.is_empty() {
        return None;
    }
    let (radix, body) = if let Some(b) = digits.strip_prefix("0x") {
        (16, b)
    } else if let Some(b) = digits.strip_prefix("0b") {
        (2, b)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    match i128::from_str_radix(body, radix) {
        Ok(v) => {
            let v = if neg { -v } else { v };
            if let Ok(i) = i64::try_from(v) {
                Some(Value::Number(Number::from(i)))
            } else if let Ok(u) = u64::try_from(v) {
                Some(Value::Number(Number::from(u)))
            } else {
                Number::from_f64(v as f64).map(Value::Number)
            }
        }
        Err(_) => None,
    }
}

fn is_float(text: &str) -> bool {
    // [-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?
    let b = text.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || (i > int_start && b[i] == b'_')) {
        i += 1;
    }
    let had_int = i > int_start;
    let mut had_frac = false;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
        had_frac = i > frac_start;
        if !had_int && !had_frac {
            return false;
        }
    } else if !had_int {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len() && (had_int || had_frac)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubernetes_typing() {
        for (text, want) in [
            ("on", json!(true)),
            ("Off", json!(false)),
            ("8080", json!(8080)),
            ("-1", json!(-1)),
            ("0x1F", json!(31)),
            ("1_000", json!(1000)),
            ("1e3", json!(1000.0)),
            ("3.", json!(3.0)),
            ("1:20", json!("1:20")),
            ("500m", json!("500m")),
            ("2Gi", json!("2Gi")),
            ("v1", json!("v1")),
            ("08", json!(8.0)), // go-yaml v2: not octal, but a float
            ("-", json!("-")),
            (".", json!(".")),
            (".5", json!(0.5)),
            ("1.2.3", json!("1.2.3")),
            ("nginx:1.25", json!("nginx:1.25")),
        ] {
            assert_eq!(resolve_plain(text), want, "{text}");
        }
        assert_eq!(resolve_tagged("8080", "!!str"), json!("8080"));
    }
}
