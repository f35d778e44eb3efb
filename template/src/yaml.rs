//! YAML as Helm sees it.
//!
//! * [`to_yaml`] reproduces `sigs.k8s.io/yaml.Marshal`: the value goes through JSON
//!   (so numbers are re-read by go-yaml v2's resolver) and is then emitted by go-yaml v2
//!   (sorted keys with its "natural" order, quoting rules, `|-` literals, 80-column
//!   folding, indentless sequences inside mappings).
//! * [`from_yaml`] reproduces `sigs.k8s.io/yaml.Unmarshal` into `interface{}`:
//!   numbers become `float64`, keys strings, timestamps stay strings.
//! * [`parse_values`] does the same while attaching [`Origin::Value`] spans to scalars.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use granit_parser::{Event, Parser, ScalarStyle};

use crate::gofmt::format_float_g_shortest;
use crate::json::json_float;
use crate::parse::{parse_go_int, parse_go_uint};
use crate::prov::{Origin, Out, Prov, SourceId};
use crate::value::{Kind, Value};

// ---------------------------------------------------------------------------
// Resolver (go-yaml v2 `resolve`): what tag a plain scalar would get.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Null,
    Bool(bool),
    Int,
    Float,
    Timestamp,
    Merge,
    Str,
}

fn resolve(s: &str) -> Tag {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Tag::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Tag::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Tag::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => return Tag::Float,
        "<<" => return Tag::Merge,
        _ => {}
    }
    let Some(&c) = s.as_bytes().first() else {
        return Tag::Str;
    };
    match c {
        b'.' => {
            if go_parse_float(s).is_some() {
                Tag::Float
            } else {
                Tag::Str
            }
        }
        b'0'..=b'9' | b'+' | b'-' => {
            if is_timestamp(s) {
                return Tag::Timestamp;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if parse_go_int(&plain).is_some() || parse_go_uint_signed(&plain) {
                return Tag::Int;
            }
            if yaml_style_float(&plain) && go_parse_float(&plain).is_some() {
                return Tag::Float;
            }
            if let Some(b) = plain
                .strip_prefix("0b")
                .or_else(|| plain.strip_prefix("-0b"))
            {
                if !b.is_empty() && b.bytes().all(|c| c == b'0' || c == b'1') && b.len() <= 64 {
                    return Tag::Int;
                }
            }
            Tag::Str
        }
        _ => Tag::Str,
    }
}

fn parse_go_uint_signed(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    !body.starts_with('-') && parse_go_uint(body).is_some()
}

