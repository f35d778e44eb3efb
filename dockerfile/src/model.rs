//! The JSON model checked by rules (JSON Schema / Rego), with a table
//! mapping every JSON pointer of the model to a span of the Dockerfile.

use crate::ast::*;
use crate::expand::{expand_with_escape, Vars};
use crate::image::ImageRef;
use crate::mapped::Span;
use crate::semantic::{is_healthcheck, is_user, Stage, StageRef};
use crate::shell::ShellCommand;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Location of one JSON pointer of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointerSpan {
    /// Span of the key (for object members that have one in the source,
    /// such as a flag name or an ENV key).
    pub key: Option<Span>,
    /// Span of the value.
    pub value: Span,
}

/// Map from JSON pointers (RFC 6901) of the model to spans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanTable {
    entries: BTreeMap<String, PointerSpan>,
}

impl SpanTable {
    /// Span of exactly this pointer.
    pub fn get(&self, pointer: &str) -> Option<&PointerSpan> {
        self.entries.get(pointer)
    }

    /// Span of this pointer, or of its nearest ancestor that has one.
    pub fn locate(&self, pointer: &str) -> Option<&PointerSpan> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.entries.get(p) {
                return Some(s);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// All entries, sorted by pointer.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &PointerSpan)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn set(&mut self, pointer: &str, value: Span) {
        self.entries
            .insert(pointer.to_string(), PointerSpan { key: None, value });
    }

    fn set_kv(&mut self, pointer: &str, key: Option<Span>, value: Span) {
        self.entries
            .insert(pointer.to_string(), PointerSpan { key, value });
    }
}

/// Escapes a JSON pointer reference token.
fn esc(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Parses an `EXPOSE` port: `8080`, `8443/tcp`, `3000-3005/udp`.
pub(crate) fn parse_port(s: &str) -> Option<(u16, Option<u16>, String)> {
    let (ports, proto) = match s.split_once('/') {
        Some((p, proto)) => (p, proto.to_ascii_lowercase()),
        None => (s, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return None;
    }
    let (a, b) = match ports.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (ports, None),
    };
    let a: u16 = a.parse().ok()?;
    let b: Option<u16> = match b {
        Some(b) => Some(b.parse().ok()?),
        None => None,
    };
    Some((a, b, proto))
}

/// Splits `user[:group]` at the first `:` outside `${...}`.
fn split_user(s: &str) -> (String, Option<String>) {
    let mut depth = 0usize;
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'{' if i > 0 && b[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => return (s[..i].to_string(), Some(s[i + 1..].to_string())),
            _ => {}
        }
    }
    (s.to_string(), None)
}

fn image_json(r: &ImageRef) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("registry".into(), json!(r.registry));
    m.insert("repository".into(), json!(r.repository));
    m.insert("name".into(), json!(r.name));
    m.insert("tag".into(), json!(r.tag));
    m.insert("digest".into(), json!(r.digest));
    m.insert("scratch".into(), json!(r.scratch));
    m.insert("valid".into(), json!(r.valid));
    m
}

struct Ctx<'a> {
    df: &'a Dockerfile,
    stages: &'a [Stage],
    scopes: &'a [Vars],
    global: Vars,
    table: SpanTable,
}

