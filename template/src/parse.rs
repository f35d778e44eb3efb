//! Strict parser for Go text/template, producing [`crate::ast`] trees.

use std::fmt;
use std::rc::Rc;

use crate::ast::*;
use crate::lex::{go_quote, Lexer, Tok, Token};

/// A template parse error, formatted like Go's (`template: NAME:LINE: message`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Template (file) name.
    pub name: String,
    /// 1-based line.
    pub line: usize,
    /// 0-based byte column within the line (Go does not print it for parse errors).
    pub col: usize,
    /// The message without location.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// The result of parsing one source: its main tree and the `define`/`block` trees.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) root: List,
    pub(crate) defs: Vec<(Rc<str>, List)>,
}

struct Parser<'a> {
    src: &'a str,
    name: &'a str,
    toks: Vec<Token>,
    i: usize,
    has_func: &'a dyn Fn(&str) -> bool,
    vars: Vec<String>,
    range_depth: usize,
    defs: Vec<(Rc<str>, List)>,
    /// Index of the most recently consumed token (for error line numbers).
    last: usize,
    action_line: usize,
    /// Current nesting of control structures and parenthesized pipelines.
    depth: usize,
}

/// Maximum nesting of control structures and parentheses (guards the stack).
const MAX_NESTING: usize = 200;

type PResult<T> = Result<T, ParseError>;

/// Parses `src` (named `name`) with delimiters `left`/`right`.
pub(crate) fn parse(
    name: &str,
    src: &str,
    left: &str,
    right: &str,
    has_func: &dyn Fn(&str) -> bool,
) -> PResult<Parsed> {
    let toks = Lexer::new(src, left, right).run();
    let mut p = Parser {
        src,
        name,
        toks,
        i: 0,
        has_func,
        vars: vec!["$".into()],
        range_depth: 0,
        defs: Vec::new(),
        last: 0,
        action_line: 0,
        depth: 0,
    };
    let root = p.parse_top()?;
    Ok(Parsed { root, defs: p.defs })
}

impl<'a> Parser<'a> {
    fn tok(&self, i: usize) -> &Token {
        let idx = i.min(self.toks.len().saturating_sub(1));
        &self.toks[idx]
    }

    fn next(&mut self) -> Token {
        let t = self.tok(self.i).clone();
        self.last = self.i.min(self.toks.len().saturating_sub(1));
        if self.i < self.toks.len() {
            self.i += 1;
        }
        t
    }

    fn backup(&mut self) {
        self.i = self.i.saturating_sub(1);
    }

    fn peek(&self) -> &Token {
        self.tok(self.i)
    }

    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.typ != Tok::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn err_at(&self, pos: usize, line: usize, msg: String) -> ParseError {
        let before = &self.src[..pos.min(self.src.len())];
        let col = match before.rfind('\n') {
            Some(i) => pos - i - 1,
            None => pos,
        };
        ParseError {
            name: self.name.to_string(),
            line,
            col,
            message: msg,
        }
    }

    fn errorf(&self, msg: String) -> ParseError {
        let t = self.tok(self.last);
        self.err_at(t.pos, t.line, msg)
    }

