//! The pipeline model: `!reference`s, `extends` and `default:` resolved, script lines
//! tokenised, every node located where it is written.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::node::{deep_merge, Kind, Node, Place};
use super::{
    Loader, DEFAULT_KEYS, MAX_EXTENDS_DEPTH, MAX_MODEL_NODES, MAX_REFERENCE_DEPTH, RESERVED,
};
use crate::source::{escape_token, ByteRange, NodeSpans, SourceFile, SpanTable};
use crate::vocab::{DiagnosticCode, DiagnosticLevel};

/// Legacy top-level keys that act as `default:`.
const LEGACY_DEFAULTS: &[&str] = &[
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
];
/// Script keys, in execution order.
const SCRIPT_KEYS: &[&str] = &["before_script", "script", "after_script"];
/// Programs that run a script file given as argument.
const SCRIPT_RUNNERS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "ash", "source", "."];

pub(super) struct Builder<'l, 'a> {
    loader: &'l mut Loader<'a>,
    root: Node,
    /// Scripts whose lines a job already owns.
    owned_scripts: BTreeSet<String>,
    budget: usize,
}

/// One job after resolution.
struct Job {
    name: String,
    node: Node,
    extends_all: Vec<String>,
}

impl<'l, 'a> Builder<'l, 'a> {
    pub(super) fn new(loader: &'l mut Loader<'a>, root: Node) -> Self {
        Builder {
            loader,
            root,
            owned_scripts: BTreeSet::new(),
            budget: MAX_MODEL_NODES,
        }
    }

    fn note(
        &mut self,
        place: Option<&Place>,
        code: DiagnosticCode,
        level: DiagnosticLevel,
        en: String,
        fr: String,
    ) {
        if let Some(p) = place {
            let file = Arc::clone(&p.file);
            let range = p.key.unwrap_or(p.value);
            self.loader.diag(&file, range, code, level, en, fr);
        }
    }

