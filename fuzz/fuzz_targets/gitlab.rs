//! The GitLab CI model with local includes (see `cct_fuzz_harness::gitlab`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cct_fuzz_harness::gitlab(data));
