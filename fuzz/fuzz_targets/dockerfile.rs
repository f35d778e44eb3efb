//! The Dockerfile parser and model, as the engine runs them (see `cct_fuzz_harness::dockerfile`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cct_fuzz_harness::dockerfile(data));
