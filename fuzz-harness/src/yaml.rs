//! The YAML target: the input, read as UTF-8 (lossily, as the engine never sees invalid
//! UTF-8 here: loading rejects it first), is parsed by the engine's YAML reader with its
//! default limits; every span of every document, comment and placeholder must be a range of
//! the text on character boundaries (checked by `cct_engine::fuzzing::yaml`).

/// Parses `data` as a YAML stream, as the engine loads a manifest.
pub fn yaml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    cct_engine::fuzzing::yaml(&text);
}
