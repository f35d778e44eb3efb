//! Why a chart does not render: the kind of failure, Helm's message, and the place in the
//! chart's files; and Helm's rewording of the template engine's execution errors.

use std::sync::Arc;

use cct_template as tpl;

use crate::helm::HelmError;
use crate::source::{ByteRange, LineCol, Location, SourceFile};
use crate::vocab::Text;
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel};

/// What kind of failure a [`RenderError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderErrorKind {
    /// The chart could not be loaded.
    Load,
    /// A declared dependency is missing.
    MissingDependency,
    /// Values could not be read or merged (`-f`, `--set`).
    Values,
    /// Values do not meet `values.schema.json`.
    Schema,
    /// The chart's `kubeVersion` excludes the cluster version.
    KubeVersion,
    /// A template does not parse.
    Parse,
    /// A template failed (`required`, `fail`, nil pointer, bad function argument…).
    Exec,
    /// A bound was exceeded (steps, depth, output size).
    Limit,
    /// The output is not valid YAML (Helm's `YAML parse error on …`).
    Output,
}

/// Why a chart did not render: Helm's message and, when known, the place in the chart's files.
#[derive(Debug, Clone)]
pub struct RenderError {
    /// The kind of failure.
    pub kind: RenderErrorKind,
    /// Helm's message (what `helm template` prints after `Error: `).
    pub message: String,
    /// The file the location is in, for snippets.
    pub file: Option<Arc<SourceFile>>,
    /// The template (or values file, or `Chart.yaml`) line and column.
    pub location: Option<Location>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

impl RenderError {
    pub(super) fn new(kind: RenderErrorKind, message: impl Into<String>) -> RenderError {
        RenderError {
            kind,
            message: message.into(),
            file: None,
            location: None,
        }
    }

    pub(super) fn at(mut self, file: &Arc<SourceFile>, range: ByteRange) -> RenderError {
        self.location = Some(Location::of(file, range));
        self.file = Some(Arc::clone(file));
        self
    }

    pub(super) fn at_path(mut self, path: &str) -> RenderError {
        self.location = Some(Location {
            path: path.to_string(),
            start: LineCol { line: 1, column: 1 },
            end: LineCol { line: 1, column: 1 },
            bytes: ByteRange::new(0, 0),
        });
        self
    }

    /// The error as a diagnostic (code `helm-render`) at its location.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            location: self.location.clone(),
            code: DiagnosticCode::HelmRender,
            level: DiagnosticLevel::Error,
            message: Text::new(
                format!("the chart does not render: {}", self.message),
                format!("le chart ne se rend pas : {}", self.message),
            ),
        }
    }

    pub(super) fn from_helm(e: HelmError, chart: &str) -> RenderError {
        let kind = match &e {
            HelmError::Load(_) => RenderErrorKind::Load,
            HelmError::MissingDependencies(_) => RenderErrorKind::MissingDependency,
            HelmError::Values(_) => RenderErrorKind::Values,
            HelmError::Schema(_) => RenderErrorKind::Schema,
            _ => RenderErrorKind::Output,
        };
        RenderError::new(kind, e.message()).at_path(&format!("{chart}/Chart.yaml"))
    }
}

/// Helm's `HELM_ERR_START`/`HELM_ERR_END` markers around `required`/`fail` messages.
pub(super) const ERR_START: &str = "HELM_ERR_START";
pub(super) const ERR_END: &str = "HELM_ERR_END";

/// Helm's reformatting of an execution error (`execution error at (…)` for `required` and
/// `fail`, the indented trace for nil pointers and `include` chains, Go's text otherwise).
pub(super) fn helm_exec_message(e: &tpl::ExecError, template: &str) -> String {
    let s = e.to_string();
    let tokens: Vec<&str> = s.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({template}): {s}");
    }
    if let Some(a) = tokens[2].find(ERR_START) {
        let rest = &tokens[2][a + ERR_START.len()..];
        if let Some(b) = rest.rfind(ERR_END) {
            return format!("execution error at ({}): {}", tokens[1], &rest[..b]);
        }
    }
    traceable(&s).unwrap_or(s)
}

/// `template: LOC: executing "NAME" at <CTX>: REST` → (LOC, "NAME", CTX, REST).
fn parse_exec(s: &str) -> Option<(&str, &str, &str, &str)> {
    let s = s.strip_prefix("template: ")?;
    let i = s.find(": executing \"")?;
    let loc = &s[..i];
    let rest = &s[i + ": executing ".len()..];
    let j = rest.find("\" at <")?;
    let name = &rest[..=j];
    let rest = &rest[j + "\" at <".len()..];
    let k = rest.find(">: ")?;
    Some((loc, name, &rest[..k], &rest[k + 3..]))
}

fn traceable(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split("error calling include: ").collect();
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match parse_exec(p) {
            Some((loc, name, ctx, rest)) => {
                if !last {
                    if !rest.is_empty() {
                        return None;
                    }
                    out.push_str(&format!(
                        "{loc}\n  executing {name} at <{ctx}>:\n    error calling include:\n"
                    ));
                } else {
                    if rest.contains(": ") {
                        return None;
                    }
                    out.push_str(&format!(
                        "{loc}\n  executing {name} at <{ctx}>:\n    {rest}"
                    ));
                }
            }
            None if last && i > 0 => out.push_str(p),
            None => return None,
        }
    }
    Some(out)
}
