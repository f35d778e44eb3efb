//! How serious a finding is, and how important the requirement it breaks.

use serde::{Deserialize, Serialize};

/// P (primordiale), I (importante), or none (platform-only rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// Primordiale: breaking it can exclude a supplier or block a deployment.
    P,
    /// Importante: recommended.
    I,
    /// Not tied to a CCT requirement (platform parity).
    #[serde(rename = "none")]
    None,
}

impl Level {
    /// `P`, `I` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::P => "P",
            Level::I => "I",
            Level::None => "none",
        }
    }
}

/// How serious a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed (a P requirement broken, or the platform refuses the object).
    Error,
    /// Should be fixed.
    Warning,
    /// Advice.
    Note,
}

impl Severity {
    /// `error`, `warning` or `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }

    /// Parse `error`, `warning` or `note`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            _ => None,
        }
    }
}
