//! The command line of `cct`, as data: the clap definition of its arguments. The binary
//! (`main.rs`) parses them and runs; `cargo xtask gen` renders [`command`] as `docs/cli.md`.

use std::path::PathBuf;

use cct_engine::report::Format;
use cct_engine::Lang;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  cct check                                  check the current folder
  cct check deploy/ k8s/api.yaml             check some folders and files
  cct check --format sarif -o cct.sarif .    SARIF for GitLab or a code-scanning UI
  cct check --profile kubernetes .           plain Kubernetes: no OpenShift admission escalations
  cct check --rules ./team-rules .           add the team's own rules
  cct rules                                  list the rules of the catalogue
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
    /// List the rules of the catalogue.
    Rules(CommonArgs),
    /// Render a Helm chart and print what `helm template` prints (exit code 1 when the chart
    /// does not render: `Error: <Helm's message>` and the location, on standard error).
    Render(RenderArgs),
}

/// The arguments of `cct render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The chart folder.
    pub chart: PathBuf,
    /// A values file, merged in order (repeatable).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// Set a value (Helm's syntax: a.b=c,d[0]=e; repeatable).
    #[arg(long = "set", value_name = "K=V")]
    pub set: Vec<String>,
    /// Set a string value (repeatable).
    #[arg(long = "set-string", value_name = "K=V")]
    pub set_string: Vec<String>,
    /// The release name.
    #[arg(long = "release", value_name = "NAME", default_value = "release-name")]
    pub release: String,
    /// The release namespace.
    #[arg(
        short = 'n',
        long = "namespace",
        value_name = "NS",
        default_value = "default"
    )]
    pub namespace: String,
    /// A folder of charts where dependencies that `charts/` lacks are found by name (repeatable).
    #[arg(long = "charts-dir", value_name = "DIR")]
    pub charts_dir: Vec<PathBuf>,
    /// The Kubernetes version for `.Capabilities.KubeVersion` (default v1.36.0).
    #[arg(long = "kube-version", value_name = "V")]
    pub kube_version: Option<String>,
    /// An API version added to `.Capabilities.APIVersions` (repeatable).
    #[arg(long = "api-versions", value_name = "G/V")]
    pub api_versions: Vec<String>,
    /// Print the `crds/` files first.
    #[arg(long = "include-crds")]
    pub include_crds: bool,
}

/// The arguments `check` and `rules` share.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// Language of messages: fr or en (default: from CCT_LANG, LC_ALL, LC_MESSAGES or LANG; fr otherwise).
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Profile: cpin (Cloud π Native, OpenShift admission escalations), kubernetes,
    /// pss-baseline, pss-restricted.
    #[arg(long, default_value = "cpin")]
    pub profile: String,
    /// Add the rules of a folder (same format as the catalogue). Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

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
