//! cct-engine: checks repositories against the Cadre de Cohérence Technique Cloud π Native.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod diagnostic;
pub mod source;
pub mod text;
pub mod yaml;
