//! Where the bytes of a rendered chart come from.
//!
//! [`super::render`] records, for every byte of the manifest it prints, whether it is template
//! text (byte-exact), a scalar of a values file (through `toYaml`, `default`, `include`, `tpl`…),
//! or something an action computed. [`RenderProvenance::trace`] turns a byte range of the
//! manifest (the span of a finding) into the place where the offending thing was written: the
//! values line when a value produced it, else the template text, else the action; the template
//! line and the rendered position come as related places.

use std::fmt;
use std::sync::Arc;

use crate::source::{ByteRange, Location, SourceFile};

/// The origin of a run of manifest bytes. `file` indexes [`ProvenanceMap::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteOrigin {
    /// Literal text of a template (or a `crds/` file), byte-exact: manifest byte `o` of a
    /// segment starting at `seg.start` is byte `start + (o - seg.start)` of the file.
    Text {
        /// The file.
        file: u32,
        /// The file byte of the segment's first byte.
        start: u32,
    },
    /// Bytes derived from a scalar of a values file (the scalar's whole span).
    Value {
        /// The values file (or the synthetic `--set` file).
        file: u32,
        /// The scalar's span.
        range: ByteRange,
    },
    /// Bytes computed by a template action (the span of its `{{ … }}`).
    Action {
        /// The template file.
        file: u32,
        /// The action's span.
        range: ByteRange,
    },
}

/// A run `[start, end)` of manifest bytes and its origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProvSegment {
    /// First manifest byte.
    pub start: u32,
    /// One past the last.
    pub end: u32,
    /// Where the bytes come from.
    pub origin: ByteOrigin,
}

/// The byte origins of one rendered manifest (independent of the name it is shown under).
#[derive(Debug, Default)]
pub struct ProvenanceMap {
    /// Templates, values files (`--set` as a synthetic file), `crds/` files.
    pub files: Vec<Arc<SourceFile>>,
    /// Sorted, non-overlapping segments in manifest coordinates (headers have none).
    pub segments: Vec<ProvSegment>,
    /// Manifest byte range of each printed document, with its `# Source:` template.
    pub documents: Vec<(ByteRange, String)>,
    /// The values every chart of the render shares (`global`), by JSON pointer into the
    /// values (`/global/…`), where the chart's values files or the user wrote them (a
    /// dependency's default aside): a setting that decides what subcharts print.
    pub globals: Vec<GlobalSetting>,
    /// The default values files of the chart's dependencies (subcharts): values the team does
    /// not edit, overridden from the chart's own values.
    pub dependency_values: Vec<Arc<SourceFile>>,
}

/// A shared (`global`) value of a render and where the chart's values set it.
#[derive(Debug, Clone)]
pub struct GlobalSetting {
    /// Its JSON pointer in the values (`/global/…`).
    pub pointer: String,
    /// The scalar as a string (empty for a table or a list).
    pub value: String,
    /// Where it was written.
    pub place: Place,
}

/// What a [`Place`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceRole {
    /// A scalar of a values file (or a `--set` argument).
    Value,
    /// Template text (or a `crds/` file).
    Template,
    /// A template action that computed the bytes.
    Action,
    /// The position in the rendered manifest.
    Rendered,
}

/// A place in a file, with the file for snippets.
#[derive(Clone)]
pub struct Place {
    /// What this place is.
    pub role: PlaceRole,
    /// The file.
    pub file: Arc<SourceFile>,
    /// The bytes.
    pub range: ByteRange,
}

impl fmt::Debug for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.location();
        write!(
            f,
            "{:?}@{}:{}:{}",
            self.role, l.path, l.start.line, l.start.column
        )
    }
}

impl Place {
    /// The resolved location.
    pub fn location(&self) -> Location {
        Location::of(&self.file, self.range)
    }
}

/// Where a range of the rendered manifest was written.
#[derive(Debug, Clone)]
pub struct Trace {
    /// Where to report: a values scalar when a value produced the bytes (the last one when
    /// several did, e.g. `repository:tag`), else the template text or the action, whichever
    /// wrote more of the bytes.
    pub primary: Place,
    /// The other places: the other values, the template line that printed the bytes (when
    /// the primary is a value), and always last the rendered position.
    pub related: Vec<Place>,
}

/// The provenance of a rendered chart's documents: the manifest as a file (named
/// `<chart> (rendered)`, or `<chart> (rendered, <env>)`), the environment, and the byte origins.
#[derive(Clone)]
pub struct RenderProvenance {
    /// The rendered manifest (document spans are in its coordinates).
    pub manifest: Arc<SourceFile>,
    /// The environment rendered (`values-<env>.yaml`), if any.
    pub environment: Option<String>,
    /// The byte origins.
    pub map: Arc<ProvenanceMap>,
}

impl fmt::Debug for RenderProvenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderProvenance")
            .field("manifest", &self.manifest.path())
            .field("environment", &self.environment)
            .field("segments", &self.map.segments.len())
            .finish()
    }
}

impl RenderProvenance {
    /// The shared value at `pointer` (`/global/…`) where the chart's values set it, if they do.
    pub fn global_setting(&self, pointer: &str) -> Option<&GlobalSetting> {
        self.map.globals.iter().find(|g| g.pointer == pointer)
    }

    /// Whether `file` is a dependency's default values file.
    pub fn is_dependency_default(&self, file: &SourceFile) -> bool {
        self.map
            .dependency_values
            .iter()
            .any(|f| std::ptr::eq(f.as_ref(), file) || f.path() == file.path())
    }

