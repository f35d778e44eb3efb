//! Syntax tree of a Dockerfile. Every node carries byte spans into the
//! original text.

use crate::mapped::{LineIndex, Mapped, Span};

/// Result of [`crate::parse`]: the instructions that could be parsed and the
/// errors found on the others.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The parsed file (valid instructions only).
    pub dockerfile: Dockerfile,
    /// Errors, in source order.
    pub errors: Vec<ParseError>,
}

/// A syntax error, located in the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Human readable message.
    pub message: String,
    /// Byte range of the offending text.
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, in Unicode scalar values.
    pub column: usize,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

/// A parsed Dockerfile.
#[derive(Clone, Debug)]
pub struct Dockerfile {
    /// The original text.
    pub source: String,
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`).
    pub directives: Vec<Directive>,
    /// The escape character (`\` unless changed by `# escape=`).
    pub escape: char,
    /// Comments, including those dropped inside continuation lines.
    pub comments: Vec<Comment>,
    /// Instructions, in source order.
    pub instructions: Vec<Instruction>,
    pub(crate) line_index: LineIndex,
}

impl Dockerfile {
    /// 1-based line and column (in Unicode scalar values) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.line_index.line_col(&self.source, offset)
    }

    /// Value of a parser directive (name is case-insensitive).
    pub fn directive(&self, name: &str) -> Option<&str> {
        self.directives
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
            .map(|d| d.value.as_str())
    }
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-case name: `syntax`, `escape` or `check`.
    pub name: String,
    /// The value, trimmed.
    pub value: String,
    /// The whole line.
    pub span: Span,
    /// The name as written.
    pub name_span: Span,
    /// The value.
    pub value_span: Span,
}

/// A comment line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Text after `#`, trimmed.
    pub text: String,
    /// From `#` to the end of the line (trailing blanks excluded).
    pub span: Span,
    /// The comment was inside a continued instruction (Docker drops it).
    pub in_continuation: bool,
}

/// A word of an instruction: raw text as written, its value (quotes and
/// escapes removed where Docker removes them, variables not expanded) and
/// its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Text as in the logical line.
    pub raw: String,
    /// Value with quotes and escapes processed (no variable substitution).
    pub value: String,
    /// Byte range in the original text.
    pub span: Span,
    pub(crate) mapped: Option<Mapped>,
}

/// A builder flag such as `--mount=type=cache,target=/root/.cache`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// Name without the leading `--`.
    pub name: String,
    /// Value after `=` (quotes removed), if any.
    pub value: Option<String>,
    /// The whole flag.
    pub span: Span,
    /// The name (without `--`).
    pub name_span: Span,
    /// The value (after `=`).
    pub value_span: Option<Span>,
}

/// A heredoc attached to `RUN`, `COPY` or `ADD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// Delimiter word, unquoted.
    pub name: String,
    /// File descriptor prefix (`3<<EOF`).
    pub fd: Option<u32>,
    /// `<<-`: leading tabs are stripped from the body.
    pub chomp: bool,
    /// `false` when the delimiter is quoted (no variable expansion).
    pub expand: bool,
    /// The `<<EOF` marker.
    pub marker_span: Span,
    /// The body lines, terminator excluded.
    pub body_span: Span,
    /// Body text (tabs stripped for `<<-`), each line ending with `\n`.
    pub content: String,
    pub(crate) mapped: Mapped,
}

/// Shell form command text (continuations joined, as given to the shell).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellForm {
    /// The command text.
    pub text: String,
    /// Range from its first to its last character in the original.
    pub span: Span,
    pub(crate) mapped: Mapped,
}

/// Command of `RUN`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK CMD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandLine {
    /// Shell form.
    Shell(ShellForm),
    /// Exec (JSON array) form.
    Exec(Vec<Word>),
}

/// `KEY=value` of `ENV`, `LABEL`, `ARG` (value absent for `ARG name`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    /// The key.
    pub key: Word,
    /// The value (value field: quotes and escapes removed).
    pub value: Option<Word>,
    /// The whole pair.
    pub span: Span,
}

/// `FROM [--platform=...] image [AS name]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct From {
    /// The image (or stage) reference, not expanded.
    pub image: Word,
    /// Stage name after `AS` (value lower-cased).
    pub stage_name: Option<Word>,
    /// `AS` keyword span.
    pub as_span: Option<Span>,
}

/// Arguments of `COPY` and `ADD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyArgs {
    /// Sources (heredoc markers included, as written).
    pub sources: Vec<Word>,
    /// Destination (last argument).
    pub dest: Option<Word>,
    /// Written as a JSON array.
    pub exec_form: bool,
}

/// `HEALTHCHECK` arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`.
    None,
    /// `HEALTHCHECK [flags] CMD ...`.
    Cmd(CommandLine),
}

/// Instruction-specific content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstructionKind {
    /// `FROM`.
    From(From),
    /// `RUN`.
    Run(CommandLine),
    /// `CMD` (`None` when empty).
    Cmd(Option<CommandLine>),
    /// `ENTRYPOINT` (`None` when empty).
    Entrypoint(Option<CommandLine>),
    /// `SHELL ["sh", "-c"]`.
    Shell(Vec<Word>),
    /// `HEALTHCHECK`.
    Healthcheck(Healthcheck),
    /// `LABEL`.
    Label(Vec<KeyValue>),
    /// `ENV`.
    Env(Vec<KeyValue>),
    /// `ARG`.
    Arg(Vec<KeyValue>),
    /// `MAINTAINER`.
    Maintainer(Word),
    /// `EXPOSE`.
    Expose(Vec<Word>),
    /// `ADD`.
    Add(CopyArgs),
    /// `COPY`.
    Copy(CopyArgs),
    /// `VOLUME`.
    Volume(Vec<Word>),
    /// `USER`.
    User(Word),
    /// `WORKDIR`.
    Workdir(Word),
    /// `STOPSIGNAL`.
    Stopsignal(Word),
    /// `ONBUILD` and its trigger instruction.
    Onbuild(Box<Instruction>),
}

/// One instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// Upper-case keyword (`RUN`).
    pub keyword: String,
    /// The keyword as written.
    pub keyword_span: Span,
    /// From the keyword to the end of the instruction (heredoc bodies and
    /// terminators included).
    pub span: Span,
    /// 1-based line of the keyword.
    pub line: usize,
    /// Builder flags.
    pub flags: Vec<Flag>,
    /// Arguments after the flags: whitespace or quote separated words, JSON
    /// elements for the exec form, the whole text for the shell form.
    pub args: Vec<Word>,
    /// Span of the arguments after the flags.
    pub args_span: Span,
    /// Heredocs.
    pub heredocs: Vec<Heredoc>,
    /// Instruction-specific content.
    pub kind: InstructionKind,
}

impl Instruction {
    /// The last flag with this name.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// The command line of RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD.
    pub fn command_line(&self) -> Option<&CommandLine> {
        match &self.kind {
            InstructionKind::Run(c) => Some(c),
            InstructionKind::Cmd(c) | InstructionKind::Entrypoint(c) => c.as_ref(),
            InstructionKind::Healthcheck(Healthcheck::Cmd(c)) => Some(c),
            _ => None,
        }
    }
}
