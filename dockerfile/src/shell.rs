//! Analysis of shell command text (RUN shell form, heredoc scripts,
//! `sh -c` arguments): commands, words with original spans, wrappers such as
//! `sudo`, and package installations.

use crate::ast::{CommandLine, Heredoc, Instruction, InstructionKind, ShellForm, Word};
use crate::mapped::{Mapped, Span};
use std::ops::Range;

/// A shell word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    /// Text as written (quotes included).
    pub raw: String,
    /// Value with quotes and backslash escapes removed (no expansion).
    pub value: String,
    /// Byte range in the original Dockerfile.
    pub span: Span,
    value_map: Mapped,
}

impl ShellWord {
    /// Original span of a byte range of [`ShellWord::value`].
    pub fn value_span(&self, r: Range<usize>) -> Span {
        self.value_map.span(r)
    }
}

/// A redirection such as `> /dev/null` or `2>&1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// Operator, with its file descriptor (`2>`, `>>`, `<<`).
    pub op: String,
    /// Target word.
    pub target: Option<ShellWord>,
    /// Operator span.
    pub span: Span,
}

/// A package named in an install command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Package name, version pin removed.
    pub name: String,
    /// Version pin (`=1.2`, `==1.2`, `@1.2`), without the operator.
    pub version: Option<String>,
    /// The whole word.
    pub word: ShellWord,
    /// Span of the name.
    pub name_span: Span,
    /// Span of the version.
    pub version_span: Option<Span>,
}

/// A package installation (`apt-get install`, `apk add`, `pip install`...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageInstall {
    /// Package manager program name (`apt-get`, `apk`, `pip`, `npm`...).
    pub manager: String,
    /// Global install (`npm install -g`, `yarn global add`).
    pub global: bool,
    /// Packages.
    pub packages: Vec<Package>,
}

/// A simple command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCommand {
    /// From the first to the last word.
    pub span: Span,
    /// All words (assignments and wrappers included).
    pub words: Vec<ShellWord>,
    /// Leading `VAR=value` words (also those given to `env` or `sudo`).
    pub assignments: Vec<ShellWord>,
    /// Wrapper words skipped to find the program (`sudo`, `env`, `exec`...).
    pub wrappers: Vec<ShellWord>,
    /// Span of the `sudo` (or `doas`) word, when used.
    pub sudo: Option<Span>,
    /// Index in `words` of the program.
    pub program: Option<usize>,
    /// Redirections.
    pub redirects: Vec<Redirect>,
    /// Package installation, if recognised.
    pub install: Option<PackageInstall>,
}

impl ShellCommand {
    /// Program word.
    pub fn program_word(&self) -> Option<&ShellWord> {
        self.program.and_then(|i| self.words.get(i))
    }

    /// Program base name (`/usr/bin/apt-get` gives `apt-get`).
    pub fn program_name(&self) -> Option<&str> {
        self.program_word().map(|w| basename(&w.value))
    }

    /// Words after the program.
    pub fn args(&self) -> &[ShellWord] {
        match self.program {
            Some(i) => self.words.get(i + 1..).unwrap_or_default(),
            None => &[],
        }
    }
}

fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// Splits shell form text into commands.
///
/// ```
/// let parsed = cct_dockerfile::parse("RUN apt-get update && \\\n    sudo apt-get install -y curl=7.88 \\\n    git\n");
/// let cmds = parsed.dockerfile.instructions[0].shell_commands();
/// assert_eq!(cmds.len(), 2);
/// let install = cmds[1].install.as_ref().unwrap();
/// assert_eq!(install.packages[0].name, "curl");
/// assert_eq!(install.packages[0].version.as_deref(), Some("7.88"));
/// let git = &install.packages[1];
/// assert_eq!(parsed.dockerfile.line_col(git.word.span.start), (3, 5));
/// assert!(cmds[1].sudo.is_some());
/// ```
pub fn analyze_shell(form: &ShellForm) -> Vec<ShellCommand> {
    analyze_mapped(&form.mapped)
}

/// Analyzes a shell script given as text (a CI `script:` line, a script file): spans are byte
/// ranges of `text`.
///
/// ```
/// let cmds = cct_dockerfile::analyze_script("kubectl -n x apply -f k8s/ && echo ok\n");
/// assert_eq!(cmds.len(), 2);
/// assert_eq!(cmds[0].program_name(), Some("kubectl"));
/// assert_eq!(cmds[0].args()[2].span, 13..18);
/// ```
pub fn analyze_script(text: &str) -> Vec<ShellCommand> {
    let mut m = Mapped::new(0);
    m.push_str(text, 0);
    analyze_mapped(&m)
}

