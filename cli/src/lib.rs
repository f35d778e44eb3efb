//! The command line of `cct`, as data: the clap definition of its arguments, one module per
//! subcommand. The binary (`main.rs`) parses them and runs each subcommand from its module of
//! `commands/`; `cargo xtask gen` renders [`command`] as `docs/cli.md`.

mod args;

pub use args::*;
