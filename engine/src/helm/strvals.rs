//! Helm's `--set` syntax (`pkg/strvals`): `a.b=c,list[0]=x,l={a,b}`, `\` escaping any
//! character, values typed as Helm types them (`true`/`false`/`null` case-insensitively,
//! integers without a leading zero as `int64`, anything else a string; `--set-string` keeps
//! every value a string). Each argument is a synthetic source file (path `--set` or
//! `--set-string`, text the argument), so every value set keeps an [`Origin`] with its span.

use std::sync::Arc;

use super::values::{Origin, Table, Value, ValueKind};
use crate::source::{ByteRange, SourceFile};

/// Helm's `MaxNestedNameLevel`.
const MAX_NESTED_NAME_LEVEL: usize = 30;
/// Helm's `MaxIndex`.
const MAX_INDEX: usize = 65536;

/// How values of a `--set` argument are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// `--set`: typed values.
    Typed,
    /// `--set-string`: every value a string.
    String,
    /// `--set-json`: every value JSON (`a.b={"c":1}`, `l[0]=[1,2]`), or a whole JSON object.
    Json,
    /// `--set-file`: every value the path of a file whose text is the (string) value.
    File,
    /// `--set-literal`: one key, the whole text after its `=` the string value, unescaped.
    Literal,
}

impl SetKind {
    /// The flag's name, also the path of the synthetic source file of its arguments.
    pub fn flag(self) -> &'static str {
        match self {
            SetKind::Typed => "--set",
            SetKind::String => "--set-string",
            SetKind::Json => "--set-json",
            SetKind::File => "--set-file",
            SetKind::Literal => "--set-literal",
        }
    }
}