    fn unexpected(&self, t: &Token, context: &str) -> ParseError {
        if t.typ == Tok::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != t.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if t.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.err_at(t.pos, t.line, format!("{}{}", t.val, extra));
        }
        self.err_at(
            t.pos,
            t.line,
            format!("unexpected {} in {}", t.describe(), context),
        )
    }

    fn expect(&mut self, typ: Tok, context: &str) -> PResult<Token> {
        let t = self.next_non_space();
        if t.typ != typ {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    fn parse_top(&mut self) -> PResult<List> {
        let mut list = Vec::new();
        loop {
            let t = self.peek().clone();
            match t.typ {
                Tok::Eof => break,
                Tok::LeftDelim => {
                    let at = self.i;
                    let delim = self.next();
                    if self.next_non_space().typ == Tok::Define {
                        self.parse_definition(delim.pos)?;
                        continue;
                    }
                    // back up to the delimiter
                    self.i = at;
                }
                _ => {}
            }
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                Item::Comment => {}
                Item::End(t) => {
                    return Err(self.err_at(t.pos, t.line, "unexpected {{end}}".into()))
                }
                Item::Else(t) => {
                    return Err(self.err_at(t.pos, t.line, "unexpected {{else}}".into()))
                }
            }
        }
        Ok(list)
    }

    fn parse_definition(&mut self, _start: usize) -> PResult<()> {
        let context = "define clause";
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let t = self.next_non_space();
        let name = match t.typ {
            Tok::Str | Tok::RawStr => unquote(&t.val).map_err(|e| self.errorf(e.to_string()))?,
            _ => return Err(self.unexpected(&t, context)),
        };
        self.expect(Tok::RightDelim, context)?;
        let (list, end) = self.item_list()?;
        if let Ender::Else(t) = end {
            return Err(self.err_at(
                t.pos,
                t.line,
                format!("unexpected {{{{else}}}} in {context}"),
            ));
        }
        self.add_def(name.into(), list)?;
        self.vars = saved_vars;
        Ok(())
    }

    fn add_def(&mut self, name: Rc<str>, list: List) -> PResult<()> {
        if let Some(idx) = self.defs.iter().position(|(n, _)| *n == name) {
            if is_empty_tree(&self.defs[idx].1) {
                self.defs[idx].1 = list;
            } else if !is_empty_tree(&list) {
                return Err(self.errorf(format!(
                    "template: multiple definition of template {}",
                    go_quote(&name)
                )));
            }
            return Ok(());
        }
        self.defs.push((name, list));
        Ok(())
    }

    fn item_list(&mut self) -> PResult<(List, Ender)> {
        let mut list = Vec::new();
        while self.peek_non_space().typ != Tok::Eof {
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                Item::Comment => {}
                Item::End(t) => return Ok((list, Ender::End(t))),
                Item::Else(t) => return Ok((list, Ender::Else(t))),
            }
        }
        Err(self.errorf("unexpected EOF".into()))
    }

    fn text_or_action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        match t.typ {
            Tok::Text => Ok(Item::Node(Node::Text {
                span: Span::new(t.pos, t.pos + t.val.len()),
                text: t.val.as_str().into(),
            })),
            Tok::LeftDelim => {
                self.action_line = t.line;
                let r = self.action(t.pos);
                self.action_line = 0;
                r
            }
            _ => Err(self.unexpected(&t, "input")),
        }
    }

    fn close_span(&self, start: usize) -> Span {
        let t = self.tok(self.last);
        Span::new(start, t.pos + t.val.len())
    }

    fn action(&mut self, start: usize) -> PResult<Item> {
        let t = self.next_non_space();
        match t.typ {
            Tok::Block => return self.block_control(start, &t),
            Tok::Break | Tok::Continue => {
                let word = if t.typ == Tok::Break {
                    "break"
                } else {
                    "continue"
                };
                let ctx = format!("{{{{{word}}}}}");
                let n = self.next_non_space();
                if n.typ != Tok::RightDelim {
                    return Err(self.unexpected(&n, &ctx));
                }
                if self.range_depth == 0 {
                    return Err(self.errorf(format!("{{{{{word}}}}} outside {{{{range}}}}")));
                }
                let span = self.close_span(start);
                return Ok(Item::Node(if t.typ == Tok::Break {
                    Node::Break(span)
                } else {
                    Node::Continue(span)
                }));
            }
            Tok::Else => {
                let peek = self.peek_non_space();
                if peek.typ == Tok::If || peek.typ == Tok::With {
                    return Ok(Item::Else(t));
                }
                self.expect(Tok::RightDelim, "else")?;
                return Ok(Item::Else(t));
            }
            Tok::End => {
                self.expect(Tok::RightDelim, "end")?;
                return Ok(Item::End(t));
            }
            Tok::If => return self.control(ControlKind::If, start).map(Item::Node),
            Tok::Range => return self.control(ControlKind::Range, start).map(Item::Node),
            Tok::With => return self.control(ControlKind::With, start).map(Item::Node),
            Tok::Template => return self.template_control(start, &t),
            _ => {}
        }
        self.backup();
        // A comment-only action is impossible here (the lexer drops comments).
        let pipe = self.pipeline("command", Tok::RightDelim)?;
        Ok(Item::Node(Node::Action {
            span: self.close_span(start),
            pipe,
        }))
    }

    fn control(&mut self, kind: ControlKind, start: usize) -> PResult<Node> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.errorf(format!("nesting deeper than {MAX_NESTING} levels")));
        }
        let r = self.control_inner(kind, start);
        self.depth -= 1;
        r
    }

    fn control_inner(&mut self, kind: ControlKind, start: usize) -> PResult<Node> {
        let nvars = self.vars.len();
        let context = match kind {
            ControlKind::If => "if",
            ControlKind::With => "with",
            ControlKind::Range => "range",
        };
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        let span = self.close_span(start);
        if kind == ControlKind::Range {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if kind == ControlKind::Range {
            self.range_depth -= 1;
        }
        let (list, end) = r?;
        let mut else_list = None;
        if let Ender::Else(_) = end {
            let pk = self.peek().typ;
            if kind == ControlKind::If && pk == Tok::If {
                let t = self.next();
                let nested = self.control(ControlKind::If, t.pos)?;
                else_list = Some(vec![nested]);
            } else if kind == ControlKind::With && pk == Tok::With {
                let t = self.next();
                let nested = self.control(ControlKind::With, t.pos)?;
                else_list = Some(vec![nested]);
            } else {
                let (el, end2) = self.item_list()?;
                if let Ender::Else(t) = end2 {
                    return Err(self.err_at(t.pos, t.line, "expected end; found {{else}}".into()));
                }
                else_list = Some(el);
            }
        }
        self.vars.truncate(nvars);
        Ok(Node::Control(Box::new(Control {
            kind,
            span,
            pipe,
            list,
            else_list,
        })))
    }

    fn template_name(&mut self, t: &Token, context: &str) -> PResult<Rc<str>> {
        match t.typ {
            Tok::Str | Tok::RawStr => unquote(&t.val)
                .map(Into::into)
                .map_err(|e| self.errorf(e.to_string())),
            _ => Err(self.unexpected(t, context)),
        }
    }

    fn template_control(&mut self, start: usize, kw: &Token) -> PResult<Item> {
        let context = "template clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, context)?;
        let pipe = if self.next_non_space().typ != Tok::RightDelim {
            self.backup();
            Some(self.pipeline(context, Tok::RightDelim)?)
        } else {
            None
        };
        let _ = kw;
        Ok(Item::Node(Node::Template {
            span: self.close_span(start),
            pos: t.pos as u32,
            name,
            pipe,
        }))
    }

    fn block_control(&mut self, start: usize, kw: &Token) -> PResult<Item> {
        let context = "block clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, context)?;
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        let span = self.close_span(start);
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_depth = std::mem::replace(&mut self.range_depth, 0);
        let r = self.item_list();
        self.vars = saved_vars;
        self.range_depth = saved_depth;
        let (list, end) = r?;
        if let Ender::Else(t) = end {
            return Err(self.err_at(
                t.pos,
                t.line,
                format!("unexpected {{{{else}}}} in {context}"),
            ));
        }
        self.add_def(name.clone(), list)?;
        let _ = kw;
        Ok(Item::Node(Node::Template {
            span,
            pos: t.pos as u32,
            name,
            pipe: Some(pipe),
        }))
    }

    fn pipeline(&mut self, context: &str, end: Tok) -> PResult<Pipe> {
        let start = self.peek_non_space();
        let mut pipe = Pipe {
            pos: start.pos as u32,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // Declarations.
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ != Tok::Variable {
                break;
            }
            let save = self.i;
            self.next_non_space();
            let after = self.peek().typ;
            let next = self.peek_non_space();
            match next.typ {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = next.typ == Tok::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.val.as_str().into());
                    self.vars.push(v.val.clone());
                    break 'decls;
                }
                Tok::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.val.as_str().into());
                    self.vars.push(v.val.clone());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            Tok::Variable | Tok::RightDelim | Tok::RightParen => continue 'decls,
                            _ => {
                                return Err(
                                    self.errorf("range can only initialize variables".into())
                                )
                            }
                        }
                    }
                    return Err(self.errorf(format!("too many declarations in {context}")));
                }
                _ => {
                    let _ = after;
                    self.i = save;
                    break 'decls;
                }
            }
        }
        loop {
            let t = self.next_non_space();
            if t.typ == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match t.typ {
                Tok::Bool
                | Tok::CharConst
                | Tok::Dot
                | Tok::Field
                | Tok::Ident
                | Tok::Number
                | Tok::Nil
                | Tok::RawStr
                | Tok::Str
                | Tok::Variable
                | Tok::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return Err(self.unexpected(&t, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if let Some(
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::Str { .. },
            ) = c.args.first()
            {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos as u32;
        let mut cmd = Command {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let t = self.next();
            match t.typ {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return Err(self.unexpected(&t, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.errorf("empty command".into()));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ == Tok::Field {
            let chain_pos = self.peek().pos as u32;
            let mut fields: Vec<Rc<str>> = Vec::new();
            while self.peek().typ == Tok::Field {
                let t = self.next();
                fields.push(t.val[1..].into());
            }
            return Ok(Some(match node {
                Arg::Field { mut idents, .. } => {
                    idents.extend(fields);
                    Arg::Field {
                        pos: chain_pos,
                        idents,
                    }
                }
                Arg::Variable {
                    name, mut idents, ..
                } => {
                    idents.extend(fields);
                    Arg::Variable {
                        pos: chain_pos,
                        name,
                        idents,
                    }
                }
                n @ (Arg::Bool(..)
                | Arg::Str { .. }
                | Arg::Number(_)
                | Arg::Nil(_)
                | Arg::Dot(_)) => {
                    return Err(self.errorf(format!(
                        "unexpected . after term {}",
                        go_quote(&n.to_string())
                    )))
                }
                other => Arg::Chain {
                    pos: chain_pos,
                    node: Box::new(other),
                    idents: fields,
                },
            }));
        }
        Ok(Some(node))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        let pos = t.pos as u32;
        Ok(Some(match t.typ {
            Tok::Ident => {
                if !(self.has_func)(&t.val) {
                    return Err(self.errorf(format!("function {} not defined", go_quote(&t.val))));
                }
                Arg::Ident {
                    pos,
                    name: t.val.as_str().into(),
                }
            }
            Tok::Dot => Arg::Dot(pos),
            Tok::Nil => Arg::Nil(pos),
            Tok::Variable => {
                let base = t.val.split('.').next().unwrap_or("");
                if !self.vars.iter().any(|v| v == base) {
                    return Err(self.errorf(format!("undefined variable {}", go_quote(base))));
                }
                Arg::Variable {
                    pos,
                    name: t.val.as_str().into(),
                    idents: Vec::new(),
                }
            }
            Tok::Field => Arg::Field {
                pos,
                idents: vec![t.val[1..].into()],
            },
            Tok::Bool => Arg::Bool(pos, t.val == "true"),
            Tok::CharConst | Tok::Number => {
                let n = parse_number(&t.val, t.typ == Tok::CharConst)
                    .map_err(|e| self.errorf(e.to_string()))?;
                Arg::Number(Box::new(Number { pos, ..n }))
            }
            Tok::LeftParen => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(self.errorf(format!("nesting deeper than {MAX_NESTING} levels")));
                }
                let p = self.pipeline("parenthesized pipeline", Tok::RightParen);
                self.depth -= 1;
                Arg::Pipe(Box::new(p?))
            }
            Tok::Str | Tok::RawStr => {
                let v = unquote(&t.val).map_err(|e| self.errorf(e.to_string()))?;
                Arg::Str {
                    pos,
                    quoted: t.val.as_str().into(),
                    value: v.into(),
                }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

enum Item {
    Node(Node),
    #[allow(dead_code)]
    Comment,
    End(Token),
    Else(Token),
}

enum Ender {
    End(#[allow(dead_code)] Token),
    Else(Token),
}

/// Go's `strconv.ErrSyntax`: a quoted literal that does not unquote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid syntax")]
pub(crate) struct InvalidSyntax;

/// Why a number literal of a template is refused (Go's `text/template/parse` messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum NumberError {
    #[error(transparent)]
    Syntax(#[from] InvalidSyntax),
    #[error("malformed character constant")]
    MalformedChar,
    #[error("illegal number syntax: {}", go_quote(.0))]
    Illegal(String),
    #[error("integer overflow: {}", go_quote(.0))]
    Overflow(String),
}

/// Go's `strconv.Unquote` for double-quoted, back-quoted and single-quoted literals.
pub(crate) fn unquote(s: &str) -> Result<String, InvalidSyntax> {
    let bad = || InvalidSyntax;
    if s.len() < 2 {
        return Err(bad());
    }
    let q = s.as_bytes()[0];
    if q != s.as_bytes()[s.len() - 1] {
        return Err(bad());
    }
    let inner = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if inner.contains('`') {
                return Err(bad());
            }
            Ok(inner.replace('\r', ""))
        }
        b'"' | b'\'' => {
            let mut out = String::new();
            let mut chars = inner.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '\\' {
                    if c == q as char || c == '\n' {
                        return Err(bad());
                    }
                    out.push(c);
                    continue;
                }
                let e = chars.next().ok_or_else(bad)?;
                match e {
                    'a' => out.push('\x07'),
                    'b' => out.push('\x08'),
                    'f' => out.push('\x0c'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\x0b'),
                    '\\' => out.push('\\'),
                    '\'' if q == b'\'' => out.push('\''),
                    '"' if q == b'"' => out.push('"'),
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut v: u32 = 0;
                        for _ in 0..n {
                            let d = chars.next().and_then(|c| c.to_digit(16)).ok_or_else(bad)?;
                            v = v * 16 + d;
                        }
                        if e == 'x' {
                            // A byte; Go strings may hold invalid UTF-8, we map bytes < 0x80 exactly.
                            out.push(char::from_u32(v).ok_or_else(bad)?);
                        } else {
                            out.push(char::from_u32(v).ok_or_else(bad)?);
                        }
                    }
                    '0'..='7' => {
                        let mut v = e.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            let d = chars.next().and_then(|c| c.to_digit(8)).ok_or_else(bad)?;
                            v = v * 8 + d;
                        }
                        if v > 255 {
                            return Err(bad());
                        }
                        out.push(char::from_u32(v).ok_or_else(bad)?);
                    }
                    _ => return Err(bad()),
                }
            }
            if q == b'\'' && out.chars().count() != 1 {
                return Err(bad());
            }
            Ok(out)
        }
        _ => Err(bad()),
    }
}

/// Parses a Go integer literal with base prefix and underscores (like `strconv.ParseInt(s, 0, 64)`).
pub(crate) fn parse_go_uint(s: &str) -> Option<u64> {
    let (digits, radix) = if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        (r, 8)
    } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        (r, 2)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    let digits = digits.strip_prefix('_').unwrap_or(digits);
    if digits.is_empty() || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    u64::from_str_radix(&clean, radix).ok()
}

/// Like `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_go_uint(body)?;
    if neg {
        if u <= i64::MAX as u64 + 1 {
            Some((u as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else if u <= i64::MAX as u64 {
        Some(u as i64)
    } else {
        None
    }
}

/// Like `strconv.ParseFloat(s, 64)` for decimal literals (hex floats unsupported).
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if body.starts_with("0x") || body.is_empty() {
        return None;
    }
    if matches!(body, "inf" | "infinity" | "nan") {
        return None;
    }
    clean.parse::<f64>().ok()
}

fn parse_number(text: &str, is_char: bool) -> Result<Number, NumberError> {
    let mut n = Number {
        pos: 0,
        text: text.into(),
        int: None,
        uint: None,
        float: None,
        is_char,
    };
    if is_char {
        let s = unquote(text)?;
        let c = s.chars().next().ok_or(NumberError::MalformedChar)?;
        let v = c as i64;
        n.int = Some(v);
        n.uint = Some(v as u64);
        n.float = Some(v as f64);
        return Ok(n);
    }
    if text.ends_with('i') {
        return Err(NumberError::Illegal(text.to_string()));
    }
    if let Some(u) = parse_go_uint(text) {
        n.uint = Some(u);
    }
    if let Some(i) = parse_go_int(text) {
        n.int = Some(i);
        if i >= 0 {
            n.uint = Some(i as u64);
        }
    }
    if n.int.is_some() {
        n.float = n.int.map(|i| i as f64);
    } else if n.uint.is_some() {
        n.float = n.uint.map(|u| u as f64);
    } else if let Some(f) = parse_go_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(NumberError::Overflow(text.to_string()));
        }
        n.float = Some(f);
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            n.int = Some(f as i64);
            if f >= 0.0 {
                n.uint = Some(f as u64);
            }
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(NumberError::Illegal(text.to_string()));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_literals() {
        assert_eq!(unquote(r#""a\tb\u00e9\x41\101""#).unwrap(), "a\tbéAA");
        assert_eq!(unquote("`raw\\n`").unwrap(), "raw\\n");
        assert_eq!(unquote("'\\n'").unwrap(), "\n");
        assert!(unquote(r#""bad\q""#).is_err());
        assert_eq!(parse_go_int("0x1F"), Some(31));
        assert_eq!(parse_go_int("-0b101"), Some(-5));
        assert_eq!(parse_go_int("017"), Some(15));
        assert_eq!(parse_go_int("1_000"), Some(1000));
        assert_eq!(parse_go_int("08"), None);
    }

    #[test]
    fn spans_of_nodes() {
        let p = parse("t", "ab {{ .x }} cd", "{{", "}}", &|_| true).unwrap();
        let Node::Action { span, .. } = &p.root[1] else {
            panic!()
        };
        assert_eq!((span.start, span.end), (3, 11));
        let Node::Text { span, .. } = &p.root[2] else {
            panic!()
        };
        assert_eq!((span.start, span.end), (11, 14));
    }

    #[test]
    fn custom_delimiters() {
        let p = parse("t", "[[ .x ]] {{ y }}", "[[", "]]", &|_| true).unwrap();
        assert_eq!(p.root.len(), 2);
    }
}
