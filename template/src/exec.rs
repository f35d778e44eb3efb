//! The executor: walks parsed trees with Go text/template semantics, producing
//! output text with provenance.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use crate::ast::*;
use crate::funcs::{CallCtx, Func, FuncError, Param};
use crate::gofmt;
use crate::lex::go_quote;
use crate::prov::{FileId, Origin, Out, Prov, Rendered};
use crate::set::{TemplateDef, TemplateSet};
use crate::value::{GoTime, Kind, Value};

/// What a missing map key yields (Go's `missingkey` option).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `missingkey=zero` (and Go's default for `map[string]interface{}`): a nil interface.
    /// Accessing a field of it fails with `nil pointer evaluating interface {}.x`. Helm uses this.
    #[default]
    Zero,
    /// `missingkey=error`: fail with `map has no entry for key "x"`.
    Error,
}

/// Resource limits for one execution.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Maximum number of evaluation steps (nodes walked, commands evaluated, range iterations).
    pub max_steps: u64,
    /// Maximum nesting of `template`/`include`/`tpl` calls.
    pub max_depth: usize,
    /// Maximum size of any output buffer, in bytes.
    pub max_output: usize,
    /// Maximum combined nesting of template calls and `if`/`with`/`range` bodies
    /// (bounds stack use).
    pub max_nesting: usize,
    /// Maximum size of a value built during execution, or walked in full by a function
    /// that writes, copies or compares it (`toJson`, `toYaml`, `printf`, `deepCopy`,
    /// `eq`...), in bytes: those of strings plus a node's size in memory (a few dozen
    /// bytes) per node, shared maps counted each time they are reached. Walking a value also costs one step per 64 such bytes.
    pub max_value_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_steps: 50_000_000,
            max_depth: 100,
            max_output: 64 << 20,
            max_nesting: 300,
            max_value_size: 32 << 20,
        }
    }
}

/// Options of one execution.
#[derive(Clone, Debug)]
pub struct ExecOptions {
    /// Missing map key behaviour.
    pub missing_key: MissingKey,
    /// Text printed for a nil value at the top of an action (Go: `<no value>`).
    pub no_value: String,
    /// Remove every `<no value>` from the final output, as Helm does after executing
    /// each template (`strings.ReplaceAll(out, "<no value>", "")`). Text returned by
    /// `include` still contains it, exactly as in Helm.
    pub strip_no_value: bool,
    /// Limits.
    pub limits: Limits,
    /// Seed of the deterministic random generator used by `rand*` and key generation.
    pub seed: u64,
    /// The time returned by `now` (rendering is deterministic).
    pub now: GoTime,
    /// Cheap key material, for renders whose keys, certificates and password hashes are never
    /// used (a linter): each key type is generated once per process and reused by every call
    /// (RSA keys of Sprig's usual sizes come from fixed, published keys), and `bcrypt` and
    /// `htpasswd` hash at bcrypt's lowest cost (4) instead of Go's default (10). Output keeps
    /// its shapes (PEM blocks, certificates signed by their CA, `$2a$` hashes of the same
    /// length), but two calls give the same key. Off by default: Sprig's semantics, a fresh
    /// key per call.
    pub cheap_keys: bool,
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            missing_key: MissingKey::Zero,
            no_value: "<no value>".into(),
            strip_no_value: false,
            limits: Limits::default(),
            seed: 0x05ee_dcc7,
            // 2024-01-01T00:00:00Z
            now: GoTime {
                unix_nanos: 1_704_067_200_000_000_000,
                offset: 0,
            },
            cheap_keys: false,
        }
    }
}

impl ExecOptions {
    /// Options matching Helm's rendering (`missingkey=zero`, `<no value>` removed from
    /// the final output).
    pub fn helm() -> ExecOptions {
        ExecOptions {
            strip_no_value: true,
            ..ExecOptions::default()
        }
    }
}

/// An execution error, formatted like Go's:
/// `template: FILE:LINE:COL: executing "NAME" at <CONTEXT>: MESSAGE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecError {
    /// Name of the template being executed.
    pub template: String,
    /// File (parse name) where the failing node is, if known.
    pub file: Option<String>,
    /// 1-based line of the failing node.
    pub line: usize,
    /// 0-based byte column of the failing node (as Go prints it).
    pub col: usize,
    /// Go's textual form of the failing node.
    pub context: String,
    /// The message.
    pub message: String,
    /// Whether this is a limit violation (steps, depth, output size).
    pub limit: bool,
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(
                f,
                "template: {}:{}:{}: executing {} at <{}>: {}",
                file,
                self.line,
                self.col,
                go_quote(&self.template),
                self.context,
                self.message
            ),
            None => write!(f, "template: {}: {}", self.template, self.message),
        }
    }
}

impl std::error::Error for ExecError {}

pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
}

type EResult<T> = Result<T, Box<ExecError>>;

/// Bytes of a value walked in full (written out, copied, compared) that cost one step.
const VALUE_UNITS_PER_STEP: usize = 64;

/// Execution-wide state shared by nested template calls.
pub(crate) struct Exec<'s> {
    pub(crate) set: &'s TemplateSet,
    pub(crate) opts: &'s ExecOptions,
    steps: u64,
    depth: usize,
    nesting: usize,
    /// Templates defined by `tpl` texts currently executing (innermost last).
    pub(crate) overlays: Vec<HashMap<Rc<str>, Rc<TemplateDef>>>,
    pub(crate) rng: u64,
    /// Names of templates entered through include (for recursion limits).
    pub(crate) include_stack: Vec<Rc<str>>,
}

