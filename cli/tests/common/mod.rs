//! What the end-to-end tests share: the repository's root, the `cct` binary run in a fixed
//! environment (no locale variables, no colour), fresh temporary folders.

// Each test crate uses a part of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root (the `cct` package's folder).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// `cct ARGS` in `dir`, with no locale variable (French by default) and no colour.
pub(crate) fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cct"));
    c.args(args)
        .current_dir(dir)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("CCT_LANG")
        .env_remove("CCT_TIMING")
        .env("NO_COLOR", "1");
    c
}

/// Runs `cct ARGS` in `dir`.
pub(crate) fn cct_in(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("cct runs")
}

/// Runs `cct ARGS` at the repository's root.
pub(crate) fn cct(args: &[&str]) -> Output {
    cct_in(&root(), args)
}

/// A fresh, empty folder for one test, under the system's temporary folder.
pub(crate) fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cct-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The standard output of a run, as text.
pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
