//! Lexer for Go text/template source, following the Go lexer's rules
//! (trim markers, comments, newlines inside actions, number syntax).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Error,
    Eof,
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Ident,
    Field,
    Variable,
    Dot,
    Str,
    RawStr,
    CharConst,
    Number,
    Bool,
    Nil,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Char,
    // keywords
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
}

impl Tok {
    pub(crate) fn is_keyword(self) -> bool {
        matches!(
            self,
            Tok::Block
                | Tok::Break
                | Tok::Continue
                | Tok::Define
                | Tok::Else
                | Tok::End
                | Tok::If
                | Tok::Range
                | Tok::Template
                | Tok::With
                | Tok::Nil
        )
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) typ: Tok,
    /// Byte offset of the token in the source.
    pub(crate) pos: usize,
    /// Token text (for errors: the message; for text: the trimmed text).
    pub(crate) val: String,
    /// 1-based line of the token start.
    pub(crate) line: usize,
}

impl Token {
    /// Go's `item.String()` used in "unexpected X" messages.
    pub(crate) fn describe(&self) -> String {
        match self.typ {
            Tok::Eof => "EOF".into(),
            Tok::Error => self.val.clone(),
            t if t.is_keyword() && t != Tok::Nil => format!("<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let short: String = self.val.chars().take(10).collect();
                    format!("{}...", go_quote(&short))
                } else {
                    go_quote(&self.val)
                }
            }
        }
    }
}

/// Go's `strconv.Quote`.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Approximation of Go's `strconv.IsPrint`.
pub(crate) fn is_go_printable(c: char) -> bool {
    let u = c as u32;
    if u < 0x20 || (0x7f..0xa0).contains(&u) || u == 0xad {
        return false;
    }
    if (0xd800..0xe000).contains(&u) || u == 0xfeff || (0xfff9..=0xfffb).contains(&u) {
        return false;
    }
    if (0x2028..=0x202e).contains(&u) || (0x2060..=0x206f).contains(&u) || u == 0x200b {
        return false;
    }
    !(0xe000..0xf900).contains(&u) && u < 0xf0000 && !c.is_control()
}

