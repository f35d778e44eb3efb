//! `cargo xtask`: the project's own tasks (an alias in `.cargo/config.toml`).
//!
//! - `cargo xtask gen` writes every generated reference: the rule pages and index, the
//!   requirement table, the subject table of `docs/rule-format.md`, the diagnostic codes, the
//!   lists of `schemas/rule.schema.json` that come from Rust types, and the CLI reference.
//! - `cargo xtask gen --check` writes nothing and fails when one of them is stale or missing.
//! - `cargo xtask new-rule <area> <name>` scaffolds a rule, its fixtures and its page.

mod cli_reference;
mod config_schema;
mod diagnostic_table;
mod diff;
mod generate;
mod new_rule;
mod rule_pages;
mod rule_schema;
mod subject_table;
#[cfg(test)]
mod temp_dir;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "The project's own tasks")]
struct Args {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Write every generated reference.
    Gen {
        /// Write nothing; fail (exit code 1) when a generated file is stale or missing.
        #[arg(long)]
        check: bool,
    },
    /// Scaffold a rule: its YAML file, a failing and a passing fixture, and its page.
    NewRule {
        /// The folder of `rules/`: k8s, docker, gitlab, argocd, repo or helm.
        area: String,
        /// The rule's name, kebab-case `<domain>-<subject>-<property>` (STYLE.md §6.5).
        name: String,
    },
}

/// The root of the repository.
fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    here.canonicalize().unwrap_or(here)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = root();
    let result = match args.task {
        Task::Gen { check: false } => generate::write(&root).map(|_| true),
        Task::Gen { check: true } => generate::check(&root),
        Task::NewRule { area, name } => new_rule::run(&root, &area, &name).map(|_| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::from(2)
        }
    }
}
