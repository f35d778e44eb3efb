//! The `x-cct-quantity` schema keyword: compares Kubernetes quantities (`500m`, `2Gi`, `1e3`).

use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError};
use serde_json::{Map, Value};

/// The value of a Kubernetes quantity, as a float.
pub(crate) fn parse_quantity(text: &str) -> Option<f64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(t.len());
    let (num, suffix) = t.split_at(split);
    let base: f64 = num.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        s if s.starts_with(['e', 'E']) => 10f64.powi(s[1..].parse::<i32>().ok()?),
        _ => return None,
    };
    Some(base * factor)
}

fn quantity_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_quantity(s),
        _ => None,
    }
}

struct QuantityBounds {
    minimum: Option<(f64, String)>,
    maximum: Option<(f64, String)>,
    exclusive_minimum: Option<(f64, String)>,
    exclusive_maximum: Option<(f64, String)>,
}

impl QuantityBounds {
    fn violation(&self, instance: &Value) -> Option<String> {
        // Non-quantities are left to other keywords (`type`, `pattern`).
        let q = quantity_of(instance)?;
        let shown = match instance {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if let Some((m, t)) = &self.minimum {
            if q < *m {
                return Some(format!("{shown} is less than {t}"));
            }
        }
        if let Some((m, t)) = &self.exclusive_minimum {
            if q <= *m {
                return Some(format!("{shown} is not more than {t}"));
            }
        }
        if let Some((m, t)) = &self.maximum {
            if q > *m {
                return Some(format!("{shown} is more than {t}"));
            }
        }
        if let Some((m, t)) = &self.exclusive_maximum {
            if q >= *m {
                return Some(format!("{shown} is not less than {t}"));
            }
        }
        None
    }
}

impl<'i> Keyword<'i> for QuantityBounds {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        match self.violation(instance) {
            Some(msg) => Err(ValidationError::custom(msg)),
            None => Ok(()),
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.violation(instance).is_none()
    }
}

pub(crate) fn factory<'a>(
    _parent: &'a Map<String, Value>,
    value: &'a Value,
    _path: Location,
) -> Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    let bound = |name: &str| -> Result<Option<(f64, String)>, ValidationError<'a>> {
        match value.get(name) {
            None => Ok(None),
            Some(v) => match quantity_of(v) {
                Some(q) => Ok(Some((
                    q,
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                ))),
                None => Err(ValidationError::custom(format!(
                    "x-cct-quantity: `{name}` is not a quantity"
                ))),
            },
        }
    };
    if !value.is_object() {
        return Err(ValidationError::custom(
            "x-cct-quantity expects an object with minimum/maximum bounds",
        ));
    }
    Ok(Box::new(QuantityBounds {
        minimum: bound("minimum")?,
        maximum: bound("maximum")?,
        exclusive_minimum: bound("exclusiveMinimum")?,
        exclusive_maximum: bound("exclusiveMaximum")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_parse_quantity() {
        assert_eq!(parse_quantity("2Gi"), Some(2.0 * 1024.0 * 1024.0 * 1024.0));
        assert_eq!(parse_quantity("500m"), Some(0.5));
        assert_eq!(parse_quantity("1Ti"), Some(1024f64.powi(4)));
        assert_eq!(parse_quantity("abc"), None);
    }
}
