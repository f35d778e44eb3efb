//! Helm's `toToml` and `fromToml`.
//!
//! `toToml` writes what Helm's encoder (BurntSushi/toml) writes: the keys of a table that
//! are not tables first, then its sub-tables, each group sorted; two spaces of indentation per
//! level; `[a.b]` headers and `[[a]]` for lists of tables; floats always with a decimal point
//! (`80.0`, as every number of a values file is a float). An error is returned as the text
//! (Helm prints the encoder's message). `fromToml` reads TOML into a map (integers `int64`,
//! floats `float64`, offset date-times `time.Time`), or a map holding the error under `Error`.

use std::collections::BTreeMap;

use super::date::go_format;
use crate::value::{GoTime, Kind, Value};

/// Why a value cannot be written as TOML (the encoder's messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TomlError {
    /// A list holding a nil.
    #[error("toml: cannot encode array with nil element")]
    NilElement,
    /// Nil at the top (Go's reflection fails on it).
    #[error("reflect: call of reflect.Value.Type on zero Value")]
    Nil,
    /// A value that is not a table at the top.
    #[error("toml: top-level values must be Go maps or structs")]
    NoKey,
    /// A list of tables holding something else.
    #[error("toml: cannot encode {0} in an array of tables")]
    NotATable(String),
}

/// The TOML type of a value, as the encoder sorts them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TomlType {
    Scalar,
    Array,
    Hash,
    ArrayOfHashes,
}

fn plain(v: &Value) -> Value {
    match v.kind() {
        Kind::Object(o) => o.to_plain(),
        _ => v.clone(),
    }
}

/// The TOML type of a value (`None` for nil); a list with a nil element is an error.
fn toml_type(v: &Value) -> Result<Option<TomlType>, TomlError> {
    Ok(match plain(v).kind() {
        Kind::Nil => None,
        Kind::List(items) => match array_type(items)? {
            Some(TomlType::Hash) => Some(TomlType::ArrayOfHashes),
            _ => Some(TomlType::Array),
        },
        Kind::Map(_) => Some(TomlType::Hash),
        _ => Some(TomlType::Scalar),
    })
}

/// The type of a list's elements: tables when all are, else a plain array (`None` when
/// empty); a list with a nil element is an error.
fn array_type(items: &[Value]) -> Result<Option<TomlType>, TomlError> {
    if items.is_empty() {
        return Ok(None);
    }
    let mut all_tables = true;
    for item in items {
        match toml_type(item)? {
            None => return Err(TomlError::NilElement),
            Some(TomlType::Hash) => {}
            Some(_) => all_tables = false,
        }
    }
    Ok(Some(if all_tables {
        TomlType::Hash
    } else {
        TomlType::Array
    }))
}

