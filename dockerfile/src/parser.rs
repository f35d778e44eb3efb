//! The Dockerfile parser: directives, comments, continuation lines,
//! heredocs and instruction arguments.

use crate::ast::*;
use crate::expand::unquote;
use crate::mapped::{LineIndex, Mapped, Span};
use crate::words::{
    extract_flags, is_ws, parse_json_array, parse_words, skip_ws, split_whitespace, trim_range,
    JsonArray, RawFlag,
};
use std::ops::Range;

const KEYWORDS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// Flags accepted by each instruction (BuildKit, stable and labs).
fn allowed_flags(keyword: &str) -> &'static [&'static str] {
    match keyword {
        "FROM" => &["platform"],
        "RUN" => &["mount", "network", "security", "device"],
        "COPY" => &["from", "chown", "chmod", "link", "parents", "exclude"],
        "ADD" => &[
            "chown",
            "chmod",
            "link",
            "checksum",
            "keep-git-dir",
            "exclude",
            "parents",
            "unpack",
        ],
        "HEALTHCHECK" => &[
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries",
        ],
        _ => &[],
    }
}

#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    /// End of the content, line terminator (`\n` or `\r\n`) excluded.
    content_end: usize,
    /// Offset of the `\n`, if any.
    newline: Option<usize>,
}

struct HeredocHeader {
    name: String,
    fd: Option<u32>,
    chomp: bool,
    expand: bool,
    marker: Span,
}

/// Parses a Dockerfile. Never fails: invalid instructions are reported in
/// [`Parsed::errors`] and skipped, the others are returned.
///
/// ```
/// let parsed = cct_dockerfile::parse("FROM alpine:3.20 AS base\nRUN apk add curl\nBOGUS x\n");
/// assert_eq!(parsed.dockerfile.instructions.len(), 2);
/// assert_eq!(parsed.errors.len(), 1);
/// assert_eq!((parsed.errors[0].line, parsed.errors[0].column), (3, 1));
/// let run = &parsed.dockerfile.instructions[1];
/// assert_eq!(run.keyword, "RUN");
/// assert_eq!(&parsed.dockerfile.source[run.keyword_span.clone()], "RUN");
/// ```
pub fn parse(text: &str) -> Parsed {
    let mut p = Parser::new(text);
    p.run();
    let line_index = LineIndex::new(text);
    let errors = p
        .errors
        .into_iter()
        .map(|(message, span)| {
            let (line, column) = line_index.line_col(text, span.start);
            ParseError {
                message,
                span,
                line,
                column,
            }
        })
        .collect();
    Parsed {
        dockerfile: Dockerfile {
            source: text.to_string(),
            directives: p.directives,
            escape: p.escape,
            comments: p.comments,
            instructions: p.instructions,
            line_index,
        },
        errors,
    }
}

struct Parser<'a> {
    text: &'a str,
    lines: Vec<Line>,
    cursor: usize,
    escape: char,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    instructions: Vec<Instruction>,
    errors: Vec<(String, Span)>,
}

fn split_lines(text: &str, start: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut pos = start;
    let b = text.as_bytes();
    while pos < b.len() {
        let nl = text[pos..].find('\n').map(|i| pos + i);
        let raw_end = nl.unwrap_or(b.len());
        let content_end = if raw_end > pos && b[raw_end - 1] == b'\r' {
            raw_end - 1
        } else {
            raw_end
        };
        lines.push(Line {
            start: pos,
            content_end,
            newline: nl,
        });
        pos = raw_end + 1;
    }
    lines
}

