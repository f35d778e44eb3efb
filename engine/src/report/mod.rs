//! Reports: pure functions of the sorted findings and diagnostics, one module per format.

mod audit;
mod gitlab;
mod human;
mod json;
mod junit;
mod merge;
mod model;
mod sarif;

use std::io::Write;

use crate::catalogue::Catalogue;
use crate::vocab::Lang;
pub use merge::{merge_sarif, MergeError};
pub use model::{Report, ScanStats};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Snippets for a terminal, and a summary per requirement.
    Human,
    /// SARIF 2.1.0.
    Sarif,
    /// JSON, for scripts.
    Json,
    /// GitLab Code Quality.
    Gitlab,
    /// JUnit XML.
    Junit,
    /// The audit report in Markdown.
    Markdown,
    /// The audit report as one self-contained HTML page.
    Html,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "human" => Ok(Format::Human),
            "sarif" => Ok(Format::Sarif),
            "json" => Ok(Format::Json),
            "gitlab" => Ok(Format::Gitlab),
            "junit" => Ok(Format::Junit),
            "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            other => Err(format!(
                "unknown format `{other}` (human, sarif, json, gitlab, junit, markdown, html)"
            )),
        }
    }
}

/// What a renderer needs besides the report.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Language of messages.
    pub lang: Lang,
    /// Colour (human output).
    pub color: bool,
}

/// Render a report.
pub fn render(
    format: Format,
    report: &Report,
    catalogue: &Catalogue,
    options: RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::render(report, catalogue, options, out),
        Format::Sarif => sarif::render(report, catalogue, options, out),
        Format::Json => json::render(report, catalogue, options, out),
        Format::Gitlab => gitlab::render(report, catalogue, options, out),
        Format::Junit => junit::render(report, catalogue, options, out),
        Format::Markdown => audit::markdown(report, catalogue, options, out),
        Format::Html => audit::html(report, catalogue, options, out),
    }
}

/// The version of cct.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
