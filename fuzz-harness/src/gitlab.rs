//! The GitLab CI target: the input is a small repository, written to a temporary folder,
//! whose `.gitlab-ci.yml` the engine loads as a scan does (local includes and scripts read
//! below the folder, `extends`, `default:`, `!reference` resolved, scripts tokenised); every
//! span of the model must be a range of the file it names, on character boundaries (checked
//! by `cct_engine::fuzzing::gitlab`).
//!
//! Input layout: the text of `.gitlab-ci.yml`, then other files, each after a line naming it:
//!
//! ```text
//! include: {local: ci/build.yml}
//! -- file ci/build.yml --
//! build: {script: [./build.sh]}
//! -- file build.sh --
//! make
//! ```

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The start of a line naming the next file.
const FILE_MARK: &str = "\n-- file ";
/// Most files written: GitLab's own include limit is 150; a few dozen exercise every path.
const MAX_FILES: usize = 32;

/// Writes the repository `data` describes to a fresh temporary folder, loads its
/// `.gitlab-ci.yml`, and removes the folder.
pub fn gitlab(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let mut parts = input.split(FILE_MARK);
    let root = parts.next().unwrap_or_default();
    let dir = Scratch::new();
    write(dir.path(), ".gitlab-ci.yml", root);
    for part in parts.take(MAX_FILES) {
        let Some((name, text)) = part.split_once(" --\n") else {
            continue;
        };
        if let Some(name) = safe_name(name) {
            write(dir.path(), &name, text);
        }
    }
    cct_engine::fuzzing::gitlab(dir.path(), ".gitlab-ci.yml");
}

/// A relative path of plain components (letters, digits, `._-`), or none.
fn safe_name(name: &str) -> Option<String> {
    let parts: Vec<&str> = name.trim().trim_start_matches('/').split('/').collect();
    let ok = !parts.is_empty()
        && parts.len() <= 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 40
                && *p != "."
                && *p != ".."
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        });
    ok.then(|| parts.join("/"))
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        // A name that is also a folder (`a` and `a/b`): the later write fails; skipped.
        let _ = std::fs::create_dir_all(parent);
    }
    let _ = std::fs::write(path, text);
}

/// A temporary folder, removed when dropped (also when the body panics).
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("cct-fuzz-gitlab-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        let _ = std::fs::create_dir_all(&path);
        Scratch(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
