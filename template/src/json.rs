//! JSON reading and writing with Go `encoding/json` semantics for `interface{}` values.

use std::collections::BTreeMap;

use crate::gofmt::{format_float_v, shortest_digits};
use crate::value::{Kind, Value};

/// Why JSON could not be read or written, with Go's `encoding/json` messages.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// A character that cannot begin a value.
    #[error("invalid character '{0}' looking for beginning of value")]
    UnexpectedChar(char),
    /// A character after the value.
    #[error("invalid character '{0}' after top-level value")]
    TrailingChar(char),
    /// The text ends inside a value.
    #[error("unexpected end of JSON input")]
    UnexpectedEnd,
    /// Values nested more than 1000 deep.
    #[error("exceeded max depth")]
    TooDeep,
    /// A number Go cannot read.
    #[error("invalid number {0}")]
    InvalidNumber(String),
    /// A bad `\` escape in a string.
    #[error("invalid escape")]
    InvalidEscape,
    /// A control character in a string.
    #[error("invalid character in string literal")]
    ControlCharacter,
    /// NaN or an infinity, which JSON cannot hold.
    #[error("json: unsupported value: {}", format_float_v(*.0))]
    UnsupportedFloat(f64),
    /// Values nested more than 1000 deep (Go's cycle detection).
    #[error("json: unsupported value: encountered a cycle")]
    Cycle,
}

/// Parses JSON; numbers become `float64` like Go's `json.Unmarshal` into `interface{}`.
pub(crate) fn from_json(text: &str) -> Result<Value, JsonError> {
    let mut p = P {
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    p.ws();
    let v = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return Err(JsonError::TrailingChar(p.b[p.i] as char));
    }
    Ok(v)
}

struct P<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn err(&self) -> JsonError {
        match self.b.get(self.i) {
            Some(c) => JsonError::UnexpectedChar(*c as char),
            None => JsonError::UnexpectedEnd,
        }
    }
    fn value(&mut self) -> Result<Value, JsonError> {
        self.depth += 1;
        if self.depth > 1000 {
            return Err(JsonError::TooDeep);
        }
        let r = self.value_inner();
        self.depth -= 1;
        r
    }
    fn value_inner(&mut self) -> Result<Value, JsonError> {
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut m = BTreeMap::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Value::map(m));
                }
                loop {
                    self.ws();
                    if self.b.get(self.i) != Some(&b'"') {
                        return Err(self.err());
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return Err(self.err());
                    }
                    self.i += 1;
                    self.ws();
                    let v = self.value()?;
                    m.insert(k, v);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::map(m));
                        }
                        _ => return Err(self.err()),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut l = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Value::list(l));
                }
                loop {
                    self.ws();
                    l.push(self.value()?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::list(l));
                        }
                        _ => return Err(self.err()),
                    }
                }
            }
            Some(b'"') => Ok(Value::str(self.string()?)),
            Some(b't') => self.lit("true", Value::bool(true)),
            Some(b'f') => self.lit("false", Value::bool(false)),
            Some(b'n') => self.lit("null", Value::nil()),
            Some(b'-' | b'0'..=b'9') => {
                let st = self.i;
                self.i += 1;
                while self.i < self.b.len()
                    && matches!(
                        self.b[self.i],
                        b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'
                    )
                {
                    self.i += 1;
                }
                // ASCII only, by the loop above.
                let t = String::from_utf8_lossy(&self.b[st..self.i]);
                t.parse::<f64>()
                    .map(Value::float)
                    .map_err(|_| JsonError::InvalidNumber(t.into_owned()))
            }
            _ => Err(self.err()),
        }
    }
    fn lit(&mut self, word: &str, v: Value) -> Result<Value, JsonError> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err())
        }
    }
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let h = self
            .b
            .get(self.i..self.i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or(JsonError::InvalidEscape)?;
        self.i += 4;
        Ok(h)
    }
    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(JsonError::UnexpectedEnd);
            };
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.b.get(self.i) else {
                        return Err(JsonError::UnexpectedEnd);
                    };
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\x08',
                        b'f' => '\x0c',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let h = self.hex4()?;
                            if (0xD800..0xDC00).contains(&h)
                                && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                self.i += 2;
                                let l = self.hex4()?;
                                let c = 0x10000
                                    + ((h - 0xD800) << 10)
                                    + (l.wrapping_sub(0xDC00) & 0x3FF);
                                char::from_u32(c).unwrap_or('\u{FFFD}')
                            } else {
                                char::from_u32(h).unwrap_or('\u{FFFD}')
                            }
                        }
                        _ => return Err(JsonError::InvalidEscape),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c if c < 0x20 => return Err(JsonError::ControlCharacter),
                c => out.push(c),
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// Go's float encoding in `encoding/json`.
pub(crate) fn json_float(f: f64) -> Result<String, JsonError> {
    if f.is_nan() || f.is_infinite() {
        return Err(JsonError::UnsupportedFloat(f));
    }
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        let (neg, digits, exp) = shortest_digits(f);
        let mut s = String::new();
        if neg {
            s.push('-');
        }
        s.push(digits[0] as char);
        if digits.len() > 1 {
            s.push('.');
            for d in &digits[1..] {
                s.push(*d as char);
            }
        }
        s.push('e');
        s.push(if exp < 0 { '-' } else { '+' });
        s.push_str(&exp.unsigned_abs().to_string());
        return Ok(s);
    }
    // Shortest 'f' formatting.
    let s = format!("{f}");
    Ok(if s == "-0" { "-0".into() } else { s })
}

