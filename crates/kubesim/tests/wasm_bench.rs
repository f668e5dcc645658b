//! The scale scenarios of `benches/scale.rs`, run where the engine runs: compiled to wasm
//! and executed in headless Chromium by wasm-bindgen-test. A benchmark, not a test: every
//! scenario is `#[ignore]`d, so it runs only when asked for, one scenario per page load (a
//! fresh wasm instance, so the memory figure is that scenario's own high-water mark):
//!
//! ```text
//! cargo test -p kubesim --release --target wasm32-unknown-unknown --test wasm_bench \
//!     -- --include-ignored --nocapture ordered_1000
//! ```
//!
//! or `scripts/wasm-bench` for all of them (`ordered_warm_1000` runs the rollout three times
//! in one instance: only the first pays for V8 compiling the code it calls). Each prints the
//! wall time (`performance.now()`) and the wasm linear memory at the end: `WebAssembly.Memory` only grows, so its size is the
//! page's high-water mark (heap peak plus the allocator's slack and the stack).
#![cfg(target_arch = "wasm32")]

/// (Shared with the native bench, which also times updates and scale-downs.)
#[allow(dead_code)]
#[path = "../benches/scenarios/mod.rs"]
mod scenarios;

use kubesim::engine::Cluster;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds, sub-millisecond resolution.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Bytes of wasm linear memory (the `WebAssembly.Memory` buffer's byteLength).
fn memory_bytes() -> usize {
    core::arch::wasm32::memory_size(0) * 65_536
}

/// Runs 0 → `replicas` (with the headless Service first when `service`) and prints one line
/// in the native bench's format.
fn scale_up(label: &str, replicas: usize, parallel: bool, service: bool) {
    let mut c: Cluster = scenarios::cluster_for(replicas, false);
    if service {
        c.apply_yaml(scenarios::HEADLESS_SERVICE)
            .expect("apply service");
    }
    let before = memory_bytes();
    let (act, done) = scenarios::scale_up(replicas, parallel);
    let t = performance_now();
    let steps = scenarios::drive(&mut c, act, done);
    let wall = performance_now() - t;
    console_log!(
        "wasm {label:<26} wall {wall:>7.1} ms  memory {:>6.1} MB (was {:.1} MB)  events {steps}",
        memory_bytes() as f64 / 1e6,
        before as f64 / 1e6
    );
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored"]
fn ordered_1000() {
    scale_up("0->1,000 OrderedReady", 1_000, false, false);
}

/// The same rollout three times in one wasm instance: the first run pays for V8 compiling the
/// engine's code as it is first called (lazy Liftoff, then the tier-up to TurboFan), the
/// later ones show the compiled code's own speed (BENCHMARKS.md, session 10, the profile).
#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored"]
fn ordered_warm_1000() {
    scale_up("0->1,000 OrderedReady (1st)", 1_000, false, false);
    scale_up("0->1,000 OrderedReady (2nd)", 1_000, false, false);
    scale_up("0->1,000 OrderedReady (3rd)", 1_000, false, false);
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored"]
fn service_1000() {
    scale_up("0->1,000 OrderedReady+Svc", 1_000, false, true);
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run with --include-ignored"]
fn parallel_10000() {
    scale_up("0->10,000 Parallel", 10_000, true, false);
}