/// Per-template-invocation state.
pub(crate) struct Frame {
    pub(crate) def: Rc<TemplateDef>,
    /// Variables: name, value, and whether its static type is `interface {}` (see
    /// [`Frame::dot_iface`]).
    vars: Vec<(Rc<str>, Value, bool)>,
    /// Whether dot's static type is `interface {}` (a range element): a nil dot is then a nil
    /// interface, whose fields fail, rather than no value at all, whose fields are no value.
    dot_iface: bool,
    /// The node currently evaluated (position, context string).
    at: Option<(u32, String)>,
    /// Origin of the action being executed (for computed bytes).
    action_origin: Origin,
}

impl<'s> Exec<'s> {
    pub(crate) fn new(set: &'s TemplateSet, opts: &'s ExecOptions) -> Exec<'s> {
        Exec {
            set,
            opts,
            steps: 0,
            depth: 0,
            nesting: 0,
            overlays: Vec::new(),
            rng: opts.seed ^ 0x9E37_79B9_7F4A_7C15,
            include_stack: Vec::new(),
        }
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<Rc<TemplateDef>> {
        for o in self.overlays.iter().rev() {
            if let Some(d) = o.get(name) {
                return Some(d.clone());
            }
        }
        self.set.lookup(name)
    }

    fn limit_err(&self, frame: &Frame, msg: String) -> Box<ExecError> {
        let mut e = self.err(frame, msg);
        e.limit = true;
        e
    }

    fn enter(&mut self, frame: &Frame) -> EResult<()> {
        if self.nesting >= self.opts.limits.max_nesting {
            return Err(self.limit_err(
                frame,
                format!(
                    "exceeded maximum nesting ({})",
                    self.opts.limits.max_nesting
                ),
            ));
        }
        self.nesting += 1;
        Ok(())
    }

    fn tick(&mut self, frame: &Frame) -> EResult<()> {
        self.steps += 1;
        if self.steps > self.opts.limits.max_steps {
            return Err(self.steps_exceeded(frame));
        }
        Ok(())
    }

    fn check_out(&self, frame: &Frame, out: &Out) -> EResult<()> {
        if out.len() > self.opts.limits.max_output {
            return Err(self.limit_err(
                frame,
                format!(
                    "output size limit exceeded ({} bytes)",
                    self.opts.limits.max_output
                ),
            ));
        }
        Ok(())
    }

    pub(crate) fn err(&self, frame: &Frame, msg: String) -> Box<ExecError> {
        let def = &frame.def;
        match &frame.at {
            Some((pos, ctx)) => {
                let text = &def.source.text;
                let pos = (*pos as usize).min(text.len());
                let before = &text[..pos];
                let line = 1 + before.matches('\n').count();
                let col = match before.rfind('\n') {
                    Some(i) => pos - i - 1,
                    None => pos,
                };
                Box::new(ExecError {
                    template: def.name.to_string(),
                    file: Some(def.source.name.to_string()),
                    line,
                    col,
                    context: ctx.clone(),
                    message: msg,
                    limit: false,
                })
            }
            None => Box::new(ExecError {
                template: def.name.to_string(),
                file: None,
                line: 0,
                col: 0,
                context: String::new(),
                message: msg,
                limit: false,
            }),
        }
    }

    /// Executes template `def` with `dot`, appending to `out`.
    pub(crate) fn run(&mut self, def: Rc<TemplateDef>, dot: &Value, out: &mut Out) -> EResult<()> {
        let origin = def.source.fallback;
        let mut frame = Frame {
            def: def.clone(),
            vars: vec![("$".into(), dot.clone(), false)],
            dot_iface: false,
            at: None,
            action_origin: origin,
        };
        if self.depth >= self.opts.limits.max_depth {
            return Err(self.limit_err(
                &frame,
                format!(
                    "exceeded maximum template depth ({})",
                    self.opts.limits.max_depth
                ),
            ));
        }
        self.enter(&frame)?;
        self.depth += 1;
        let r = self.walk_list(&mut frame, dot, &def.root, out);
        self.depth -= 1;
        self.nesting -= 1;
        r.map(|_| ())
    }

    /// Executes a named template into a string value (used by `include`).
    pub(crate) fn include(&mut self, name: &str, dot: &Value) -> Result<Value, FuncError> {
        let def = self.lookup(name).ok_or_else(|| {
            format!(
                "template: no template {} associated with template {}",
                go_quote(name),
                go_quote("gotpl")
            )
        })?;
        let mut out = Out::new();
        self.run(def, dot, &mut out).map_err(FuncError::from_exec)?;
        let (text, prov) = out.into_parts();
        Ok(Value::str(text).with_prov(prov))
    }