/// Go's `strconv.ParseFloat` for the subset YAML values use (decimal, inf/nan words).
fn go_parse_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        return Some(if body == "nan" {
            f64::NAN
        } else if lower.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if body.starts_with("0x") || s.contains('_') {
        return None;
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() && i - st < 2 {
            i += 1;
        }
        let n = i - st;
        if n == 0 || (n == 2 && b[st] > b'5') {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

/// go-yaml v2 `parseTimestamp` (formats `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00`,
/// lower-case `t`, and `2006-1-2 15:4:5.999999999`).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |i: &mut usize, min: usize, max: usize| -> Option<i64> {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - st < max {
            *i += 1;
        }
        if *i - st < min {
            return None;
        }
        s[st..*i].parse().ok()
    };
    let mut i = 0;
    let Some(y) = num(&mut i, 4, 4) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(m) = num(&mut i, 1, 2) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(d) = num(&mut i, 1, 2) else {
        return false;
    };
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let sep = b[i];
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    let (Some(h), true, Some(mi), true, Some(se)) = (
        num(&mut i, 1, 2),
        b.get(i) == Some(&b':') && {
            i += 1;
            true
        },
        num(&mut i, 1, 2),
        b.get(i) == Some(&b':') && {
            i += 1;
            true
        },
        num(&mut i, 1, 2),
    ) else {
        return false;
    };
    if h > 23 || mi > 59 || se > 59 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if num(&mut i, 1, 9).is_none() {
            return false;
        }
    }
    if sep == b' ' {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i += 1;
            let ok = num(&mut i, 2, 2).is_some() && b.get(i) == Some(&b':') && {
                i += 1;
                num(&mut i, 2, 2).is_some()
            };
            ok && i == b.len()
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Emitter

#[derive(Debug)]
enum Node {
    Null(Prov),
    Bool(bool, Prov),
    Num(String, Prov),
    Str(Rc<str>, Prov),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// The JSON round trip of sigs.k8s.io/yaml: numbers are printed as JSON then resolved.
fn to_node(v: &Value, depth: usize, json: bool) -> Result<Node, String> {
    if depth > 1000 {
        return Err("too deep".into());
    }
    let p = || match v.kind() {
        Kind::List(_) | Kind::Map(_) => Prov::None,
        _ => v.prov().clone(),
    };
    Ok(match v.kind() {
        Kind::Nil => Node::Null(p()),
        Kind::Bool(b) => Node::Bool(*b, p()),
        Kind::Int(i) | Kind::Int64(i) => Node::Num(i.to_string(), p()),
        Kind::Uint64(u) => Node::Num(u.to_string(), p()),
        Kind::Float(f) if !json => {
            let t = match format_float_g_shortest(*f).as_str() {
                "+Inf" => ".inf".to_string(),
                "-Inf" => "-.inf".to_string(),
                "NaN" => ".nan".to_string(),
                s => s.to_string(),
            };
            Node::Num(t, p())
        }
        Kind::Float(f) => {
            let j = json_float(*f)?;
            let text = if let Some(i) = parse_go_int(&j) {
                i.to_string()
            } else if let Some(u) = parse_go_uint(&j) {
                u.to_string()
            } else {
                let f: f64 = j.parse().map_err(|_| format!("bad float {j}"))?;
                format_float_g_shortest(f)
            };
            Node::Num(text, p())
        }
        Kind::Str(s) => Node::Str(s.clone(), p()),
        Kind::List(l) => Node::Seq(
            l.iter()
                .map(|x| to_node(x, depth + 1, json))
                .collect::<Result<_, _>>()?,
        ),
        Kind::Map(m) => {
            let mut items: Vec<(String, Node)> = m
                .borrow()
                .iter()
                .map(|(k, x)| Ok((k.clone(), to_node(x, depth + 1, json)?)))
                .collect::<Result<_, String>>()?;
            items.sort_by(|a, b| key_cmp(&a.0, &b.0));
            Node::Map(items)
        }
        Kind::Time(t) => Node::Str(
            crate::funcs::date::go_format(t, "2006-01-02T15:04:05.999999999Z07:00").into(),
            p(),
        ),
        Kind::Object(o) => to_node(&o.to_plain(), depth + 1, json)?,
    })
}

/// go-yaml v2's `keyList.Less` for string keys.
fn key_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl { Less } else { Greater };
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

const BEST_WIDTH: usize = 80;
const BEST_INDENT: usize = 2;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

struct Analysis {
    multiline: bool,
    block_plain: bool,
    single: bool,
    block: bool,
}

fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blankz(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c == ' ' || c == '\t' || is_break(c) || c == '\0',
    }
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain: true,
            single: true,
            block: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_ind = false;
    if s.starts_with("---") || s.starts_with("...") {
        block_ind = true;
    }
    let mut preceded_ws = true;
    let mut followed_ws = is_blankz(chars.get(1).copied());
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break, mut prev_space, mut prev_break) =
        (false, false, false, false);
    let n = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_ind = true,
                '?' | ':' | '-' if followed_ws => block_ind = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_ws => block_ind = true,
                '#' if preceded_ws => block_ind = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_ws = is_blankz(Some(c));
        followed_ws = is_blankz(chars.get(i + 2).copied());
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain: true,
        single: true,
        block: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain = false;
    }
    if trailing_space {
        a.block = false;
    }
    if break_space {
        a.block_plain = false;
        a.single = false;
    }
    if space_break || special {
        a.block_plain = false;
        a.single = false;
        a.block = false;
    }
    if line_breaks {
        a.block_plain = false;
    }
    if block_ind {
        a.block_plain = false;
    }
    a
}

