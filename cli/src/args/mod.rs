//! The clap definition of `cct`.

mod catalogue;
mod check;
mod gate;
mod render;

pub use catalogue::{ExplainArgs, ListFormat, RequirementsArgs, RulesArgs};
pub use check::{CheckArgs, ColorChoice, FailOn, OutputFormat, ReportTarget, Shard};
pub use gate::{
    BaselineArgs, BaselineCommand, CompletionsArgs, InitArgs, MergeArgs, ScanArgs, Shell,
};
pub use render::RenderArgs;

use std::path::PathBuf;

use cct_engine::Lang;
use clap::{CommandFactory, Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  cct check                                  check the current folder
  cct check deploy/ k8s/api.yaml             check some folders and files
  cct check --format sarif -o cct.sarif .    SARIF for GitLab or a code-scanning UI
  cct check --profile kubernetes .           plain Kubernetes: no OpenShift admission escalations
  cct check --rules ./team-rules .           add the team's own rules
  cct rules                                  list the rules of the catalogue
  cct requirements --format markdown         the CCT's rows and how each is judged
  cct explain EXI-ARCH-27                    why a requirement or a rule, and how to fix it
  cct render ./chart -f values-prod.yaml     print what `helm template` prints

Exit codes: 0 nothing blocking, 1 a blocking finding (render: the chart does not render),
2 a usage or configuration error.";

/// cct: checks a repository against the Cadre de Cohérence Technique Cloud π Native.
#[derive(Debug, Parser)]
#[command(name = "cct", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and folders (Kubernetes manifests; charts and Dockerfiles are reported).
    #[command(after_help = EXAMPLES)]
    Check(CheckArgs),
    /// List the rules of the catalogue (--format table, json or markdown).
    Rules(RulesArgs),
    /// List the 55 requirements of the CCT: level, automation, their rules, and for those that
    /// need a human the evidence to ask for.
    Requirements(RequirementsArgs),
    /// Explain a rule (by id or name) or a requirement: why, and how to fix it.
    Explain(ExplainArgs),
    /// Render a Helm chart and print what `helm template` prints (exit code 1 when the chart
    /// does not render: `Error: <Helm's message>` and the location, on standard error).
    Render(RenderArgs),
    /// Write a commented starter configuration (`.cct.yaml`).
    Init(InitArgs),
    /// Record the current findings, so that `check --baseline` fails only on new ones.
    Baseline(BaselineArgs),
    /// Merge SARIF files (the shards of a large audit) into one run.
    Merge(MergeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), for `man -l -`.
    Man,
}

/// The arguments every command that reads the catalogue shares.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// Language of messages: fr or en (default: the configuration's, else from CCT_LANG,
    /// LC_ALL, LC_MESSAGES or LANG; fr otherwise).
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Profile: cpin (Cloud π Native, OpenShift admission escalations), kubernetes (the CCT on
    /// plain Kubernetes), pss-baseline, pss-restricted (only the Pod Security Admission checks
    /// of that level) (default: the configuration's, else cpin).
    #[arg(long)]
    pub profile: Option<String>,
    /// Add the rules of a folder (same format as the catalogue). Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// The configuration file (default: `.cct.yaml` or `.cct.yml` in the first path's folder
    /// or the nearest folder above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    match s {
        "fr" => Ok(Lang::Fr),
        "en" => Ok(Lang::En),
        other => Err(format!("unknown language `{other}` (fr, en)")),
    }
}

/// The clap command of `cct`, with every subcommand, argument and option.
pub fn command() -> clap::Command {
    Cli::command()
}
