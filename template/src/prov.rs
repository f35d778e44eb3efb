//! Provenance: where each output byte comes from.

use std::rc::Rc;

/// Identifies a template source file within a [`crate::TemplateSet`].
pub type FileId = u32;
/// Identifies a values source (chosen by the embedder, e.g. one id per values file).
pub type SourceId = u32;

/// The origin of a run of output bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Literal template text. The mapping is byte-exact: output byte `o` of a
    /// segment starting at `seg.start` comes from source byte `start + (o - seg.start)`.
    Template {
        /// Template file.
        file: FileId,
        /// First source byte.
        start: u32,
        /// One past the last source byte.
        end: u32,
    },
    /// Bytes derived from a value scalar that carries an origin. The span is the
    /// whole scalar's span in its source (not byte-exact).
    Value {
        /// Values source chosen by the embedder.
        source: SourceId,
        /// First source byte of the scalar.
        start: u32,
        /// One past the last source byte of the scalar.
        end: u32,
    },
    /// Bytes computed by a template action, with no single source value.
    Action {
        /// Template file.
        file: FileId,
        /// First byte of the action (`{{`) in the source.
        start: u32,
        /// One past its last byte.
        end: u32,
    },
}

impl Origin {
    /// Shifts a byte-exact template origin by `delta` bytes at its start (used when slicing).
    fn advance(self, delta: usize) -> Origin {
        match self {
            Origin::Template { file, start, end } => Origin::Template {
                file,
                start: (start as usize + delta).min(end as usize) as u32,
                end,
            },
            o => o,
        }
    }
    fn truncate(self, len: usize) -> Origin {
        match self {
            Origin::Template { file, start, end } => Origin::Template {
                file,
                start,
                end: (start as usize + len).min(end as usize) as u32,
            },
            o => o,
        }
    }
}

/// A run of bytes `[start, end)` of some text, with its origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Where these bytes come from.
    pub origin: Origin,
}

/// Provenance of a value.
#[derive(Clone, Debug, Default)]
pub enum Prov {
    /// Unknown / computed.
    #[default]
    None,
    /// The whole value (its printed form) comes from one origin.
    Whole(Origin),
    /// Runs of a string value's bytes; bytes not covered have no origin.
    Spans(Rc<[Segment]>),
}

impl Prov {
    /// Segments of this provenance for a printed form of `len` bytes.
    pub fn segments(&self, len: usize) -> Vec<Segment> {
        match self {
            Prov::None => Vec::new(),
            Prov::Whole(o) => {
                if len == 0 {
                    Vec::new()
                } else {
                    vec![Segment {
                        start: 0,
                        end: len,
                        origin: *o,
                    }]
                }
            }
            Prov::Spans(s) => s.to_vec(),
        }
    }

    /// Builds provenance from segments of a string of `len` bytes.
    pub fn from_segments(segs: Vec<Segment>, len: usize) -> Prov {
        if segs.is_empty() {
            return Prov::None;
        }
        if segs.len() == 1 && segs[0].start == 0 && segs[0].end == len {
            if let o @ (Origin::Value { .. } | Origin::Action { .. }) = segs[0].origin {
                return Prov::Whole(o);
            }
        }
        Prov::Spans(segs.into())
    }

    /// Provenance of the byte range `[from, to)` of a string with this provenance.
    pub fn slice(&self, from: usize, to: usize) -> Prov {
        match self {
            Prov::None => Prov::None,
            Prov::Whole(o) => {
                if from >= to {
                    Prov::None
                } else {
                    Prov::Whole(*o)
                }
            }
            Prov::Spans(s) => {
                let mut out = Vec::new();
                for seg in s.iter() {
                    let a = seg.start.max(from);
                    let b = seg.end.min(to);
                    if a < b {
                        let origin = seg.origin.advance(a - seg.start).truncate(b - a);
                        out.push(Segment {
                            start: a - from,
                            end: b - from,
                            origin,
                        });
                    }
                }
                Prov::from_segments(out, to.saturating_sub(from))
            }
        }
    }

    /// True when there is no provenance at all.
    pub fn is_none(&self) -> bool {
        matches!(self, Prov::None)
    }

    /// The first origin, if any.
    pub fn first_origin(&self) -> Option<Origin> {
        match self {
            Prov::None => None,
            Prov::Whole(o) => Some(*o),
            Prov::Spans(s) => s.first().map(|s| s.origin),
        }
    }
}

/// A string under construction together with the origins of its bytes.
/// Bytes pushed without an origin form gaps that a caller may fill later.
#[derive(Clone, Debug, Default)]
pub struct Out {
    /// The text.
    pub text: String,
    /// Origins of runs of `text`, sorted and non-overlapping.
    pub segs: Vec<Segment>,
}

