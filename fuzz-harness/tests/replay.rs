//! The stable replay of the fuzz targets (CI runs it; no nightly, no libFuzzer): every
//! target's body over its seed corpus (`fuzz/seeds/<target>/`), then over deterministic
//! mutants of the seeds. An input that panics, or runs for more than a few seconds (the
//! engines' limits should stop any work long before), fails the test; the input is written
//! under the target folder's tmp dir.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cct_fuzz_harness::{Dictionary, Mutator, Target, TARGETS};

/// Mutants per target: a few thousand keep the test within seconds in a debug build.
const MUTANTS: usize = 3000;
/// The longest an input may take: each seed and mutant runs in milliseconds; the margin is
/// for a loaded machine.
const MAX_INPUT_TIME: Duration = Duration::from_secs(5);

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn target(name: &str) -> &'static Target {
    TARGETS
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no fuzz target {name}"))
}

fn seeds(name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fuzz_dir().join("seeds").join(name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.display().to_string(), data)
        })
        .collect()
}

fn dictionary(name: &str) -> Dictionary {
    let path = fuzz_dir().join("dicts").join(format!("{name}.dict"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Dictionary::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `body` on `input`; on a panic or a slow input, saves the input and fails.
fn run_one(name: &str, body: fn(&[u8]), what: &str, input: &[u8]) {
    let start = Instant::now();
    let outcome = std::panic::catch_unwind(|| body(input));
    let elapsed = start.elapsed();
    if outcome.is_err() || elapsed > MAX_INPUT_TIME {
        let saved = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("replay-{name}-failure"));
        let _ = std::fs::write(&saved, input);
        panic!(
            "fuzz target {name}: {what} {} after {elapsed:?}; input saved to {} \
             (replay: cargo +nightly fuzz run {name} {})",
            if outcome.is_err() {
                "panicked"
            } else {
                "was too slow"
            },
            saved.display(),
            saved.display()
        );
    }
}

fn replay(name: &str) {
    let body = target(name).body;
    let seeds = seeds(name);
    assert!(
        seeds.len() >= 10,
        "fuzz/seeds/{name} holds {} seeds, expected a dozen",
        seeds.len()
    );
    for (path, data) in &seeds {
        run_one(name, body, &format!("seed {path}"), data);
    }
    let inputs: Vec<Vec<u8>> = seeds.into_iter().map(|(_, d)| d).collect();
    // One fixed seed per target, from its name: the same mutants on every run.
    let seed = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut mutator = Mutator::new(seed, dictionary(name).tokens);
    for i in 0..MUTANTS {
        let input = mutator.mutate(&inputs, i % inputs.len());
        run_one(name, body, &format!("mutant {i}"), &input);
    }
}

#[test]
fn dockerfile_seeds_and_mutants_run_cleanly() {
    replay("dockerfile");
}

#[test]
fn template_seeds_and_mutants_run_cleanly() {
    replay("template");
}

#[test]
fn yaml_seeds_and_mutants_run_cleanly() {
    replay("yaml");
}

#[test]
fn gitlab_seeds_and_mutants_run_cleanly() {
    replay("gitlab");
}

#[test]
fn every_target_has_seeds_and_a_dictionary() {
    for t in TARGETS {
        assert!(!seeds(t.name).is_empty(), "{}: no seeds", t.name);
        assert!(
            dictionary(t.name).tokens.len() >= 20,
            "{}: dictionary too small",
            t.name
        );
    }
}
