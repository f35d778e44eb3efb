//! Source files and locations.
//!
//! Input: a file's path and text. Output: a [`SourceFile`] with a line index, able to turn any
//! byte range into 1-based line and column (columns counted in Unicode code points, as SARIF's
//! `unicodeCodePoints` column kind), and the [`Document`] type every loader produces: a JSON value
//! plus a [`SpanTable`] mapping each JSON pointer to where its key and value were written.

mod document;
mod pointer;
mod provenance;

pub use document::{DocFacts, DocFormat, Document, LocateMode, NodeSpans, SpanTable};
pub use pointer::{escape_token, parent_pointer, pointer_tokens};
pub use provenance::{
    ByteOrigin, GlobalSetting, Place, PlaceRole, ProvSegment, ProvenanceMap, RenderProvenance,
    Trace,
};

use std::sync::{Arc, OnceLock};

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
pub struct ByteRange {
    /// Start offset (inclusive).
    pub start: u32,
    /// End offset (exclusive).
    pub end: u32,
}

impl ByteRange {
    /// A range from `start` to `end` (clamped so that `end >= start`).
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        ByteRange { start, end }
    }
}

/// A 1-based line and column (column in Unicode code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in Unicode code points.
    pub column: u32,
}

/// A file read for the scan: its display path (relative to the scan root, `/` separators) and
/// text, with a line index built on first use (most files of the embedded catalogue and many
/// of a scan's are never asked for a line).
#[derive(Debug)]
pub struct SourceFile {
    path: String,
    text: String,
    line_starts: OnceLock<Vec<u32>>,
}

impl SourceFile {
    /// A source file from its display path and text.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(SourceFile {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        })
    }

    /// The byte offset of each line's start.
    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0u32];
            starts.extend(
                self.text
                    .bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
            );
            starts
        })
    }

    /// The display path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = (offset as usize).min(self.text.len());
        let line_starts = self.line_starts();
        let line_idx = match line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = line_starts.get(line_idx).copied().unwrap_or(0) as usize;
        let mut start = offset;
        while start > line_start && !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let column = self.text[line_start..start].chars().count() + 1;
        LineCol {
            line: line_idx as u32 + 1,
            column: column as u32,
        }
    }

    /// The byte offset of a 1-based line's start (the end of the text past the last line).
    pub fn line_start(&self, line: u32) -> u32 {
        let idx = line.saturating_sub(1) as usize;
        self.line_starts()
            .get(idx)
            .copied()
            .unwrap_or(self.text.len() as u32)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let start = self.line_start(line) as usize;
        let end = self.line_start(line + 1) as usize;
        self.text
            .get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }
}

/// A place in a source file: the file and a byte range, with line and column resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    /// Display path of the file.
    pub path: String,
    /// Start line and column.
    pub start: LineCol,
    /// End line and column (exclusive end).
    pub end: LineCol,
    /// Byte range in the file.
    pub bytes: ByteRange,
}

impl Location {
    /// Resolve a byte range of `file` into a location.
    pub fn of(file: &SourceFile, range: ByteRange) -> Self {
        Location {
            path: file.path().to_string(),
            start: file.line_col(range.start),
            end: file.line_col(range.end),
            bytes: range,
        }
    }

    /// A location at the start of a file (for problems about a whole file).
    pub fn file_start(file: &SourceFile) -> Self {
        Location::of(file, ByteRange::new(0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_code_points() {
        let f = SourceFile::new("a.yaml", "ab\nçé: x\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // "çé" is 4 bytes; ':' is at byte 7, the 3rd code point of line 2.
        assert_eq!(f.line_col(7), LineCol { line: 2, column: 3 });
        assert_eq!(f.line_text(2), "çé: x");
        assert_eq!(f.line_count(), 3);
    }
}