impl Out {
    /// An empty buffer.
    pub fn new() -> Out {
        Out::default()
    }
    /// Current length in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
    /// Appends text with no origin.
    pub fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }
    /// Appends a char with no origin.
    pub fn push(&mut self, c: char) {
        self.text.push(c);
    }
    /// Appends text with one origin.
    pub fn push_origin(&mut self, s: &str, origin: Option<Origin>) {
        let start = self.text.len();
        self.text.push_str(s);
        if let Some(o) = origin {
            self.add_seg(start, self.text.len(), o);
        }
    }
    /// Appends `s`, whose bytes have provenance `prov`.
    pub fn push_prov(&mut self, s: &str, prov: &Prov) {
        let base = self.text.len();
        self.text.push_str(s);
        for seg in prov.segments(s.len()) {
            let end = seg.end.min(s.len());
            if seg.start < end {
                self.add_seg(base + seg.start, base + end, seg.origin);
            }
        }
    }
    /// Appends another buffer.
    pub fn push_out(&mut self, other: &Out) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        for seg in &other.segs {
            self.add_seg(base + seg.start, base + seg.end, seg.origin);
        }
    }
    /// Gives bytes `[start, end)` the origin `origin`; ranges must be marked in order,
    /// after every existing segment.
    pub fn mark(&mut self, start: usize, end: usize, origin: Origin) {
        let from = self.segs.last().map_or(0, |s| s.end);
        self.add_seg(start.max(from), end.min(self.text.len()), origin);
    }

    fn add_seg(&mut self, start: usize, end: usize, origin: Origin) {
        if start >= end {
            return;
        }
        if let Some(last) = self.segs.last_mut() {
            if last.end == start && mergeable(last, origin, end - start) {
                last.end = end;
                if let (Origin::Template { end: e, .. }, Origin::Template { end: ne, .. }) =
                    (&mut last.origin, origin)
                {
                    *e = ne;
                }
                return;
            }
        }
        self.segs.push(Segment { start, end, origin });
    }
    /// Gives every byte from `from` to the end that has no origin the origin `origin`.
    pub fn fill_gaps(&mut self, from: usize, origin: Origin) {
        let end = self.text.len();
        if from >= end {
            return;
        }
        // Segments before `from` are untouched.
        let idx = self.segs.partition_point(|s| s.end <= from);
        let tail: Vec<Segment> = self.segs.split_off(idx);
        let mut pos = from;
        for seg in tail {
            if seg.start > pos {
                self.add_seg(pos, seg.start, origin);
            }
            let s = seg.start.max(pos);
            if s < seg.end {
                let o = seg.origin.advance(s - seg.start);
                self.add_seg(s, seg.end, o);
            }
            pos = pos.max(seg.end);
        }
        if pos < end {
            self.add_seg(pos, end, origin);
        }
    }
    /// The bytes `[from, to)` with their segments.
    pub fn slice(&self, from: usize, to: usize) -> Out {
        let mut out = Out::new();
        let prov = Prov::Spans(self.segs.clone().into());
        out.push_prov(&self.text[from..to], &prov.slice(from, to));
        out
    }

    /// Removes every occurrence of `pat`, keeping the origins of the other bytes
    /// (Helm's `strings.ReplaceAll(out, "<no value>", "")`).
    pub fn remove_all(self, pat: &str) -> Out {
        if pat.is_empty() || !self.text.contains(pat) {
            return self;
        }
        let mut out = Out::new();
        let mut last = 0;
        let hits: Vec<usize> = self.text.match_indices(pat).map(|(i, _)| i).collect();
        for i in hits {
            if i > last {
                out.push_out(&self.slice(last, i));
            }
            last = i + pat.len();
        }
        if last < self.text.len() {
            out.push_out(&self.slice(last, self.text.len()));
        }
        out
    }

    /// Converts the buffer into provenance for a string value.
    pub fn into_parts(self) -> (String, Prov) {
        let len = self.text.len();
        let prov = Prov::from_segments(self.segs, len);
        (self.text, prov)
    }
}

fn mergeable(last: &Segment, origin: Origin, _len: usize) -> bool {
    match (last.origin, origin) {
        (
            Origin::Template {
                file: f1, end: e1, ..
            },
            Origin::Template {
                file: f2,
                start: s2,
                ..
            },
        ) => f1 == f2 && e1 == s2,
        (a, b) => a == b,
    }
}

/// The result of executing a template: the output text and the origin of every byte.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// The output text.
    pub text: String,
    /// Segments covering the whole output in order, without gaps or overlaps.
    pub segments: Vec<Segment>,
}

impl Rendered {
    /// The segment containing output byte `offset`, found in O(log n).
    pub fn origin_at(&self, offset: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.end <= offset);
        self.segments.get(i).filter(|s| s.start <= offset)
    }
    /// For a byte-exact template origin, the source byte that produced output byte `offset`.
    pub fn source_offset(&self, offset: usize) -> Option<(Origin, usize)> {
        let seg = self.origin_at(offset)?;
        let exact = match seg.origin {
            Origin::Template { start, .. } => start as usize + (offset - seg.start),
            Origin::Value { start, .. } | Origin::Action { start, .. } => start as usize,
        };
        Some((seg.origin, exact))
    }
}
