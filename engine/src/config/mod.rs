//! Configuration: `.cct.yaml`, found upward from the scanned path, read with the positions of
//! its nodes, validated against its schema and against the catalogue (every rule, requirement
//! and parameter it names must exist), and resolved into the settings a scan uses.
//!
//! Input: a file, the catalogue. Output: [`LoadedConfig`] and [`RuleSettings`], or a
//! [`ConfigError`] whose diagnostics are located in the file (a configuration error stops the
//! run: exit code 2).

mod model;
mod settings;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use model::{ChartConfig, Config, DerogationConfig, FailOn, Paths, RuleConfig};
pub use settings::{RuleSetting, RuleSettings};

use crate::source::{Document, SourceFile};
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};
use crate::yaml;

/// The names a configuration file may have, in order of preference.
pub const CONFIG_NAMES: [&str; 2] = [".cct.yaml", ".cct.yml"];

/// The JSON Schema of `.cct.yaml` (generated from [`Config`] by `cargo xtask gen`).
pub const CONFIG_SCHEMA: &str = include_str!("../../../schemas/config.schema.json");

/// `.cct.yaml`, as the YAML reader names it.
pub(crate) const CONFIG_FILE: yaml::FileKind = yaml::FileKind {
    invalid: DiagnosticCode::ConfigInvalid,
    not_one_document: DiagnosticCode::ConfigInvalid,
    name: ("a configuration file", "un fichier de configuration"),
};

/// A configuration read from its file.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The configuration.
    pub config: Config,
    /// The folder its relative paths start from.
    pub dir: PathBuf,
    /// The file, for locating what it says (derogations).
    pub file: Arc<SourceFile>,
    /// The file's document (its spans).
    pub(crate) document: Option<Document>,
}

impl Default for LoadedConfig {
    fn default() -> Self {
        LoadedConfig {
            config: Config::default(),
            dir: PathBuf::from("."),
            file: SourceFile::new("", ""),
            document: None,
        }
    }
}

/// A configuration that cannot be used: the problems, located in the file.
#[derive(Debug, thiserror::Error)]
#[error("{}", describe(.diagnostics))]
pub struct ConfigError {
    /// The problems.
    pub diagnostics: Vec<Diagnostic>,
}

fn describe(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let at = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}:{}: ", l.path, l.start.line, l.start.column))
                .unwrap_or_default();
            format!("{at}{}", d.message.en)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The configuration file that applies to a path: `.cct.yaml` (or `.cct.yml`) in its folder or
/// the nearest folder above.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        start.to_path_buf()
    };
    let absolute = std::fs::canonicalize(&start).unwrap_or(start);
    let mut dir = Some(absolute.as_path());
    while let Some(d) = dir {
        for name in CONFIG_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        dir = d.parent();
    }
    None
}

/// Read and validate a configuration file; `display` is the path shown in messages.
pub fn load(path: &Path, display: &str) -> Result<LoadedConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        diagnostics: vec![Diagnostic::for_path(
            display,
            DiagnosticCode::ConfigInvalid,
            DiagnosticLevel::Error,
            Text::new(
                format!("cannot read the configuration: {e}"),
                format!("lecture impossible de la configuration : {e}"),
            ),
        )],
    })?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    parse(display, &text, dir)
}

/// Validate a configuration's text.
pub fn parse(display: &str, text: &str, dir: PathBuf) -> Result<LoadedConfig, ConfigError> {
    let file = SourceFile::new(display, text);
    let mut diagnostics = Vec::new();
    // An empty file (or only comments) is the default configuration.
    if text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    }) {
        return Ok(LoadedConfig {
            config: Config::default(),
            dir,
            file,
            document: None,
        });
    }
    let schema = yaml::compile_schema(CONFIG_SCHEMA);
    let config: Option<Config> =
        yaml::read_typed(&file, schema.as_ref(), CONFIG_FILE, &mut diagnostics);
    match config {
        Some(config) if diagnostics.is_empty() => {
            let document = yaml::parse(&file, &yaml::YamlLimits::default())
                .documents
                .pop();
            Ok(LoadedConfig {
                config,
                dir,
                file,
                document,
            })
        }
        _ => Err(ConfigError { diagnostics }),
    }
}

impl LoadedConfig {
    /// A path of the configuration, resolved from its folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.dir.join(path)
        }
    }

    /// A diagnostic located at a node of the file (its key when it has one; the nearest
    /// ancestor when absent).
    pub(crate) fn problem(&self, pointer: &str, code: DiagnosticCode, message: Text) -> Diagnostic {
        let range = self
            .document
            .as_ref()
            .and_then(|d| d.spans.locate(pointer, crate::source::LocateMode::Key))
            .map(|(r, _)| r)
            .unwrap_or_default();
        Diagnostic::at(&self.file, range, code, DiagnosticLevel::Error, message)
    }

    /// Where a node of the file was written.
    pub(crate) fn range(&self, pointer: &str) -> crate::source::ByteRange {
        self.document
            .as_ref()
            .and_then(|d| d.spans.locate(pointer, crate::source::LocateMode::Value))
            .map(|(r, _)| r)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
