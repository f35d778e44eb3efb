//! The arguments of the commands around `check`: what to scan (shared with `baseline`),
//! `init`, `baseline`, `merge`, `completions`.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use super::{CommonArgs, Shard};

/// What to scan and how: shared by `check` and `baseline create`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files and folders to check. Given files only, the rest of their deployment unit (their
    /// folder, their chart) is read too, and findings are reported for the given files only.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// A folder of charts, for Helm chart dependencies that `charts/` lacks (by name).
    /// Repeatable.
    #[arg(long = "charts-dir", value_name = "DIR")]
    pub charts_dir: Vec<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// Scan only one shard of the inputs, K/N (a chart or a folder's unit is never split);
    /// merge the shards' SARIF files with `cct merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Language, profile, user rules, configuration.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The arguments of `cct init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write it.
    #[arg(default_value = ".cct.yaml")]
    pub path: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

/// The arguments of `cct baseline`.
#[derive(Debug, clap::Args)]
pub struct BaselineArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: BaselineCommand,
}

/// The subcommands of `cct baseline`.
#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan, and write the fingerprints of the findings that count to a file.
    Create {
        /// What to scan.
        #[command(flatten)]
        scan: ScanArgs,
        /// The baseline file to write.
        #[arg(
            long,
            short = 'o',
            value_name = "FILE",
            default_value = ".cct-baseline.json"
        )]
        output: PathBuf,
    },
}

/// The arguments of `cct merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// SARIF files written by `cct check --format sarif` (the shards of one audit).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Write the merged SARIF to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// A shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

/// The arguments of `cct completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}