    /// The model and its spans; `None` when the configuration is too large.
    pub(super) fn build(&mut self) -> Option<(Value, SpanTable)> {
        if self.root.size() > MAX_MODEL_NODES {
            return None;
        }
        let root = std::mem::replace(&mut self.root, Node::map(Vec::new(), None));
        let root = self.references(&root, &root, 0);
        // Jobs, in file order.
        let mut names = Vec::new();
        for (k, v) in root.entries() {
            if !RESERVED.contains(&k.as_str()) && v.is_map() {
                names.push(k.clone());
            }
        }
        let mut resolved: BTreeMap<String, (Node, Vec<String>)> = BTreeMap::new();
        let mut warned = BTreeSet::new();
        for name in &names {
            self.extends(&root, name, 0, &mut Vec::new(), &mut resolved, &mut warned);
        }
        // `default:` and the legacy top-level keys.
        let mut default = root
            .get("default")
            .filter(|d| d.is_map())
            .cloned()
            .unwrap_or_else(|| Node::map(Vec::new(), None));
        for k in LEGACY_DEFAULTS {
            if default.get(k).is_none() {
                if let Some(v) = root.get(k) {
                    default.set(k, v.clone());
                }
            }
        }
        let mut jobs = Vec::new();
        for name in &names {
            let Some((node, extends_all)) = resolved.get(name) else {
                continue;
            };
            let mut node = node.clone();
            if !name.starts_with('.') {
                apply_defaults(&mut node, &default);
                if let Some(globals) = root.get("variables") {
                    inherit_variables(&mut node, globals);
                }
            }
            jobs.push(Job {
                name: name.clone(),
                node,
                extends_all: extends_all.clone(),
            });
        }
        let mut value = Map::new();
        let mut spans = SpanTable::default();
        if let Some(p) = &root.place {
            spans.insert(String::new(), p.spans());
        }
        for key in ["stages", "variables", "workflow"] {
            let node = match (key, root.get(key)) {
                ("stages", None) => root.get("types"),
                (_, n) => n,
            };
            if let Some(n) = node {
                value.insert(key.into(), n.to_value());
                n.write_spans(&mut format!("/{key}"), &mut spans);
            }
        }
        if !value.contains_key("stages") {
            value.insert(
                "stages".into(),
                json!([".pre", "build", "test", "deploy", ".post"]),
            );
        }
        // Which jobs extend (or reference) which.
        let mut extended_by: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for j in &jobs {
            for parent in &j.extends_all {
                extended_by.entry(parent).or_default().push(j.name.clone());
            }
        }
        let mut jobs_value = Map::new();
        for j in &jobs {
            let pointer = format!("/jobs/{}", escape_token(&j.name));
            let mut v = match j.node.to_value() {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            j.node.write_spans(&mut pointer.clone(), &mut spans);
            let place = j.node.place.clone();
            let mut extra = |k: &str, val: Value, v: &mut Map<String, Value>| {
                v.insert(k.into(), val);
                if let Some(p) = &place {
                    spans.insert(format!("{pointer}/{k}"), p.spans());
                }
            };
            extra("hidden", json!(j.name.starts_with('.')), &mut v);
            extra("extendsAll", json!(j.extends_all), &mut v);
            extra(
                "extendedBy",
                json!(extended_by
                    .get(j.name.as_str())
                    .cloned()
                    .unwrap_or_default()),
                &mut v,
            );
            let lines = self.script_lines(&j.node, &pointer, &mut spans);
            v.insert("scriptLines".into(), lines);
            jobs_value.insert(j.name.clone(), Value::Object(v));
        }
        if default.is_map() && !default.entries().is_empty() {
            let mut v = match default.to_value() {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            default.write_spans(&mut "/default".to_string(), &mut spans);
            let lines = self.script_lines(&default, "/default", &mut spans);
            v.insert("scriptLines".into(), lines);
            value.insert("default".into(), Value::Object(v));
        }
        value.insert("jobs".into(), Value::Object(jobs_value));
        Some((Value::Object(value), spans))
    }

    /// `!reference [job, key…]` replaced by what it points at (resolved in turn).
    fn references(&mut self, node: &Node, root: &Node, depth: usize) -> Node {
        if node.reference {
            return self.reference(node, root, depth);
        }
        let mut out = node.clone();
        match &mut out.kind {
            Kind::Scalar(_) => {}
            Kind::Seq(items) => {
                for item in items.iter_mut() {
                    if item.reference || has_reference(item) {
                        *item = self.references(item, root, depth);
                    }
                }
            }
            Kind::Map(entries) => {
                for (_, v) in entries.iter_mut() {
                    if v.reference || has_reference(v) {
                        *v = self.references(v, root, depth);
                    }
                }
            }
        }
        out
    }

    fn reference(&mut self, node: &Node, root: &Node, depth: usize) -> Node {
        let path: Vec<String> = node
            .items()
            .iter()
            .map(|i| match &i.kind {
                Kind::Scalar(Value::String(s)) => s.clone(),
                Kind::Scalar(v) => v.to_string(),
                _ => String::new(),
            })
            .collect();
        let empty = Node {
            kind: Kind::Seq(Vec::new()),
            place: node.place.clone(),
            borrowed: false,
            reference: false,
        };
        if depth >= MAX_REFERENCE_DEPTH {
            self.note(
                node.place.as_ref(),
                DiagnosticCode::GitlabReferenceTooDeep,
                DiagnosticLevel::Warning,
                format!(
                    "`!reference` chain deeper than {MAX_REFERENCE_DEPTH} levels: not resolved"
                ),
                format!(
                    "chaîne de `!reference` de plus de {MAX_REFERENCE_DEPTH} niveaux : non résolue"
                ),
            );
            return empty;
        }
        let mut target = Some(root);
        for p in &path {
            target = target.and_then(|t| t.get(p));
        }
        match target {
            Some(t) if !path.is_empty() => {
                let mut resolved = self.references(t, root, depth + 1);
                resolved.borrow_all();
                resolved
            }
            _ => {
                self.note(node.place.as_ref(), DiagnosticCode::GitlabReferenceUnresolved, DiagnosticLevel::Note,
                    format!("`!reference [{}]` is not defined in the local configuration (it may come from an include that cannot be read offline): not checked", path.join(", ")),
                    format!("`!reference [{}]` n'est pas défini dans la configuration locale (il vient peut-être d'un include illisible hors ligne) : non vérifié", path.join(", ")));
                empty
            }
        }
    }

    /// Resolve the `extends` of a job (memoised in `resolved`).
    fn extends(
        &mut self,
        root: &Node,
        name: &str,
        depth: usize,
        stack: &mut Vec<String>,
        resolved: &mut BTreeMap<String, (Node, Vec<String>)>,
        warned: &mut BTreeSet<String>,
    ) -> Option<(Node, Vec<String>)> {
        if let Some(r) = resolved.get(name) {
            return Some(r.clone());
        }
        let own = match root.get(name).filter(|n| n.is_map()) {
            Some(own) => own.clone(),
            None => self.known_template(name)?,
        };
        let parents: Vec<(String, Option<Place>)> = match own.get("extends") {
            None => Vec::new(),
            Some(e) => match &e.kind {
                Kind::Scalar(Value::String(s)) => vec![(s.clone(), e.place.clone())],
                Kind::Seq(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(|s| (s.to_string(), i.place.clone())))
                    .collect(),
                _ => Vec::new(),
            },
        };
        if parents.is_empty() {
            resolved.insert(name.to_string(), (own.clone(), Vec::new()));
            return Some((own, Vec::new()));
        }
        if depth >= MAX_EXTENDS_DEPTH || stack.iter().any(|s| s == name) {
            if warned.insert(name.to_string()) {
                let place = own.get("extends").and_then(|e| e.place.clone());
                self.note(place.as_ref(), DiagnosticCode::GitlabExtendsLoop, DiagnosticLevel::Warning,
                    format!("`extends` of `{name}` loops or nests deeper than {MAX_EXTENDS_DEPTH} levels: GitLab rejects this pipeline; not resolved"),
                    format!("les `extends` de `{name}` bouclent ou s'imbriquent sur plus de {MAX_EXTENDS_DEPTH} niveaux : GitLab rejette ce pipeline ; non résolus"));
            }
            return None;
        }
        stack.push(name.to_string());
        let mut base: Option<Node> = None;
        let mut all = Vec::new();
        for (parent, place) in &parents {
            if !all.contains(parent) {
                all.push(parent.clone());
            }
            match self.extends(root, parent, depth + 1, stack, resolved, warned) {
                Some((mut p, pall)) => {
                    for a in pall {
                        if !all.contains(&a) {
                            all.push(a);
                        }
                    }
                    p.borrow_all();
                    // A known template of the catalogue: its nodes are shown at this `extends`.
                    if root.get(parent).is_none() {
                        if let Some(place) = place {
                            p.place_all(place);
                        }
                    }
                    match &mut base {
                        None => base = Some(p),
                        Some(b) => deep_merge(b, &p),
                    }
                }
                None => {
                    if root.get(parent).is_none() && warned.insert(format!("{name}\u{0}{parent}")) {
                        self.note(place.as_ref(), DiagnosticCode::GitlabExtendsUnknown, DiagnosticLevel::Note,
                            format!("`extends: {parent}`: no such job in the local configuration (it may come from an include that cannot be read offline); what it defines was not checked"),
                            format!("`extends: {parent}` : aucun job de ce nom dans la configuration locale (il vient peut-être d'un include illisible hors ligne) ; ce qu'il définit n'a pas été vérifié"));
                    }
                }
            }
        }
        stack.pop();
        let result = match base {
            Some(mut b) => {
                deep_merge(&mut b, &own);
                b
            }
            None => own,
        };
        if self.budget < result.size() {
            return None;
        }
        self.budget -= result.size();
        resolved.insert(name.to_string(), (result.clone(), all.clone()));
        Some((result, all))
    }

    /// A hidden job of the Cloud π Native catalogue the configuration does not define (its
    /// include cannot be read offline): the known template.
    fn known_template(&self, name: &str) -> Option<Node> {
        let (jobs, _) = super::catalogue::file_for(name, self.loader.limits)?;
        jobs.get(name).filter(|n| n.is_map()).cloned()
    }

    /// The script lines of a job (or of `default:`), each tokenised into shell commands, and
    /// the lines of the repository scripts they run.
    fn script_lines(&mut self, job: &Node, pointer: &str, spans: &mut SpanTable) -> Value {
        let mut lines: Vec<Value> = Vec::new();
        for key in SCRIPT_KEYS {
            let Some(node) = job.get(key) else { continue };
            let mut flat = Vec::new();
            flatten(node, 0, &mut flat);
            for line in flat {
                let text = match &line.kind {
                    Kind::Scalar(Value::String(s)) => s.clone(),
                    Kind::Scalar(Value::Null) => continue,
                    Kind::Scalar(v) => v.to_string(),
                    _ => continue,
                };
                let Some(place) = line.place.clone() else {
                    continue;
                };
                let lp = format!("{pointer}/scriptLines/{}", lines.len());
                let map = align(&text, place.file.text(), place.value);
                let cmds = cct_dockerfile::analyze_script(&text);
                let commands = commands_json(&cmds, &lp, &place.file, &map, spans);
                let here = Place {
                    key: None,
                    ..place.clone()
                };
                spans.insert(lp.clone(), here.spans());
                spans.insert(format!("{lp}/line"), here.spans());
                spans.insert(format!("{lp}/key"), here.spans());
                spans.insert(format!("{lp}/inherited"), here.spans());
                let own = !line.borrowed;
                let index = lines.len();
                lines.push(
                    json!({"key": key, "line": text, "inherited": !own, "commands": commands}),
                );
                // Repository scripts this line runs.
                for cmd in &cmds {
                    let Some(path) = called_script(cmd) else {
                        continue;
                    };
                    self.script_file(&path, key, own, index, pointer, &mut lines, spans);
                }
            }
        }
        Value::Array(lines)
    }

    #[allow(clippy::too_many_arguments)]
    fn script_file(
        &mut self,
        path: &str,
        key: &str,
        own: bool,
        caller: usize,
        pointer: &str,
        lines: &mut Vec<Value>,
        spans: &mut SpanTable,
    ) {
        let Some(repo) = &self.loader.repo else {
            return;
        };
        let Some(Ok(file)) = repo.read(path) else {
            return;
        };
        let owner = own && self.owned_scripts.insert(file.path().to_string());
        if !self
            .loader
            .out
            .sources
            .iter()
            .any(|s| s.path() == file.path())
        {
            self.loader.out.sources.push(Arc::clone(&file));
        }
        let cmds = cct_dockerfile::analyze_script(file.text());
        // One script line per source line holding commands.
        let mut by_line: BTreeMap<u32, Vec<cct_dockerfile::ShellCommand>> = BTreeMap::new();
        for c in cmds {
            let line = file.line_col(c.span.start as u32).line;
            by_line.entry(line).or_default().push(c);
        }
        let identity: Vec<usize> = (0..file.text().len()).collect();
        for (line, cmds) in by_line {
            let lp = format!("{pointer}/scriptLines/{}", lines.len());
            let commands = commands_json(&cmds, &lp, &file, &identity, spans);
            let start = file.line_start(line) as usize;
            let text = file.line_text(line).to_string();
            let here = Place {
                file: Arc::clone(&file),
                key: None,
                value: ByteRange::new(start, start + text.len()),
            };
            for p in ["", "/line", "/key", "/inherited", "/script", "/calledFrom"] {
                spans.insert(format!("{lp}{p}"), here.spans());
            }
            lines.push(json!({
                "key": key,
                "line": text,
                "inherited": !owner,
                "script": file.path(),
                "calledFrom": caller,
                "commands": commands,
            }));
        }
    }
}

fn has_reference(node: &Node) -> bool {
    node.reference
        || match &node.kind {
            Kind::Scalar(_) => false,
            Kind::Seq(items) => items.iter().any(has_reference),
            Kind::Map(entries) => entries.iter().any(|(_, v)| has_reference(v)),
        }
}

/// `default:` keys a job does not set, unless `inherit: default:` says otherwise.
/// A job's `inherit:<key>`: whether it inherits at all, and the only keys it inherits (empty:
/// all of them). Absent means everything.
fn inherit_setting(job: &Node, key: &str) -> (bool, Vec<String>) {
    match job.get("inherit").and_then(|i| i.get(key)).map(|v| &v.kind) {
        Some(Kind::Scalar(Value::Bool(b))) => (*b, Vec::new()),
        Some(Kind::Seq(items)) => (
            true,
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
        ),
        _ => (true, Vec::new()),
    }
}

fn apply_defaults(job: &mut Node, default: &Node) {
    let (enabled, only) = inherit_setting(job, "default");
    if !enabled {
        return;
    }
    for k in DEFAULT_KEYS {
        if !only.is_empty() && !only.iter().any(|o| o == k) {
            continue;
        }
        if job.get(k).is_some() {
            continue;
        }
        if let Some(v) = default.get(k) {
            let mut v = v.clone();
            v.borrow_all();
            job.set(k, v);
        }
    }
}

/// Global variables a job does not set itself, unless `inherit: variables:` says otherwise.
fn inherit_variables(job: &mut Node, globals: &Node) {
    let (enabled, only) = inherit_setting(job, "variables");
    if !enabled || !globals.is_map() {
        return;
    }
    let mut inherited = globals.clone();
    if let Kind::Map(entries) = &mut inherited.kind {
        if !only.is_empty() {
            entries.retain(|(k, _)| only.iter().any(|o| o == k));
        }
    }
    inherited.borrow_all();
    match job.get("variables").cloned() {
        Some(own) if own.is_map() => {
            deep_merge(&mut inherited, &own);
            job.set("variables", inherited);
        }
        Some(_) => {}
        None => {
            if !inherited.entries().is_empty() {
                job.set("variables", inherited);
            }
        }
    }
}

/// The lines of a script key: a string, or a list whose nested lists (from `!reference`) are
/// flattened.
fn flatten<'n>(node: &'n Node, depth: usize, out: &mut Vec<&'n Node>) {
    match &node.kind {
        Kind::Seq(items) if depth < 12 => {
            for i in items {
                flatten(i, depth + 1, out);
            }
        }
        Kind::Seq(_) | Kind::Map(_) => {}
        Kind::Scalar(_) => out.push(node),
    }
}

/// The repository script a command runs: `./deploy.sh`, `scripts/x.sh`, `bash ci/x.sh`,
/// `source env.sh`, `$CI_PROJECT_DIR/scripts/x.sh`.
fn called_script(cmd: &cct_dockerfile::ShellCommand) -> Option<String> {
    let program = cmd.program_word()?;
    let strip = |s: &str| -> String {
        for prefix in ["${CI_PROJECT_DIR}/", "$CI_PROJECT_DIR/", "./"] {
            if let Some(rest) = s.strip_prefix(prefix) {
                return rest.to_string();
            }
        }
        s.to_string()
    };
    let looks_like_file = |s: &str| {
        (s.ends_with(".sh") || s.ends_with(".bash") || s.contains('/'))
            && !s.starts_with('/')
            && !s.starts_with('-')
            && !s.contains("://")
    };
    let name = cmd.program_name()?;
    if SCRIPT_RUNNERS.contains(&name) {
        let arg = cmd.args().iter().find(|a| !a.value.starts_with('-'))?;
        let v = strip(&arg.value);
        return looks_like_file(&arg.value).then_some(v);
    }
    let v = &program.value;
    (looks_like_file(v) && (v.contains('/') || v.ends_with(".sh"))).then(|| strip(v))
}

/// The commands of a line as JSON, their words located through `map` (byte of the line's
/// text → byte of `file`).
fn commands_json(
    cmds: &[cct_dockerfile::ShellCommand],
    lp: &str,
    file: &Arc<SourceFile>,
    map: &[usize],
    spans: &mut SpanTable,
) -> Value {
    let text = file.text();
    // Past the byte a word's last byte maps to, within the file and on a character boundary
    // (a byte the value has and the source lacks, such as a block scalar's final line break
    // at the end of the file, maps to the end of the source).
    let after = |e: usize| -> usize {
        let mut e = (e + 1).min(text.len());
        while !text.is_char_boundary(e) {
            e += 1;
        }
        e
    };
    let locate = |r: &std::ops::Range<usize>| -> ByteRange {
        let start = map.get(r.start).copied().map(|s| s.min(text.len()));
        let end = r
            .end
            .checked_sub(1)
            .and_then(|e| map.get(e))
            .map(|&e| after(e));
        match (start, end) {
            (Some(s), Some(e)) if e >= s => ByteRange::new(s, e),
            (Some(s), _) => ByteRange::new(s, s),
            _ => ByteRange::new(
                map.last().copied().unwrap_or(0),
                map.last().copied().unwrap_or(0),
            ),
        }
    };
    let at = |range: ByteRange| NodeSpans {
        key: None,
        value: range,
        related: None,
        file: Some(Arc::clone(file)),
    };
    let mut out = Vec::new();
    for (i, c) in cmds.iter().enumerate() {
        let cp = format!("{lp}/commands/{i}");
        let whole = locate(&c.span);
        spans.insert(cp.clone(), at(whole));
        let prog = c.program_word().map_or(whole, |w| locate(&w.span));
        spans.insert(format!("{cp}/program"), at(prog));
        spans.insert(format!("{cp}/path"), at(prog));
        spans.insert(
            format!("{cp}/sudo"),
            at(c.sudo.as_ref().map_or(whole, &locate)),
        );
        let mut words = |name: &str, ws: &[cct_dockerfile::ShellWord]| -> Value {
            spans.insert(format!("{cp}/{name}"), at(whole));
            for (k, w) in ws.iter().enumerate() {
                spans.insert(format!("{cp}/{name}/{k}"), at(locate(&w.span)));
            }
            Value::Array(ws.iter().map(|w| json!(w.value)).collect())
        };
        let args = words("args", c.args());
        let all = words("words", &c.words);
        let assignments = words("assignments", &c.assignments);
        let wrappers = words("wrappers", &c.wrappers);
        out.push(json!({
            "program": c.program_name(),
            "path": c.program_word().map(|w| &w.value),
            "args": args,
            "words": all,
            "assignments": assignments,
            "wrappers": wrappers,
            "sudo": c.sudo.is_some(),
        }));
    }
    Value::Array(out)
}

/// For each byte of a scalar's value, the byte of the file it was written at: the value is
/// matched against the source of the scalar (quotes, escapes, block indentation and folding
/// skipped).
fn align(value: &str, text: &str, range: ByteRange) -> Vec<usize> {
    let start = range.start as usize;
    let end = (range.end as usize).min(text.len());
    let src = text.get(start..end).unwrap_or_default().as_bytes();
    let mut j = 0usize;
    match src.first() {
        Some(b'|') | Some(b'>') => {
            j = src
                .iter()
                .position(|b| *b == b'\n')
                .map_or(src.len(), |p| p + 1);
        }
        Some(b'"') | Some(b'\'') => j = 1,
        _ => {}
    }
    let mut out = Vec::with_capacity(value.len());
    for ch in value.chars() {
        let mut buf = [0u8; 4];
        let bytes = ch.encode_utf8(&mut buf).as_bytes();
        let mut k = j;
        let mut found = None;
        while k < src.len() {
            if src[k..].starts_with(bytes)
                || ((ch == ' ' || ch == '\n') && (src[k] == b'\n' || src[k] == b' '))
            {
                found = Some(k);
                break;
            }
            if !matches!(src[k], b' ' | b'\t' | b'\n' | b'\r' | b'\\' | b'"' | b'\'') {
                break;
            }
            k += 1;
        }
        match found {
            Some(k) => {
                let n = if src[k..].starts_with(bytes) {
                    bytes.len()
                } else {
                    1
                };
                for b in 0..bytes.len() {
                    out.push(start + k + b.min(n - 1));
                }
                j = k + n;
            }
            None => {
                for _ in 0..bytes.len() {
                    out.push(start + j.min(src.len()));
                }
            }
        }
    }
    out
}