impl Dockerfile {
    /// Builds the JSON model of this Dockerfile and the table locating each
    /// of its JSON pointers.
    ///
    /// ```
    /// let p = cct_dockerfile::parse("FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nUSER 65532\nEXPOSE 8080\n");
    /// let (model, spans) = p.dockerfile.model();
    /// assert_eq!(model["finalStage"], 1);
    /// assert_eq!(model["stages"][1]["from"]["registry"], "gcr.io");
    /// assert_eq!(model["stages"][1]["instructions"][1]["fromStage"], 0);
    /// assert_eq!(model["stages"][1]["user"]["numeric"], true);
    /// let at = spans.get("/stages/1/instructions/3/ports/0").unwrap();
    /// assert_eq!(&p.dockerfile.source[at.value.clone()], "8080");
    /// ```
    pub fn model(&self) -> (Value, SpanTable) {
        let stages = self.stages();
        let scopes = self.scopes();
        let mut cx = Ctx {
            df: self,
            stages: &stages,
            scopes: &scopes,
            global: stages
                .first()
                .and_then(|s| scopes.get(s.from))
                .cloned()
                .unwrap_or_default(),
            table: SpanTable::default(),
        };
        let mut root = Map::new();
        root.insert("directives".into(), cx.directives());
        root.insert("args".into(), cx.global_args());
        let mut st = Vec::new();
        for s in &stages {
            st.push(cx.stage(s));
        }
        root.insert("stages".into(), Value::Array(st));
        root.insert("finalStage".into(), json!(stages.len().checked_sub(1)));
        let comments: Vec<Value> = self
            .comments
            .iter()
            .enumerate()
            .map(|(i, c)| {
                cx.table.set(&format!("/comments/{i}"), c.span.clone());
                cx.table.set(&format!("/comments/{i}/text"), c.span.clone());
                json!({"text": c.text, "line": self.line_col(c.span.start).0})
            })
            .collect();
        root.insert("comments".into(), Value::Array(comments));
        (Value::Object(root), cx.table)
    }
}