struct Emitter {
    out: Out,
    /// go-yaml v3 style (Helm's `toYamlPretty`): indented sequences, no line folding.
    pretty: bool,
    column: usize,
    whitespace: bool,
    indention: bool,
    /// Runs of scalar bytes copied verbatim: (output offset, value offset, length).
    runs: Vec<(usize, usize, usize)>,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }
    fn put_str(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }
    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }
    /// Writes a character of the scalar value at value offset `vo`.
    fn write_val(&mut self, c: char, vo: usize) {
        let at = self.out.len();
        self.put(c);
        let l = c.len_utf8();
        if let Some(last) = self.runs.last_mut() {
            if last.0 + last.2 == at && last.1 + last.2 == vo {
                last.2 += l;
                return;
            }
        }
        self.runs.push((at, vo, l));
    }
    fn indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.put_str(ind);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }
    fn write_indent(&mut self, indent: usize) {
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn node(&mut self, n: &Node, indent: Option<usize>, in_mapping: bool) {
        match n {
            Node::Seq(items) if items.is_empty() => {
                self.indicator("[", true, true, false);
                self.indicator("]", false, false, false);
            }
            Node::Map(items) if items.is_empty() => {
                self.indicator("{", true, true, false);
                self.indicator("}", false, false, false);
            }
            Node::Seq(items) => {
                // Indentless inside a mapping value.
                let ind = match indent {
                    None => 0,
                    Some(i) if in_mapping && !self.indention && !self.pretty => i,
                    Some(i) => i + BEST_INDENT,
                };
                for it in items {
                    self.write_indent(ind);
                    self.indicator("-", true, false, true);
                    self.node(it, Some(ind), false);
                }
            }
            Node::Map(items) => {
                let ind = match indent {
                    None => 0,
                    Some(i) => i + BEST_INDENT,
                };
                for (k, v) in items {
                    self.write_indent(ind);
                    if k.contains('\n') || k.chars().count() > 128 {
                        // Complex key.
                        self.indicator("?", true, false, true);
                        self.scalar(k, &Prov::None, Some(ind), false, true);
                        self.write_indent(ind);
                        self.indicator(":", true, false, true);
                    } else {
                        self.scalar(k, &Prov::None, Some(ind), true, true);
                        self.indicator(":", false, false, false);
                    }
                    self.node(v, Some(ind), true);
                }
            }
            Node::Null(p) => self.atom("null", p),
            Node::Bool(b, p) => self.atom(if *b { "true" } else { "false" }, p),
            Node::Num(t, p) => self.atom(t, p),
            Node::Str(s, p) => self.scalar(s, p, indent, false, false),
        }
    }

    fn atom(&mut self, text: &str, p: &Prov) {
        if !self.whitespace {
            self.put(' ');
        }
        let start = self.out.len();
        self.put_str(text);
        if let Some(o) = p.first_origin() {
            self.out.fill_gaps(start, o);
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn scalar(&mut self, s: &str, p: &Prov, indent: Option<usize>, simple_key: bool, is_key: bool) {
        let _ = is_key;
        let requested = if s.contains('\n') {
            Style::Literal
        } else if resolve(s) == Tag::Str && !is_base60_float(s) {
            Style::Plain
        } else {
            Style::Double
        };
        let a = analyze(s);
        let mut style = requested;
        if style == Style::Plain && (!a.block_plain || (s.is_empty() && simple_key)) {
            style = Style::Single;
        }
        if style == Style::Plain && s.is_empty() {
            style = Style::Single;
        }
        if style == Style::Single && !a.single {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block || simple_key) {
            style = Style::Double;
        }
        let _ = a.multiline;
        // Scalars are indented one step deeper than their collection.
        let ind = match indent {
            None => BEST_INDENT,
            Some(i) => i + BEST_INDENT,
        };
        let allow_breaks = !simple_key && !self.pretty;
        self.runs.clear();
        let start_len = self.out.len();
        match style {
            Style::Plain => {
                if !self.whitespace {
                    self.put(' ');
                }
                let chars: Vec<(usize, char)> = s.char_indices().collect();
                let mut spaces = false;
                for (k, &(vo, c)) in chars.iter().enumerate() {
                    if c == ' ' {
                        let next_space = chars.get(k + 1).is_some_and(|x| x.1 == ' ');
                        if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_space {
                            self.write_indent(ind);
                        } else {
                            self.write_val(c, vo);
                        }
                        spaces = true;
                    } else {
                        self.write_val(c, vo);
                        spaces = false;
                    }
                }
                self.whitespace = false;
                self.indention = false;
            }
            Style::Single => {
                self.indicator("'", true, false, false);
                let chars: Vec<(usize, char)> = s.char_indices().collect();
                let mut spaces = false;
                for (k, &(vo, c)) in chars.iter().enumerate() {
                    if c == ' ' {
                        let next_space = chars.get(k + 1).is_some_and(|x| x.1 == ' ');
                        if allow_breaks
                            && !spaces
                            && self.column > BEST_WIDTH
                            && k != 0
                            && k + 1 != chars.len()
                            && !next_space
                        {
                            self.write_indent(ind);
                        } else {
                            self.write_val(c, vo);
                        }
                        spaces = true;
                    } else {
                        if c == '\'' {
                            self.put('\'');
                        }
                        self.write_val(c, vo);
                        spaces = false;
                    }
                }
                self.indicator("'", false, false, false);
            }
            Style::Double => {
                self.indicator("\"", true, false, false);
                let chars: Vec<(usize, char)> = s.char_indices().collect();
                let mut spaces = false;
                for (k, &(vo, c)) in chars.iter().enumerate() {
                    if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                        self.put('\\');
                        let u = c as u32;
                        match c {
                            '\0' => self.put('0'),
                            '\x07' => self.put('a'),
                            '\x08' => self.put('b'),
                            '\t' => self.put('t'),
                            '\n' => self.put('n'),
                            '\x0b' => self.put('v'),
                            '\x0c' => self.put('f'),
                            '\r' => self.put('r'),
                            '\x1b' => self.put('e'),
                            '"' => self.put('"'),
                            '\\' => self.put('\\'),
                            '\u{85}' => self.put('N'),
                            '\u{a0}' => self.put('_'),
                            '\u{2028}' => self.put('L'),
                            '\u{2029}' => self.put('P'),
                            _ if u <= 0xFF => self.put_str(&format!("x{u:02X}")),
                            _ if u <= 0xFFFF => self.put_str(&format!("u{u:04X}")),
                            _ => self.put_str(&format!("U{u:08X}")),
                        }
                        spaces = false;
                    } else if c == ' ' {
                        if allow_breaks
                            && !spaces
                            && self.column > BEST_WIDTH
                            && k != 0
                            && k + 1 != chars.len()
                        {
                            self.write_indent(ind);
                            if chars.get(k + 1).is_some_and(|x| x.1 == ' ') {
                                self.put('\\');
                            }
                        } else {
                            self.write_val(c, vo);
                        }
                        spaces = true;
                    } else {
                        self.write_val(c, vo);
                        spaces = false;
                    }
                }
                self.indicator("\"", false, false, false);
            }
            Style::Literal => {
                self.indicator("|", true, false, false);
                let first = s.chars().next();
                if first.is_some_and(|c| c == ' ' || is_break(c)) {
                    self.put_str(&BEST_INDENT.to_string());
                }
                let chars: Vec<char> = s.chars().collect();
                let n = chars.len();
                let chomp = if n == 0 || !is_break(chars[n - 1]) {
                    "-"
                } else if n == 1 || is_break(chars[n - 2]) {
                    "+"
                } else {
                    ""
                };
                self.put_str(chomp);
                self.put_break();
                self.indention = true;
                self.whitespace = true;
                let mut breaks = true;
                for (vo, c) in s.char_indices() {
                    if is_break(c) {
                        self.put_break();
                        self.indention = true;
                        breaks = true;
                    } else {
                        if breaks {
                            self.write_indent(ind);
                        }
                        self.write_val(c, vo);
                        self.indention = false;
                        breaks = false;
                    }
                }
            }
        }
        // Provenance.
        if !p.is_none() {
            let runs = std::mem::take(&mut self.runs);
            let mut marks = Vec::new();
            for seg in p.segments(s.len()) {
                for &(out_at, vo, len) in &runs {
                    let a = seg.start.max(vo);
                    let b = seg.end.min(vo + len);
                    if a < b {
                        marks.push((out_at + (a - vo), out_at + (b - vo), seg.origin));
                    }
                }
            }
            marks.sort_by_key(|m| m.0);
            let fallback = p.first_origin();
            let end = self.out.len();
            let mut pos = start_len;
            for (a, b, o) in marks {
                if a < pos {
                    continue;
                }
                if let Some(f) = fallback {
                    self.out.mark(pos, a, f);
                }
                self.out.mark(a, b, o);
                pos = b;
            }
            if let Some(f) = fallback {
                self.out.mark(pos, end, f);
            }
        }
    }
}

/// Serialises `v` like `sigs.k8s.io/yaml.Marshal` (output ends with a newline).
/// Scalars carrying provenance produce segments in the returned buffer.
pub fn to_yaml(v: &Value) -> Result<Out, String> {
    emit(v, false)
}

/// Serialises `v` like Helm's `toYamlPretty` (go-yaml v3 encoder, two-space indentation
/// with indented sequences, no JSON round trip, no line folding).
pub fn to_yaml_pretty(v: &Value) -> Result<Out, String> {
    emit(v, true)
}

fn emit(v: &Value, pretty: bool) -> Result<Out, String> {
    let node = to_node(v, 0, !pretty)?;
    let mut e = Emitter {
        pretty,
        out: Out::new(),
        column: 0,
        whitespace: true,
        indention: true,
        runs: Vec::new(),
    };
    e.node(&node, None, false);
    // Document end: finish the line.
    e.write_indent(0);
    Ok(e.out)
}

// ---------------------------------------------------------------------------
// Parsing

struct Builder<'a> {
    src: &'a str,
    source: Option<SourceId>,
    anchors: HashMap<usize, Value>,
}

