//! Bodies of cct's fuzz targets, in one place: the libFuzzer targets of `fuzz/` (nightly,
//! cargo-fuzz) and the stable replay test of this crate (`tests/replay.rs`, run by CI) call
//! the same functions.
//!
//! * [`dockerfile`]: the Dockerfile parser and model, as `cct-engine` builds a document;
//! * [`template`]: the template engine, parsing then executing with Helm's options;
//! * [`yaml`]: the engine's YAML reader (documents with spans, anchors, limits);
//! * [`gitlab`]: the GitLab CI model, loaded with its local includes from a small repository
//!   written to a temporary folder;
//! * [`Mutator`]: a small deterministic mutator (xorshift) for the replay test;
//! * [`Dictionary`]: the libFuzzer dictionaries of `fuzz/dicts/`, read by the mutator too.
//!
//! A body panics when the code under test panics or breaks one of the invariants the
//! engine relies on (spans inside the text, provenance covering the output).

mod dictionary;
mod dockerfile;
mod gitlab;
mod mutator;
mod template;
mod yaml;

pub use dictionary::Dictionary;
pub use dockerfile::dockerfile;
pub use gitlab::gitlab;
pub use mutator::Mutator;
pub use template::template;
pub use yaml::yaml;

/// A fuzz target: its name (the folder of its seeds and its dictionary) and its body.
pub struct Target {
    /// Name, as in `cargo fuzz run <name>`.
    pub name: &'static str,
    /// The body run on each input.
    pub body: fn(&[u8]),
}

/// Every fuzz target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "dockerfile",
        body: dockerfile,
    },
    Target {
        name: "template",
        body: template,
    },
    Target {
        name: "yaml",
        body: yaml,
    },
    Target {
        name: "gitlab",
        body: gitlab,
    },
];
