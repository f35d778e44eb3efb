//! The engine's YAML reader with spans (see `cct_fuzz_harness::yaml`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cct_fuzz_harness::yaml(data));