    /// The segments overlapping `[start, end)` (or containing `start` when empty).
    fn overlapping(&self, start: u32, end: u32) -> &[ProvSegment] {
        let segs = &self.map.segments;
        let from = segs.partition_point(|s| s.end <= start);
        let to = if end > start {
            segs.partition_point(|s| s.start < end)
        } else {
            segs.partition_point(|s| s.start <= start)
        };
        segs.get(from..to.max(from)).unwrap_or(&[])
    }

    fn file(&self, i: u32) -> Option<&Arc<SourceFile>> {
        self.map.files.get(i as usize)
    }

    /// The template name (`# Source:`) of the document holding a manifest byte.
    pub fn source_template(&self, offset: u32) -> Option<&str> {
        self.map
            .documents
            .iter()
            .find(|(r, _)| r.start <= offset && offset <= r.end)
            .map(|(_, n)| n.as_str())
    }

    /// Where the manifest bytes `range` were written. See [`Trace`].
    pub fn trace(&self, range: ByteRange) -> Trace {
        let text_len = self.manifest.text().len() as u32;
        let start = range.start.min(text_len);
        let end = range.end.clamp(start, text_len);
        let rendered = Place {
            role: PlaceRole::Rendered,
            file: Arc::clone(&self.manifest),
            range: ByteRange { start, end },
        };
        let segs = self.overlapping(start, end);
        let mut values: Vec<Place> = Vec::new();
        let mut text: Option<Place> = None;
        let mut action: Option<Place> = None;
        let (mut text_bytes, mut action_bytes) = (0u32, 0u32);
        for s in segs {
            let covered = end.min(s.end).saturating_sub(start.max(s.start)).max(1);
            match s.origin {
                ByteOrigin::Text { .. } => text_bytes += covered,
                ByteOrigin::Action { .. } => action_bytes += covered,
                ByteOrigin::Value { .. } => {}
            }
            match s.origin {
                ByteOrigin::Value { file, range } => {
                    if let Some(f) = self.file(file) {
                        let p = Place {
                            role: PlaceRole::Value,
                            file: Arc::clone(f),
                            range,
                        };
                        if !values
                            .iter()
                            .any(|v| Arc::ptr_eq(&v.file, &p.file) && v.range == p.range)
                        {
                            values.push(p);
                        }
                    }
                }
                ByteOrigin::Text { file, start: fs } => {
                    if text.is_none() {
                        if let Some(f) = self.file(file) {
                            let a = start.max(s.start);
                            let b = end.min(s.end).max(a);
                            let from = fs + (a - s.start);
                            text = Some(Place {
                                role: PlaceRole::Template,
                                file: Arc::clone(f),
                                range: ByteRange {
                                    start: from,
                                    end: from + (b - a),
                                },
                            });
                        }
                    }
                }
                ByteOrigin::Action { file, range } => {
                    if action.is_none() {
                        if let Some(f) = self.file(file) {
                            action = Some(Place {
                                role: PlaceRole::Action,
                                file: Arc::clone(f),
                                range,
                            });
                        }
                    }
                }
            }
        }
        let mut related = Vec::new();
        let primary = if let Some(primary) = values.pop() {
            related.extend(values);
            // The template line that printed the value: the nearest template text or action
            // before it in the same document.
            if let Some(t) = text.or(action).or_else(|| self.template_before(start)) {
                related.push(line_of(t));
            }
            primary
        } else if let (Some(t), Some(a)) = (&text, &action) {
            // Template text and computed bytes: the one that wrote more of the range.
            if text_bytes >= action_bytes {
                related.push(a.clone());
                t.clone()
            } else {
                related.push(t.clone());
                a.clone()
            }
        } else if let Some(t) = text {
            t
        } else if let Some(a) = action {
            a
        } else {
            return Trace {
                primary: rendered,
                related: Vec::new(),
            };
        };
        related.push(rendered);
        Trace { primary, related }
    }

    /// The nearest template text or action origin before a manifest byte, in its document.
    fn template_before(&self, offset: u32) -> Option<Place> {
        let doc_start = self
            .map
            .documents
            .iter()
            .find(|(r, _)| r.start <= offset && offset <= r.end)
            .map_or(0, |(r, _)| r.start);
        let segs = &self.map.segments;
        let upto = segs.partition_point(|s| s.start < offset);
        for s in segs.get(..upto).unwrap_or(&[]).iter().rev() {
            if s.end <= doc_start {
                break;
            }
            match s.origin {
                ByteOrigin::Text { file, start } => {
                    let f = self.file(file)?;
                    let last = start + (s.end - s.start).saturating_sub(1);
                    return Some(Place {
                        role: PlaceRole::Template,
                        file: Arc::clone(f),
                        range: ByteRange {
                            start: last,
                            end: last,
                        },
                    });
                }
                ByteOrigin::Action { file, range } => {
                    let f = self.file(file)?;
                    return Some(Place {
                        role: PlaceRole::Action,
                        file: Arc::clone(f),
                        range,
                    });
                }
                ByteOrigin::Value { .. } => {}
            }
        }
        None
    }
}

/// The line of a template place (indentation and line break left out), as a template place.
fn line_of(p: Place) -> Place {
    let lc = p.file.line_col(p.range.start);
    let start = p.file.line_start(lc.line);
    let text = p.file.line_text(lc.line);
    let indent = (text.len() - text.trim_start().len()) as u32;
    let body = text.trim().len() as u32;
    Place {
        role: PlaceRole::Template,
        range: ByteRange {
            start: start + indent,
            end: start + indent + body,
        },
        file: p.file,
    }
}
