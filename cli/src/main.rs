//! `cct`: the command line. Arguments, output files, exit codes; everything else is the engine.

mod commands;

use std::process::ExitCode;

use cct::Cli;
use clap::Parser;

fn main() -> ExitCode {
    // With `RUST_BACKTRACE` set (common on developers' machines and in CI), every error value
    // captures a backtrace, and regorus's parser makes and drops hundreds of them while reading
    // a policy: half of a one-manifest check went there. cct never prints an error's
    // backtrace; panics still print theirs, which `RUST_BACKTRACE` alone governs. Set before
    // any thread starts.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        std::env::set_var("RUST_LIB_BACKTRACE", "0");
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("cct: {e:#}");
            ExitCode::from(2)
        }
    }
}