enum Frame {
    Seq(Vec<Value>, usize),
    Map(BTreeMap<String, Value>, Option<String>, usize, Vec<Value>),
}

fn scalar_value(text: &str, style: ScalarStyle, tag: Option<&str>) -> Result<Value, String> {
    if let Some(t) = tag {
        match t {
            "str" => return Ok(Value::str(text)),
            "int" | "float" => {
                if let Some(f) = go_parse_float(&text.replace('_', "")) {
                    return Ok(Value::float(f));
                }
                if let Some(i) = parse_go_int(&text.replace('_', "")) {
                    return Ok(Value::float(i as f64));
                }
                return Err(format!("cannot decode !!{t} `{text}`"));
            }
            "bool" => {
                if let Tag::Bool(b) = resolve(text) {
                    return Ok(Value::bool(b));
                }
            }
            "null" => return Ok(Value::nil()),
            _ => {}
        }
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::str(text));
    }
    Ok(match resolve(text) {
        Tag::Null => Value::nil(),
        Tag::Bool(b) => Value::bool(b),
        Tag::Int => {
            let plain: String = text.chars().filter(|&c| c != '_').collect();
            if let Some(i) = parse_go_int(&plain) {
                Value::float(i as f64)
            } else if let Some(u) = parse_go_uint(plain.trim_start_matches('+')) {
                Value::float(u as f64)
            } else if let Some(b) = plain.strip_prefix("0b") {
                Value::float(i64::from_str_radix(b, 2).unwrap_or(0) as f64)
            } else if let Some(b) = plain.strip_prefix("-0b") {
                Value::float(-(i64::from_str_radix(b, 2).unwrap_or(0) as f64))
            } else {
                Value::str(text)
            }
        }
        Tag::Float => {
            let plain: String = text.chars().filter(|&c| c != '_').collect();
            let f = match plain.as_str() {
                ".nan" | ".NaN" | ".NAN" => f64::NAN,
                ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => f64::INFINITY,
                "-.inf" | "-.Inf" | "-.INF" => f64::NEG_INFINITY,
                _ => go_parse_float(&plain).unwrap_or(0.0),
            };
            if !f.is_finite() {
                return Err(format!(
                    "json: unsupported value: {}",
                    crate::gofmt::format_float_v(f)
                ));
            }
            Value::float(f)
        }
        Tag::Timestamp | Tag::Merge | Tag::Str => Value::str(text),
    })
}

