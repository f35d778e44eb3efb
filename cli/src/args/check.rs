//! The arguments of `cct check`.

use std::path::PathBuf;

use cct_engine::report::Format;
use clap::ValueEnum;

/// When to colour human output.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

/// An output format of `cct check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Snippets for a terminal, and a summary per requirement.
    Human,
    /// SARIF 2.1.0 (code-scanning UIs, GitLab's SAST report viewer).
    Sarif,
    /// JSON, for scripts.
    Json,
    /// GitLab Code Quality (`artifacts:reports:codequality`).
    Gitlab,
    /// JUnit XML (`artifacts:reports:junit`): one test case per rule and file.
    Junit,
    /// The audit report, per CCT requirement, in Markdown.
    Markdown,
    /// The audit report as one self-contained HTML page.
    Html,
}

impl OutputFormat {
    /// The engine's format.
    pub fn format(self) -> Format {
        match self {
            OutputFormat::Human => Format::Human,
            OutputFormat::Sarif => Format::Sarif,
            OutputFormat::Json => Format::Json,
            OutputFormat::Gitlab => Format::Gitlab,
            OutputFormat::Junit => Format::Junit,
            OutputFormat::Markdown => Format::Markdown,
            OutputFormat::Html => Format::Html,
        }
    }
}

/// An extra report: `FORMAT=FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    /// Its format.
    pub format: OutputFormat,
    /// The file it is written to.
    pub file: PathBuf,
}

impl std::str::FromStr for ReportTarget {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (format, file) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}`: expected FORMAT=FILE, e.g. sarif=cct.sarif"))?;
        let format = OutputFormat::from_str(format, true)?;
        if file.is_empty() {
            return Err(format!("`{s}`: the file is missing"));
        }
        Ok(ReportTarget {
            format,
            file: PathBuf::from(file),
        })
    }
}

/// One shard of a scan: `K/N` (1 ≤ K ≤ N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: usize,
    /// How many.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}`: expected K/N with 1 ≤ K ≤ N, e.g. 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            k.trim().parse::<usize>().map_err(|_| bad())?,
            n.trim().parse::<usize>().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// The arguments of `cct check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// What to scan, and how.
    #[command(flatten)]
    pub scan: super::ScanArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a report in another format, from the same scan: FORMAT=FILE (e.g.
    /// gitlab=gl-code-quality-report.json, junit=cct-junit.xml, sarif=cct.sarif). Repeatable.
    #[arg(long = "report", value_name = "FORMAT=FILE")]
    pub reports: Vec<ReportTarget>,
    /// Lowest severity of a finding that counts (not suppressed, not in the baseline) that
    /// makes the exit code 1 (default: the configuration's, else error).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Inputs that could not be judged (a chart that does not render, a file that does not
    /// parse, a rule that failed on it) do not make the exit code 1.
    #[arg(long)]
    pub allow_unjudged: bool,
    /// A baseline (`cct baseline create`): only findings absent from it count (default: the
    /// configuration's).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}
