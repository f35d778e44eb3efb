//! Syntax tree of a parsed template. Every node records its byte position in its source.

use std::fmt;
use std::rc::Rc;

/// A byte span `[start, end)` in a template source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
}

/// A list of nodes.
pub type List = Vec<Node>;

/// A statement-level node.
#[derive(Clone, Debug)]
pub enum Node {
    /// Literal text (after trimming); `span` covers exactly the emitted bytes.
    Text {
        /// Source bytes.
        span: Span,
        /// The text.
        text: Rc<str>,
    },
    /// `{{ pipeline }}`; `span` covers the whole action including delimiters.
    Action {
        /// Source bytes of the action.
        span: Span,
        /// The pipeline.
        pipe: Pipe,
    },
    /// `{{if}}`, `{{with}}` or `{{range}}`.
    Control(Box<Control>),
    /// `{{template "name" pipeline}}`.
    Template {
        /// Source bytes of the action.
        span: Span,
        /// Position of the keyword.
        pos: u32,
        /// Template name.
        name: Rc<str>,
        /// Optional argument.
        pipe: Option<Pipe>,
    },
    /// `{{break}}`
    Break(Span),
    /// `{{continue}}`
    Continue(Span),
}

/// Kind of a control structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlKind {
    /// `if`
    If,
    /// `with`
    With,
    /// `range`
    Range,
}

/// An `if`, `with` or `range` structure.
#[derive(Clone, Debug)]
pub struct Control {
    /// Which structure.
    pub kind: ControlKind,
    /// Span of the opening action.
    pub span: Span,
    /// The condition / collection pipeline.
    pub pipe: Pipe,
    /// Body.
    pub list: List,
    /// `else` branch, if any.
    pub else_list: Option<List>,
}

/// A pipeline: optional declarations and `|`-separated commands.
#[derive(Clone, Debug)]
pub struct Pipe {
    /// Position of the first token.
    pub pos: u32,
    /// Whether the declaration is an assignment (`=`) rather than `:=`.
    pub is_assign: bool,
    /// Declared variables (names include the `$`).
    pub decl: Vec<Rc<str>>,
    /// Commands.
    pub cmds: Vec<Command>,
}

/// A command: a function/field/operand and its arguments.
#[derive(Clone, Debug)]
pub struct Command {
    /// Position of the first token.
    pub pos: u32,
    /// Operands.
    pub args: Vec<Arg>,
}

/// An operand.
#[derive(Clone, Debug)]
pub enum Arg {
    /// `.A.B`
    Field {
        /// Position.
        pos: u32,
        /// Field names.
        idents: Vec<Rc<str>>,
    },
    /// `$x.A.B` (`name` includes `$`).
    Variable {
        /// Position.
        pos: u32,
        /// Variable name.
        name: Rc<str>,
        /// Fields after the variable.
        idents: Vec<Rc<str>>,
    },
    /// `(pipe).A.B` or similar.
    Chain {
        /// Position.
        pos: u32,
        /// Base operand.
        node: Box<Arg>,
        /// Fields.
        idents: Vec<Rc<str>>,
    },
    /// Parenthesized pipeline.
    Pipe(Box<Pipe>),
    /// Function name.
    Ident {
        /// Position.
        pos: u32,
        /// Name.
        name: Rc<str>,
    },
    /// `.`
    Dot(u32),
    /// `nil`
    Nil(u32),
    /// `true` / `false`
    Bool(u32, bool),
    /// A number constant.
    Number(Box<Number>),
    /// A string constant.
    Str {
        /// Position.
        pos: u32,
        /// Original quoted text.
        quoted: Rc<str>,
        /// Unquoted value.
        value: Rc<str>,
    },
}

/// A numeric constant with Go's "ideal constant" interpretations.
#[derive(Clone, Debug)]
pub struct Number {
    /// Position.
    pub pos: u32,
    /// Original text.
    pub text: Rc<str>,
    /// Integer value, if representable as int64.
    pub int: Option<i64>,
    /// Unsigned value, if representable as uint64.
    pub uint: Option<u64>,
    /// Float value, if representable.
    pub float: Option<f64>,
    /// Whether it came from a character constant.
    pub is_char: bool,
}

impl Arg {
    /// Position of the operand.
    pub fn pos(&self) -> u32 {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Ident { pos, .. }
            | Arg::Str { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
            Arg::Dot(p) | Arg::Nil(p) | Arg::Bool(p, _) => *p,
            Arg::Number(n) => n.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable { name, idents, .. } => {
                write!(f, "{name}")?;
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Chain { node, idents, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Pipe(p) => write!(f, "{p}"),
            Arg::Ident { name, .. } => write!(f, "{name}"),
            Arg::Dot(_) => write!(f, "."),
            Arg::Nil(_) => write!(f, "nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(n) => write!(f, "{}", n.text),
            Arg::Str { quoted, .. } => write!(f, "{quoted}"),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                write!(f, " ")?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, d) in self.decl.iter().enumerate() {
                if i > 0 {
                    write!(f, ", ")?;
                }
                write!(f, "{d}")?;
            }
            write!(f, " {} ", if self.is_assign { "=" } else { ":=" })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                write!(f, " | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// Whether a list is "empty" in Go's sense (only whitespace text and comments).
pub(crate) fn is_empty_tree(list: &List) -> bool {
    list.iter().all(|n| match n {
        Node::Text { text, .. } => text.trim().is_empty(),
        _ => false,
    })
}
