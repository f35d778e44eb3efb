//! Tool problems: files that could not be read or parsed, bad rules or configuration.
//!
//! A [`Diagnostic`] is not a finding: it says the tool could not judge something. Every one
//! carries a kebab-case code, a message in English and French and, when known, a location.

use serde::Serialize;

use super::{DiagnosticCode, Text};
use crate::source::{ByteRange, LineCol, Location, SourceFile};

/// How serious a tool problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticLevel {
    /// The input (or part of it) was not checked.
    Error,
    /// The input was checked, but something in it is suspicious.
    Warning,
    /// Information (a skipped file, a file kind cct does not judge yet).
    Note,
}

/// A tool problem, with a location when one is known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Where (file, line, column), when known.
    pub location: Option<Location>,
    /// Kebab-case code, e.g. `yaml-syntax`.
    pub code: DiagnosticCode,
    /// Level.
    pub level: DiagnosticLevel,
    /// Message in English and French.
    pub message: Text,
}

impl Diagnostic {
    /// A diagnostic at a byte range of a file.
    pub fn at(
        file: &SourceFile,
        range: ByteRange,
        code: DiagnosticCode,
        level: DiagnosticLevel,
        message: Text,
    ) -> Self {
        Diagnostic {
            location: Some(Location::of(file, range)),
            code,
            level,
            message,
        }
    }

    /// A diagnostic about a path without a position (e.g. an unreadable file).
    pub fn for_path(
        path: &str,
        code: DiagnosticCode,
        level: DiagnosticLevel,
        message: Text,
    ) -> Self {
        Diagnostic {
            location: Some(Location {
                path: path.to_string(),
                start: LineCol { line: 1, column: 1 },
                end: LineCol { line: 1, column: 1 },
                bytes: ByteRange::new(0, 0),
            }),
            code,
            level,
            message,
        }
    }

    /// A defect of cct met while reading or judging one input (a panic, caught): where (a
    /// document's place, else the input's path), what it said, and how to report it.
    pub fn internal_error(location: Option<Location>, path: &str, message: &str) -> Self {
        let en = format!(
            "internal error while reading or judging this input, which is not judged (the rest \
             of the scan is): {message}. This is a defect of cct: please report it on cct's \
             issue tracker with this message, the output of `cct --version` and, if you can \
             share it, the input"
        );
        let fr = format!(
            "erreur interne en lisant ou en jugeant cette entrée, qui n'est pas jugée (le reste \
             de l'analyse l'est) : {message}. C'est un défaut de cct : merci de le signaler sur \
             le gestionnaire de tickets de cct avec ce message, la sortie de `cct --version` \
             et, si vous pouvez la partager, l'entrée"
        );
        let mut d = Diagnostic::for_path(
            path,
            DiagnosticCode::InternalError,
            DiagnosticLevel::Error,
            Text::new(en, fr),
        );
        if location.is_some() {
            d.location = location;
        }
        d
    }

    /// A diagnostic with no location (configuration given on the command line).
    pub fn general(code: DiagnosticCode, level: DiagnosticLevel, message: Text) -> Self {
        Diagnostic {
            location: None,
            code,
            level,
            message,
        }
    }
}

/// Runs `work`, catching a panic: its message (a defect of cct, reported as an
/// [`DiagnosticCode::InternalError`] for the one input it was handling, so the scan goes on).
pub(crate) fn catch_panic<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string())
    })
}