/// Marks a null mapping key (rejected by sigs.k8s.io/yaml when its value is read).
const NULL_KEY: &str = "\u{0}<null key>";

fn key_string(v: &Value) -> String {
    match v.kind() {
        Kind::Str(s) => s.to_string(),
        Kind::Nil => "null".into(),
        _ => crate::gofmt::format_v(v),
    }
}

impl Builder<'_> {
    fn origin(&self, span: &granit_parser::Span) -> Option<Origin> {
        let src = self.source?;
        let r = span.byte_range().unwrap_or_else(|| {
            let s = char_to_byte(self.src, span.start.index());
            let e = char_to_byte(self.src, span.end.index());
            s..e
        });
        Some(Origin::Value {
            source: src,
            start: r.start as u32,
            end: r.end as u32,
        })
    }

    fn parse(&mut self) -> Result<Value, String> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut result: Option<Value> = None;
        let mut docs = 0;
        for ev in Parser::new_from_str(self.src) {
            let (ev, span) = ev.map_err(|e| format!("error converting YAML to JSON: yaml: {e}"))?;
            let (val, anchor) = match ev {
                Event::DocumentStart(..) => {
                    docs += 1;
                    if docs > 1 {
                        break;
                    }
                    continue;
                }
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
                Event::SequenceStart(_, anchor, _) => {
                    stack.push(Frame::Seq(Vec::new(), anchor));
                    continue;
                }
                Event::MappingStart(_, anchor, _) => {
                    stack.push(Frame::Map(BTreeMap::new(), None, anchor, Vec::new()));
                    continue;
                }
                Event::SequenceEnd => match stack.pop() {
                    Some(Frame::Seq(items, anchor)) => (Value::list(items), anchor),
                    _ => return Err("unbalanced sequence".into()),
                },
                Event::MappingEnd => match stack.pop() {
                    Some(Frame::Map(mut m, _, anchor, merges)) => {
                        for mv in merges {
                            merge_key(&mut m, &mv);
                        }
                        (Value::map(m), anchor)
                    }
                    _ => return Err("unbalanced mapping".into()),
                },
                Event::Alias(id) => (
                    self.anchors
                        .get(&id)
                        .cloned()
                        .ok_or("unknown anchor referenced")?,
                    0,
                ),
                Event::Scalar(text, style, anchor, tag) => {
                    let tag_suffix = tag
                        .as_ref()
                        .and_then(|t| t.core_suffix().map(str::to_string));
                    let is_key = matches!(stack.last(), Some(Frame::Map(_, None, ..)));
                    let v = if is_key {
                        Value::str(text.as_ref())
                    } else {
                        scalar_value(&text, style, tag_suffix.as_deref())?
                    };
                    let v = match (v.is_nil(), self.origin(&span)) {
                        (false, Some(o)) => {
                            if matches!(v.kind(), Kind::Str(_)) {
                                v.with_prov(Prov::Whole(o))
                            } else {
                                v.with_origin(o)
                            }
                        }
                        _ => v,
                    };
                    let v = if is_key && style == ScalarStyle::Plain {
                        // Non-string plain keys are converted to JSON object keys.
                        // (go-yaml v2 reads YAML 1.1: `n`, `on`, `yes` are booleans.)
                        match resolve(&text) {
                            Tag::Null => Value::str(NULL_KEY),
                            Tag::Int => {
                                let plain: String = text.chars().filter(|&c| c != '_').collect();
                                match parse_go_int(&plain) {
                                    Some(i) => Value::str(i.to_string()),
                                    None => {
                                        Value::str(key_string(&scalar_value(&text, style, None)?))
                                    }
                                }
                            }
                            _ => Value::str(key_string(&scalar_value(&text, style, None)?)),
                        }
                    } else {
                        v
                    };
                    (v, anchor)
                }
                _ => continue,
            };
            if anchor != 0 {
                self.anchors.insert(anchor, val.clone());
            }
            match stack.last_mut() {
                None => {
                    if result.is_none() {
                        result = Some(val);
                    }
                }
                Some(Frame::Seq(items, _)) => items.push(val),
                Some(Frame::Map(m, key, _, merges)) => match key.take() {
                    None => *key = Some(key_string(&val)),
                    Some(k) => {
                        if k == NULL_KEY {
                            return Err(format!(
                                "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                                crate::gofmt::format_v(&val)
                            ));
                        }
                        if k == "<<" {
                            merges.push(val);
                        } else {
                            m.insert(k, val);
                        }
                    }
                },
            }
        }
        Ok(result.unwrap_or_default())
    }
}