    fn walk_list(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        list: &[Node],
        out: &mut Out,
    ) -> EResult<Flow> {
        for n in list {
            match self.walk(frame, dot, n, out)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    /// Walks `list` with another dot, whose static type is `interface {}` when `iface`.
    fn walk_list_with_dot(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        iface: bool,
        list: &[Node],
        out: &mut Out,
    ) -> EResult<Flow> {
        let saved = std::mem::replace(&mut frame.dot_iface, iface);
        let r = self.walk_list(frame, dot, list, out);
        frame.dot_iface = saved;
        r
    }

    fn file_origin(&self, frame: &Frame, span: Span) -> Origin {
        match frame.def.source.file {
            Some(file) => Origin::Action {
                file,
                start: span.start,
                end: span.end,
            },
            None => frame.def.source.fallback,
        }
    }

    fn walk(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        node: &Node,
        out: &mut Out,
    ) -> EResult<Flow> {
        self.tick(frame)?;
        match node {
            Node::Text { span, text } => {
                match frame.def.source.file {
                    Some(file) => out.push_origin(
                        text,
                        Some(Origin::Template {
                            file,
                            start: span.start,
                            end: span.end,
                        }),
                    ),
                    None => {
                        let p = frame
                            .def
                            .source
                            .text_prov
                            .slice(span.start as usize, span.end as usize);
                        let start = out.len();
                        out.push_prov(text, &p);
                        out.fill_gaps(start, frame.def.source.fallback);
                    }
                }
                self.check_out(frame, out)?;
                Ok(Flow::Normal)
            }
            Node::Action { span, pipe } => {
                let saved = frame.action_origin;
                frame.action_origin = self.file_origin(frame, *span);
                let r = self.eval_pipeline(frame, dot, pipe);
                let v = match r {
                    Ok(v) => v,
                    Err(e) => {
                        frame.action_origin = saved;
                        return Err(e);
                    }
                };
                if pipe.decl.is_empty() {
                    if matches!(v.kind(), Kind::List(_) | Kind::Map(_)) {
                        if let Err(e) = self.charge_walk(frame, std::slice::from_ref(&v)) {
                            frame.action_origin = saved;
                            return Err(e);
                        }
                    }
                    let start = out.len();
                    self.print_value(&v, out);
                    out.fill_gaps(start, frame.action_origin);
                    self.check_out(frame, out)?;
                }
                frame.action_origin = saved;
                Ok(Flow::Normal)
            }
            Node::Break(_) => Ok(Flow::Break),
            Node::Continue(_) => Ok(Flow::Continue),
            Node::Control(c) => self.walk_control(frame, dot, c, out),
            Node::Template {
                span,
                pos,
                name,
                pipe,
            } => {
                let saved = frame.action_origin;
                frame.action_origin = self.file_origin(frame, *span);
                frame.at = Some((*pos, template_node_string(name, pipe)));
                let Some(def) = self.lookup(name) else {
                    frame.action_origin = saved;
                    return Err(self.err(frame, format!("template {} not defined", go_quote(name))));
                };
                let arg = match pipe {
                    Some(p) => self.eval_pipeline(frame, dot, p)?,
                    None => Value::nil(),
                };
                let start = out.len();
                self.run(def, &arg, out)?;
                out.fill_gaps(start, frame.action_origin);
                frame.action_origin = saved;
                Ok(Flow::Normal)
            }
        }
    }

    fn walk_control(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        c: &Control,
        out: &mut Out,
    ) -> EResult<Flow> {
        self.enter(frame)?;
        let mark = frame.vars.len();
        let saved = frame.action_origin;
        frame.action_origin = self.file_origin(frame, c.span);
        let r = self.walk_control_inner(frame, dot, c, out, mark);
        self.nesting -= 1;
        frame.vars.truncate(mark);
        frame.action_origin = saved;
        r
    }

    fn walk_control_inner(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        c: &Control,
        out: &mut Out,
        _mark: usize,
    ) -> EResult<Flow> {
        let val = self.eval_pipeline(frame, dot, &c.pipe)?;
        match c.kind {
            ControlKind::If | ControlKind::With => {
                let flow = if val.truthy() {
                    if c.kind == ControlKind::With {
                        // A pipeline's value: its concrete type.
                        self.walk_list_with_dot(frame, &val, false, &c.list, out)?
                    } else {
                        self.walk_list(frame, dot, &c.list, out)?
                    }
                } else if let Some(el) = &c.else_list {
                    self.walk_list(frame, dot, el, out)?
                } else {
                    Flow::Normal
                };
                Ok(flow)
            }
            ControlKind::Range => self.walk_range(frame, dot, c, val, out),
        }
    }

    fn walk_range(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        c: &Control,
        val: Value,
        out: &mut Out,
    ) -> EResult<Flow> {
        // Objects of Go map or slice types (Helm's `.Files`) range over their elements.
        let val = match val.kind() {
            Kind::Object(o) => {
                let p = o.to_plain();
                if matches!(p.kind(), Kind::List(_) | Kind::Map(_)) {
                    p
                } else {
                    val
                }
            }
            _ => val,
        };
        // Elements of a list or map are `interface {}` values; counting yields ints.
        let elements_iface = matches!(val.kind(), Kind::List(_) | Kind::Map(_));
        let items: Vec<(Value, Value)> = match val.kind() {
            Kind::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::int(i as i64), v.clone()))
                .collect(),
            Kind::Map(m) => m
                .borrow()
                .iter()
                .map(|(k, v)| (Value::str(k.as_str()), v.clone()))
                .collect(),
            Kind::Int(n) | Kind::Int64(n) => {
                if c.pipe.decl.len() > 1 {
                    return Err(self.err(
                        frame,
                        format!("can't use {n} to iterate over more than one variable"),
                    ));
                }
                let mk = |i: i64| {
                    if matches!(val.kind(), Kind::Int(_)) {
                        Value::int(i)
                    } else {
                        Value::int64(i)
                    }
                };
                (0..(*n).max(0)).map(|i| (mk(i), mk(i))).collect()
            }
            Kind::Nil => Vec::new(),
            _ => {
                return Err(self.err(
                    frame,
                    format!("range can't iterate over {}", gofmt::format_v(&val)),
                ));
            }
        };
        if items.is_empty() {
            if let Some(el) = &c.else_list {
                return self.walk_list(frame, dot, el, out);
            }
            return Ok(Flow::Normal);
        }
        // The declared variables are on top of the stack (pushed by eval_pipeline).
        let ndecl = c.pipe.decl.len();
        for (k, v) in items {
            self.tick(frame)?;
            if ndecl > 0 {
                if c.pipe.is_assign {
                    if ndecl > 1 {
                        self.set_var(frame, &c.pipe.decl[0], k.clone(), false)?;
                        self.set_var(frame, &c.pipe.decl[1], v.clone(), elements_iface)?;
                    } else {
                        self.set_var(frame, &c.pipe.decl[0], v.clone(), elements_iface)?;
                    }
                } else {
                    let n = frame.vars.len();
                    if ndecl > 1 {
                        if n >= 2 {
                            frame.vars[n - 2].1 = k.clone();
                            frame.vars[n - 2].2 = false;
                            frame.vars[n - 1].1 = v.clone();
                            frame.vars[n - 1].2 = elements_iface;
                        }
                    } else if n >= 1 {
                        frame.vars[n - 1].1 = v.clone();
                        frame.vars[n - 1].2 = elements_iface;
                    }
                }
            }
            let mark = frame.vars.len();
            let flow = self.walk_list_with_dot(frame, &v, elements_iface, &c.list, out);
            frame.vars.truncate(mark);
            match flow? {
                Flow::Break => break,
                Flow::Continue | Flow::Normal => {}
            }
        }
        Ok(Flow::Normal)
    }

