//! The arguments of `cct check`.

use std::path::PathBuf;

use cct_engine::report::Format;
use clap::ValueEnum;

use super::CommonArgs;

/// When to colour human output.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

/// The arguments of `cct check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// A folder of charts, for Helm chart dependencies that `charts/` lacks (by name).
    /// Repeatable.
    #[arg(long = "charts-dir", value_name = "DIR")]
    pub charts_dir: Vec<PathBuf>,
    /// Output format: human, sarif or json.
    #[arg(long, short = 'f', default_value = "human")]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// Lowest severity of an unsuppressed finding that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Colour in human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Language, profile and user rules.
    #[command(flatten)]
    pub common: CommonArgs,
}
