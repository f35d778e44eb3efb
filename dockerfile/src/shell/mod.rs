//! Analysis of shell command text (RUN shell form, heredoc scripts,
//! `sh -c` arguments): the text is split into simple commands on `&&`, `||`,
//! `;`, `|`, `&` and newlines, with the commands of `$(...)`, backticks and
//! `sh -c` scripts added after the command holding them; each word keeps its
//! original span.
//!
//! * `lexer`: tokens (operators and words with their quote-removed values);
//! * `command`: the anatomy of a simple command (assignments, wrappers such
//!   as `sudo`, program);
//! * package installs are recognised by `crate::packages`.

mod command;
mod lexer;

use crate::ast::{CommandLine, Heredoc, Instruction, InstructionKind, ShellForm, Word};
use crate::mapped::{Mapped, Span};
use crate::packages::PackageInstall;
use command::build_command;
use lexer::{is_redirect, lex, LexWord, Tok};
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

/// Last component of a path (`/usr/bin/apt-get` gives `apt-get`).
pub(crate) fn basename(s: &str) -> &str {
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
