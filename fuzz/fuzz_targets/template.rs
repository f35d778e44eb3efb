//! The template engine with Helm's options (see `cct_fuzz_harness::template`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cct_fuzz_harness::template(data));
