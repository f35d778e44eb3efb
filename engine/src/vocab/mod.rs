//! The shared vocabulary, on the ground floor beside [`crate::source`]: what every stage talks
//! about. Severities and levels, profiles, subject kinds and identities, diagnostic codes and
//! diagnostics, findings, and texts in French and English. Nothing here knows a format, a
//! rule or a stage.

mod code;
mod diagnostic;
mod finding;
mod profile;
mod severity;
mod subject;
mod text;

pub use code::DiagnosticCode;
pub(crate) use diagnostic::catch_panic;
pub use diagnostic::{Diagnostic, DiagnosticLevel};
pub use finding::{fingerprint, BaselineState, Finding, Related, Suppression, SuppressionKind};
pub use profile::{Profile, UnknownProfile};
pub use severity::{Level, Severity};
pub use subject::{SubjectIdentity, SubjectKind};
pub use text::{fill, Lang, Text};
