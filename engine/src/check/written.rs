//! The `x-cct-written` schema keyword: a violation counts only when the offending value was
//! written where the rule says.
//!
//! A value of a manifest file is written in a committed file. In a rendered chart, a value is
//! template text (committed in the chart), a scalar of a values file, or computed by a template
//! action at install time (`randAlphaNum`, `genCA`, `lookup`): CCT-SEC-001 judges the first only,
//! since a generated password was never committed.

use serde_json::Value;

use crate::source::{Document, PlaceRole};

/// Where a value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// A manifest file, as committed.
    Manifest,
    /// Template text of a chart.
    Template,
    /// A scalar of a values file (or a `--set` argument).
    Values,
    /// Computed by a template action when the chart is rendered.
    Computed,
}

impl Written {
    /// The keyword's words: `manifest`, `template`, `values`, `computed`.
    pub(crate) fn parse(word: &str) -> Option<Written> {
        Some(match word {
            "manifest" => Written::Manifest,
            "template" => Written::Template,
            "values" => Written::Values,
            "computed" => Written::Computed,
            _ => return None,
        })
    }

    /// The list an `x-cct-written` annotation holds (unknown words left out).
    pub(crate) fn list(annotation: &Value) -> Vec<Written> {
        annotation
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .filter_map(Written::parse)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Where the value at `pointer` of a document was written. A node that is not recorded (or
    /// a document without provenance) counts as written in the document itself.
    pub(crate) fn of(doc: &Document, pointer: &str) -> Written {
        let Some(prov) = doc.provenance.as_ref() else {
            return Written::Manifest;
        };
        let Some(spans) = doc.spans.get(pointer) else {
            return Written::Template;
        };
        let trace = prov.trace(spans.value);
        match trace.primary.role {
            PlaceRole::Value => Written::Values,
            PlaceRole::Action => Written::Computed,
            // Template text around computed bytes (`postgres://user:{{ $password }}@host`):
            // the part that matters was computed at install time, not committed.
            PlaceRole::Template | PlaceRole::Rendered
                if trace.related.iter().any(|p| p.role == PlaceRole::Action) =>
            {
                Written::Computed
            }
            PlaceRole::Template | PlaceRole::Rendered => Written::Template,
        }
    }
}
