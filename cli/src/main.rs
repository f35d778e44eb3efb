//! `cct`: the command line. Arguments, output files, exit codes; everything else is the engine.

mod commands;

use std::process::ExitCode;

use cct::Cli;
use clap::Parser;

// glibc's allocator cost a third of a one-manifest check's instructions (a scan allocates and
// frees many small JSON, YAML and Rego values on several threads); mimalloc cuts them by a
// fifth and the whole corpus's CPU time by about a quarter. Without transparent huge pages
// (`no_thp`): with them, a one-file check's resident memory doubled.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
