#![no_main]
//! See fuzz/src/checks.rs for what is asserted.

#[path = "../src/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::events_params(data);
});
