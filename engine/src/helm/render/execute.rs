//! Executing a render plan: every template parsed into one set (Helm's order), the
//! non-partial ones executed with their scope's objects, each output kept with the origin of
//! its bytes.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use cct_template as tpl;

use super::error::{helm_exec_message, RenderError, RenderErrorKind, ERR_END, ERR_START};
use super::objects::{capabilities_value, FilesObj};
use super::RenderLimits;
use crate::helm::{RenderPlan, Value, ValueKind};
use crate::source::ByteOrigin;
use crate::source::{ByteRange, SourceFile};

/// A segment origin while rendering (file ids already mapped to provenance file indexes).
#[derive(Debug, Clone, Copy)]
pub(super) enum SegOrigin {
    Text { file: u32, start: u32 },
    Value { file: u32, range: ByteRange },
    Action { file: u32, range: ByteRange },
    None,
}

impl SegOrigin {
    pub(super) fn into_byte_origin(self) -> ByteOrigin {
        match self {
            SegOrigin::Text { file, start } => ByteOrigin::Text { file, start },
            SegOrigin::Value { file, range } => ByteOrigin::Value { file, range },
            SegOrigin::Action { file, range } => ByteOrigin::Action { file, range },
            SegOrigin::None => ByteOrigin::Action {
                file: u32::MAX,
                range: ByteRange::default(),
            },
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Seg {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) origin: SegOrigin,
}

/// The outputs of a plan's templates.
pub(super) struct Executed {
    /// (template name, output) of every executed template, in plan order.
    pub(super) outputs: Vec<(String, String)>,
    /// Their segments (same order).
    pub(super) segments: Vec<Vec<Seg>>,
    /// Provenance files: templates first (index = template-set file id), then values files.
    pub(super) files: Vec<Arc<SourceFile>>,
}

/// Parse every template of `plan` into one set, then execute the non-partial ones.
pub(super) fn execute_plan(
    plan: &RenderPlan,
    limits: &RenderLimits,
    cheap_keys: bool,
) -> Result<Executed, RenderError> {
    let set = parse_templates(plan)?;
    // Provenance files: the templates (index = template-set file id), then the values files.
    let mut files: Vec<Arc<SourceFile>> = plan
        .templates
        .iter()
        .map(|job| Arc::clone(&job.file))
        .collect();
    let mut sources = Sources {
        base: files.len() as u32,
        files: Vec::new(),
        ids: HashMap::new(),
    };
    let tops = top_objects(plan, &mut sources);
    let (outputs, mut segments) = execute_templates(plan, &set, &tops, limits, cheap_keys)?;
    files.extend(sources.files);
    drop_unknown_origins(&mut segments, files.len() as u32);
    Ok(Executed {
        outputs,
        segments,
        files,
    })
}

/// All the plan's templates in one set, in Helm's order; a parse error as Helm words it.
fn parse_templates(plan: &RenderPlan) -> Result<tpl::TemplateSet, RenderError> {
    let mut set = tpl::TemplateSet::with_funcs(helm_funcs());
    for (index, job) in plan.templates.iter().enumerate() {
        match set.add(&job.name, job.file.text()) {
            // File ids are assigned in order, one per added template.
            Ok(id) => debug_assert_eq!(id as usize, index),
            Err(e) => {
                // Helm's `cleanupParseError`: the location, then the last `: ` token.
                let text = e.to_string();
                let tokens: Vec<&str> = text.split(": ").collect();
                let message = match tokens.as_slice() {
                    [_, location, .., last] => format!("parse error at ({location}): {last}"),
                    _ => format!("parse error in ({}): {text}", job.name),
                };
                let off = job.file.line_start(e.line as u32) as usize + e.col;
                return Err(RenderError::new(RenderErrorKind::Parse, message)
                    .at(&job.file, ByteRange::new(off, off)));
            }
        }
    }
    Ok(set)
}

/// The top-level object of each scope (`.Values`, `.Chart`, `.Files`, `.Release`,
/// `.Capabilities`, `.Subcharts`), values keeping their origins.
fn top_objects(plan: &RenderPlan, sources: &mut Sources) -> Vec<Option<tpl::Value>> {
    // `.Values` of each scope: a subchart's is its parent's map entry (Go maps are shared).
    let mut vals: Vec<Option<tpl::Value>> = vec![None; plan.scopes.len()];
    for i in 0..plan.scopes.len() {
        if vals[i].is_none() {
            vals[i] = Some(to_template(&plan.scopes[i].values, sources));
        }
        for (name, &ci) in &plan.scopes[i].subcharts {
            let shared = vals[i]
                .as_ref()
                .and_then(|v| v.get(name))
                .filter(|v| matches!(v.kind(), tpl::Kind::Map(_)));
            if let (Some(v), Some(slot)) = (shared, vals.get_mut(ci)) {
                *slot = Some(v);
            }
        }
    }
    let release = plain(&plan.release);
    let caps = capabilities_value(&plan.capabilities);
    // Children first (`.Subcharts` refers to them).
    let mut tops: Vec<Option<tpl::Value>> = vec![None; plan.scopes.len()];
    for i in (0..plan.scopes.len()).rev() {
        let sc = &plan.scopes[i];
        let mut m = BTreeMap::new();
        m.insert(
            "Values".to_string(),
            vals[i]
                .clone()
                .unwrap_or_else(|| tpl::Value::map(BTreeMap::new())),
        );
        m.insert("Chart".to_string(), plain(&sc.chart));
        let origins = file_origins(plan, i, sources);
        m.insert(
            "Files".to_string(),
            tpl::Value::object(Rc::new(
                FilesObj::new(sc.files.clone()).with_origins(origins),
            )),
        );
        m.insert("Release".to_string(), release.clone());
        m.insert("Capabilities".to_string(), caps.clone());
        let subs: BTreeMap<String, tpl::Value> = sc
            .subcharts
            .iter()
            .filter_map(|(n, &ci)| tops.get(ci).cloned().flatten().map(|t| (n.clone(), t)))
            .collect();
        m.insert("Subcharts".to_string(), tpl::Value::map(subs));
        tops[i] = Some(tpl::Value::map(m));
    }
    tops
}

/// The provenance source of each text file of a scope's `.Files`, so that what `.Files.Get`
/// reads points into its file: the file's path is the chart folder (where its templates
/// are) joined with its name; a scope with no template has none.
fn file_origins(
    plan: &RenderPlan,
    scope: usize,
    sources: &mut Sources,
) -> Rc<BTreeMap<String, u32>> {
    let sc = &plan.scopes[scope];
    let folder = plan.templates.iter().find_map(|job| {
        if job.scope != scope {
            return None;
        }
        let rel = job.name.strip_prefix(&sc.chart_path)?.strip_prefix('/')?;
        job.file.path().strip_suffix(rel).map(str::to_string)
    });
    let mut out = BTreeMap::new();
    let Some(folder) = folder else {
        return Rc::new(out);
    };
    for (name, data) in &sc.files.map {
        if let Ok(text) = std::str::from_utf8(data) {
            let file = SourceFile::new(format!("{folder}{name}"), text);
            out.insert(name.clone(), sources.id(&file));
        }
    }
    Rc::new(out)
}

/// (template name, output) and segments of every non-partial template, in plan order.
type Outputs = (Vec<(String, String)>, Vec<Vec<Seg>>);

/// Execute the non-partial templates with their scope's object (and `.Template`).
fn execute_templates(
    plan: &RenderPlan,
    set: &tpl::TemplateSet,
    tops: &[Option<tpl::Value>],
    limits: &RenderLimits,
    cheap_keys: bool,
) -> Result<Outputs, RenderError> {
    let by_name: HashMap<&str, &Arc<SourceFile>> = plan
        .templates
        .iter()
        .map(|job| (job.name.as_str(), &job.file))
        .collect();
    let mut exec_opts = tpl::ExecOptions::helm();
    exec_opts.limits = limits.exec;
    exec_opts.cheap_keys = cheap_keys;
    let mut outputs = Vec::new();
    let mut segments = Vec::new();
    let mut total = 0usize;
    for job in &plan.templates {
        if job.partial {
            continue;
        }
        let Some(top) = tops.get(job.scope).cloned().flatten() else {
            continue;
        };
        let t: BTreeMap<String, tpl::Value> = [
            ("Name".to_string(), tpl::Value::str(job.name.as_str())),
            (
                "BasePath".to_string(),
                tpl::Value::str(job.base_path.as_str()),
            ),
        ]
        .into_iter()
        .collect();
        top.set("Template", tpl::Value::map(t));
        let r = set.execute(&job.name, &top, &exec_opts).map_err(|e| {
            let kind = if e.limit {
                RenderErrorKind::Limit
            } else {
                RenderErrorKind::Exec
            };
            let message = helm_exec_message(&e, &job.name);
            let file = e
                .file
                .as_deref()
                .and_then(|f| by_name.get(f).copied())
                .unwrap_or(&job.file);
            let line = if e.line == 0 { 1 } else { e.line as u32 };
            let off = file.line_start(line) as usize + e.col;
            RenderError::new(kind, message).at(file, ByteRange::new(off, off))
        })?;
        total += r.text.len();
        if total > limits.max_manifest_bytes {
            return Err(RenderError::new(
                RenderErrorKind::Limit,
                format!(
                    "rendered templates exceed {} bytes",
                    limits.max_manifest_bytes
                ),
            )
            .at(&job.file, ByteRange::new(0, 0)));
        }
        segments.push(r.segments.iter().map(Seg::of).collect());
        outputs.push((job.name.clone(), r.text));
    }
    Ok((outputs, segments))
}

impl Seg {
    /// A segment of the template engine's output, its file ids already provenance indexes.
    fn of(s: &tpl::Segment) -> Seg {
        Seg {
            start: s.start,
            end: s.end,
            origin: match s.origin {
                tpl::Origin::Template { file, start, .. } => SegOrigin::Text { file, start },
                tpl::Origin::Value { source, start, end } => SegOrigin::Value {
                    file: source,
                    range: ByteRange { start, end },
                },
                tpl::Origin::Action { file, start, end } => SegOrigin::Action {
                    file,
                    range: ByteRange { start, end },
                },
            },
        }
    }
}

/// Drop the segments whose origin points to no provenance file (`files` of them).
fn drop_unknown_origins(segments: &mut [Vec<Seg>], files: u32) {
    for segs in segments {
        for s in segs.iter_mut() {
            let f = match s.origin {
                SegOrigin::Text { file, .. }
                | SegOrigin::Value { file, .. }
                | SegOrigin::Action { file, .. } => file,
                SegOrigin::None => continue,
            };
            if f >= files {
                s.origin = SegOrigin::None;
            }
        }
        segs.retain(|s| !matches!(s.origin, SegOrigin::None));
    }
}

fn helm_funcs() -> tpl::FuncMap {
    let mut f = tpl::FuncMap::standard();
    f.insert(
        "required",
        &[tpl::Param::Str, tpl::Param::Any],
        None,
        |_, a| {
            let missing = match a[1].kind() {
                tpl::Kind::Nil => true,
                tpl::Kind::Str(t) => t.is_empty(),
                _ => false,
            };
            if missing {
                let msg = a[0].as_str().unwrap_or_default();
                return Err(format!("{ERR_START}{msg}{ERR_END}").into());
            }
            Ok(a[1].clone())
        },
    );
    f.insert("fail", &[tpl::Param::Str], None, |_, a| {
        let msg = a[0].as_str().unwrap_or_default();
        Err(format!("{ERR_START}{msg}{ERR_END}").into())
    });
    f
}

/// Values files → provenance file indexes.
struct Sources {
    base: u32,
    files: Vec<Arc<SourceFile>>,
    ids: HashMap<*const SourceFile, u32>,
}

impl Sources {
    fn id(&mut self, f: &Arc<SourceFile>) -> u32 {
        let key = Arc::as_ptr(f);
        if let Some(&i) = self.ids.get(&key) {
            return i;
        }
        let i = self.base + self.files.len() as u32;
        self.files.push(Arc::clone(f));
        self.ids.insert(key, i);
        i
    }
}

/// A helm value as a template value; scalars keep their origin.
fn to_template(v: &Value, src: &mut Sources) -> tpl::Value {
    let out = match &v.kind {
        ValueKind::Null => return tpl::Value::nil(),
        ValueKind::Bool(b) => tpl::Value::bool(*b),
        ValueKind::Int(i) => tpl::Value::int64(*i),
        ValueKind::Float(f) => tpl::Value::float(*f),
        ValueKind::String(s) => tpl::Value::str(s.as_str()),
        ValueKind::List(l) => {
            return tpl::Value::list(l.iter().map(|x| to_template(x, src)).collect())
        }
        ValueKind::Map(t) => {
            return tpl::Value::map(
                t.iter()
                    .map(|(k, x)| (k.clone(), to_template(x, src)))
                    .collect(),
            )
        }
    };
    match &v.origin {
        Some(o) => {
            let source = src.id(&o.file);
            out.with_origin(tpl::Origin::Value {
                source,
                start: o.range.start,
                end: o.range.end,
            })
        }
        None => out,
    }
}

fn plain(v: &Value) -> tpl::Value {
    let mut s = Sources {
        base: 0,
        files: Vec::new(),
        ids: HashMap::new(),
    };
    strip(&to_template(v, &mut s))
}

fn strip(v: &tpl::Value) -> tpl::Value {
    v.without_prov()
}