/// Position of the escape character that continues the line, if any
/// (escape character followed only by blanks).
fn continuation(s: &str, escape: char) -> Option<usize> {
    let t = s.trim_end_matches([' ', '\t']);
    if t.ends_with(escape) {
        Some(t.len() - escape.len_utf8())
    } else {
        None
    }
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Parser {
            text,
            lines: split_lines(text, start),
            cursor: 0,
            escape: '\\',
            directives: Vec::new(),
            comments: Vec::new(),
            instructions: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn content(&self, line: Line) -> &'a str {
        &self.text[line.start..line.content_end]
    }

    fn run(&mut self) {
        self.directives();
        while self.cursor < self.lines.len() {
            let line = self.lines[self.cursor];
            let content = self.content(line);
            let trimmed = content.trim_start_matches(is_ws);
            if trimmed.is_empty() {
                self.cursor += 1;
                continue;
            }
            if trimmed.starts_with('#') {
                self.comment(line, false);
                self.cursor += 1;
                continue;
            }
            self.instruction();
        }
    }

    fn comment(&mut self, line: Line, in_continuation: bool) {
        let content = self.content(line);
        let lead = content.len() - content.trim_start_matches(is_ws).len();
        let body = content.trim_end_matches(is_ws);
        let start = line.start + lead;
        let end = line.start + body.len();
        let text = self.text[start + 1..end.max(start + 1)].trim().to_string();
        self.comments.push(Comment {
            text,
            span: start..end,
            in_continuation,
        });
    }

    fn directives(&mut self) {
        let mut seen: Vec<String> = Vec::new();
        while self.cursor < self.lines.len() {
            let line = self.lines[self.cursor];
            let Some(d) = parse_directive(self.content(line), line.start) else {
                return;
            };
            if !matches!(d.name.as_str(), "syntax" | "escape" | "check") {
                return;
            }
            if seen.contains(&d.name) {
                self.errors.push((
                    format!("only one {} parser directive can be used", d.name),
                    d.span.clone(),
                ));
                self.cursor += 1;
                continue;
            }
            seen.push(d.name.clone());
            if d.name == "escape" {
                match d.value.as_str() {
                    "\\" => self.escape = '\\',
                    "`" => self.escape = '`',
                    other => self.errors.push((
                        format!("invalid escape token '{other}' does not match ` or \\"),
                        d.value_span.clone(),
                    )),
                }
            }
            self.directives.push(d);
            self.cursor += 1;
        }
    }

    /// Reads one instruction starting at the current line.
    fn instruction(&mut self) {
        let first = self.lines[self.cursor];
        let first_line_no = self.cursor + 1;
        let content = self.content(first);
        let lead = content.len() - content.trim_start_matches(is_ws).len();
        let mut logical = Mapped::new(first.start + lead);
        let mut piece = (first.start + lead, first.content_end);
        loop {
            let s = &self.text[piece.0..piece.1];
            self.cursor += 1;
            match continuation(s, self.escape) {
                Some(esc) => logical.push_str(&s[..esc], piece.0),
                None => {
                    logical.push_str(s, piece.0);
                    break;
                }
            }
            // Find the next line that continues the instruction.
            let mut next = None;
            while self.cursor < self.lines.len() {
                let line = self.lines[self.cursor];
                let c = self.content(line);
                let t = c.trim_start_matches(is_ws);
                if t.starts_with('#') {
                    self.comment(line, true);
                    self.cursor += 1;
                } else if t.is_empty() {
                    self.cursor += 1;
                } else {
                    next = Some(line);
                    break;
                }
            }
            match next {
                Some(line) => piece = (line.start, line.content_end),
                None => break,
            }
        }
        let range = trim_range(&logical.text, 0..logical.len());
        if let Some(ins) = self.parse_logical(&logical, range, first_line_no, true) {
            self.instructions.push(ins);
        }
    }

    fn err(&mut self, msg: impl Into<String>, span: Span) {
        self.errors.push((msg.into(), span));
    }

    /// Parses `logical.text[range]` (keyword, flags, arguments).
    fn parse_logical(
        &mut self,
        logical: &Mapped,
        range: Range<usize>,
        line: usize,
        top_level: bool,
    ) -> Option<Instruction> {
        let text = logical.text.as_str();
        let kw_end = text[range.clone()]
            .find(is_ws)
            .map_or(range.end, |i| range.start + i);
        let kw_range = range.start..kw_end;
        let keyword_raw = &text[kw_range.clone()];
        let keyword = keyword_raw.to_ascii_uppercase();
        let keyword_span = logical.span(kw_range.clone());
        if !KEYWORDS.contains(&keyword.as_str()) {
            let mut msg = format!("unknown instruction: {keyword_raw}");
            if let Some(s) = suggest(&keyword) {
                msg.push_str(&format!(" (did you mean {s}?)"));
            }
            self.err(msg, keyword_span);
            return None;
        }
        let (raw_flags, rest_start) = extract_flags(&text[..range.end], kw_end);
        let rest = rest_start.min(range.end)..range.end;
        let flags: Vec<Flag> = raw_flags.iter().map(|f| to_flag(logical, f)).collect();
        let mut ins = Instruction {
            keyword: keyword.clone(),
            keyword_span: keyword_span.clone(),
            span: logical.span(range.clone()),
            line,
            flags,
            args: Vec::new(),
            args_span: logical.span(rest.clone()),
            heredocs: Vec::new(),
            kind: InstructionKind::Volume(Vec::new()),
        };
        if top_level && matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            let headers = heredoc_headers(logical, rest.clone());
            if !headers.is_empty() {
                ins.heredocs = self.read_heredocs(headers);
                if let Some(last) = ins.heredocs.last() {
                    let term_end = self.last_terminator_end(last);
                    ins.span.end = term_end;
                }
            }
        }
        let allowed = allowed_flags(&keyword);
        for f in &ins.flags {
            if !allowed.contains(&f.name.as_str()) {
                let msg = format!("unknown flag: --{} for {}", f.name, keyword);
                self.errors.push((msg, f.span.clone()));
            }
        }
        let kind = self.parse_kind(&mut ins, logical, rest, line)?;
        ins.kind = kind;
        Some(ins)
    }

    fn last_terminator_end(&self, last: &Heredoc) -> usize {
        // The terminator line is the line just before the cursor.
        match self.cursor.checked_sub(1).and_then(|i| self.lines.get(i)) {
            Some(l) if l.start >= last.body_span.end => l.content_end,
            _ => last.body_span.end,
        }
    }

    fn read_heredocs(&mut self, headers: Vec<HeredocHeader>) -> Vec<Heredoc> {
        let mut out = Vec::new();
        for h in headers {
            let body_start = self
                .lines
                .get(self.cursor)
                .map_or(self.text.len(), |l| l.start);
            let mut mapped = Mapped::new(body_start);
            let mut body_end = body_start;
            let mut terminated = false;
            while self.cursor < self.lines.len() {
                let line = self.lines[self.cursor];
                let content = self.content(line);
                let (stripped, skip) = if h.chomp {
                    let s = content.trim_start_matches('\t');
                    (s, content.len() - s.len())
                } else {
                    (content, 0)
                };
                self.cursor += 1;
                if stripped == h.name {
                    terminated = true;
                    break;
                }
                mapped.push_str(stripped, line.start + skip);
                let nl = line.newline.unwrap_or(line.content_end);
                mapped.push_char('\n', nl..nl + usize::from(line.newline.is_some()));
                body_end = line.content_end;
            }
            if !terminated {
                self.err(format!("unterminated heredoc {}", h.name), h.marker.clone());
            }
            out.push(Heredoc {
                name: h.name,
                fd: h.fd,
                chomp: h.chomp,
                expand: h.expand,
                marker_span: h.marker,
                body_span: body_start..body_end,
                content: mapped.text.clone(),
                mapped,
            });
        }
        out
    }

    fn parse_kind(
        &mut self,
        ins: &mut Instruction,
        logical: &Mapped,
        rest: Range<usize>,
        line: usize,
    ) -> Option<InstructionKind> {
        let text = logical.text.as_str();
        let esc = self.escape;
        let kw = ins.keyword.clone();
        let rest_text = &text[rest.clone()];
        let plain_words = |rs: Vec<Range<usize>>| -> Vec<Word> {
            rs.into_iter()
                .map(|r| {
                    let raw = &text[r.clone()];
                    word(logical, r.clone(), unquote(raw, esc))
                })
                .collect()
        };
        let whole = || word(logical, rest.clone(), unquote(rest_text, esc));
        let kind = match kw.as_str() {
            "FROM" => {
                let ws = split_whitespace(text, rest.clone());
                let words = plain_words(ws.clone());
                ins.args = words.clone();
                let ok = words.len() == 1
                    || (words.len() == 3 && words[1].raw.eq_ignore_ascii_case("as"));
                if !ok {
                    self.err(
                        "FROM requires either one or three arguments",
                        ins.keyword_span.clone(),
                    );
                    return None;
                }
                let mut stage_name = None;
                let mut as_span = None;
                if words.len() == 3 {
                    let mut n = words[2].clone();
                    n.value = n.value.to_ascii_lowercase();
                    if !valid_stage_name(&n.value) {
                        self.err(
                            format!(
                                "invalid name for build stage: {:?}, name can't start with a number or contain symbols",
                                n.raw
                            ),
                            n.span.clone(),
                        );
                        return None;
                    }
                    as_span = Some(words[1].span.clone());
                    stage_name = Some(n);
                }
                InstructionKind::From(From {
                    image: words[0].clone(),
                    stage_name,
                    as_span,
                })
            }
            "RUN" | "CMD" | "ENTRYPOINT" => {
                let cl = self.command_line(logical, rest.clone(), ins)?;
                match kw.as_str() {
                    "RUN" => match cl {
                        Some(c) => InstructionKind::Run(c),
                        None => {
                            self.err(
                                "RUN requires at least one argument",
                                ins.keyword_span.clone(),
                            );
                            return None;
                        }
                    },
                    "CMD" => InstructionKind::Cmd(cl),
                    _ => InstructionKind::Entrypoint(cl),
                }
            }
            "SHELL" => match parse_json_array(logical, rest.clone()) {
                JsonArray::Strings(elems) if !elems.is_empty() => {
                    let ws: Vec<Word> = elems.into_iter().map(|e| json_word(logical, e)).collect();
                    ins.args = ws.clone();
                    InstructionKind::Shell(ws)
                }
                _ => {
                    self.err(
                        "SHELL requires the arguments to be in JSON form",
                        if rest.is_empty() {
                            ins.keyword_span.clone()
                        } else {
                            logical.span(rest.clone())
                        },
                    );
                    return None;
                }
            },
            "HEALTHCHECK" => {
                let ws = split_whitespace(text, rest.clone());
                let Some(first) = ws.first().cloned() else {
                    self.err(
                        "HEALTHCHECK requires at least one argument",
                        ins.keyword_span.clone(),
                    );
                    return None;
                };
                let typ = text[first.clone()].to_ascii_uppercase();
                if typ == "NONE" {
                    if ws.len() > 1 {
                        self.err(
                            "HEALTHCHECK NONE takes no arguments",
                            logical.span(rest.clone()),
                        );
                        return None;
                    }
                    ins.args = plain_words(ws);
                    InstructionKind::Healthcheck(Healthcheck::None)
                } else if typ == "CMD" {
                    let cmd_rest = skip_ws(text, first.end).min(rest.end)..rest.end;
                    match self.command_line(logical, cmd_rest, ins)? {
                        Some(c) => InstructionKind::Healthcheck(Healthcheck::Cmd(c)),
                        None => {
                            self.err(
                                "Missing command after HEALTHCHECK CMD",
                                logical.span(first.clone()),
                            );
                            return None;
                        }
                    }
                } else {
                    self.err(
                        format!("Unknown type {typ:?} in HEALTHCHECK (try CMD)"),
                        logical.span(first),
                    );
                    return None;
                }
            }
            "LABEL" | "ENV" => {
                let pairs = self.name_values(logical, rest.clone(), &kw, ins)?;
                if kw == "ENV" {
                    InstructionKind::Env(pairs)
                } else {
                    InstructionKind::Label(pairs)
                }
            }
            "ARG" => {
                let ws = parse_words(text, rest.clone(), esc);
                if ws.is_empty() {
                    self.err(
                        "ARG requires at least one argument",
                        ins.keyword_span.clone(),
                    );
                    return None;
                }
                ins.args = plain_words(ws.clone());
                let mut pairs = Vec::new();
                for r in ws {
                    let raw = &text[r.clone()];
                    match raw.find('=') {
                        Some(eq) => {
                            let kr = r.start..r.start + eq;
                            let vr = r.start + eq + 1..r.end;
                            pairs.push(KeyValue {
                                key: word(logical, kr.clone(), text[kr].to_string()),
                                value: Some(word(logical, vr.clone(), unquote(&text[vr], esc))),
                                span: logical.span(r),
                            });
                        }
                        None => pairs.push(KeyValue {
                            key: word(logical, r.clone(), raw.to_string()),
                            value: None,
                            span: logical.span(r),
                        }),
                    }
                }
                InstructionKind::Arg(pairs)
            }
            "MAINTAINER" | "USER" | "WORKDIR" | "STOPSIGNAL" => {
                if rest.is_empty() {
                    let msg = if kw == "MAINTAINER" {
                        "MAINTAINER requires exactly one argument".to_string()
                    } else {
                        format!("{kw} requires exactly one argument")
                    };
                    self.err(msg, ins.keyword_span.clone());
                    return None;
                }
                let w = whole();
                ins.args = vec![w.clone()];
                match kw.as_str() {
                    "MAINTAINER" => InstructionKind::Maintainer(w),
                    "USER" => InstructionKind::User(w),
                    "WORKDIR" => InstructionKind::Workdir(w),
                    _ => InstructionKind::Stopsignal(w),
                }
            }
            "EXPOSE" => {
                let ws = plain_words(split_whitespace(text, rest.clone()));
                if ws.is_empty() {
                    self.err(
                        "EXPOSE requires at least one argument",
                        ins.keyword_span.clone(),
                    );
                    return None;
                }
                for w in &ws {
                    if !w.value.contains('$') && crate::model::parse_port(&w.value).is_none() {
                        self.err(
                            format!("invalid port specification: {:?}", w.raw),
                            w.span.clone(),
                        );
                    }
                }
                ins.args = ws.clone();
                InstructionKind::Expose(ws)
            }
            "VOLUME" | "ADD" | "COPY" => {
                let (ws, exec_form) = match parse_json_array(logical, rest.clone()) {
                    JsonArray::Strings(elems) => (
                        elems.into_iter().map(|e| json_word(logical, e)).collect(),
                        true,
                    ),
                    _ => (plain_words(split_whitespace(text, rest.clone())), false),
                };
                ins.args = ws.clone();
                if kw == "VOLUME" {
                    if ws.is_empty() {
                        self.err(
                            "VOLUME requires at least one argument",
                            ins.keyword_span.clone(),
                        );
                        return None;
                    }
                    InstructionKind::Volume(ws)
                } else {
                    if ws.len() < 2 {
                        self.err(
                            format!("{kw} requires at least two arguments, but only one was provided. Destination could not be determined"),
                            if ws.is_empty() { ins.keyword_span.clone() } else { logical.span(rest.clone()) },
                        );
                        return None;
                    }
                    let mut sources = ws;
                    let dest = sources.pop();
                    let args = CopyArgs {
                        sources,
                        dest,
                        exec_form,
                    };
                    if kw == "ADD" {
                        InstructionKind::Add(args)
                    } else {
                        InstructionKind::Copy(args)
                    }
                }
            }
            "ONBUILD" => {
                let r = trim_range(text, rest.clone());
                if r.is_empty() {
                    self.err(
                        "ONBUILD requires at least one argument",
                        ins.keyword_span.clone(),
                    );
                    return None;
                }
                let first_end = text[r.clone()].find(is_ws).map_or(r.end, |i| r.start + i);
                let trigger = text[r.start..first_end].to_ascii_uppercase();
                if matches!(trigger.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") {
                    self.err(
                        format!("{trigger} isn't allowed as an ONBUILD trigger"),
                        logical.span(r.start..first_end),
                    );
                    return None;
                }
                let inner = self.parse_logical(logical, r, line, false)?;
                InstructionKind::Onbuild(Box::new(inner))
            }
            _ => return None,
        };
        Some(kind)
    }

    /// Exec or shell form. `Err`-like `None` outer result when invalid.
    fn command_line(
        &mut self,
        logical: &Mapped,
        rest: Range<usize>,
        ins: &mut Instruction,
    ) -> Option<Option<CommandLine>> {
        if rest.is_empty() {
            return Some(None);
        }
        match parse_json_array(logical, rest.clone()) {
            JsonArray::Strings(elems) => {
                let ws: Vec<Word> = elems.into_iter().map(|e| json_word(logical, e)).collect();
                ins.args = ws.clone();
                Some(Some(CommandLine::Exec(ws)))
            }
            JsonArray::NotStrings => {
                self.err(
                    format!("{} exec form must be a JSON array of strings", ins.keyword),
                    logical.span(rest),
                );
                None
            }
            JsonArray::Invalid => {
                let text = logical.text[rest.clone()].to_string();
                let sf = ShellForm {
                    text: text.clone(),
                    span: logical.span(rest.clone()),
                    mapped: logical.slice(rest.clone()),
                };
                ins.args = vec![Word {
                    raw: text.clone(),
                    value: text,
                    span: logical.span(rest),
                    mapped: Some(sf.mapped.clone()),
                }];
                Some(Some(CommandLine::Shell(sf)))
            }
        }
    }

    /// `ENV`/`LABEL`: `k=v k2=v2` or legacy `k v`.
    fn name_values(
        &mut self,
        logical: &Mapped,
        rest: Range<usize>,
        kw: &str,
        ins: &mut Instruction,
    ) -> Option<Vec<KeyValue>> {
        let text = logical.text.as_str();
        let esc = self.escape;
        let ws = parse_words(text, rest.clone(), esc);
        let Some(first) = ws.first() else {
            self.err(
                format!("{kw} requires at least one argument"),
                ins.keyword_span.clone(),
            );
            return None;
        };
        let mut pairs = Vec::new();
        if !text[first.clone()].contains('=') {
            // Legacy form: KEY value...
            let key_end = text[rest.clone()]
                .find(is_ws)
                .map_or(rest.end, |i| rest.start + i);
            let vstart = skip_ws(text, key_end).min(rest.end);
            if vstart >= rest.end {
                self.err(
                    format!("{kw} must have two arguments"),
                    logical.span(rest.clone()),
                );
                return None;
            }
            let kr = rest.start..key_end;
            let vr = vstart..rest.end;
            pairs.push(KeyValue {
                key: word(logical, kr.clone(), unquote(&text[kr], esc)),
                value: Some(word(logical, vr.clone(), unquote(&text[vr], esc))),
                span: logical.span(rest.clone()),
            });
        } else {
            for r in ws {
                let raw = &text[r.clone()];
                let Some(eq) = raw.find('=') else {
                    self.err(
                        format!(
                            "Syntax error - can't find = in {raw:?}. Must be of the form: name=value"
                        ),
                        logical.span(r),
                    );
                    return None;
                };
                let kr = r.start..r.start + eq;
                let vr = r.start + eq + 1..r.end;
                pairs.push(KeyValue {
                    key: word(logical, kr.clone(), unquote(&text[kr], esc)),
                    value: Some(word(logical, vr.clone(), unquote(&text[vr], esc))),
                    span: logical.span(r),
                });
            }
        }
        ins.args = pairs
            .iter()
            .flat_map(|p| std::iter::once(p.key.clone()).chain(p.value.clone()))
            .collect();
        Some(pairs)
    }
}