pub(crate) fn json_string(s: &str, html: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `json.Marshal` / `json.MarshalIndent(v, "", indent)`; `html` selects HTML-safe escaping.
pub(crate) fn to_json(v: &Value, html: bool, indent: Option<&str>) -> Result<String, JsonError> {
    let mut out = String::new();
    write(v, html, indent, 0, &mut out)?;
    Ok(out)
}

fn newline(indent: Option<&str>, level: usize, out: &mut String) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..level {
            out.push_str(ind);
        }
    }
}

fn write(
    v: &Value,
    html: bool,
    indent: Option<&str>,
    level: usize,
    out: &mut String,
) -> Result<(), JsonError> {
    if level > 1000 {
        return Err(JsonError::Cycle);
    }
    match v.kind() {
        Kind::Nil => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Int(i) | Kind::Int64(i) => out.push_str(&i.to_string()),
        Kind::Uint64(u) => out.push_str(&u.to_string()),
        Kind::Float(f) => out.push_str(&json_float(*f)?),
        Kind::Str(s) => json_string(s, html, out),
        Kind::List(l) => {
            if l.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (k, x) in l.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                newline(indent, level + 1, out);
                write(x, html, indent, level + 1, out)?;
            }
            newline(indent, level, out);
            out.push(']');
        }
        Kind::Map(m) => {
            let m = m.borrow();
            if m.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (k, (key, x)) in m.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                newline(indent, level + 1, out);
                json_string(key, html, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write(x, html, indent, level + 1, out)?;
            }
            newline(indent, level, out);
            out.push('}');
        }
        Kind::Time(t) => {
            let s = crate::funcs::date::go_format(t, "2006-01-02T15:04:05.999999999Z07:00");
            json_string(&s, html, out);
        }
        Kind::Object(o) => write(&o.to_plain(), html, indent, level, out)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_print_go_messages() {
        let err = |t: &str| from_json(t).unwrap_err().to_string();
        assert_eq!(err("{"), "unexpected end of JSON input");
        assert_eq!(err("[1] x"), "invalid character 'x' after top-level value");
        assert_eq!(
            err("[,]"),
            "invalid character ',' looking for beginning of value"
        );
        assert_eq!(err("\"a\\q\""), "invalid escape");
        assert_eq!(err("\"a\u{1}\""), "invalid character in string literal");
        assert_eq!(err("1.2.3"), "invalid number 1.2.3");
        // 1001 nested arrays need more than a test thread's stack in a debug build.
        let deep = std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(|| from_json(&"[".repeat(1001)).unwrap_err().to_string())
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(deep, "exceeded max depth");
        let nan = to_json(&Value::float(f64::NAN), true, None).unwrap_err();
        assert_eq!(nan.to_string(), "json: unsupported value: NaN");
        assert_eq!(
            json_float(f64::NEG_INFINITY).unwrap_err().to_string(),
            "json: unsupported value: -Inf"
        );
    }
}