/// A `--set` parse error, with Helm's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum StrvalsError {
    /// A key without `=`.
    #[error("key {} has no value", go_quote(.0))]
    NoValue(String),
    /// A key ending with `,`.
    #[error("key {} has no value (cannot end with ,)", go_quote(.0))]
    NoValueBeforeComma(String),
    /// `a.b` where `b` sets nothing.
    #[error("key map {} has no value", go_quote(.0))]
    EmptyMap(String),
    /// `a[0]` where `a` holds something else than a list (its Go type).
    #[error(
        "unable to parse key: interface conversion: interface {{}} is {0}, not []interface {{}}"
    )]
    NotAList(&'static str),
    /// `a.b` where `a` holds something else than a map (its Go type).
    #[error("unable to parse key: interface conversion: interface {{}} is {0}, not map[string]interface {{}}")]
    NotAMap(&'static str),
    /// More than Helm's `MaxNestedNameLevel` dots.
    #[error("value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}")]
    TooDeep,
    /// A negative list index.
    #[error("negative {0} index not allowed")]
    NegativeIndex(i64),
    /// A list index that is no integer.
    #[error("error parsing index: strconv.Atoi: parsing {}: invalid syntax", go_quote(.0))]
    BadIndex(String),
    /// A list index above Helm's `MaxIndex`.
    #[error("index of {0} is greater than maximum supported index of {MAX_INDEX}")]
    IndexTooLarge(usize),
    /// Text between `]` and `=`, `.` or `[`.
    #[error("unexpected data at end of array index: {}", go_quote(.0))]
    DataAfterIndex(String),
    /// `{a,b` without `}`.
    #[error("list must terminate with '}}'")]
    UnterminatedList,
    /// A `--set-json` value that is not JSON (serde_json's message).
    #[error("{0}")]
    Json(String),
    /// A `--set-file` file that cannot be read.
    #[error("{0}")]
    File(String),
}

enum Stop {
    Eof,
    At(char),
}

struct Parser {
    chars: Vec<(usize, char)>,
    pos: usize,
    len: usize,
    kind: SetKind,
    file: Arc<SourceFile>,
}

/// Parse one `--set` (or `--set-string`) argument into `dest`, as Helm's `strvals.ParseInto`.
pub(crate) fn parse_set(arg: &str, kind: SetKind, dest: &mut Table) -> Result<(), StrvalsError> {
    let file = SourceFile::new(kind.flag(), arg);
    if kind == SetKind::Json && arg.trim_start().starts_with('{') {
        // A whole JSON object, merged into the values.
        let json: serde_json::Value =
            serde_json::from_str(arg).map_err(|e| StrvalsError::Json(e.to_string()))?;
        let origin = Origin {
            file: Arc::clone(&file),
            range: ByteRange::new(0, arg.len()),
        };
        if let ValueKind::Map(t) = Value::from_json(&json, Some(&origin)).kind {
            super::values::merge_maps(dest, t);
        }
        return Ok(());
    }
    let mut p = Parser {
        chars: arg.char_indices().collect(),
        pos: 0,
        len: arg.len(),
        kind,
        file,
    };
    loop {
        match p.key(dest, 0) {
            Ok(()) => {}
            Err(Halt::Eof) => return Ok(()),
            Err(Halt::Error(e)) => return Err(e),
        }
    }
}

/// Why parsing stops: the end of the text (Go's `io.EOF`), or an error.
enum Halt {
    Eof,
    Error(StrvalsError),
}

type Step<T> = Result<T, Halt>;

fn eof<T>() -> Step<T> {
    Err(Halt::Eof)
}

fn fail<T>(e: StrvalsError) -> Step<T> {
    Err(Halt::Error(e))
}

impl Parser {
    fn offset(&self) -> usize {
        self.chars.get(self.pos).map_or(self.len, |c| c.0)
    }

    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).map(|c| c.1);
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Go's `runesUntil`: text up to a stop rune (consumed), `\` escaping; and the byte span of
    /// the raw text.
    fn until(&mut self, stop: &[char]) -> (String, Stop, ByteRange) {
        let start = self.offset();
        let mut out = String::new();
        loop {
            let end = self.offset();
            match self.read() {
                None => return (out, Stop::Eof, ByteRange::new(start, end)),
                Some(c) if stop.contains(&c) => {
                    return (out, Stop::At(c), ByteRange::new(start, end));
                }
                Some('\\') => match self.read() {
                    None => return (out, Stop::Eof, ByteRange::new(start, self.offset())),
                    Some(n) => out.push(n),
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn origin(&self, range: ByteRange) -> Option<Origin> {
        Some(Origin {
            file: Arc::clone(&self.file),
            range,
        })
    }

    fn typed(&self, text: String, range: ByteRange) -> Value {
        let kind = if self.kind == SetKind::String {
            ValueKind::String(text)
        } else if text.eq_ignore_ascii_case("true") {
            ValueKind::Bool(true)
        } else if text.eq_ignore_ascii_case("false") {
            ValueKind::Bool(false)
        } else if text.eq_ignore_ascii_case("null") {
            ValueKind::Null
        } else if text == "0" {
            ValueKind::Int(0)
        } else if !text.is_empty() && !text.starts_with('0') {
            match go_parse_int(&text) {
                Some(i) => ValueKind::Int(i),
                None => ValueKind::String(text),
            }
        } else {
            ValueKind::String(text)
        };
        Value {
            kind,
            origin: self.origin(range),
        }
    }

    fn empty_string(&self) -> Value {
        let at = self.offset();
        Value {
            kind: ValueKind::String(String::new()),
            origin: self.origin(ByteRange::new(at, at)),
        }
    }

    fn key(&mut self, data: &mut Table, level: usize) -> Step<()> {
        let (k, last, _) = self.until(&['=', '[', ',', '.']);
        match last {
            Stop::Eof => {
                if k.is_empty() {
                    eof()
                } else {
                    fail(StrvalsError::NoValue(k))
                }
            }
            Stop::At('[') => {
                let i = self.key_index()?;
                let mut list = match data.get(&k) {
                    None => Vec::new(),
                    Some(Value {
                        kind: ValueKind::List(l),
                        ..
                    }) => l.clone(),
                    Some(v) => return fail(StrvalsError::NotAList(go_type(v))),
                };
                let r = self.list_item(&mut list, i, level);
                set(data, &k, Value::list(list));
                r
            }
            Stop::At('=') if self.kind != SetKind::Typed && self.kind != SetKind::String => {
                let v = self.whole_value()?;
                set(data, &k, v);
                Ok(())
            }
            Stop::At('=') => match self.val_list() {
                Ok(list) => {
                    set(data, &k, Value::list(list));
                    Ok(())
                }
                Err(ListErr::Eof) => {
                    let v = self.empty_string();
                    set(data, &k, v);
                    eof()
                }
                Err(ListErr::NotList) => {
                    // The end of the text after a value is not reported here (Go's reader
                    // error shadows it): the next key sees it.
                    let (text, _, range) = self.until(&[',']);
                    let v = self.typed(text, range);
                    set(data, &k, v);
                    Ok(())
                }
                Err(ListErr::Other(e)) => fail(e),
            },
            Stop::At(',') => {
                let v = self.empty_string();
                set(data, &k, v);
                fail(StrvalsError::NoValueBeforeComma(k))
            }
            Stop::At(_) => {
                // '.'
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return fail(StrvalsError::TooDeep);
                }
                let mut inner = match data.get(&k) {
                    None => Table::new(),
                    Some(Value {
                        kind: ValueKind::Map(t),
                        ..
                    }) => t.clone(),
                    Some(v) => return fail(StrvalsError::NotAMap(go_type(v))),
                };
                let e = self.key(&mut inner, level);
                if e.is_ok() && inner.is_empty() {
                    return fail(StrvalsError::EmptyMap(k));
                }
                if !inner.is_empty() {
                    let origin = data.get(&k).and_then(|v| v.origin.clone());
                    set(
                        data,
                        &k,
                        Value {
                            kind: ValueKind::Map(inner),
                            origin,
                        },
                    );
                }
                e
            }
        }
    }

    fn key_index(&mut self) -> Step<usize> {
        let (v, last, _) = self.until(&[']']);
        if let Stop::Eof = last {
            return eof();
        }
        match v.parse::<i64>() {
            Ok(i) if i < 0 => fail(StrvalsError::NegativeIndex(i)),
            Ok(i) => Ok(i as usize),
            Err(_) => fail(StrvalsError::BadIndex(v)),
        }
    }

    fn list_item(&mut self, list: &mut Vec<Value>, i: usize, level: usize) -> Step<()> {
        let (k, last, _) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return fail(StrvalsError::DataAfterIndex(k));
        }
        match last {
            Stop::Eof => eof(),
            Stop::At('=') if self.kind != SetKind::Typed && self.kind != SetKind::String => {
                let v = self.whole_value()?;
                set_index(list, i, v)
            }
            Stop::At('=') => match self.val_list() {
                Ok(l) => set_index(list, i, Value::list(l)),
                Err(ListErr::Eof) => {
                    let v = self.empty_string();
                    set_index(list, i, v)
                }
                Err(ListErr::NotList) => {
                    let (text, _, range) = self.until(&[',']);
                    let v = self.typed(text, range);
                    set_index(list, i, v)
                }
                Err(ListErr::Other(e)) => fail(e),
            },
            Stop::At('[') => {
                let next = self.key_index()?;
                let mut crt = match list.get(i) {
                    Some(Value {
                        kind: ValueKind::List(l),
                        ..
                    }) => l.clone(),
                    Some(v) if !v.is_null() => return fail(StrvalsError::NotAList(go_type(v))),
                    _ => Vec::new(),
                };
                self.list_item(&mut crt, next, level)?;
                set_index(list, i, Value::list(crt))
            }
            Stop::At(_) => {
                // '.'
                let mut inner = match list.get(i) {
                    Some(Value {
                        kind: ValueKind::Map(t),
                        ..
                    }) => t.clone(),
                    _ => Table::new(),
                };
                self.key(&mut inner, level)?;
                set_index(list, i, Value::map(inner))
            }
        }
    }

    /// The value of a `--set-json`, `--set-file` or `--set-literal` key.
    fn whole_value(&mut self) -> Step<Value> {
        match self.kind {
            SetKind::Json => {
                let start = self.offset();
                let rest = &self.file.text()[start..];
                let mut stream = serde_json::Deserializer::from_str(rest).into_iter();
                let json: serde_json::Value = match stream.next() {
                    Some(Ok(j)) => j,
                    Some(Err(e)) => return fail(StrvalsError::Json(e.to_string())),
                    None => return fail(StrvalsError::Json("unexpected end of JSON input".into())),
                };
                let end = start + stream.byte_offset();
                while self.offset() < end {
                    self.read();
                }
                match self.read() {
                    None | Some(',') => {}
                    Some(c) => {
                        return fail(StrvalsError::Json(format!(
                            "invalid character {} after top-level value",
                            go_quote(&c.to_string())
                        )))
                    }
                }
                let origin = self.origin(ByteRange::new(start, end));
                Ok(Value::from_json(&json, origin.as_ref()))
            }
            SetKind::File => {
                let (path, _, _) = self.until(&[',']);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Halt::Error(StrvalsError::File(format!("open {path}: {e}"))))?;
                // The value points into the file it was read from.
                let len = text.len();
                let file = SourceFile::new(path, text.clone());
                Ok(Value {
                    kind: ValueKind::String(text),
                    origin: Some(Origin {
                        file,
                        range: ByteRange::new(0, len),
                    }),
                })
            }
            _ => {
                let start = self.offset();
                let text = self.file.text()[start..].to_string();
                self.pos = self.chars.len();
                Ok(Value {
                    kind: ValueKind::String(text),
                    origin: self.origin(ByteRange::new(start, self.len)),
                })
            }
        }
    }

    fn val_list(&mut self) -> Result<Vec<Value>, ListErr> {
        match self.read() {
            None => return Err(ListErr::Eof),
            Some('{') => {}
            Some(_) => {
                self.pos -= 1;
                return Err(ListErr::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (text, last, range) = self.until(&[',', '}']);
            match last {
                Stop::Eof => return Err(ListErr::Other(StrvalsError::UnterminatedList)),
                Stop::At('}') => {
                    if let Some(c) = self.read() {
                        if c != ',' {
                            self.pos -= 1;
                        }
                    }
                    list.push(self.typed(text, range));
                    return Ok(list);
                }
                Stop::At(_) => list.push(self.typed(text, range)),
            }
        }
    }
}

enum ListErr {
    Eof,
    NotList,
    Other(StrvalsError),
}

fn set(data: &mut Table, key: &str, v: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), v);
    }
}