fn word(logical: &Mapped, r: Range<usize>, value: String) -> Word {
    Word {
        raw: logical.text.get(r.clone()).unwrap_or_default().to_string(),
        value,
        span: logical.span(r),
        mapped: None,
    }
}

fn json_word(logical: &Mapped, e: crate::words::JsonElem) -> Word {
    Word {
        raw: logical
            .text
            .get(e.range.clone())
            .unwrap_or_default()
            .to_string(),
        value: e.value.text.clone(),
        span: logical.span(e.range),
        mapped: Some(e.value),
    }
}

fn to_flag(logical: &Mapped, f: &RawFlag) -> Flag {
    Flag {
        name: logical
            .text
            .get(f.name.clone())
            .unwrap_or_default()
            .to_string(),
        value: f.value.as_ref().map(|(_, v)| v.clone()),
        span: logical.span(f.range.clone()),
        name_span: logical.span(f.name.clone()),
        value_span: f.value.as_ref().map(|(r, _)| logical.span(r.clone())),
    }
}

fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// Heredoc markers (`<<EOF`, `<<-"EOF"`, `3<<EOF`) among the words of `rest`.
fn heredoc_headers(logical: &Mapped, rest: Range<usize>) -> Vec<HeredocHeader> {
    let text = logical.text.as_str();
    let mut out = Vec::new();
    for r in parse_words(text, rest, '\\') {
        let w = &text[r.clone()];
        let digits = w.len() - w.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(after) = w[digits..].strip_prefix("<<") else {
            continue;
        };
        let (chomp, name_raw) = match after.strip_prefix('-') {
            Some(n) => (true, n),
            None => (false, after),
        };
        let name_raw = name_raw.trim_start_matches(is_ws);
        if name_raw.is_empty() || name_raw.contains('<') {
            continue;
        }
        let name = unquote(name_raw, '\\');
        if name.is_empty() {
            continue;
        }
        out.push(HeredocHeader {
            name,
            fd: if digits > 0 {
                w[..digits].parse().ok()
            } else {
                None
            },
            chomp,
            expand: !name_raw.contains(['\'', '"']),
            marker: logical.span(r),
        });
    }
    out
}