pub(crate) struct Lexer<'a> {
    src: &'a str,
    left: &'a str,
    right: &'a str,
    pos: usize,
    start: usize,
    paren_depth: i32,
    in_action: bool,
    /// Pending trim of leading whitespace of the next text.
    trim_next: bool,
    pub(crate) tokens: Vec<Token>,
    done: bool,
    /// Byte offsets of every newline, for line numbers.
    newlines: Vec<usize>,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str, left: &'a str, right: &'a str) -> Lexer<'a> {
        Lexer {
            src,
            left: if left.is_empty() { "{{" } else { left },
            right: if right.is_empty() { "}}" } else { right },
            pos: 0,
            start: 0,
            paren_depth: 0,
            in_action: false,
            trim_next: false,
            tokens: Vec::new(),
            done: false,
            newlines: src
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    fn line_at(&self, pos: usize) -> usize {
        1 + self.newlines.partition_point(|&n| n < pos)
    }

    fn emit_val(&mut self, typ: Tok, pos: usize, val: String) {
        let line = self.line_at(pos);
        self.tokens.push(Token {
            typ,
            pos,
            val,
            line,
        });
    }

    fn emit(&mut self, typ: Tok) {
        let val = self.src[self.start..self.pos].to_string();
        self.emit_val(typ, self.start, val);
        self.start = self.pos;
    }

    fn error(&mut self, msg: String) {
        self.emit_val(Tok::Error, self.start, msg);
        self.done = true;
    }

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Runs the lexer to completion.
    pub(crate) fn run(mut self) -> Vec<Token> {
        while !self.done {
            if self.in_action {
                self.lex_inside_action();
            } else {
                self.lex_text();
            }
        }
        self.tokens
    }

    fn lex_text(&mut self) {
        if self.trim_next {
            self.trim_next = false;
            while self.pos < self.src.len() && is_space(self.src.as_bytes()[self.pos]) {
                self.pos += 1;
            }
            self.start = self.pos;
        }
        let rest = &self.src[self.pos..];
        match rest.find(self.left) {
            Some(i) => {
                let delim_pos = self.pos + i;
                let after = &self.src[delim_pos + self.left.len()..];
                let trim = has_left_trim(after);
                let mut text_end = delim_pos;
                if trim {
                    while text_end > self.start && is_space(self.src.as_bytes()[text_end - 1]) {
                        text_end -= 1;
                    }
                }
                if text_end > self.start {
                    let val = self.src[self.start..text_end].to_string();
                    self.emit_val(Tok::Text, self.start, val);
                }
                self.pos = delim_pos;
                self.start = delim_pos;
                self.lex_left_delim(trim);
            }
            None => {
                self.pos = self.src.len();
                if self.pos > self.start {
                    self.emit(Tok::Text);
                }
                self.emit_val(Tok::Eof, self.pos, String::new());
                self.done = true;
            }
        }
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.src[self.pos..];
        let b = rest.as_bytes();
        if b.len() >= 2 && is_space(b[0]) && b[1] == b'-' && rest[2..].starts_with(self.right) {
            return (true, true);
        }
        (rest.starts_with(self.right), false)
    }

    fn lex_left_delim(&mut self, trim: bool) {
        self.pos += self.left.len();
        let after_marker = if trim { self.pos + 2 } else { self.pos };
        if self.src[after_marker..].starts_with("/*") {
            self.pos = after_marker;
            self.start = self.pos;
            self.lex_comment();
            return;
        }
        self.emit(Tok::LeftDelim);
        self.pos = after_marker;
        self.start = self.pos;
        self.paren_depth = 0;
        self.in_action = true;
    }

    fn lex_comment(&mut self) {
        let rest = &self.src[self.pos + 2..];
        let Some(i) = rest.find("*/") else {
            self.error("unclosed comment".into());
            return;
        };
        self.pos += 2 + i + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            self.error("comment ends before closing delimiter".into());
            return;
        }
        if trim {
            self.pos += 2;
        }
        self.pos += self.right.len();
        if trim {
            self.trim_next = true;
        }
        self.start = self.pos;
    }

    fn lex_right_delim(&mut self, trim: bool) {
        if trim {
            self.pos += 2;
            self.start = self.pos;
        }
        self.pos += self.right.len();
        self.emit(Tok::RightDelim);
        if trim {
            self.trim_next = true;
        }
        self.in_action = false;
    }

    fn lex_inside_action(&mut self) {
        let (delim, trim) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                self.lex_right_delim(trim);
            } else {
                self.error("unclosed left paren".into());
            }
            return;
        }
        let Some(c) = self.next_char() else {
            self.error("unclosed action".into());
            return;
        };
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                // Stop before a trim marker " -}}".
                loop {
                    let rest = &self.src[self.pos..];
                    let b = rest.as_bytes();
                    if b.is_empty() || !is_space(b[0]) {
                        break;
                    }
                    if b.len() >= 2 && b[1] == b'-' && rest[2..].starts_with(self.right) {
                        break;
                    }
                    self.pos += 1;
                }
                self.emit(Tok::Space);
            }
            '=' => self.emit(Tok::Assign),
            ':' => {
                if self.peek_char() != Some('=') {
                    self.error("expected :=".into());
                    return;
                }
                self.pos += 1;
                self.emit(Tok::Declare);
            }
            '|' => self.emit(Tok::Pipe),
            '"' => self.lex_quote(),
            '`' => self.lex_raw_quote(),
            '$' => self.lex_field_or_var(Tok::Variable),
            '\'' => self.lex_char(),
            '.' => {
                if let Some(n) = self.peek_char() {
                    if n.is_ascii_digit() {
                        self.pos -= 1;
                        self.lex_number();
                        return;
                    }
                }
                self.lex_field_or_var(Tok::Field);
            }
            '+' | '-' | '0'..='9' => {
                self.pos -= 1;
                self.lex_number();
            }
            c if is_alnum(c) => {
                self.pos -= c.len_utf8();
                self.lex_identifier();
            }
            '(' => {
                self.paren_depth += 1;
                self.emit(Tok::LeftParen);
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    self.error("unexpected right paren".into());
                    return;
                }
                self.emit(Tok::RightParen);
            }
            c if c.is_ascii() && !c.is_ascii_control() => self.emit(Tok::Char),
            c => self.error(format!(
                "unrecognized character in action: {}",
                go_char_desc(c)
            )),
        }
    }

    fn at_terminator(&self) -> bool {
        match self.peek_char() {
            None => true,
            Some(c) => {
                if matches!(
                    c,
                    ' ' | '\t' | '\r' | '\n' | '.' | ',' | '|' | ':' | ')' | '('
                ) {
                    return true;
                }
                self.src[self.pos..].starts_with(self.right)
            }
        }
    }

    fn lex_identifier(&mut self) {
        while let Some(c) = self.peek_char() {
            if is_alnum(c) {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        if !self.at_terminator() {
            let c = self.peek_char().unwrap_or(' ');
            self.error(format!("bad character {}", go_char_desc(c)));
            return;
        }
        let word = &self.src[self.start..self.pos];
        let typ = match word {
            "block" => Tok::Block,
            "break" => Tok::Break,
            "continue" => Tok::Continue,
            "define" => Tok::Define,
            "else" => Tok::Else,
            "end" => Tok::End,
            "if" => Tok::If,
            "range" => Tok::Range,
            "nil" => Tok::Nil,
            "template" => Tok::Template,
            "with" => Tok::With,
            "true" | "false" => Tok::Bool,
            _ => Tok::Ident,
        };
        self.emit(typ);
    }

    fn lex_field_or_var(&mut self, typ: Tok) {
        if self.at_terminator() {
            self.emit(if typ == Tok::Variable {
                Tok::Variable
            } else {
                Tok::Dot
            });
            return;
        }
        while let Some(c) = self.peek_char() {
            if is_alnum(c) {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        if !self.at_terminator() {
            let c = self.peek_char().unwrap_or(' ');
            self.error(format!("bad character {}", go_char_desc(c)));
            return;
        }
        self.emit(typ);
    }

    fn lex_char(&mut self) {
        loop {
            match self.next_char() {
                Some('\\') if self.next_char().is_none() => {
                    self.error("unterminated character constant".into());
                    return;
                }
                None | Some('\n') => {
                    self.error("unterminated character constant".into());
                    return;
                }
                Some('\'') => break,
                _ => {}
            }
        }
        self.emit(Tok::CharConst);
    }

    fn lex_quote(&mut self) {
        loop {
            match self.next_char() {
                Some('\\') => match self.next_char() {
                    None | Some('\n') => {
                        self.error("unterminated quoted string".into());
                        return;
                    }
                    _ => {}
                },
                None | Some('\n') => {
                    self.error("unterminated quoted string".into());
                    return;
                }
                Some('"') => break,
                _ => {}
            }
        }
        self.emit(Tok::Str);
    }

    fn lex_raw_quote(&mut self) {
        match self.src[self.pos..].find('`') {
            Some(i) => {
                self.pos += i + 1;
                self.emit(Tok::RawStr);
            }
            None => self.error("unterminated raw quoted string".into()),
        }
    }

    fn accept(&mut self, valid: &str) -> bool {
        if let Some(c) = self.peek_char() {
            if valid.contains(c) {
                self.pos += c.len_utf8();
                return true;
            }
        }
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn lex_number(&mut self) {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 10 + 1 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 16 + 6 + 1 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek_char() {
            if is_alnum(c) {
                self.pos += c.len_utf8();
                let text = self.src[self.start..self.pos].to_string();
                self.error(format!("bad number syntax: {}", go_quote(&text)));
                return;
            }
        }
        self.emit(Tok::Number);
    }
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1])
}

/// Go's `%#U` rendering of a rune: `U+0023 '#'`.
pub(crate) fn go_char_desc(c: char) -> String {
    if is_go_printable(c) {
        format!("U+{:04X} '{}'", c as u32, c)
    } else {
        format!("U+{:04X}", c as u32)
    }
}