/// Analyzes a heredoc body as a shell script.
pub fn analyze_heredoc(heredoc: &Heredoc) -> Vec<ShellCommand> {
    analyze_mapped(&heredoc.mapped)
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"];

impl Instruction {
    /// Shell commands executed by this instruction: shell form text of
    /// `RUN`/`CMD`/`ENTRYPOINT`/`HEALTHCHECK CMD`, heredoc scripts of `RUN`
    /// (`RUN <<EOF`, `RUN bash <<EOF`), exec form as one command, and
    /// `sh -c "script"` arguments, recursively. `ONBUILD` gives the commands
    /// of its trigger.
    pub fn shell_commands(&self) -> Vec<ShellCommand> {
        if let InstructionKind::Onbuild(inner) = &self.kind {
            return inner.shell_commands();
        }
        let Some(cl) = self.command_line() else {
            return Vec::new();
        };
        let mut out = match cl {
            CommandLine::Shell(sf) => analyze_mapped(&sf.mapped),
            CommandLine::Exec(words) => exec_command(words),
        };
        if matches!(self.kind, InstructionKind::Run(_)) {
            for h in &self.heredocs {
                let owner = out.iter().find(|c| {
                    c.redirects.iter().any(|r| {
                        r.target.as_ref().is_some_and(|t| {
                            t.span.start >= h.marker_span.start && t.span.end <= h.marker_span.end
                        })
                    })
                });
                let script = match owner {
                    Some(c) => c.program_name().is_none_or(|p| SHELLS.contains(&p)),
                    None => true,
                };
                if script {
                    out.extend(analyze_mapped(&h.mapped));
                }
            }
        }
        out
    }
}

fn exec_command(words: &[Word]) -> Vec<ShellCommand> {
    let ws: Vec<ShellWord> = words
        .iter()
        .map(|w| ShellWord {
            raw: w.raw.clone(),
            value: w.value.clone(),
            span: w.span.clone(),
            value_map: w.mapped.clone().unwrap_or_else(|| {
                let mut m = Mapped::new(w.span.start);
                m.push_str(&w.value, w.span.start);
                m
            }),
        })
        .collect();
    let mut out = Vec::new();
    if let Some(cmd) = build_command(ws, Vec::new()) {
        let nested = nested_scripts(&cmd);
        out.push(cmd);
        out.extend(nested);
    }
    out
}

pub(crate) fn analyze_mapped(src: &Mapped) -> Vec<ShellCommand> {
    analyze_range(src, 0..src.len(), 0)
}

fn analyze_range(src: &Mapped, range: Range<usize>, depth: usize) -> Vec<ShellCommand> {
    if depth > 8 {
        return Vec::new();
    }
    let toks = lex(src, range);
    let mut out = Vec::new();
    let mut words: Vec<LexWord> = Vec::new();
    let mut redirects: Vec<(String, Range<usize>, Option<LexWord>)> = Vec::new();
    let mut iter = toks.into_iter().peekable();
    let flush = |words: &mut Vec<LexWord>,
                 redirects: &mut Vec<(String, Range<usize>, Option<LexWord>)>,
                 out: &mut Vec<ShellCommand>| {
        let ws = std::mem::take(words);
        let rs = std::mem::take(redirects);
        let substs: Vec<Range<usize>> = ws
            .iter()
            .chain(rs.iter().filter_map(|r| r.2.as_ref()))
            .flat_map(|w| w.substs.iter().cloned())
            .collect();
        let shell_words: Vec<ShellWord> = ws.iter().map(|w| to_shell_word(src, w)).collect();
        let reds: Vec<Redirect> = rs
            .iter()
            .map(|(op, r, t)| Redirect {
                op: op.clone(),
                target: t.as_ref().map(|w| to_shell_word(src, w)),
                span: src.span(r.clone()),
            })
            .collect();
        if let Some(cmd) = build_command(shell_words, reds) {
            let nested = nested_scripts(&cmd);
            out.push(cmd);
            out.extend(nested);
        }
        for s in substs {
            out.extend(analyze_range(src, s, depth + 1));
        }
    };
    while let Some(tok) = iter.next() {
        match tok {
            Tok::Word(w) => words.push(w),
            Tok::Op(op, r) => {
                if is_redirect(&op) {
                    let target = match iter.peek() {
                        Some(Tok::Word(_)) => match iter.next() {
                            Some(Tok::Word(w)) => Some(w),
                            _ => None,
                        },
                        _ => None,
                    };
                    redirects.push((op, r, target));
                } else {
                    flush(&mut words, &mut redirects, &mut out);
                }
            }
        }
    }
    flush(&mut words, &mut redirects, &mut out);
    out
}

/// `sh -c "script"`: the script's commands.
fn nested_scripts(cmd: &ShellCommand) -> Vec<ShellCommand> {
    let Some(p) = cmd.program_name() else {
        return Vec::new();
    };
    if !SHELLS.contains(&p) {
        return Vec::new();
    }
    let args = cmd.args();
    let mut i = 0;
    if p == "busybox" {
        i = 1;
    }
    let mut saw_c = false;
    while i < args.len() {
        let v = &args[i].value;
        if v.starts_with('-') && !v.starts_with("--") && v.len() > 1 {
            if v.contains('c') {
                saw_c = true;
            }
            if v == "-o" || v == "+o" {
                i += 1;
            }
            i += 1;
            continue;
        }
        break;
    }
    if !saw_c {
        return Vec::new();
    }
    match args.get(i) {
        Some(script) => analyze_range(&script.value_map, 0..script.value_map.len(), 1),
        None => Vec::new(),
    }
}

fn to_shell_word(src: &Mapped, w: &LexWord) -> ShellWord {
    ShellWord {
        raw: src
            .text
            .get(w.range.clone())
            .unwrap_or_default()
            .to_string(),
        value: w.value.clone(),
        span: src.span(w.range.clone()),
        value_map: src.compose(&w.value, &w.idx),
    }
}

fn is_redirect(op: &str) -> bool {
    let op = op.trim_start_matches(|c: char| c.is_ascii_digit());
    op.starts_with('<') || op.starts_with('>') || op.starts_with("&>")
}

#[derive(Debug)]
struct LexWord {
    range: Range<usize>,
    value: String,
    idx: Vec<usize>,
    substs: Vec<Range<usize>>,
}

#[derive(Debug)]
enum Tok {
    Word(LexWord),
    Op(String, Range<usize>),
}

const OPS: &[&str] = &[
    "&>>", "<<<", "<<-", "&&", "||", ";;", "|&", "&>", ">>", ">|", ">&", "<<", "<&", "<>", ";",
    "|", "&", "(", ")", ">", "<",
];

fn lex(src: &Mapped, range: Range<usize>) -> Vec<Tok> {
    let text = src.text.as_str();
    let b = text.as_bytes();
    let end = range.end.min(b.len());
    let mut pos = range.start;
    let mut toks = Vec::new();
    let mut pending: Vec<(String, bool)> = Vec::new();
    while pos < end {
        let c = b[pos];
        if c == b' ' || c == b'\t' || c == b'\r' {
            pos += 1;
            continue;
        }
        if c == b'\\' && pos + 1 < end && b[pos + 1] == b'\n' {
            pos += 2;
            continue;
        }
        if c == b'\\' && pos + 2 < end && b[pos + 1] == b'\r' && b[pos + 2] == b'\n' {
            pos += 3;
            continue;
        }
        if c == b'#' {
            while pos < end && b[pos] != b'\n' {
                pos += 1;
            }
            continue;
        }
        if c == b'\n' {
            toks.push(Tok::Op("\n".into(), pos..pos + 1));
            pos += 1;
            // Skip the bodies of heredocs started on this line.
            for (delim, chomp) in std::mem::take(&mut pending) {
                while pos < end {
                    let line_end = text[pos..end].find('\n').map_or(end, |i| pos + i);
                    let line = text[pos..line_end].trim_end_matches('\r');
                    let line = if chomp {
                        line.trim_start_matches('\t')
                    } else {
                        line
                    };
                    pos = (line_end + 1).min(end);
                    if line == delim {
                        break;
                    }
                }
            }
            continue;
        }
        // Operators, with an optional file descriptor number.
        let digits = b[pos..end]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        let op_at = pos + digits;
        let op = OPS
            .iter()
            .find(|op| text[op_at.min(end)..end].starts_with(**op))
            .filter(|op| digits == 0 || op.starts_with('<') || op.starts_with('>'));
        if let Some(op) = op {
            let r = pos..op_at + op.len();
            let op_s = text[r.clone()].to_string();
            pos = r.end;
            let heredoc = op.starts_with("<<") && *op != "<<<";
            toks.push(Tok::Op(op_s, r));
            if heredoc {
                while pos < end && (b[pos] == b' ' || b[pos] == b'\t') {
                    pos += 1;
                }
                if pos < end && !is_meta(b[pos]) {
                    let w = lex_word(text, pos, end);
                    pos = w.range.end;
                    pending.push((w.value.clone(), *op == "<<-"));
                    toks.push(Tok::Word(w));
                }
            }
            continue;
        }
        let w = lex_word(text, pos, end);
        pos = w.range.end.max(pos + 1);
        toks.push(Tok::Word(w));
    }
    toks
}

fn is_meta(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

fn push(w: &mut LexWord, text: &str, at: usize) -> usize {
    match text.get(at..).and_then(|s| s.chars().next()) {
        Some(ch) => {
            w.value.push(ch);
            for k in 0..ch.len_utf8() {
                w.idx.push(at + k);
            }
            ch.len_utf8()
        }
        None => 1,
    }
}

fn lex_word(text: &str, start: usize, end: usize) -> LexWord {
    let b = text.as_bytes();
    let mut w = LexWord {
        range: start..start,
        value: String::new(),
        idx: Vec::new(),
        substs: Vec::new(),
    };
    let mut pos = start;
    while pos < end {
        let c = b[pos];
        if is_meta(c) {
            break;
        }
        match c {
            b'\'' => {
                pos += 1;
                while pos < end && b[pos] != b'\'' {
                    pos += push(&mut w, text, pos);
                }
                pos += 1;
            }
            b'"' => {
                pos += 1;
                while pos < end && b[pos] != b'"' {
                    match b[pos] {
                        b'\\' if pos + 1 < end => {
                            let n = b[pos + 1];
                            if n == b'\n' {
                                pos += 2;
                            } else if matches!(n, b'$' | b'`' | b'"' | b'\\') {
                                pos += 1;
                                pos += push(&mut w, text, pos);
                            } else {
                                pos += push(&mut w, text, pos);
                            }
                        }
                        b'$' if pos + 1 < end && b[pos + 1] == b'(' => {
                            pos = dollar_paren(&mut w, text, pos, end);
                        }
                        b'`' => pos = backtick(&mut w, text, pos, end),
                        _ => pos += push(&mut w, text, pos),
                    }
                }
                pos += 1;
            }
            b'\\' => {
                if pos + 1 < end && b[pos + 1] == b'\n' {
                    pos += 2;
                } else if pos + 1 < end {
                    pos += 1;
                    pos += push(&mut w, text, pos);
                } else {
                    pos += 1;
                }
            }
            b'$' if pos + 1 < end && b[pos + 1] == b'\'' => {
                pos += 2;
                while pos < end && b[pos] != b'\'' {
                    if b[pos] == b'\\' && pos + 1 < end {
                        let decoded = match b[pos + 1] {
                            b'n' => Some('\n'),
                            b't' => Some('\t'),
                            b'\\' => Some('\\'),
                            b'\'' => Some('\''),
                            _ => None,
                        };
                        if let Some(d) = decoded {
                            w.value.push(d);
                            w.idx.push(pos);
                            pos += 2;
                            continue;
                        }
                    }
                    pos += push(&mut w, text, pos);
                }
                pos += 1;
            }
            b'$' if pos + 1 < end && b[pos + 1] == b'(' => {
                pos = dollar_paren(&mut w, text, pos, end);
            }
            b'$' if pos + 1 < end && b[pos + 1] == b'{' => {
                let close = matching(text, pos + 2, end, b'{', b'}');
                let stop = (close + 1).min(end);
                while pos < stop {
                    pos += push(&mut w, text, pos);
                }
            }
            b'`' => pos = backtick(&mut w, text, pos, end),
            _ => pos += push(&mut w, text, pos),
        }
    }
    w.range = start..pos.min(end);
    w
}

/// `$( ... )` or `$(( ... ))` at `pos`: copies it to the word, records the
/// command substitution, returns the position after it.
fn dollar_paren(w: &mut LexWord, text: &str, mut pos: usize, end: usize) -> usize {
    let b = text.as_bytes();
    let arith = pos + 2 < end && b[pos + 2] == b'(';
    let close = matching(text, pos + 2, end, b'(', b')');
    if !arith {
        w.substs.push(pos + 2..close.min(end));
    }
    let stop = if arith {
        (close + 2).min(end)
    } else {
        (close + 1).min(end)
    };
    while pos < stop {
        pos += push(w, text, pos);
    }
    pos
}

fn backtick(w: &mut LexWord, text: &str, mut pos: usize, end: usize) -> usize {
    let b = text.as_bytes();
    let mut q = pos + 1;
    while q < end && b[q] != b'`' {
        if b[q] == b'\\' {
            q += 1;
        }
        q += 1;
    }
    w.substs.push(pos + 1..q.min(end));
    let stop = (q + 1).min(end);
    while pos < stop {
        pos += push(w, text, pos);
    }
    pos
}

/// Position of the bracket closing an opened one (depth 1 at `pos`),
/// skipping quoted text. Returns `end` when unbalanced.
fn matching(text: &str, mut pos: usize, end: usize, open: u8, close: u8) -> usize {
    let b = text.as_bytes();
    let mut depth = 1;
    while pos < end {
        let c = b[pos];
        if c == b'\\' {
            pos += 2;
            continue;
        }
        if c == b'\'' || c == b'"' {
            let q = c;
            pos += 1;
            while pos < end && b[pos] != q {
                if q == b'"' && b[pos] == b'\\' {
                    pos += 1;
                }
                pos += 1;
            }
            pos += 1;
            continue;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return pos;
            }
        }
        pos += 1;
    }
    end
}

fn is_assignment(w: &ShellWord) -> bool {
    let raw = w.raw.as_str();
    match raw.find('=') {
        Some(eq) if eq > 0 => {
            let name = &raw[..eq];
            name.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        _ => false,
    }
}

const PREFIX_KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{",
];
const END_KEYWORDS: &[&str] = &["fi", "done", "esac", "}", "then", "else", "do"];

fn build_command(mut words: Vec<ShellWord>, redirects: Vec<Redirect>) -> Option<ShellCommand> {
    // Reserved words introducing or closing compound commands.
    while words
        .first()
        .is_some_and(|w| w.raw == w.value && PREFIX_KEYWORDS.contains(&w.value.as_str()))
    {
        words.remove(0);
    }
    if words.len() == 1
        && words
            .first()
            .is_some_and(|w| w.raw == w.value && END_KEYWORDS.contains(&w.value.as_str()))
    {
        words.clear();
    }
    if words.is_empty() {
        return None;
    }
    let span = match (words.first(), words.last()) {
        (Some(f), Some(l)) => f.span.start..l.span.end,
        _ => 0..0,
    };
    let mut cmd = ShellCommand {
        span,
        words,
        assignments: Vec::new(),
        wrappers: Vec::new(),
        sudo: None,
        program: None,
        redirects,
        install: None,
    };
    let first_is_compound = cmd
        .words
        .first()
        .is_some_and(|w| matches!(w.value.as_str(), "for" | "case" | "select" | "function"));
    if first_is_compound {
        return Some(cmd);
    }
    let words = &cmd.words;
    let n = words.len();
    let mut i = 0;
    let value = |i: usize| words.get(i).map_or("", |w| w.value.as_str());
    let mut assignments = Vec::new();
    let mut wrappers = Vec::new();
    let mut sudo = None;
    while i < n && is_assignment(&words[i]) {
        assignments.push(words[i].clone());
        i += 1;
    }
    loop {
        if i >= n {
            break;
        }
        let name = basename(value(i));
        match name {
            "sudo" | "doas" => {
                sudo.get_or_insert(words[i].span.clone());
                wrappers.push(words[i].clone());
                i += 1;
                while i < n && value(i).starts_with('-') {
                    let v = value(i);
                    i += 1;
                    if v == "--" {
                        break;
                    }
                    if matches!(
                        v,
                        "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U" | "-T"
                    ) {
                        i += 1;
                    }
                }
                while i < n && is_assignment(&words[i]) {
                    assignments.push(words[i].clone());
                    i += 1;
                }
            }
            "env" => {
                wrappers.push(words[i].clone());
                i += 1;
                while i < n {
                    let v = value(i);
                    if is_assignment(&words[i]) {
                        assignments.push(words[i].clone());
                        i += 1;
                    } else if matches!(v, "-u" | "--unset" | "-C" | "--chdir" | "-S") {
                        i += 2;
                    } else if v == "--" {
                        i += 1;
                        break;
                    } else if v.starts_with('-') {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "exec" | "nohup" | "time" | "builtin" | "nice" | "timeout" | "stdbuf" | "tini"
            | "dumb-init" | "gosu" | "su-exec" => {
                wrappers.push(words[i].clone());
                let w = name;
                i += 1;
                while i < n && value(i).starts_with('-') {
                    let v = value(i);
                    i += 1;
                    if v == "--" {
                        break;
                    }
                    if matches!(
                        (w, v),
                        ("exec", "-a") | ("nice", "-n") | ("timeout", "-s" | "-k")
                    ) {
                        i += 1;
                    }
                }
                if matches!(w, "timeout" | "gosu" | "su-exec") && i < n {
                    i += 1; // duration or user
                }
            }
            "command" if !matches!(value(i + 1), "-v" | "-V") => {
                wrappers.push(words[i].clone());
                i += 1;
                if value(i) == "-p" {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    cmd.assignments = assignments;
    cmd.wrappers = wrappers;
    cmd.sudo = sudo;
    if i < n {
        cmd.program = Some(i);
        cmd.install = detect_install(&cmd.words, i);
    }
    Some(cmd)
}

/// Options that take a separate argument, per package manager family.
fn option_takes_arg(manager: &str, opt: &str) -> bool {
    if opt.contains('=') || !opt.starts_with('-') {
        return false;
    }
    match manager {
        "apt-get" | "apt" | "aptitude" => matches!(
            opt,
            "-o" | "-c"
                | "-t"
                | "--option"
                | "--config-file"
                | "--target-release"
                | "--default-release"
        ),
        "apk" => matches!(
            opt,
            "-X" | "--repository"
                | "-t"
                | "--virtual"
                | "-p"
                | "--root"
                | "--arch"
                | "--cache-dir"
                | "--keys-dir"
                | "--repositories-file"
        ),
        "dnf" | "dnf5" | "yum" | "microdnf" | "tdnf" | "zypper" => matches!(
            opt,
            "-x" | "--exclude"
                | "--repo"
                | "--enablerepo"
                | "--disablerepo"
                | "--releasever"
                | "--installroot"
                | "-c"
                | "--config"
                | "--setopt"
                | "-r"
                | "--repository"
        ),
        "pip" => matches!(
            opt,
            "-r" | "--requirement"
                | "-c"
                | "--constraint"
                | "-e"
                | "--editable"
                | "-i"
                | "--index-url"
                | "--extra-index-url"
                | "--trusted-host"
                | "-f"
                | "--find-links"
                | "-t"
                | "--target"
                | "--prefix"
                | "--root"
                | "--src"
                | "--upgrade-strategy"
                | "--platform"
                | "--python-version"
                | "--implementation"
                | "--abi"
                | "--no-binary"
                | "--only-binary"
                | "--progress-bar"
                | "--cache-dir"
                | "--log"
                | "--proxy"
                | "--retries"
                | "--timeout"
                | "--exists-action"
                | "--cert"
                | "--client-cert"
                | "--global-option"
                | "--config-settings"
                | "-C"
                | "--python"
        ),
        "npm" | "yarn" | "pnpm" => matches!(
            opt,
            "--prefix" | "--registry" | "--cache" | "-C" | "--dir" | "--filter"
        ),
        "gem" => matches!(
            opt,
            "-v" | "--version"
                | "-i"
                | "--install-dir"
                | "-n"
                | "--bindir"
                | "-s"
                | "--source"
                | "--platform"
        ),
        _ => false,
    }
}

fn detect_install(words: &[ShellWord], program: usize) -> Option<PackageInstall> {
    let prog = basename(&words.get(program)?.value);
    let mut args: &[ShellWord] = words.get(program + 1..)?;
    let manager: &str = match prog {
        "apt-get" | "apt" | "aptitude" | "apk" | "dnf" | "dnf5" | "yum" | "microdnf" | "tdnf"
        | "zypper" | "npm" | "yarn" | "pnpm" | "gem" => prog,
        p if p.starts_with("pip") && p[3..].chars().all(|c| c.is_ascii_digit() || c == '.') => {
            "pip"
        }
        p if p.starts_with("python") && p[6..].chars().all(|c| c.is_ascii_digit() || c == '.') => {
            let m = args.iter().position(|w| w.value == "-m")?;
            if args.get(m + 1).map(|w| w.value.as_str()) != Some("pip") {
                return None;
            }
            args = args.get(m + 2..)?;
            "pip"
        }
        _ => return None,
    };
    let family = manager;
    // Subcommand: first non-option argument.
    let mut i = 0;
    let mut global = false;
    while i < args.len() && args[i].value.starts_with('-') {
        if matches!(args[i].value.as_str(), "-g" | "--global") {
            global = true;
        }
        i += if option_takes_arg(family, &args[i].value) {
            2
        } else {
            1
        };
    }
    let sub = args.get(i).map(|w| w.value.as_str())?;
    let install = match manager {
        "apk" => sub == "add",
        "zypper" => matches!(sub, "install" | "in"),
        "npm" => matches!(sub, "install" | "i" | "add" | "isntall" | "in"),
        "yarn" => {
            if sub == "global" && args.get(i + 1).map(|w| w.value.as_str()) == Some("add") {
                global = true;
                i += 1;
                true
            } else {
                sub == "add"
            }
        }
        "pnpm" => matches!(sub, "add" | "install" | "i"),
        _ => sub == "install",
    };
    if !install {
        return None;
    }
    let mut packages = Vec::new();
    let mut j = i + 1;
    while j < args.len() {
        let w = &args[j];
        let v = w.value.as_str();
        if v.starts_with('-') {
            if matches!(v, "-g" | "--global") {
                global = true;
            }
            j += if option_takes_arg(family, v) { 2 } else { 1 };
            continue;
        }
        if !v.is_empty() {
            packages.push(split_package(family, w));
        }
        j += 1;
    }
    Some(PackageInstall {
        manager: manager.to_string(),
        global,
        packages,
    })
}

fn split_package(family: &str, w: &ShellWord) -> Package {
    let v = w.value.as_str();
    let local = v.starts_with('.') || v.starts_with('/') || v.contains("://");
    // (name end, version start)
    let cut: Option<(usize, usize)> = if local {
        None
    } else {
        match family {
            "apt-get" | "apt" | "aptitude" => v.find('=').map(|i| (i, i + 1)),
            "apk" => v.find(['=', '~', '<', '>']).map(|i| {
                let vs = i + v[i..].len() - v[i..].trim_start_matches(['=', '~', '<', '>']).len();
                (i, vs)
            }),
            "pip" => v.find(['=', '<', '>', '!', '~', '@', ';', '[']).map(|i| {
                let name_end = i;
                let mut vs = i;
                if v[i..].starts_with('[') {
                    vs = v[i..].find(']').map_or(v.len(), |k| i + k + 1);
                }
                let rest = &v[vs..];
                let trimmed = rest.trim_start_matches(['=', '<', '>', '!', '~', '@', ' ']);
                (name_end, vs + rest.len() - trimmed.len())
            }),
            "npm" | "yarn" | "pnpm" => v
                .char_indices()
                .skip(1)
                .find(|(_, c)| *c == '@')
                .map(|(i, _)| (i, i + 1)),
            "gem" => v.find(':').map(|i| (i, i + 1)),
            _ => None,
        }
    };
    let (name_end, version) = match cut {
        Some((ne, vs)) if vs <= v.len() => {
            let ver = &v[vs..];
            (
                ne,
                if ver.is_empty() {
                    None
                } else {
                    Some((vs, ver.to_string()))
                },
            )
        }
        _ => (v.len(), None),
    };
    let mut name_end2 = name_end;
    if matches!(family, "apt-get" | "apt" | "aptitude") && !local {
        if let Some(slash) = v[..name_end].find('/') {
            name_end2 = slash;
        }
    }
    Package {
        name: v[..name_end2].to_string(),
        version: version.as_ref().map(|(_, s)| s.clone()),
        name_span: w.value_span(0..name_end2),
        version_span: version.as_ref().map(|(vs, _)| w.value_span(*vs..v.len())),
        word: w.clone(),
    }
}
