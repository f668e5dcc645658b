//! The readiness prober's timing: a failing probe makes the pod unready after
//! `failureThreshold` × `periodSeconds`, and Ready again after `successThreshold` × period.

use k8s_openapi::api::core::v1::Pod;
use kubesim::engine::statefulset::is_running_and_ready;
use kubesim::engine::{Cluster, Kind};
use kubesim::manifest::{self, Object};

fn web(period: i32, failure: i32) -> Object {
    let yaml = format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 1
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet: {{path: /, port: 80}}
          periodSeconds: {period}
          failureThreshold: {failure}
"
    );
    manifest::parse(&yaml).objects.remove(0).object
}

fn ready(c: &Cluster) -> bool {
    is_running_and_ready(c.store().get::<Pod>("default", "web-0").unwrap())
}

#[test]
fn a_failing_probe_turns_the_pod_unready_after_failure_threshold_periods() {
    let mut c = Cluster::default();
    c.apply(web(2, 3)).unwrap();
    c.advance(30_000);
    assert!(ready(&c));
    c.set_annotation(
        Kind::Pod,
        "default",
        "web-0",
        "playground.dev/unready",
        Some("true"),
    )
    .unwrap();
    c.advance(5_900);
    assert!(ready(&c), "2 s × 3 failures: still Ready after 5.9 s");
    c.advance(200);
    assert!(!ready(&c), "unready once the third failure is seen");
    c.set_annotation(
        Kind::Pod,
        "default",
        "web-0",
        "playground.dev/unready",
        None,
    )
    .unwrap();
    c.advance(1_900);
    assert!(!ready(&c));
    c.advance(200);
    assert!(
        ready(&c),
        "one success (successThreshold 1) after one period"
    );
}