fn is_bare(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_part(k: &str) -> String {
    if is_bare(k) {
        k.to_string()
    } else {
        quoted(k)
    }
}

fn key_string(key: &[String]) -> String {
    key.iter()
        .map(|k| key_part(k))
        .collect::<Vec<_>>()
        .join(".")
}

struct Encoder {
    out: String,
}

impl Encoder {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(key: &[String]) -> String {
        "  ".repeat(key.len().saturating_sub(1))
    }

    fn encode(&mut self, key: &[String], v: &Value) -> Result<(), TomlError> {
        let v = plain(v);
        match v.kind() {
            Kind::Nil => Ok(()),
            Kind::Map(_) => self.table(key, &v),
            Kind::List(items) if array_type(items)? == Some(TomlType::Hash) => {
                self.array_of_tables(key, items)
            }
            _ => self.key_value(key, &v, false),
        }
    }

    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), TomlError> {
        let Some(last) = key.last() else {
            return Err(TomlError::NoKey);
        };
        self.write(&format!("{}{} = ", Self::indent(key), key_part(last)));
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn element(&mut self, v: &Value) -> Result<(), TomlError> {
        let v = plain(v);
        match v.kind() {
            Kind::Time(t) => self.write(&go_format(t, "2006-01-02T15:04:05.999999999Z07:00")),
            Kind::Str(s) => self.write(&quoted(s)),
            Kind::Bool(b) => self.write(if *b { "true" } else { "false" }),
            Kind::Int(i) | Kind::Int64(i) => self.write(&i.to_string()),
            Kind::Uint64(u) => self.write(&u.to_string()),
            Kind::Float(f) => self.write(&float(*f)),
            Kind::List(items) => {
                self.write("[");
                for (i, item) in items.iter().enumerate() {
                    self.element(item)?;
                    if i + 1 != items.len() {
                        self.write(", ");
                    }
                }
                self.write("]");
            }
            Kind::Map(_) => self.map(&[], &v, true)?,
            Kind::Nil => return Err(TomlError::NilElement),
            Kind::Object(_) => self.write(&quoted(&crate::gofmt::format_v(&v))),
        }
        Ok(())
    }

    fn array_of_tables(&mut self, key: &[String], items: &[Value]) -> Result<(), TomlError> {
        if key.is_empty() {
            return Err(TomlError::NoKey);
        }
        for item in items {
            let item = plain(item);
            if item.is_nil() {
                continue;
            }
            if !matches!(item.kind(), Kind::Map(_)) {
                return Err(TomlError::NotATable(item.type_name()));
            }
            self.newline();
            self.write(&format!("{}[[{}]]", Self::indent(key), key_string(key)));
            self.newline();
            self.map(key, &item, false)?;
        }
        Ok(())
    }

    fn table(&mut self, key: &[String], v: &Value) -> Result<(), TomlError> {
        if key.len() == 1 {
            // An empty line between top-level tables.
            self.newline();
        }
        if !key.is_empty() {
            self.write(&format!("{}[{}]", Self::indent(key), key_string(key)));
            self.newline();
        }
        self.map(key, v, false)
    }

    fn map(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), TomlError> {
        let Some(m) = v.as_map() else {
            return Ok(());
        };
        let entries: BTreeMap<String, Value> = m.clone();
        drop(m);
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, val) in &entries {
            match toml_type(val)? {
                Some(TomlType::Hash | TomlType::ArrayOfHashes) => sub.push(k),
                _ => direct.push(k),
            }
        }
        if inline {
            self.write("{");
        }
        let groups = [(direct, !sub.is_empty()), (sub, false)];
        for (keys, trailing_comma) in groups {
            let n = keys.len();
            for (i, k) in keys.into_iter().enumerate() {
                let val = &entries[k];
                if plain(val).is_nil() {
                    continue;
                }
                if inline {
                    self.key_value(std::slice::from_ref(k), val, true)?;
                    if trailing_comma || i + 1 != n {
                        self.write(", ");
                    }
                } else {
                    let mut child = key.to_vec();
                    child.push(k.clone());
                    self.encode(&child, val)?;
                }
            }
        }
        if inline {
            self.write("}");
        }
        Ok(())
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, with `.0` added to an integral number.
fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "+inf" }.into();
    }
    let s = crate::gofmt::format_float_g_shortest(f);
    if s.contains(['.', 'e']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// Helm's `toToml`: the TOML text of a value (a table; anything else is written as an array
/// element is), or the encoder's error message; nil is an error of the function itself.
pub(crate) fn to_toml(v: &Value) -> Result<String, TomlError> {
    let mut e = Encoder { out: String::new() };
    let top = plain(v);
    let r = match top.kind() {
        Kind::Nil => return Err(TomlError::Nil),
        Kind::Map(_) => e.table(&[], &top),
        Kind::List(items) if array_type(items) == Ok(Some(TomlType::Hash)) => {
            e.array_of_tables(&[], items)
        }
        _ => e.element(&top),
    };
    Ok(match r {
        Ok(()) => e.out,
        Err(err) => err.to_string(),
    })
}

/// Helm's `fromToml`: the table read, or a map holding the error under `Error`.
pub(crate) fn from_toml(text: &str) -> Value {
    match text.parse::<toml::Table>() {
        Ok(t) => table_value(t),
        Err(e) => {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            let mut m = BTreeMap::new();
            m.insert(
                "Error".to_string(),
                Value::str(format!("toml: line {line}: {}", e.message())),
            );
            Value::map(m)
        }
    }
}

fn table_value(t: toml::Table) -> Value {
    Value::map(t.into_iter().map(|(k, v)| (k, toml_value(v))).collect())
}

fn toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::str(s),
        toml::Value::Integer(i) => Value::int64(i),
        toml::Value::Float(f) => Value::float(f),
        toml::Value::Boolean(b) => Value::bool(b),
        toml::Value::Datetime(d) => datetime(&d),
        toml::Value::Array(items) => Value::list(items.into_iter().map(toml_value).collect()),
        toml::Value::Table(t) => table_value(t),
    }
}

/// A TOML date-time as a `time.Time` (local ones in UTC).
fn datetime(d: &toml::value::Datetime) -> Value {
    let days = d
        .date
        .map(|date| days_from_civil(i64::from(date.year), date.month, date.day))
        .unwrap_or(0);
    let secs_of_day = d.time.map_or(0, |t| {
        i64::from(t.hour) * 3600 + i64::from(t.minute) * 60 + i64::from(t.second.unwrap_or(0))
    });
    let nanos = d.time.and_then(|t| t.nanosecond).unwrap_or(0);
    let offset = match d.offset {
        Some(toml::value::Offset::Custom { minutes }) => i32::from(minutes) * 60,
        _ => 0,
    };
    let unix = (days * 86_400 + secs_of_day - i64::from(offset)) as i128;
    Value::time(GoTime {
        unix_nanos: unix * 1_000_000_000 + i128::from(nanos),
        offset,
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_of_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 1, 1), 19_723);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }
}
