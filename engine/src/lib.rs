//! cct-engine: checks repositories against the Cadre de Cohérence Technique Cloud π Native.
//!
//! The flow, one module per stage: [`discover`] paths, [`load`] them into documents, group the
//! documents into deployment units ([`units`]), [`check`] each against the compiled rule set,
//! [`derogate`] what a team accepted, and [`report`] the sorted findings. The [`Catalogue`] is
//! data, loaded once; the rule set compiled from it is shared by every thread.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod argocd;
pub mod catalogue;
mod check;
pub mod config;
mod derogate;
mod discover;
mod dockerfile;
#[doc(hidden)]
pub mod fuzzing;
mod gitlab;
pub mod helm;
mod kube;
pub mod kustomize;
mod load;
mod openapi;
mod progress;
pub mod report;
mod scan;
pub mod source;
mod units;
pub mod vocab;
pub mod yaml;

pub use catalogue::{Catalogue, CatalogueBuilder};
pub use check::RuleTiming;
pub use derogate::{Baseline, BaselineEntry, BaselineError, Date, IGNORE_ANNOTATION};
pub use discover::{GlobError, PathFilter};
pub use load::{render_kustomization, ChartSettings};
pub use progress::{Progress, ProgressSink};
pub use report::{Report, ScanStats};
pub use scan::{Scan, ScanOptions};
pub use vocab::{Diagnostic, DiagnosticCode, Finding, Lang, Level, Profile, Severity};