    fn print_value(&self, v: &Value, out: &mut Out) {
        match v.kind() {
            Kind::Nil => out.push_str(&self.opts.no_value),
            Kind::Str(s) => out.push_prov(s, v.prov()),
            _ => {
                let text = gofmt::format_v(v);
                let prov = match v.kind() {
                    Kind::List(_) | Kind::Map(_) => Prov::None,
                    _ => v.prov().clone(),
                };
                out.push_prov(&text, &prov);
            }
        }
    }

    fn set_var(&self, frame: &mut Frame, name: &str, v: Value, iface: bool) -> EResult<()> {
        for (n, val, is_iface) in frame.vars.iter_mut().rev() {
            if &**n == name {
                *val = v;
                *is_iface = iface;
                return Ok(());
            }
        }
        Err(self.err(frame, format!("undefined variable: {name}")))
    }

    /// A variable's value, and whether its static type is `interface {}`.
    fn var_value(&self, frame: &Frame, name: &str) -> EResult<(Value, bool)> {
        for (n, val, iface) in frame.vars.iter().rev() {
            if &**n == name {
                return Ok((val.clone(), *iface));
            }
        }
        Err(self.err(frame, format!("undefined variable: {name}")))
    }

    pub(crate) fn eval_pipeline(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        pipe: &Pipe,
    ) -> EResult<Value> {
        let mut val: Option<Value> = None;
        for cmd in &pipe.cmds {
            val = Some(self.eval_command(frame, dot, cmd, val)?);
        }
        // Go digs an `interface {}` result down to its concrete value: a nil one is no value.
        let val = val.unwrap_or_default();
        for d in &pipe.decl {
            if pipe.is_assign {
                self.set_var(frame, d, val.clone(), false)?;
            } else {
                frame.vars.push((d.clone(), val.clone(), false));
            }
        }
        Ok(val)
    }

    fn not_a_function(&self, frame: &mut Frame, args: &[Arg], fin: &Option<Value>) -> EResult<()> {
        if args.len() > 1 || fin.is_some() {
            if let Some(a) = args.first() {
                frame.at = Some((a.pos(), a.to_string()));
                return Err(self.err(frame, format!("can't give argument to non-function {a}")));
            }
        }
        Ok(())
    }

    fn eval_command(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        cmd: &Command,
        fin: Option<Value>,
    ) -> EResult<Value> {
        self.eval_command_typed(frame, dot, cmd, fin)
            .map(|(v, _)| v)
    }

    /// Evaluates a command: its value, and whether its static type is `interface {}` (a map
    /// entry, a range element), which decides what a nil does further on.
    fn eval_command_typed(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        cmd: &Command,
        fin: Option<Value>,
    ) -> EResult<(Value, bool)> {
        self.tick(frame)?;
        let Some(first) = cmd.args.first() else {
            return Ok((Value::nil(), false));
        };
        match first {
            Arg::Field { pos, idents } => {
                frame.at = Some((*pos, first.to_string()));
                let iface = frame.dot_iface;
                self.eval_field_chain(frame, dot, (dot.clone(), iface), first, idents, cmd, fin)
            }
            Arg::Chain { node, idents, .. } => {
                if let Arg::Nil(_) = node.as_ref() {
                    frame.at = Some((first.pos(), first.to_string()));
                    return Err(self.err(
                        frame,
                        format!("indirection through explicit nil in {first}"),
                    ));
                }
                // `(pipeline).Field`: the pipeline's value (nil: no value, whose fields are no
                // value again). Errors of the fields are told at the last node evaluated, as Go
                // does.
                let base = self.eval_arg_typed(frame, dot, Param::Any, node)?;
                self.eval_field_chain(frame, dot, base, first, idents, cmd, fin)
            }
            Arg::Ident { pos, name } => {
                frame.at = Some((*pos, name.to_string()));
                self.eval_function(frame, dot, name, cmd, &cmd.args[1..], fin)
                    .map(|v| (v, false))
            }
            Arg::Pipe(p) => {
                self.not_a_function(frame, &cmd.args, &fin)?;
                // Variables declared inside a parenthesized pipeline stay visible (Go semantics).
                self.eval_pipeline(frame, dot, p).map(|v| (v, false))
            }
            Arg::Variable { pos, name, idents } => {
                frame.at = Some((*pos, first.to_string()));
                let v = self.var_value(frame, name)?;
                if idents.is_empty() {
                    self.not_a_function(frame, &cmd.args, &fin)?;
                    return Ok(v);
                }
                self.eval_field_chain(frame, dot, v, first, idents, cmd, fin)
            }
            _ => {
                self.not_a_function(frame, &cmd.args, &fin)?;
                frame.at = Some((first.pos(), first.to_string()));
                match first {
                    Arg::Nil(_) => Err(self.err(frame, "nil is not a command".into())),
                    _ => self
                        .eval_arg(frame, dot, Param::Any, first)
                        .map(|v| (v, false)),
                }
            }
        }
    }

