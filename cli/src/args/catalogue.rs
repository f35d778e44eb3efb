//! Arguments of the commands that read the catalogue: `rules`, `requirements`, `explain`.

use super::CommonArgs;

/// How a list of the catalogue is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// Aligned columns, for a terminal.
    #[default]
    Table,
    /// A JSON array, for tools.
    Json,
    /// A Markdown table, for a wiki or a merge request.
    Markdown,
}

/// `cct rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// The catalogue to read.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

/// `cct requirements`.
#[derive(Debug, clap::Args)]
pub struct RequirementsArgs {
    /// The catalogue to read.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

/// `cct explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The catalogue to read.
    #[command(flatten)]
    pub common: CommonArgs,
    /// A rule id (CCT-K8S-008), a rule name (k8s-image-tag-explicit) or a requirement id
    /// (EXI-ARCH-27).
    #[arg(value_name = "RULE|REQUIREMENT")]
    pub what: String,
}
