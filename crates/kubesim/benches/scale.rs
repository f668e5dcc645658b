//! Scale benchmark (harness = false): wall-clock cost of simulating large StatefulSets.
//! Run: `CARGO_PROFILE_BENCH_OPT_LEVEL=3 CARGO_PROFILE_BENCH_LTO=false cargo bench -p kubesim --bench scale`
//! (the workspace release profile is tuned for wasm size). `std::time::Instant` is used here
//! only — the engine itself never reads a clock.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// The allocator under the counter: mimalloc, like the native `kubesim` runner
/// (`--features system-alloc` measures the C library's malloc instead).
#[cfg(not(feature = "system-alloc"))]
use mimalloc::MiMalloc as Inner;
#[cfg(feature = "system-alloc")]
use std::alloc::System as Inner;

/// Counts heap use so each scenario can report its peak memory and allocation count. The
/// bench is single-threaded, so the counters use plain loads and stores (no locked
/// read-modify-write on every allocation, which would add ~5 % to the measured time).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.load(Relaxed) + by;
    LIVE.store(live, Relaxed);
    if live > PEAK.load(Relaxed) {
        PEAK.store(live, Relaxed);
    }
    ALLOCS.store(ALLOCS.load(Relaxed) + 1, Relaxed);
}

fn shrank(by: usize) {
    LIVE.store(LIVE.load(Relaxed) - by, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { Inner.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        unsafe { Inner.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            shrank(layout.size() - new_size);
            ALLOCS.store(ALLOCS.load(Relaxed) + 1, Relaxed);
        }
        unsafe { Inner.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

mod scenarios;

use kubesim::engine::Cluster;
use scenarios::{cluster_for as cluster, drive, HEADLESS_SERVICE};

struct Run {
    wall_ms: f64,
    /// Peak heap during the run, above what was live before it.
    peak_mb: f64,
    allocs: usize,
    sim_ms: u64,
    steps: usize,
    watch: usize,
}

/// `--keep-history`: clusters keep every watch entry (`watch_history: usize::MAX`, the
/// behaviour before the bounded watch log), so a run does not pay for freeing old versions.
static KEEP_HISTORY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn cluster_for(replicas: usize) -> Cluster {
    cluster(replicas, KEEP_HISTORY.load(Relaxed))
}

/// Times a scenario (`act`, then the events until `done` holds).
fn timed(
    c: &mut Cluster,
    (act, done): (impl FnOnce(&mut Cluster), impl Fn(&Cluster) -> bool),
) -> Run {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let allocs = ALLOCS.load(Relaxed);
    let (watch, sim) = (c.watch_end(), c.now());
    let t = Instant::now();
    let steps = drive(c, act, done);
    let wall_ms = t.elapsed().as_secs_f64() * 1000.0;
    Run {
        wall_ms,
        peak_mb: (PEAK.load(Relaxed) - base) as f64 / 1e6,
        allocs: ALLOCS.load(Relaxed) - allocs,
        sim_ms: c.now() - sim,
        steps,
        watch: c.watch_end() - watch,
    }
}

/// 0 → `replicas`, until the set reports them all Ready.
fn run(replicas: usize, parallel: bool) -> Run {
    let mut c = cluster_for(replicas);
    scale_up(&mut c, replicas, parallel)
}

/// The same scale-up with the headless Service applied first.
fn run_with_service(replicas: usize, parallel: bool) -> Run {
    let mut c = cluster_for(replicas);
    c.apply_yaml(HEADLESS_SERVICE).expect("apply service");
    scale_up(&mut c, replicas, parallel)
}

/// (Not inlined: callgrind's `--toggle-collect='scale::scale_up'` measures this frame.)
#[inline(never)]
fn scale_up(c: &mut Cluster, replicas: usize, parallel: bool) -> Run {
    timed(c, scenarios::scale_up(replicas, parallel))
}

fn rolling_update(c: &mut Cluster, replicas: usize, parallel: bool) -> Run {
    timed(c, scenarios::rolling_update(replicas, parallel))
}

fn scale_to_zero(c: &mut Cluster) -> Run {
    timed(c, scenarios::scale_to_zero())
}

fn report(label: &str, r: &Run) {
    println!(
        "{label:<26} wall {:>7.1} ms  peak heap {:>6.1} MB  allocations {:>9}  simulated {:>7.1} s  events {:>6}  watch entries {:>7}",
        r.wall_ms,
        r.peak_mb,
        r.allocs,
        r.sim_ms as f64 / 1000.0,
        r.steps,
        r.watch
    );
}

fn main() {
    // `cargo bench --bench scale -- ordered|parallel|service N`: one scenario (for
    // profiling); `service` is OrderedReady with the headless Service. `--keep-history`: see
    // KEEP_HISTORY.
    let mut args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let Some(i) = args.iter().position(|a| a == "--keep-history") {
        args.remove(i);
        KEEP_HISTORY.store(true, Relaxed);
        println!("(every watch entry kept)");
    }
    if let [mode, n] = args.as_slice() {
        let n: usize = n.replace(',', "").parse().expect("replica count");
        let r = if mode == "service" {
            run_with_service(n, false)
        } else {
            run(n, mode == "parallel")
        };
        report(&format!("0->{n} {mode}"), &r);
        return;
    }
    let ordered_100 = run(100, false);
    report("0->100 OrderedReady", &ordered_100);
    let ordered_1k = run(1_000, false);
    report("0->1,000 OrderedReady", &ordered_1k);
    println!(
        "  growth 10x replicas (OrderedReady): {:.1}x wall time",
        ordered_1k.wall_ms / ordered_100.wall_ms
    );
    let service_100 = run_with_service(100, false);
    report("0->100 OrderedReady+Service", &service_100);
    let service_1k = run_with_service(1_000, false);
    report("0->1,000 OrderedReady+Svc", &service_1k);
    println!(
        "  growth 10x replicas (OrderedReady + Service): {:.1}x wall time",
        service_1k.wall_ms / service_100.wall_ms
    );
    let mut c = cluster_for(1_000);
    scale_up(&mut c, 1_000, false);
    report(
        "1,000 OrderedReady: update",
        &rolling_update(&mut c, 1_000, false),
    );
    report("1,000 OrderedReady -> 0", &scale_to_zero(&mut c));
    let parallel_1k = run(1_000, true);
    report("0->1,000 Parallel", &parallel_1k);
    let parallel_10k = run(10_000, true);
    report("0->10,000 Parallel", &parallel_10k);
    println!(
        "  growth 10x replicas (Parallel): {:.1}x wall time",
        parallel_10k.wall_ms / parallel_1k.wall_ms
    );
}
