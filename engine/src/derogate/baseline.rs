//! The baseline: the fingerprints of the findings a team already knows (`cct baseline create`),
//! so that `cct check --baseline` fails only on new ones. A fingerprint hashes the rule, the
//! file, the subject and a pointer that names list items (never a line), so it survives
//! unrelated edits, line shifts and a change in the order of environments.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::vocab::Finding;

/// The version of the baseline format.
const FORMAT: u32 = 1;

/// One known finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// Its fingerprint (what is compared).
    pub fingerprint: String,
    /// The rule, for people reading the file.
    pub rule: String,
    /// The file, for people reading the file.
    pub path: String,
    /// The line when it was recorded (informative: lines are not compared).
    pub line: u32,
    /// The message, in English, when it was recorded.
    pub message: String,
}

/// The file `cct baseline create` writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    /// The format's version.
    version: u32,
    /// The known findings, sorted by fingerprint.
    findings: Vec<BaselineEntry>,
}

/// Known findings, by fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: BTreeMap<String, BaselineEntry>,
}

/// A baseline file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file cannot be read.
    #[error("cannot read the baseline {path}: {source}")]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a baseline.
    #[error("{path} is not a cct baseline: {source}")]
    Invalid {
        /// The file.
        path: String,
        /// Why.
        source: serde_json::Error,
    },
    /// A baseline of a format this version does not read.
    #[error("{path} is a baseline of format {found}; this cct reads format {FORMAT}")]
    Version {
        /// The file.
        path: String,
        /// Its format.
        found: u32,
    },
}

impl Baseline {
    /// The baseline of findings: those that count (not suppressed).
    pub fn of(findings: &[Finding]) -> Baseline {
        let entries = findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .map(|f| {
                (
                    f.fingerprint.clone(),
                    BaselineEntry {
                        fingerprint: f.fingerprint.clone(),
                        rule: f.rule_id.clone(),
                        path: f.location.path.clone(),
                        line: f.location.start.line,
                        message: f.message.en.clone(),
                    },
                )
            })
            .collect();
        Baseline { entries }
    }

    /// Read a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Unreadable {
            path: shown.clone(),
            source,
        })?;
        let file: BaselineFile =
            serde_json::from_str(&text).map_err(|source| BaselineError::Invalid {
                path: shown.clone(),
                source,
            })?;
        if file.version != FORMAT {
            return Err(BaselineError::Version {
                path: shown,
                found: file.version,
            });
        }
        Ok(Baseline {
            entries: file
                .findings
                .into_iter()
                .map(|e| (e.fingerprint.clone(), e))
                .collect(),
        })
    }

    /// Write the baseline as pretty JSON (sorted: diffs stay small).
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let file = BaselineFile {
            version: FORMAT,
            findings: self.entries.values().cloned().collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &file)?;
        writeln!(out)
    }

    /// Whether a fingerprint is known.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.entries.contains_key(fingerprint)
    }

    /// The known findings.
    pub fn entries(&self) -> impl Iterator<Item = &BaselineEntry> {
        self.entries.values()
    }

    /// How many findings are known.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no finding is known.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
