//! go-yaml's encoder: go-yaml v2's output for `toYaml` (quoting rules, `|-` literals,
//! 80-column folding, indentless sequences inside mappings) and go-yaml v3's for
//! `toYamlPretty`, with the provenance of every scalar byte.

use cct_yaml11::{is_base60_float, resolve};

use super::node::{to_node, Node};
use crate::json::JsonError;
use crate::prov::{Out, Prov};
use crate::value::Value;

/// Why a value cannot be written as YAML (the JSON round trip of sigs.k8s.io/yaml failed).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// Values nested more than 1000 deep.
    #[error("too deep")]
    TooDeep,
    /// A float whose JSON text does not read back.
    #[error("bad float {0}")]
    BadFloat(String),
    /// A value JSON cannot hold (NaN, an infinity).
    #[error(transparent)]
    Json(#[from] JsonError),
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
        } else if resolve(s).is_str() && !is_base60_float(s) {
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
pub fn to_yaml(v: &Value) -> Result<Out, EmitError> {
    emit(v, false)
}

/// Serialises `v` like Helm's `toYamlPretty` (go-yaml v3 encoder, two-space indentation
/// with indented sequences, no JSON round trip, no line folding).
pub fn to_yaml_pretty(v: &Value) -> Result<Out, EmitError> {
    emit(v, true)
}

fn emit(v: &Value, pretty: bool) -> Result<Out, EmitError> {
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
