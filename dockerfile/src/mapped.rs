//! Text assembled from pieces of the original file, with a byte-accurate
//! mapping from every byte of the assembled text back to the original.

use std::ops::Range;

/// A byte range in the original Dockerfile text.
pub type Span = Range<usize>;

/// Assembled text (for example a logical line joined from continuation
/// lines, or a decoded JSON string) with, for each byte, the original range
/// it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Mapped {
    pub(crate) text: String,
    starts: Vec<usize>,
    ends: Vec<usize>,
    /// Original offset used for empty spans at the end of the text.
    end: usize,
}

impl Mapped {
    pub(crate) fn new(at: usize) -> Self {
        Mapped {
            end: at,
            ..Mapped::default()
        }
    }

    /// Appends `s`, which is found verbatim at `orig_start` in the original.
    pub(crate) fn push_str(&mut self, s: &str, orig_start: usize) {
        for i in 0..s.len() {
            self.starts.push(orig_start + i);
            self.ends.push(orig_start + i + 1);
        }
        self.text.push_str(s);
        self.end = orig_start + s.len();
    }

    /// Appends a decoded character that stands for `orig` in the original.
    pub(crate) fn push_char(&mut self, c: char, orig: Span) {
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        for _ in 0..s.len() {
            self.starts.push(orig.start);
            self.ends.push(orig.end);
        }
        self.text.push(c);
        self.end = orig.end;
    }

    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// Maps a range of the assembled text to the original text.
    pub(crate) fn span(&self, r: Range<usize>) -> Span {
        let start = r.start.min(self.len());
        let end = r.end.min(self.len()).max(start);
        if start == self.len() {
            return self.end..self.end;
        }
        if start == end {
            return self.starts[start]..self.starts[start];
        }
        self.starts[start]..self.ends[end - 1]
    }

    /// A sub-range of this text, keeping the mapping.
    pub(crate) fn slice(&self, r: Range<usize>) -> Mapped {
        let start = r.start.min(self.len());
        let end = r.end.min(self.len()).max(start);
        let end_at = if end == 0 {
            self.span(0..0).start
        } else {
            self.span(end - 1..end).end
        };
        Mapped {
            text: self.text.get(start..end).unwrap_or_default().to_string(),
            starts: self.starts[start..end].to_vec(),
            ends: self.ends[start..end].to_vec(),
            end: end_at,
        }
    }

    /// Builds a text whose bytes come from the given byte indexes of `self`
    /// (`indexes[i]` is the index in `self` of byte `i` of `text`).
    pub(crate) fn compose(&self, text: &str, indexes: &[usize]) -> Mapped {
        let mut m = Mapped::new(self.end);
        m.text = text.to_string();
        for &i in indexes.iter().take(text.len()) {
            let s = self.span(i..i + 1);
            m.starts.push(s.start);
            m.ends.push(s.end);
        }
        while m.starts.len() < text.len() {
            m.starts.push(self.end);
            m.ends.push(self.end);
        }
        if let Some(&e) = m.ends.last() {
            m.end = e;
        }
        m
    }
}

/// Converts byte offsets to 1-based line and column numbers (columns counted
/// in Unicode scalar values).
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// 1-based line and column of `offset` in `text` (the text given to
    /// [`LineIndex::new`]).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = text.get(start..end).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }
}
