//! cct-engine: checks repositories against the Cadre de Cohérence Technique Cloud π Native.
//!
//! The flow: [`discover`] paths, load files into [`source::Document`]s ([`yaml`]), build the
//! subjects each rule selects ([`kube`], [`check`]), validate them, and render the sorted
//! findings ([`report`]). The [`Catalogue`] is compiled once and shared by every thread.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod catalogue;
pub mod check;
pub mod diagnostic;
pub mod discover;
pub mod dockerfile;
pub mod finding;
pub mod gitlab;
pub mod helm;
pub mod kube;
pub mod openapi;
pub mod report;
pub mod scan;
pub mod source;
pub mod text;
pub mod yaml;

pub use catalogue::{Catalogue, CatalogueBuilder, Severity};
pub use check::DeploymentUnit;
pub use diagnostic::Diagnostic;
pub use finding::Finding;
pub use scan::{Report, Scan, ScanOptions};
pub use text::Lang;
