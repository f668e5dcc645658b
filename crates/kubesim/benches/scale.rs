//! Scale benchmark (harness = false): wall-clock cost of simulating large StatefulSets.
//! Run: `CARGO_PROFILE_BENCH_OPT_LEVEL=3 CARGO_PROFILE_BENCH_LTO=false cargo bench -p kubesim --bench scale`
//! (the workspace release profile is tuned for wasm size). `std::time::Instant` is used here
//! only — the engine itself never reads a clock.

use std::time::Instant;

use k8s_openapi::api::apps::v1::StatefulSet;
use kubesim::engine::{Cluster, ClusterConfig};

fn manifest(replicas: usize, parallel: bool) -> String {
    let policy = if parallel { "Parallel" } else { "OrderedReady" };
    format!(
        r#"apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: {replicas}
  podManagementPolicy: {policy}
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.8
"#
    )
}

struct Run {
    wall_ms: f64,
    sim_ms: u64,
    steps: usize,
    watch: usize,
}

/// A headless Service `nginx` selecting the set's pods (the StatefulSet's governing service):
/// every pod write then also drives the EndpointSlice / Endpoints controller.
const HEADLESS_SERVICE: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - name: web
    port: 80
"#;

fn run(replicas: usize, parallel: bool) -> Run {
    run_scenario(replicas, parallel, false)
}

/// The same scale-up with the headless Service applied first.
fn run_with_service(replicas: usize, parallel: bool) -> Run {
    run_scenario(replicas, parallel, true)
}

fn run_scenario(replicas: usize, parallel: bool, service: bool) -> Run {
    let nodes = replicas.div_ceil(100).max(3);
    let mut c = Cluster::new(ClusterConfig {
        nodes,
        ..Default::default()
    });
    let t = Instant::now();
    if service {
        c.apply_yaml(HEADLESS_SERVICE).expect("apply service");
    }
    c.apply_yaml(&manifest(replicas, parallel)).expect("apply");
    let mut steps = 0usize;
    let done = |c: &Cluster| {
        c.store()
            .get::<StatefulSet>("default", "web")
            .and_then(|s| s.status.as_ref())
            .and_then(|s| s.ready_replicas)
            == Some(replicas as i32)
    };
    while !done(&c) {
        if c.step().is_none() {
            panic!("stalled: {:?}", c.why("default", "web"));
        }
        steps += 1;
    }
    Run {
        wall_ms: t.elapsed().as_secs_f64() * 1000.0,
        sim_ms: c.now(),
        steps,
        watch: c.watch_log().len(),
    }
}

fn report(label: &str, r: &Run) {
    println!(
        "{label:<32} wall {:>9.1} ms   simulated {:>8.1} s   events {:>8}   watch entries {:>8}",
        r.wall_ms,
        r.sim_ms as f64 / 1000.0,
        r.steps,
        r.watch
    );
}

fn main() {
    // `cargo bench --bench scale -- ordered|parallel|service N`: one scenario (for
    // profiling); `service` is OrderedReady with the headless Service.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
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
    report("0->100 OrderedReady + Service", &service_100);
    let service_1k = run_with_service(1_000, false);
    report("0->1,000 OrderedReady + Service", &service_1k);
    println!(
        "  growth 10x replicas (OrderedReady + Service): {:.1}x wall time",
        service_1k.wall_ms / service_100.wall_ms
    );
    let parallel_1k = run(1_000, true);
    report("0->1,000 Parallel", &parallel_1k);
    let parallel_10k = run(10_000, true);
    report("0->10,000 Parallel", &parallel_10k);
    println!(
        "  growth 10x replicas (Parallel): {:.1}x wall time",
        parallel_10k.wall_ms / parallel_1k.wall_ms
    );
}
