//! Derogations written in the files themselves: a `# cct-ignore: <rules> -- <reason>` comment on
//! the offending line or alone on the line above it, and the annotation
//! `cct.cloud-pi-native.fr/ignore: "<rules>: <reason>"` on a Kubernetes resource.

use crate::source::{ByteRange, SourceFile};

/// The annotation that carries derogations on a Kubernetes resource.
pub const IGNORE_ANNOTATION: &str = "cct.cloud-pi-native.fr/ignore";

/// The marker of an inline derogation.
const MARKER: &str = "cct-ignore:";

/// One `# cct-ignore:` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Comment {
    /// Its 1-based line.
    pub(super) line: u32,
    /// Whether it is alone on its line (it then covers the next line; else its own).
    pub(super) alone: bool,
    /// The comment's bytes.
    pub(super) range: ByteRange,
    /// The rules or requirements it names.
    pub(super) targets: Vec<String>,
    /// The reason after `--`, when given.
    pub(super) reason: Option<String>,
}

/// Every `# cct-ignore:` comment of a file.
pub(super) fn comments(file: &SourceFile) -> Vec<Comment> {
    let text = file.text();
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offset = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(hash) = comment_start(body) {
            let comment = &body[hash..];
            let after_hash = comment.trim_start_matches('#').trim_start();
            if let Some(rest) = after_hash.strip_prefix(MARKER) {
                // Another comment may follow (` # …`): it is not part of the derogation.
                let rest = rest.split(" #").next().unwrap_or(rest);
                let (targets, reason) = match rest.split_once("--") {
                    Some((t, r)) => (t, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
                    None => (rest, None),
                };
                out.push(Comment {
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    alone: body[..hash].trim().is_empty(),
                    range: ByteRange::new(offset + hash, offset + body.len()),
                    targets: split_targets(targets),
                    reason,
                });
            }
        }
        offset += line.len();
    }
    out
}

/// Where a comment starts in a line: a `#` at the start or after a blank (YAML, Dockerfiles,
/// shell), outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return Some(i),
            None => {}
        }
        previous = c;
    }
    None
}

/// Rules or requirements separated by commas or blanks.
pub(super) fn split_targets(text: &str) -> Vec<String> {
    text.split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The entries of an ignore annotation: one per line (or `;`), each `<rules>: <reason>`.
pub(super) fn annotation_entries(value: &str) -> Vec<(Vec<String>, Option<String>)> {
    value
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| match e.split_once(':') {
            Some((t, r)) => (
                split_targets(t),
                Some(r.trim().to_string()).filter(|r| !r.is_empty()),
            ),
            None => (split_targets(e), None),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_on_the_line_and_above() {
        let f = SourceFile::new(
            "a.yaml",
            "a: 1\n# cct-ignore: CCT-K8S-008 -- mirror pending\nimage: x:latest  # cct-ignore: EXI-ARCH-27, k8s-image-pull-policy-ifnotpresent -- ok\nb: \"# cct-ignore: not-a-comment\"\n# cct-ignore: CCT-K8S-001\n",
        );
        let c = comments(&f);
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].line, c[0].alone), (2, true));
        assert_eq!(c[0].targets, vec!["CCT-K8S-008"]);
        assert_eq!(c[0].reason.as_deref(), Some("mirror pending"));
        assert_eq!((c[1].line, c[1].alone), (3, false));
        assert_eq!(
            c[1].targets,
            vec!["EXI-ARCH-27", "k8s-image-pull-policy-ifnotpresent"]
        );
        assert_eq!(c[2].reason, None);
        assert_eq!(
            &f.text()[c[1].range.start as usize..c[1].range.start as usize + 1],
            "#"
        );
    }

    #[test]
    fn annotation_values() {
        assert_eq!(
            annotation_entries("CCT-K8S-008: mirror pending\nCCT-HA-001 CCT-HA-002:"),
            vec![
                (
                    vec!["CCT-K8S-008".to_string()],
                    Some("mirror pending".to_string())
                ),
                (
                    vec!["CCT-HA-001".to_string(), "CCT-HA-002".to_string()],
                    None
                ),
            ]
        );
    }
}