fn merge_key(m: &mut BTreeMap<String, Value>, v: &Value) {
    match v.kind() {
        Kind::Map(src) => {
            for (k, x) in src.borrow().iter() {
                m.entry(k.clone()).or_insert_with(|| x.clone());
            }
        }
        Kind::List(l) => {
            for x in l.iter() {
                merge_key(m, x);
            }
        }
        _ => {}
    }
}

fn char_to_byte(s: &str, ci: usize) -> usize {
    s.char_indices().nth(ci).map(|(b, _)| b).unwrap_or(s.len())
}

/// Parses the first YAML document like `sigs.k8s.io/yaml.Unmarshal` into `interface{}`.
/// An empty document yields nil.
pub fn from_yaml(text: &str) -> Result<Value, String> {
    Builder {
        src: text,
        source: None,
        anchors: HashMap::new(),
    }
    .parse()
}

/// Parses a values file, attaching an [`Origin::Value`] with `source` and the scalar's
/// byte span to every non-null scalar (mapping keys excluded).
pub fn parse_values(text: &str, source: SourceId) -> Result<Value, String> {
    Builder {
        src: text,
        source: Some(source),
        anchors: HashMap::new(),
    }
    .parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolver_matches_go_yaml_v2() {
        for s in [
            "true",
            "yes",
            "Off",
            "n",
            "~",
            "null",
            "",
            "1",
            "0x1F",
            "0o17",
            "1_000",
            "+1",
            "1e3",
            ".5",
            "-.inf",
            ".NaN",
            "2021-01-01",
            "2001-12-14t21:59:43.10-05:00",
            "08",
        ] {
            assert_ne!(resolve(s), Tag::Str, "{s}");
        }
        for s in [
            "hello",
            "1.2.3",
            "0x",
            "2021-02-30",
            "12:30x",
            "-",
            ".",
            "0b2",
            "v1",
        ] {
            assert_eq!(resolve(s), Tag::Str, "{s}");
        }
        assert!(is_base60_float("12:30"));
        assert!(!is_base60_float("12:70"));
    }

    #[test]
    fn key_order_is_natural() {
        let mut keys = vec![
            "ab10", "ab1", "ab01", "a2", "a10", "B", "_x", "1x", "#c", "-a",
        ];
        keys.sort_by(|a, b| key_cmp(a, b));
        assert_eq!(
            keys,
            ["#c", "-a", "_x", "1x", "B", "a2", "a10", "ab1", "ab01", "ab10"]
        );
    }
}
