//! The scale scenarios, shared by the native bench (`benches/scale.rs`, timed with
//! `std::time::Instant` and a counting allocator) and the browser bench
//! (`tests/wasm_bench.rs`, timed with `performance.now()` in headless Chromium). Nothing
//! here reads a clock: a scenario is a cluster, an action and the state that ends it.

use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::Pod;
use kubesim::engine::{Cluster, ClusterConfig};

/// A StatefulSet `web` of `replicas` nginx pods (no probe, no volume).
pub fn manifest(replicas: usize, parallel: bool) -> String {
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

/// A headless Service `nginx` selecting the set's pods (the StatefulSet's governing service):
/// every pod write then also drives the EndpointSlice / Endpoints controller.
pub const HEADLESS_SERVICE: &str = r#"apiVersion: v1
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

/// A cluster sized for `replicas` pods: `ceil(replicas / 100)` nodes (at least 3; the
/// scheduler puts at most 110 pods on a node). `keep_history`: every watch entry is kept
/// (`watch_history: usize::MAX`, the behaviour before the bounded watch log).
pub fn cluster_for(replicas: usize, keep_history: bool) -> Cluster {
    let mut config = ClusterConfig {
        nodes: replicas.div_ceil(100).max(3),
        max_replicas: 10_000,
        ..Default::default()
    };
    if keep_history {
        config.watch_history = usize::MAX;
    }
    Cluster::new(config)
}

/// Runs `act`, then the cluster's events until `done` holds; returns how many events ran.
pub fn drive(
    c: &mut Cluster,
    act: impl FnOnce(&mut Cluster),
    done: impl Fn(&Cluster) -> bool,
) -> usize {
    act(c);
    let mut steps = 0usize;
    while !done(c) {
        if c.step().is_none() {
            panic!("stalled: {:?}", c.why("default", "web"));
        }
        steps += 1;
    }
    steps
}

/// The set's status once it describes the current spec (the default status before).
pub fn status(c: &Cluster) -> StatefulSetStatus {
    current_status(c, |st| st.clone()).unwrap_or_default()
}

/// Reads the set's status once it describes the current spec, without copying it (the
/// scale-up check runs after every event).
pub fn current_status<R>(c: &Cluster, read: impl FnOnce(&StatefulSetStatus) -> R) -> Option<R> {
    let s = c.store().get::<StatefulSet>("default", "web")?;
    s.status
        .as_ref()
        .filter(|st| st.observed_generation == s.metadata.generation)
        .map(read)
}

/// The action and end state of 0 → `replicas` (until the set reports them all Ready).
pub fn scale_up(
    replicas: usize,
    parallel: bool,
) -> (impl FnOnce(&mut Cluster), impl Fn(&Cluster) -> bool) {
    (
        move |c: &mut Cluster| {
            c.apply_yaml(&manifest(replicas, parallel)).expect("apply");
        },
        move |c: &Cluster| current_status(c, |s| s.ready_replicas) == Some(Some(replicas as i32)),
    )
}

/// A template change on a Ready set, until every pod runs the new revision and is Ready.
pub fn rolling_update(
    replicas: usize,
    parallel: bool,
) -> (impl FnOnce(&mut Cluster), impl Fn(&Cluster) -> bool) {
    let yaml = manifest(replicas, parallel).replace("nginx-slim:0.8", "nginx-slim:0.9");
    (
        move |c: &mut Cluster| {
            c.apply_yaml(&yaml).expect("apply");
        },
        move |c: &Cluster| {
            let s = status(c);
            s.updated_replicas == Some(replicas as i32)
                && s.ready_replicas == Some(replicas as i32)
                && s.current_revision == s.update_revision
        },
    )
}

/// `kubectl scale --replicas=0`, until the last pod is gone.
pub fn scale_to_zero() -> (impl FnOnce(&mut Cluster), impl Fn(&Cluster) -> bool) {
    (
        |c: &mut Cluster| c.scale("default", "web", 0).expect("scale"),
        |c: &Cluster| status(c).replicas == 0 && c.store().count::<Pod>() == 0,
    )
}