/// `# name = value` at the top of the file.
fn parse_directive(content: &str, start: usize) -> Option<Directive> {
    let lead = content.len() - content.trim_start_matches(is_ws).len();
    let s = &content[lead..];
    let after_hash = s.strip_prefix('#')?;
    let mut p = lead + 1 + (after_hash.len() - after_hash.trim_start_matches(is_ws).len());
    let name_start = p;
    let b = content.as_bytes();
    if p >= b.len() || !b[p].is_ascii_alphabetic() {
        return None;
    }
    while p < b.len() && b[p].is_ascii_alphanumeric() {
        p += 1;
    }
    let name_end = p;
    p = skip_ws(content, p);
    if p >= b.len() || b[p] != b'=' {
        return None;
    }
    p = skip_ws(content, p + 1);
    let value = content[p..].trim_end_matches(is_ws);
    if value.is_empty() {
        return None;
    }
    Some(Directive {
        name: content[name_start..name_end].to_ascii_lowercase(),
        value: value.to_string(),
        span: start + lead..start + p + value.len(),
        name_span: start + name_start..start + name_end,
        value_span: start + p..start + p + value.len(),
    })
}

fn suggest(keyword: &str) -> Option<&'static str> {
    KEYWORDS
        .iter()
        .copied()
        .find(|k| edit_distance(k, keyword) <= 2 && keyword.len() > 2)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