    /// `.X.Y.Z` from a receiver (and whether its static type is `interface {}`), the last
    /// field getting the command's arguments.
    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        mut receiver: (Value, bool),
        node: &Arg,
        idents: &[Rc<str>],
        cmd: &Command,
        fin: Option<Value>,
    ) -> EResult<(Value, bool)> {
        let n = idents.len();
        for (i, name) in idents.iter().enumerate() {
            let last = i + 1 == n;
            let (args, f) = if last {
                (&cmd.args[1..], fin.clone())
            } else {
                (&[][..], None)
            };
            receiver = self.eval_field(frame, dot, name, node, args, f, receiver)?;
        }
        Ok(receiver)
    }

    /// One field (or method) of a receiver. A receiver that is no value (a nil that is not an
    /// `interface {}`: a pipeline's nil, data passed as nil) gives no value, whatever its
    /// arguments; a nil `interface {}` (a missing map key, a nil element) fails.
    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        name: &str,
        node: &Arg,
        args: &[Arg],
        fin: Option<Value>,
        (receiver, iface): (Value, bool),
    ) -> EResult<(Value, bool)> {
        let has_args = !args.is_empty() || fin.is_some();
        // Errors are told at the field node, but for `(pipeline).Field`, where Go leaves them
        // at the last node it evaluated.
        let at_node = |frame: &mut Frame| {
            if !matches!(node, Arg::Chain { .. }) {
                frame.at = Some((node.pos(), node.to_string()));
            }
        };
        match receiver.kind() {
            Kind::Nil if !iface => match self.opts.missing_key {
                MissingKey::Zero => Ok((Value::nil(), false)),
                MissingKey::Error => {
                    at_node(frame);
                    Err(self.err(
                        frame,
                        format!("nil data; no entry for key {}", go_quote(name)),
                    ))
                }
            },
            Kind::Nil => {
                at_node(frame);
                Err(self.err(
                    frame,
                    format!("nil pointer evaluating interface {{}}.{name}"),
                ))
            }
            Kind::Map(m) => {
                if has_args {
                    at_node(frame);
                    return Err(
                        self.err(frame, format!("{name} is not a method but has arguments"))
                    );
                }
                let found = m.borrow().get(name).cloned();
                match found {
                    // Entries of a map[string]interface{} are interface {} values.
                    Some(v) => Ok((v, true)),
                    None => match self.opts.missing_key {
                        MissingKey::Zero => Ok((Value::nil(), true)),
                        MissingKey::Error => {
                            at_node(frame);
                            Err(self.err(
                                frame,
                                format!("map has no entry for key {}", go_quote(name)),
                            ))
                        }
                    },
                }
            }
            Kind::Object(o) => {
                if o.has_method(name) {
                    let mut argv = Vec::new();
                    for a in args {
                        argv.push(self.eval_arg(frame, dot, Param::Any, a)?);
                    }
                    if let Some(f) = fin {
                        argv.push(f);
                    }
                    frame.at = Some((node.pos(), node.to_string()));
                    return o
                        .call_method(name, &argv)
                        .map(|v| (v, false))
                        .map_err(|e| self.err(frame, format!("error calling {name}: {e}")));
                }
                if let Some(v) = o.field(name) {
                    if has_args {
                        at_node(frame);
                        return Err(self.err(
                            frame,
                            format!("{name} has arguments but cannot be invoked as function"),
                        ));
                    }
                    return Ok((v, false));
                }
                at_node(frame);
                Err(self.err(
                    frame,
                    format!("can't evaluate field {name} in type {}", o.type_name()),
                ))
            }
            _ => {
                at_node(frame);
                // Go names the static type: `interface {}` for a map entry or an element.
                let ty = if iface {
                    "interface {}".to_string()
                } else {
                    receiver.type_name()
                };
                Err(self.err(frame, format!("can't evaluate field {name} in type {ty}")))
            }
        }
    }

    fn eval_function(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        name: &str,
        cmd: &Command,
        args: &[Arg],
        fin: Option<Value>,
    ) -> EResult<Value> {
        let Some(func) = self.set.funcs().get(name).cloned() else {
            return Err(self.err(
                frame,
                format!("{} is not a defined function", go_quote(name)),
            ));
        };
        let cmd_ctx = (cmd.pos, cmd.to_string());
        let ident_ctx = frame.at.clone().unwrap_or_else(|| cmd_ctx.clone());
        // and/or: short-circuit.
        if func.lazy_bool.is_some() {
            let is_or = func.lazy_bool == Some(true);
            let nargs = args.len() + usize::from(fin.is_some());
            if nargs == 0 {
                frame.at = Some(ident_ctx);
                return Err(self.err(
                    frame,
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            let mut v = Value::nil();
            for a in args {
                v = self.eval_arg(frame, dot, Param::Any, a)?;
                if v.truthy() == is_or {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = f;
            }
            return Ok(v);
        }
        let nargs = args.len() + usize::from(fin.is_some());
        let nfixed = func.params.len();
        if func.variadic.is_some() {
            if nargs < nfixed {
                frame.at = Some(ident_ctx);
                return Err(self.err(
                    frame,
                    format!(
                        "wrong number of args for {name}: want at least {nfixed} got {}",
                        args.len()
                    ),
                ));
            }
        } else if nargs != nfixed {
            frame.at = Some(ident_ctx);
            return Err(self.err(
                frame,
                format!("wrong number of args for {name}: want {nfixed} got {nargs}"),
            ));
        }
        let param_at = |i: usize| -> Param {
            if i < nfixed {
                func.params[i]
            } else {
                func.variadic.unwrap_or(Param::Any)
            }
        };
        let mut argv = Vec::with_capacity(nargs);
        for (i, a) in args.iter().enumerate() {
            argv.push(self.eval_arg(frame, dot, param_at(i), a)?);
        }
        if let Some(f) = fin {
            let p = param_at(args.len());
            // The previous command's value, dug down to its concrete type.
            let v = self.validate(frame, (f, false), p)?;
            argv.push(v);
        }
        // A failed call is told at the command; after a call, Go's current node is still the
        // last one evaluated (what a later error in a chain names).
        let last = frame.at.replace(cmd_ctx);
        let v = self.call(frame, name, &func, argv)?;
        frame.at = last;
        Ok(v)
    }

    fn call(
        &mut self,
        frame: &mut Frame,
        name: &str,
        func: &Func,
        argv: Vec<Value>,
    ) -> EResult<Value> {
        let origin = frame.action_origin;
        if crate::funcs::walks_values(name) {
            self.charge_walk(frame, &argv)?;
        }
        let r = {
            let mut ctx = CallCtx {
                exec: self,
                origin,
                template_name: frame.def.name.clone(),
            };
            (func.f)(&mut ctx, argv)
        };
        // Work a function charged itself (`CallCtx::charge`) may have passed the limit.
        if self.steps > self.opts.limits.max_steps {
            return Err(self.steps_exceeded(frame));
        }
        match r {
            Ok(v) => {
                self.check_built(frame, &v)?;
                Ok(v)
            }
            Err(e) => {
                if let Some(inner) = e.limit {
                    return Err(inner);
                }
                Err(self.err(frame, format!("error calling {name}: {}", e.message)))
            }
        }
    }

    /// Charges the walk of `values` in full (see [`Limits::max_value_size`]): fails when
    /// they are larger than the limit, else costs one step per [`VALUE_UNITS_PER_STEP`].
    fn charge_walk(&mut self, frame: &Frame, values: &[Value]) -> EResult<()> {
        let limit = self.opts.limits.max_value_size;
        let mut size = 0usize;
        for v in values {
            size = size.saturating_add(v.expanded_size(limit));
            if size > limit {
                return Err(self.value_too_large(frame));
            }
        }
        self.steps += (size / VALUE_UNITS_PER_STEP) as u64;
        if self.steps > self.opts.limits.max_steps {
            return Err(self.steps_exceeded(frame));
        }
        Ok(())
    }

    /// The size of a value a function returned, at its top level only (each of its parts
    /// was checked when it was built): a string's bytes and its provenance runs, a node's
    /// size per item of a list or a map.
    fn check_built(&self, frame: &Frame, v: &Value) -> EResult<()> {
        let size = match v.kind() {
            Kind::Str(s) => s.len().saturating_add(v.provenance_units()),
            Kind::List(l) => l.len().saturating_mul(crate::value::NODE_UNITS),
            Kind::Map(m) => m.borrow().len().saturating_mul(crate::value::NODE_UNITS),
            _ => 0,
        };
        if size > self.opts.limits.max_value_size {
            return Err(self.value_too_large(frame));
        }
        Ok(())
    }

    fn value_too_large(&self, frame: &Frame) -> Box<ExecError> {
        self.limit_err(
            frame,
            format!(
                "value size limit exceeded ({} bytes)",
                self.opts.limits.max_value_size
            ),
        )
    }

    fn steps_exceeded(&self, frame: &Frame) -> Box<ExecError> {
        self.limit_err(
            frame,
            format!(
                "execution step limit exceeded ({})",
                self.opts.limits.max_steps
            ),
        )
    }

    /// Go's `validateType`: a value (and whether its static type is `interface {}`) given to a
    /// parameter. No value becomes the parameter's nil when it has one; a nil `interface {}` is
    /// of the wrong type for any typed parameter.
    fn validate(&self, frame: &Frame, (v, iface): (Value, bool), p: Param) -> EResult<Value> {
        let ok = match (p, v.kind()) {
            (Param::Any, _) => true,
            (Param::Map | Param::List, Kind::Nil) if !iface => true,
            (_, Kind::Nil) if !iface => {
                return Err(self.err(frame, format!("invalid value; expected {}", p.go_type())))
            }
            (Param::Str, Kind::Str(_)) => true,
            (Param::Int, Kind::Int(_)) => true,
            (Param::Int64, Kind::Int64(_)) => true,
            (Param::Float, Kind::Float(_)) => true,
            (Param::Bool, Kind::Bool(_)) => true,
            (Param::Map, Kind::Map(_)) => true,
            (Param::List, Kind::List(_)) => true,
            _ => false,
        };
        if ok {
            Ok(v)
        } else {
            let got = if v.is_nil() {
                "interface {}".to_string()
            } else {
                v.type_name()
            };
            Err(self.err(
                frame,
                format!(
                    "wrong type for value; expected {}; got {}",
                    p.go_type(),
                    got
                ),
            ))
        }
    }

    fn string_literal(&self, frame: &Frame, pos: u32, quoted: &str, value: &Rc<str>) -> Value {
        let v = Value::str(value.clone());
        if let Some(file) = frame.def.source.file {
            if quoted.len() == value.len() + 2 {
                return v.with_prov(Prov::Spans(
                    vec![crate::prov::Segment {
                        start: 0,
                        end: value.len(),
                        origin: Origin::Template {
                            file,
                            start: pos + 1,
                            end: pos + 1 + value.len() as u32,
                        },
                    }]
                    .into(),
                ));
            }
        } else if !frame.def.source.text_prov.is_none() && quoted.len() == value.len() + 2 {
            let s = pos as usize + 1;
            return v.with_prov(frame.def.source.text_prov.slice(s, s + value.len()));
        }
        v
    }

    pub(crate) fn eval_arg(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        p: Param,
        arg: &Arg,
    ) -> EResult<Value> {
        match arg {
            Arg::Dot(_) | Arg::Field { .. } | Arg::Variable { .. } | Arg::Chain { .. } => {
                let v = self.eval_arg_typed(frame, dot, p, arg)?;
                self.validate(frame, v, p)
            }
            Arg::Pipe(pipe) => {
                frame.at = Some((arg.pos(), arg.to_string()));
                // Go's current node is the last one the pipeline evaluated.
                let v = self.eval_pipeline(frame, dot, pipe)?;
                self.validate(frame, (v, false), p)
            }
            Arg::Ident { name, .. } => {
                frame.at = Some((arg.pos(), arg.to_string()));
                let cmd = Command {
                    pos: arg.pos(),
                    args: vec![arg.clone()],
                };
                let v = self.eval_function(frame, dot, name, &cmd, &[], None)?;
                frame.at = Some((arg.pos(), arg.to_string()));
                self.validate(frame, (v, false), p)
            }
            Arg::Nil(_) => {
                frame.at = Some((arg.pos(), arg.to_string()));
                match p {
                    Param::Any | Param::Map | Param::List => Ok(Value::nil()),
                    _ => Err(self.err(frame, format!("cannot assign nil to {}", p.go_type()))),
                }
            }
            Arg::Bool(_, b) => {
                frame.at = Some((arg.pos(), arg.to_string()));
                match p {
                    Param::Any | Param::Bool => Ok(Value::bool(*b)),
                    _ => Err(self.literal_err(frame, p, arg)),
                }
            }
            Arg::Str { pos, quoted, value } => {
                frame.at = Some((arg.pos(), arg.to_string()));
                match p {
                    Param::Any | Param::Str => Ok(self.string_literal(frame, *pos, quoted, value)),
                    _ => Err(self.literal_err(frame, p, arg)),
                }
            }
            Arg::Number(n) => {
                frame.at = Some((arg.pos(), arg.to_string()));
                match p {
                    Param::Int => n
                        .int
                        .map(Value::int)
                        .ok_or_else(|| self.literal_err(frame, p, arg)),
                    Param::Int64 => n
                        .int
                        .map(Value::int64)
                        .ok_or_else(|| self.literal_err(frame, p, arg)),
                    Param::Float => n
                        .float
                        .map(Value::float)
                        .ok_or_else(|| self.literal_err(frame, p, arg)),
                    Param::Any => self.ideal_constant(frame, n),
                    _ => Err(self.literal_err(frame, p, arg)),
                }
            }
        }
    }

    /// An argument's value before it is given to a parameter, and whether its static type
    /// is `interface {}`. Literals are checked against `p` here.
    fn eval_arg_typed(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        p: Param,
        arg: &Arg,
    ) -> EResult<(Value, bool)> {
        frame.at = Some((arg.pos(), arg.to_string()));
        let cmd = || Command {
            pos: arg.pos(),
            args: vec![arg.clone()],
        };
        match arg {
            Arg::Dot(_) => Ok((dot.clone(), frame.dot_iface)),
            Arg::Field { idents, .. } => {
                let iface = frame.dot_iface;
                let v = self.eval_field_chain(
                    frame,
                    dot,
                    (dot.clone(), iface),
                    arg,
                    idents,
                    &cmd(),
                    None,
                )?;
                frame.at = Some((arg.pos(), arg.to_string()));
                Ok(v)
            }
            Arg::Variable { .. } => {
                let v = self.eval_command_typed(frame, dot, &cmd(), None)?;
                frame.at = Some((arg.pos(), arg.to_string()));
                Ok(v)
            }
            // Go's current node is the last one evaluated.
            Arg::Chain { .. } => self.eval_command_typed(frame, dot, &cmd(), None),
            Arg::Pipe(pipe) => self.eval_pipeline(frame, dot, pipe).map(|v| (v, false)),
            _ => self.eval_arg(frame, dot, p, arg).map(|v| (v, false)),
        }
    }

    fn literal_err(&self, frame: &Frame, p: Param, arg: &Arg) -> Box<ExecError> {
        let msg = match p {
            Param::Bool => format!("expected bool; found {arg}"),
            Param::Str => format!("expected string; found {arg}"),
            Param::Int | Param::Int64 => format!("expected integer; found {arg}"),
            Param::Float => format!("expected float; found {arg}"),
            _ => format!("can't handle {arg} for arg of type {}", p.go_type()),
        };
        self.err(frame, msg)
    }

    fn ideal_constant(&self, frame: &Frame, n: &Number) -> EResult<Value> {
        let text = &n.text;
        let is_hex = text.len() > 2
            && (text.starts_with("0x") || text.starts_with("0X"))
            && !text.contains(['p', 'P']);
        if !n.is_char && !is_hex && n.float.is_some() && text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::float(n.float.unwrap_or(0.0)));
        }
        if let Some(i) = n.int {
            return Ok(Value::int(i));
        }
        if n.uint.is_some() {
            return Err(self.err(frame, format!("{text} overflows int")));
        }
        Ok(Value::float(n.float.unwrap_or(0.0)))
    }
}

fn template_node_string(name: &str, pipe: &Option<Pipe>) -> String {
    match pipe {
        Some(p) => format!("{{{{template {} {}}}}}", go_quote(name), p),
        None => format!("{{{{template {}}}}}", go_quote(name)),
    }
}

/// Executes `name` from `set` with `data`.
pub(crate) fn execute(
    set: &TemplateSet,
    name: &str,
    data: &Value,
    opts: &ExecOptions,
) -> Result<Rendered, ExecError> {
    let Some(def) = set.lookup(name) else {
        return Err(ExecError {
            template: name.to_string(),
            file: None,
            line: 0,
            col: 0,
            context: String::new(),
            message: format!("no template {} associated with template", go_quote(name)),
            limit: false,
        });
    };
    let mut exec = Exec::new(set, opts);
    let mut out = Out::new();
    exec.run(def.clone(), data, &mut out).map_err(|e| *e)?;
    out.fill_gaps(0, def.source.fallback);
    if opts.strip_no_value {
        out = out.remove_all("<no value>");
    }
    Ok(Rendered {
        text: out.text,
        segments: out.segs,
    })
}

/// Lets functions reach the executor.
impl CallCtx<'_, '_> {
    /// Executes the named template with `data` and returns its output as a string value
    /// (with provenance). This is Helm's `include`.
    pub fn include(&mut self, name: &str, data: &Value) -> Result<Value, FuncError> {
        self.exec.include(name, data)
    }

    /// Parses `text` as a template (its `define`s are visible only while it runs) and
    /// executes it with `data`; this is Helm's `tpl`. Text bytes of the result carry the
    /// provenance of `text`.
    pub fn tpl(&mut self, text: &Value, data: &Value) -> Result<Value, FuncError> {
        let src = text.as_str().unwrap_or("");
        // Helm parses tpl text as a template named "gotpl".
        let name: Rc<str> = "gotpl".into();
        let set = self.exec.set;
        let parsed = crate::parse::parse(&name, src, set.left_delim(), set.right_delim(), &|f| {
            set.funcs().get(f).is_some()
        })
        .map_err(|e| e.to_string())?;
        let source = Rc::new(crate::set::Source {
            name: name.clone(),
            text: src.into(),
            file: None,
            text_prov: text.prov().clone(),
            fallback: self.origin,
        });
        let mut overlay = HashMap::new();
        for (n, list) in parsed.defs {
            overlay.insert(
                n.clone(),
                Rc::new(TemplateDef {
                    name: n,
                    root: Rc::new(list),
                    source: source.clone(),
                }),
            );
        }
        let def = Rc::new(TemplateDef {
            name: name.clone(),
            root: Rc::new(parsed.root),
            source,
        });
        self.exec.overlays.push(overlay);
        let mut out = Out::new();
        let r = self.exec.run(def, data, &mut out);
        self.exec.overlays.pop();
        r.map_err(|e| {
            if e.limit {
                FuncError::from_exec(e)
            } else {
                format!(
                    "error during tpl function execution for {}: {}",
                    go_quote(src),
                    e
                )
                .into()
            }
        })?;
        let (t, p) = out.into_parts();
        Ok(Value::str(t).with_prov(p))
    }

    /// Charges `steps` evaluation steps for costly work done inside one call (generating a
    /// key, comparing many items); past [`Limits::max_steps`] the call fails and the
    /// execution stops with the step limit error.
    pub fn charge(&mut self, steps: u64) -> Result<(), FuncError> {
        self.exec.steps = self.exec.steps.saturating_add(steps);
        if self.exec.steps > self.exec.opts.limits.max_steps {
            return Err(FuncError::from("execution step limit exceeded"));
        }
        Ok(())
    }

    /// A deterministic pseudo-random 64-bit number (xorshift-based, seeded by [`ExecOptions::seed`]).
    pub fn rand_u64(&mut self) -> u64 {
        // splitmix64
        self.exec.rng = self.exec.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.exec.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The name of the template whose action calls the function.
    pub fn template_name(&self) -> &str {
        &self.template_name
    }

    /// The origin of the action calling the function.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// The options of this execution.
    pub fn options(&self) -> &ExecOptions {
        self.exec.opts
    }

    /// The file id of the calling action, when it comes from a template file.
    pub fn file(&self) -> Option<FileId> {
        match self.origin {
            Origin::Action { file, .. } | Origin::Template { file, .. } => Some(file),
            Origin::Value { .. } => None,
        }
    }
}