impl Ctx<'_> {
    fn directives(&mut self) -> Value {
        let mut m = Map::new();
        for d in &self.df.directives {
            self.table.set_kv(
                &format!("/directives/{}", esc(&d.name)),
                Some(d.name_span.clone()),
                d.value_span.clone(),
            );
            m.insert(d.name.clone(), json!(d.value));
        }
        Value::Object(m)
    }

    fn global_args(&mut self) -> Value {
        let mut out = Vec::new();
        for (i, p) in self.df.global_args().into_iter().enumerate() {
            let ptr = format!("/args/{i}");
            self.kv_spans(&ptr, p);
            out.push(json!({"key": p.key.value, "value": p.value.as_ref().map(|v| &v.value)}));
        }
        Value::Array(out)
    }

    fn kv_spans(&mut self, ptr: &str, p: &KeyValue) {
        self.table
            .set_kv(ptr, Some(p.key.span.clone()), p.span.clone());
        self.table.set(&format!("{ptr}/key"), p.key.span.clone());
        let vspan = p.value.as_ref().map_or(p.span.clone(), |v| v.span.clone());
        self.table.set(&format!("{ptr}/value"), vspan);
    }

    fn stage(&mut self, s: &Stage) -> Value {
        let df = self.df;
        let sp = format!("/stages/{}", s.index);
        let Some(from_ins) = df.instructions.get(s.from) else {
            return Value::Null;
        };
        self.table.set(&sp, from_ins.span.clone());
        let InstructionKind::From(from) = &from_ins.kind else {
            return Value::Null;
        };
        let mut m = Map::new();
        m.insert("index".into(), json!(s.index));
        m.insert("name".into(), json!(s.name));
        self.table.set(
            &format!("{sp}/name"),
            from.stage_name
                .as_ref()
                .map_or(from_ins.span.clone(), |n| n.span.clone()),
        );
        // from
        let mut f = Map::new();
        f.insert("image".into(), json!(from.image.value));
        f.insert("resolved".into(), json!(s.image));
        f.insert("undefinedVars".into(), json!(s.undefined));
        let fp = format!("{sp}/from");
        self.table.set(&fp, from.image.span.clone());
        match &s.base {
            StageRef::Stage(i) => {
                for k in ["registry", "repository", "name", "tag", "digest"] {
                    f.insert(k.into(), Value::Null);
                }
                f.insert("scratch".into(), json!(false));
                f.insert("valid".into(), json!(true));
                f.insert("stageRef".into(), json!(i));
            }
            StageRef::Image(r) => {
                f.extend(image_json(r));
                f.insert("stageRef".into(), Value::Null);
            }
        }
        // The image at the root of the chain of stages it derives from (its own image when
        // it is FROM an image): a stage derived from a non-root base runs as that user.
        let mut root = s;
        for _ in 0..self.stages.len() {
            match &root.base {
                StageRef::Stage(i) => match self.stages.get(*i) {
                    Some(parent) if parent.index < root.index => root = parent,
                    _ => break,
                },
                StageRef::Image(_) => break,
            }
        }
        f.insert("baseImage".into(), json!(root.image));
        f.insert("platform".into(), json!(s.platform));
        let keys: Vec<String> = f.keys().cloned().collect();
        for k in keys {
            self.table
                .set(&format!("{fp}/{k}"), from.image.span.clone());
        }
        if let Some(pf) = from_ins.flag("platform") {
            self.table.set_kv(
                &format!("{fp}/platform"),
                Some(pf.name_span.clone()),
                pf.value_span.clone().unwrap_or(pf.span.clone()),
            );
        }
        m.insert("from".into(), Value::Object(f));
        m.insert("final".into(), json!(s.index + 1 == self.stages.len()));
        // the final image: the final stage and the stages it derives from (`FROM <stage>`)
        m.insert("inFinalImage".into(), json!(self.in_final_image(s.index)));
        self.table
            .set(&format!("{sp}/inFinalImage"), from_ins.span.clone());
        m.insert("rootImage".into(), json!(self.root_image(s.index)));
        self.table
            .set(&format!("{sp}/rootImage"), from.image.span.clone());
        // instructions
        let mut list = Vec::new();
        for (j, i) in s.instructions.clone().enumerate() {
            if let Some(ins) = df.instructions.get(i) {
                let ip = format!("{sp}/instructions/{j}");
                let scope = self.scopes.get(i).cloned().unwrap_or_default();
                list.push(self.instruction(ins, &ip, &scope, s.index));
            }
        }
        m.insert("instructions".into(), Value::Array(list));
        // effective user and healthcheck
        let user = match df.effective(self.stages, s.index, is_user) {
            Some((i, inherited)) => {
                let ins = &df.instructions[i];
                let scope = self.scopes.get(i).cloned().unwrap_or_default();
                let (mut u, _) = self.user_json(ins, &scope);
                u.insert("instruction".into(), json!(self.pointer_of(i)));
                u.insert("inherited".into(), json!(inherited));
                self.table.set(&format!("{sp}/user"), ins.args_span.clone());
                Value::Object(u)
            }
            None => {
                self.table.set(&format!("{sp}/user"), from_ins.span.clone());
                Value::Null
            }
        };
        m.insert("user".into(), user);
        let hc = match df.effective(self.stages, s.index, is_healthcheck) {
            Some((i, inherited)) => {
                let ins = &df.instructions[i];
                self.table
                    .set(&format!("{sp}/healthcheck"), ins.span.clone());
                json!({
                    "none": matches!(ins.kind, InstructionKind::Healthcheck(Healthcheck::None)),
                    "instruction": self.pointer_of(i),
                    "inherited": inherited,
                })
            }
            None => {
                self.table
                    .set(&format!("{sp}/healthcheck"), from_ins.span.clone());
                Value::Null
            }
        };
        m.insert("healthcheck".into(), hc);
        Value::Object(m)
    }

    /// Whether the stage is the final stage or one it derives from through
    /// `FROM <stage>` (a stage only copied from with `COPY --from` is not).
    fn in_final_image(&self, stage: usize) -> bool {
        let Some(mut s) = self.stages.len().checked_sub(1) else {
            return false;
        };
        for _ in 0..=self.stages.len() {
            if s == stage {
                return true;
            }
            match self.stages[s].base {
                StageRef::Stage(p) if p < s => s = p,
                _ => return false,
            }
        }
        false
    }

    /// The normalised reference (`registry/repository[:tag][@digest]`) of the
    /// external image at the root of the stage's `FROM <stage>` chain; `None`
    /// for `scratch` and for a reference that is not valid once its
    /// variables are substituted (`FROM ${BASE}` without default).
    fn root_image(&self, stage: usize) -> Option<String> {
        let mut s = stage;
        for _ in 0..=self.stages.len() {
            match &self.stages.get(s)?.base {
                StageRef::Stage(p) if *p < s => s = *p,
                StageRef::Stage(_) => return None,
                StageRef::Image(r) => {
                    if r.scratch || !r.valid {
                        return None;
                    }
                    let mut out = format!("{}/{}", r.registry.as_deref()?, r.repository);
                    if let Some(t) = &r.tag {
                        out.push(':');
                        out.push_str(t);
                    }
                    if let Some(d) = &r.digest {
                        out.push('@');
                        out.push_str(d);
                    }
                    return Some(out);
                }
            }
        }
        None
    }

    /// JSON pointer of the instruction with this index.
    fn pointer_of(&self, i: usize) -> Option<String> {
        let s = self.stages.iter().find(|s| s.instructions.contains(&i))?;
        Some(format!(
            "/stages/{}/instructions/{}",
            s.index,
            i - s.instructions.start
        ))
    }

    fn user_json(&mut self, ins: &Instruction, scope: &Vars) -> (Map<String, Value>, Span) {
        let mut u = Map::new();
        let InstructionKind::User(w) = &ins.kind else {
            return (u, ins.span.clone());
        };
        let (user, group) = split_user(&w.value);
        let e = expand_with_escape(&w.raw, self.df.escape, scope);
        let (ru, rg) = match e.value.split_once(':') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (e.value.clone(), None),
        };
        let numeric = !ru.is_empty() && ru.chars().all(|c| c.is_ascii_digit());
        let root = ru == "root" || (numeric && ru.trim_start_matches('0').is_empty());
        u.insert("user".into(), json!(user));
        u.insert("group".into(), json!(group));
        u.insert("resolved".into(), json!(ru));
        u.insert("resolvedGroup".into(), json!(rg));
        u.insert("numeric".into(), json!(numeric));
        u.insert("root".into(), json!(root));
        u.insert("undefinedVars".into(), json!(e.undefined));
        (u, w.span.clone())
    }

    fn words(&mut self, ptr: &str, words: &[Word]) -> Value {
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            self.table.set(&format!("{ptr}/{i}"), w.span.clone());
            out.push(json!(w.value));
        }
        self.table.set(
            ptr,
            match (words.first(), words.last()) {
                (Some(a), Some(b)) => a.span.start..b.span.end,
                _ => 0..0,
            },
        );
        Value::Array(out)
    }

    fn flags(&mut self, ptr: &str, ins: &Instruction) -> Value {
        let mut m = Map::new();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &ins.flags {
            let name = f.name.as_str();
            let vspan = f.value_span.clone().unwrap_or(f.span.clone());
            let fp = format!("{ptr}/{}", esc(name));
            match name {
                "mount" | "exclude" => {
                    let n = counts.entry(name).or_insert(0);
                    let arr = m
                        .entry(name.to_string())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(a) = arr {
                        a.push(json!(f.value.clone().unwrap_or_default()));
                    }
                    self.table
                        .set_kv(&format!("{fp}/{n}"), Some(f.name_span.clone()), vspan);
                    if *n == 0 {
                        self.table
                            .set_kv(&fp, Some(f.name_span.clone()), f.span.clone());
                    }
                    *n += 1;
                }
                "link" | "parents" | "keep-git-dir" => {
                    let v = f.value.as_deref().is_none_or(|v| v != "false");
                    m.insert(name.to_string(), json!(v));
                    self.table.set_kv(&fp, Some(f.name_span.clone()), vspan);
                }
                _ => {
                    let v = match &f.value {
                        Some(v) => json!(v),
                        None => json!(true),
                    };
                    m.insert(name.to_string(), v);
                    self.table.set_kv(&fp, Some(f.name_span.clone()), vspan);
                }
            }
        }
        Value::Object(m)
    }

    fn instruction(&mut self, ins: &Instruction, ip: &str, scope: &Vars, stage: usize) -> Value {
        let df = self.df;
        self.table.set(ip, ins.span.clone());
        let mut m = Map::new();
        m.insert("keyword".into(), json!(ins.keyword));
        self.table
            .set(&format!("{ip}/keyword"), ins.keyword_span.clone());
        m.insert("line".into(), json!(ins.line));
        self.table
            .set(&format!("{ip}/line"), ins.keyword_span.clone());
        let flags = self.flags(&format!("{ip}/flags"), ins);
        m.insert("flags".into(), flags);
        let args = self.words(&format!("{ip}/args"), &ins.args);
        m.insert("args".into(), args);
        if !ins.heredocs.is_empty() {
            let mut hs = Vec::new();
            for (i, h) in ins.heredocs.iter().enumerate() {
                let hp = format!("{ip}/heredocs/{i}");
                self.table.set(&hp, h.marker_span.clone());
                self.table.set(&format!("{hp}/name"), h.marker_span.clone());
                self.table
                    .set(&format!("{hp}/content"), h.body_span.clone());
                hs.push(json!({"name": h.name, "expand": h.expand, "chomp": h.chomp, "content": h.content}));
            }
            m.insert("heredocs".into(), Value::Array(hs));
        }
        let form_of = |c: &CommandLine| match c {
            CommandLine::Shell(_) => "shell",
            CommandLine::Exec(_) => "exec",
        };
        match &ins.kind {
            InstructionKind::From(f) => {
                m.insert("image".into(), json!(f.image.value));
                self.table.set(&format!("{ip}/image"), f.image.span.clone());
                m.insert(
                    "stageName".into(),
                    json!(f.stage_name.as_ref().map(|n| &n.value)),
                );
                if let Some(n) = &f.stage_name {
                    self.table.set(&format!("{ip}/stageName"), n.span.clone());
                }
            }
            InstructionKind::Run(_)
            | InstructionKind::Cmd(_)
            | InstructionKind::Entrypoint(_)
            | InstructionKind::Healthcheck(_) => {
                if let InstructionKind::Healthcheck(h) = &ins.kind {
                    m.insert("none".into(), json!(matches!(h, Healthcheck::None)));
                }
                let form = ins.command_line().map(form_of);
                m.insert("form".into(), json!(form));
                self.table.set(&format!("{ip}/form"), ins.args_span.clone());
                let cmds = ins.shell_commands();
                let v = self.commands(&format!("{ip}/commands"), &cmds);
                m.insert("commands".into(), v);
                if matches!(ins.kind, InstructionKind::Run(_)) {
                    let mut mounts = Vec::new();
                    for f in ins.flags.iter().filter(|f| f.name == "mount") {
                        let mp = format!("{ip}/mounts/{}", mounts.len());
                        mounts.push(self.mount(&mp, f));
                    }
                    m.insert("mounts".into(), Value::Array(mounts));
                }
            }
            InstructionKind::Shell(_) => {
                m.insert("form".into(), json!("exec"));
            }
            InstructionKind::Label(pairs)
            | InstructionKind::Env(pairs)
            | InstructionKind::Arg(pairs) => {
                let key = match &ins.kind {
                    InstructionKind::Label(_) => "labels",
                    InstructionKind::Env(_) => "env",
                    _ => "vars",
                };
                let mut out = Vec::new();
                let mut local = scope.clone();
                for (i, p) in pairs.iter().enumerate() {
                    let pp = format!("{ip}/{key}/{i}");
                    self.kv_spans(&pp, p);
                    let mut o = Map::new();
                    o.insert("key".into(), json!(p.key.value));
                    o.insert("value".into(), json!(p.value.as_ref().map(|v| &v.value)));
                    if let Some(v) = &p.value {
                        let e = expand_with_escape(&v.raw, df.escape, &local);
                        if key == "env" {
                            local.set(p.key.value.clone(), e.value.clone());
                        }
                        o.insert("resolved".into(), json!(e.value));
                        self.table.set(&format!("{pp}/resolved"), v.span.clone());
                    } else {
                        let v = local.get(&p.key.value).or_else(|| {
                            self.global
                                .get(&p.key.value)
                                .filter(|_| ins.keyword == "ARG")
                        });
                        o.insert("resolved".into(), json!(v));
                        self.table
                            .set(&format!("{pp}/resolved"), p.key.span.clone());
                    }
                    out.push(Value::Object(o));
                }
                m.insert(key.into(), Value::Array(out));
            }
            InstructionKind::Maintainer(w) => {
                m.insert("maintainer".into(), json!(w.value));
                self.table.set(&format!("{ip}/maintainer"), w.span.clone());
            }
            InstructionKind::Expose(ws) => {
                let mut out = Vec::new();
                for (i, w) in ws.iter().enumerate() {
                    let pp = format!("{ip}/ports/{i}");
                    let e = expand_with_escape(&w.raw, df.escape, scope);
                    let parsed = parse_port(&e.value);
                    for k in ["", "/port", "/endPort", "/protocol", "/raw", "/resolved"] {
                        self.table.set(&format!("{pp}{k}"), w.span.clone());
                    }
                    out.push(json!({
                        "raw": w.value,
                        "resolved": e.value,
                        "port": parsed.as_ref().map(|p| p.0),
                        "endPort": parsed.as_ref().and_then(|p| p.1),
                        "protocol": parsed.as_ref().map(|p| p.2.clone()),
                    }));
                }
                m.insert("ports".into(), Value::Array(out));
            }
            InstructionKind::Add(c) | InstructionKind::Copy(c) => {
                let srcs = self.words(&format!("{ip}/sources"), &c.sources);
                m.insert("sources".into(), srcs);
                m.insert(
                    "destination".into(),
                    json!(c.dest.as_ref().map(|d| &d.value)),
                );
                if let Some(d) = &c.dest {
                    self.table.set(&format!("{ip}/destination"), d.span.clone());
                }
                let mut from_stage = Value::Null;
                let mut from_image = Value::Null;
                if let Some(f) = ins.flag("from") {
                    let v = f.value.clone().unwrap_or_default();
                    let v = expand_with_escape(&v, df.escape, scope).value;
                    let span = f.value_span.clone().unwrap_or(f.span.clone());
                    match df.resolve_from(&v, self.stages, stage) {
                        StageRef::Stage(i) => {
                            from_stage = json!(i);
                            self.table.set(&format!("{ip}/fromStage"), span);
                        }
                        StageRef::Image(r) => {
                            from_image = Value::Object(image_json(&r));
                            self.table.set(&format!("{ip}/fromImage"), span);
                        }
                    }
                }
                m.insert("fromStage".into(), from_stage);
                m.insert("fromImage".into(), from_image);
            }
            InstructionKind::Volume(ws) => {
                let v = self.words(&format!("{ip}/volumes"), ws);
                m.insert("volumes".into(), v);
            }
            InstructionKind::User(_) => {
                let (u, span) = self.user_json(ins, scope);
                let up = format!("{ip}/user");
                for k in u.keys() {
                    self.table.set(&format!("{up}/{k}"), span.clone());
                }
                self.table.set(&up, span);
                m.insert("user".into(), Value::Object(u));
            }
            InstructionKind::Workdir(w) => {
                m.insert("path".into(), json!(w.value));
                let e = expand_with_escape(&w.raw, df.escape, scope);
                m.insert("resolved".into(), json!(e.value));
                self.table.set(&format!("{ip}/path"), w.span.clone());
                self.table.set(&format!("{ip}/resolved"), w.span.clone());
            }
            InstructionKind::Stopsignal(w) => {
                m.insert("signal".into(), json!(w.value));
                self.table.set(&format!("{ip}/signal"), w.span.clone());
            }
            InstructionKind::Onbuild(inner) => {
                let v = self.instruction(inner, &format!("{ip}/trigger"), scope, stage);
                m.insert("trigger".into(), v);
            }
        }
        Value::Object(m)
    }

    fn mount(&mut self, mp: &str, f: &Flag) -> Value {
        let value = f.value.clone().unwrap_or_default();
        let vspan = f.value_span.clone().unwrap_or(f.span.clone());
        let exact = self.df.source.get(vspan.clone()) == Some(value.as_str());
        self.table
            .set_kv(mp, Some(f.name_span.clone()), vspan.clone());
        let mut m = Map::new();
        let mut off = 0;
        for part in value.split(',') {
            let span = if exact {
                vspan.start + off..vspan.start + off + part.len()
            } else {
                vspan.clone()
            };
            off += part.len() + 1;
            if part.is_empty() {
                continue;
            }
            let (k, v) = match part.split_once('=') {
                Some((k, v)) => (k.to_ascii_lowercase(), v.to_string()),
                None => (part.to_ascii_lowercase(), "true".to_string()),
            };
            let key_span = if exact {
                span.start..span.start + k.len()
            } else {
                vspan.clone()
            };
            self.table
                .set_kv(&format!("{mp}/{}", esc(&k)), Some(key_span), span);
            m.insert(k, json!(v));
        }
        if !m.contains_key("type") {
            m.insert("type".into(), json!("bind"));
            self.table.set(&format!("{mp}/type"), vspan);
        }
        Value::Object(m)
    }

    fn commands(&mut self, ptr: &str, cmds: &[ShellCommand]) -> Value {
        let mut out = Vec::new();
        for (i, c) in cmds.iter().enumerate() {
            let cp = format!("{ptr}/{i}");
            self.table.set(&cp, c.span.clone());
            let mut m = Map::new();
            let prog_span = c.program_word().map_or(c.span.clone(), |w| w.span.clone());
            m.insert("program".into(), json!(c.program_name()));
            self.table.set(&format!("{cp}/program"), prog_span.clone());
            m.insert("path".into(), json!(c.program_word().map(|w| &w.value)));
            self.table.set(&format!("{cp}/path"), prog_span.clone());
            let sw = |t: &mut SpanTable, p: &str, ws: &[crate::shell::ShellWord]| -> Value {
                for (k, w) in ws.iter().enumerate() {
                    t.set(&format!("{p}/{k}"), w.span.clone());
                }
                Value::Array(ws.iter().map(|w| json!(w.value)).collect())
            };
            m.insert(
                "args".into(),
                sw(&mut self.table, &format!("{cp}/args"), c.args()),
            );
            m.insert(
                "words".into(),
                sw(&mut self.table, &format!("{cp}/words"), &c.words),
            );
            m.insert(
                "assignments".into(),
                sw(
                    &mut self.table,
                    &format!("{cp}/assignments"),
                    &c.assignments,
                ),
            );
            m.insert(
                "wrappers".into(),
                sw(&mut self.table, &format!("{cp}/wrappers"), &c.wrappers),
            );
            m.insert("sudo".into(), json!(c.sudo.is_some()));
            self.table.set(
                &format!("{cp}/sudo"),
                c.sudo.clone().unwrap_or(c.span.clone()),
            );
            let mut pkgs = Vec::new();
            m.insert(
                "packageManager".into(),
                json!(c.install.as_ref().map(|i| &i.manager)),
            );
            self.table
                .set(&format!("{cp}/packageManager"), prog_span.clone());
            m.insert(
                "globalInstall".into(),
                json!(c.install.as_ref().is_some_and(|i| i.global)),
            );
            self.table.set(&format!("{cp}/globalInstall"), prog_span);
            if let Some(inst) = &c.install {
                for (k, p) in inst.packages.iter().enumerate() {
                    let pp = format!("{cp}/packages/{k}");
                    self.table.set(&pp, p.word.span.clone());
                    self.table.set(&format!("{pp}/name"), p.name_span.clone());
                    self.table.set(
                        &format!("{pp}/version"),
                        p.version_span.clone().unwrap_or(p.word.span.clone()),
                    );
                    pkgs.push(json!({"name": p.name, "version": p.version}));
                }
            }
            m.insert("packages".into(), Value::Array(pkgs));
            let mut reds = Vec::new();
            for (k, r) in c.redirects.iter().enumerate() {
                let rp = format!("{cp}/redirects/{k}");
                self.table.set(&rp, r.span.clone());
                self.table.set(&format!("{rp}/op"), r.span.clone());
                if let Some(t) = &r.target {
                    self.table.set(&format!("{rp}/target"), t.span.clone());
                }
                reds.push(json!({"op": r.op, "target": r.target.as_ref().map(|t| &t.value)}));
            }
            m.insert("redirects".into(), Value::Array(reds));
            out.push(Value::Object(m));
        }
        Value::Array(out)
    }
}