fn set_index(list: &mut Vec<Value>, i: usize, v: Value) -> Step<()> {
    if i > MAX_INDEX {
        return fail(StrvalsError::IndexTooLarge(i));
    }
    if list.len() <= i {
        list.resize(i + 1, Value::null());
    }
    list[i] = v;
    Ok(())
}

/// Go's `strconv.ParseInt(s, 10, 64)` (an optional sign, ASCII digits, no `_`).
fn go_parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

fn go_type(v: &Value) -> &'static str {
    match v.kind {
        ValueKind::Null => "nil",
        ValueKind::Bool(_) => "bool",
        ValueKind::Int(_) => "int64",
        ValueKind::Float(_) => "float64",
        ValueKind::String(_) => "string",
        ValueKind::List(_) => "[]interface {}",
        ValueKind::Map(_) => "map[string]interface {}",
    }
}

/// Go's `%q` for ordinary text.
pub(crate) fn go_quote(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn example_parse_set() {
        let mut values = Table::new();
        parse_set(
            "image.tag=1.2,replicas=3,list={a,b}",
            SetKind::Typed,
            &mut values,
        )
        .unwrap();
        let json = crate::helm::Value::map(values).to_json();
        assert_eq!(
            json,
            serde_json::json!({"image": {"tag": "1.2"}, "replicas": 3, "list": ["a", "b"]})
        );
    }

    use super::*;
    use serde_json::json;

    fn parse(s: &str) -> serde_json::Value {
        let mut t = Table::new();
        parse_set(s, SetKind::Typed, &mut t).unwrap();
        Value::map(t).to_json()
    }

    fn err(s: &str) -> String {
        let mut t = Table::new();
        parse_set(s, SetKind::Typed, &mut t)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn scalars_are_typed_as_helm_types_them() {
        assert_eq!(
            parse("a=true,b=FALSE,c=null,d=0,e=012,f=-3,g=1.5,h=,i=9223372036854775808"),
            json!({"a": true, "b": false, "c": null, "d": 0, "e": "012", "f": -3, "g": "1.5", "h": "", "i": "9223372036854775808"})
        );
        let mut t = Table::new();
        parse_set("a=true,b=3", SetKind::String, &mut t).unwrap();
        assert_eq!(Value::map(t).to_json(), json!({"a": "true", "b": "3"}));
    }

    #[test]
    fn int_from_set_is_int64() {
        let mut t = Table::new();
        parse_set("n=1000000", SetKind::Typed, &mut t).unwrap();
        assert_eq!(t["n"].kind, ValueKind::Int(1_000_000));
    }

    #[test]
    fn nesting_lists_and_escapes() {
        assert_eq!(parse("a.b.c=1"), json!({"a": {"b": {"c": 1}}}));
        assert_eq!(parse("l[1]=x"), json!({"l": [null, "x"]}));
        assert_eq!(
            parse("l[0].name=x,l[0].v=2"),
            json!({"l": [{"name": "x", "v": 2}]})
        );
        assert_eq!(parse("l[0][1]=x"), json!({"l": [[null, "x"]]}));
        assert_eq!(parse("l={a, b,c}"), json!({"l": ["a", " b", "c"]}));
        assert_eq!(parse(r"a\.b=c\,d"), json!({"a.b": "c,d"}));
        assert_eq!(parse(r"name=a\=b"), json!({"name": "a=b"}));
        assert_eq!(parse("a=b=c"), json!({"a": "b=c"}));
        assert_eq!(parse("a={}"), json!({"a": [""]}));
        assert_eq!(parse("a="), json!({"a": ""}));
    }

    #[test]
    fn later_assignments_update_existing_tables() {
        let mut t = Table::new();
        parse_set("a.b=1", SetKind::Typed, &mut t).unwrap();
        parse_set("a.c=2,l[0]=x", SetKind::Typed, &mut t).unwrap();
        parse_set("l[2]=z", SetKind::Typed, &mut t).unwrap();
        assert_eq!(
            Value::map(t).to_json(),
            json!({"a": {"b": 1, "c": 2}, "l": ["x", null, "z"]})
        );
    }

    #[test]
    fn errors_have_helms_messages() {
        assert_eq!(err("a"), "key \"a\" has no value");
        assert_eq!(err("a,b=1"), "key \"a\" has no value (cannot end with ,)");
        assert_eq!(err("a.=1"), "key map \"a\" has no value");
        assert_eq!(err("a={b"), "list must terminate with '}'");
        assert_eq!(err("l[-1]=x"), "negative -1 index not allowed");
        assert_eq!(
            err("l[0]x=1"),
            "unexpected data at end of array index: \"x\""
        );
        assert_eq!(
            err("a=1,a.b=2"),
            "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
        );
        assert_eq!(
            err("a=x,a[0]=1"),
            "unable to parse key: interface conversion: interface {} is string, not []interface {}"
        );
        assert_eq!(
            err("l[x]=1"),
            "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            err("l[65537]=1"),
            "index of 65537 is greater than maximum supported index of 65536"
        );
        assert_eq!(
            err(&format!("{}=1", ["a"; 32].join("."))),
            "value name nested level is greater than maximum supported nested level of 30"
        );
    }

    #[test]
    fn values_have_synthetic_origins() {
        let mut t = Table::new();
        parse_set("image.tag=latest", SetKind::Typed, &mut t).unwrap();
        let v = Value::map(t);
        let o = v.pointer("/image/tag").unwrap().origin.clone().unwrap();
        assert_eq!(o.file.path(), "--set");
        assert_eq!(
            &o.file.text()[o.range.start as usize..o.range.end as usize],
            "latest"
        );
    }

    fn parse_kind(s: &str, kind: SetKind) -> serde_json::Value {
        let mut t = Table::new();
        parse_set(s, kind, &mut t).unwrap();
        Value::map(t).to_json()
    }

    #[test]
    fn set_json_values_are_json() {
        assert_eq!(
            parse_kind(r#"a.b=[1,"x"],c={"d":true},l[1]=null,e="s""#, SetKind::Json),
            json!({"a": {"b": [1, "x"]}, "c": {"d": true}, "l": [null, null], "e": "s"})
        );
        assert_eq!(
            parse_kind(r#"{"x":{"y":1}}"#, SetKind::Json),
            json!({"x": {"y": 1}})
        );
        let mut t = Table::new();
        assert!(parse_set("a={oops", SetKind::Json, &mut t).is_err());
        assert!(parse_set("a=1x", SetKind::Json, &mut t).is_err());
    }

    #[test]
    fn set_literal_keeps_commas_and_backslashes() {
        assert_eq!(
            parse_kind(r"a.b=x,y=\z{1}", SetKind::Literal),
            json!({"a": {"b": r"x,y=\z{1}"}})
        );
        assert_eq!(
            parse_kind("l[0]=true", SetKind::Literal),
            json!({"l": ["true"]})
        );
    }

    #[test]
    fn set_file_values_are_the_file_text_and_point_into_it() {
        let dir = std::env::temp_dir().join(format!("cct-set-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("conf.ini");
        std::fs::write(&f, "k = v\n").unwrap();
        let mut t = Table::new();
        let arg = format!("cfg.text={}", f.display());
        parse_set(&arg, SetKind::File, &mut t).unwrap();
        let v = Value::map(t.clone());
        assert_eq!(v.to_json(), json!({"cfg": {"text": "k = v\n"}}));
        let origins = v.origins();
        let o = origins
            .values()
            .find(|o| o.file.path().ends_with("conf.ini"));
        assert!(o.is_some(), "{origins:?}");
        let missing = format!("x={}", dir.join("absent").display());
        let e = parse_set(&missing, SetKind::File, &mut t).unwrap_err();
        assert!(e.to_string().starts_with("open "), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
