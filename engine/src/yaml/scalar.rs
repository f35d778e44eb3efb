//! Scalar typing as Kubernetes tools read YAML (sigs.k8s.io/yaml over go-yaml v2, YAML 1.1):
//! go-yaml v2's resolver ([`cct_yaml11`]), then the JSON value sigs.k8s.io/yaml makes of it.

use serde_json::Value;

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
    cct_yaml11::json_value(text)
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

    #[test]
    fn json_values_of_resolved_scalars() {
        for (text, want) in [
            (".inf", json!(".inf")),
            ("-.Inf", json!("-.Inf")),
            (".NaN", json!(".NaN")),
            ("2001-12-14", json!("2001-12-14")),
            ("18446744073709551615", json!(18446744073709551615u64)),
            ("18446744073709551616", json!(18446744073709551616.0)),
            // go-yaml v2's readings that the engine's own resolver used to miss.
            ("0o17", json!(15)),
            ("0X1F", json!(31)),
            ("0x1FFFFFFFFFFFFFFFFF", json!("0x1FFFFFFFFFFFFFFFFF")),
            ("1e3_0", json!(1e30)),
            ("._5", json!("._5")),
            ("0b-101", json!(-5)),
        ] {
            assert_eq!(resolve_plain(text), want, "{text}");
        }
        assert_eq!(resolve_tagged("yes", "!!bool"), json!(true));
        assert_eq!(resolve_tagged("x", "!!int"), json!("x"));
    }
}
