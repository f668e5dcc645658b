//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use kubesim::engine::statefulset::{is_running_and_ready, pod_revision};
use kubesim::engine::{AnyObject, Cluster, DeleteOptions, Kind, WatchEventType};
use kubesim::manifest::Object;

pub const NS: &str = "default";
pub const UNREADY: &str = "playground.dev/unready";
pub const FAIL: &str = "playground.dev/fail";

/// The e2e suite's `ss` set: nginx-slim with a readiness probe, headless service `test`.
pub fn ss(name: &str, replicas: i32) -> StatefulSet {
    let yaml = format!(
        r#"apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {name}
spec:
  serviceName: test
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: webserver
        image: registry.k8s.io/e2e-test-images/httpd:2.4.38-4
        readinessProbe:
          httpGet:
            path: /index.html
            port: 80
"#
    );
    match kubesim::manifest::parse(&yaml).objects.remove(0).object {
        Object::StatefulSet(s) => s,
        _ => unreachable!(),
    }
}

/// Adds a volumeClaimTemplate `datadir` (1Gi RWO, class "").
pub fn with_claims(mut s: StatefulSet) -> StatefulSet {
    let vct: PersistentVolumeClaim = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "datadir"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    }))
    .unwrap();
    s.spec.as_mut().unwrap().volume_claim_templates = Some(vec![vct]);
    s
}

/// Adds `n` 1Gi RWO PersistentVolumes `pv-1` … `pv-n`.
pub fn add_pvs(c: &mut Cluster, n: usize) {
    for i in 1..=n {
        let yaml = format!(
            "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-{i}\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /tmp/pv-{i}\n"
        );
        c.apply_yaml(&yaml).unwrap();
    }
}

pub fn create(c: &mut Cluster, s: StatefulSet) {
    c.apply(Object::StatefulSet(s)).unwrap();
}

pub fn set(c: &Cluster, name: &str) -> StatefulSet {
    c.store().get::<StatefulSet>(NS, name).unwrap().clone()
}

/// Edits the set like `kubectl edit` / `kubectl apply` of a changed manifest.
pub fn update(c: &mut Cluster, name: &str, f: impl FnOnce(&mut StatefulSet)) {
    let mut s = set(c, name);
    s.status = None;
    f(&mut s);
    c.apply(Object::StatefulSet(s)).unwrap();
}

pub fn set_image(c: &mut Cluster, name: &str, image: &str) {
    update(c, name, |s| {
        s.spec
            .as_mut()
            .unwrap()
            .template
            .spec
            .as_mut()
            .unwrap()
            .containers[0]
            .image = Some(image.into())
    });
}

pub fn pods(c: &Cluster, set: &str) -> Vec<std::sync::Arc<Pod>> {
    c.store().pods_with_parent(NS, set)
}

pub fn pod(c: &Cluster, name: &str) -> Option<Pod> {
    c.store().get::<Pod>(NS, name).cloned()
}

pub fn pod_names(c: &Cluster, set: &str) -> Vec<String> {
    let mut v: Vec<(i64, String)> = pods(c, set)
        .iter()
        .map(|p| {
            let n = p.metadata.name.clone().unwrap();
            (kubesim::engine::statefulset::ordinal_of(p).unwrap_or(-1), n)
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, n)| n).collect()
}

pub fn image_of(p: &Pod) -> String {
    p.spec.as_ref().unwrap().containers[0]
        .image
        .clone()
        .unwrap()
}

pub fn revision_of(p: &Pod) -> String {
    pod_revision(p).unwrap_or("").to_string()
}

pub fn ready_count(c: &Cluster, set: &str) -> usize {
    pods(c, set)
        .iter()
        .filter(|p| is_running_and_ready(p))
        .count()
}

pub fn status_ready(c: &Cluster, set: &str) -> i32 {
    c.store()
        .get::<StatefulSet>(NS, set)
        .and_then(|s| s.status.as_ref())
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0)
}

/// Runs until the set has `n` Running+Ready pods, its status says so and nothing else is
/// pending for it (all pods in range), or fails with the `why` explanation.
pub fn wait_ready(c: &mut Cluster, name: &str, n: usize) {
    let deadline = c.now() + 600_000;
    let ok = c.run_until_condition(deadline, |c| {
        let s = c.store().get::<StatefulSet>(NS, name).unwrap();
        let st = s.status.clone().unwrap_or_default();
        let spec = s.spec.clone().unwrap_or_default();
        let start = kubesim::engine::statefulset::start_ordinal(&spec);
        let in_range = pods(c, name).iter().all(|p| {
            let o = kubesim::engine::statefulset::ordinal_of(p).unwrap_or(-1);
            o >= start && o < start + n as i64
        });
        st.observed_generation == s.metadata.generation
            && c.next_event_at() != Some(c.now())
            && in_range
            && ready_count(c, name) == n
            && pods(c, name).len() == n
            && st.ready_replicas.unwrap_or(0) as usize == n
            && st.replicas as usize == n
    });
    assert!(ok, "{name} did not reach {n} ready: {:?}", c.why(NS, name));
}

/// Runs until the set's pods are all on the update revision and current == update.
pub fn wait_rolled_out(c: &mut Cluster, name: &str) {
    let deadline = c.now() + 900_000;
    let ok = c.run_until_condition(deadline, |c| {
        let s = c.store().get::<StatefulSet>(NS, name).unwrap();
        let st = s.status.clone().unwrap_or_default();
        let want = s.spec.as_ref().unwrap().replicas.unwrap_or(1);
        st.observed_generation == s.metadata.generation
            && c.next_event_at() != Some(c.now())
            && st.current_revision == st.update_revision
            && st.ready_replicas.unwrap_or(0) == want
            && st.updated_replicas.unwrap_or(0) == want
            && st.replicas == want
    });
    assert!(ok, "{name} did not roll out: {:?}", c.why(NS, name));
}

pub fn annotate_pod(c: &mut Cluster, pod: &str, key: &str, value: Option<&str>) {
    c.set_annotation(Kind::Pod, NS, pod, key, value).unwrap();
}

pub fn delete_pod(c: &mut Cluster, pod: &str) {
    c.delete(Kind::Pod, NS, pod, DeleteOptions::default())
        .unwrap();
}

/// Pod names in the order of the given watch event type, from watch-log position `from`.
pub fn pod_events(c: &Cluster, from: usize, ev: WatchEventType) -> Vec<String> {
    c.watch_since(from)
        .iter()
        .filter(|e| e.kind == Kind::Pod && e.event == ev)
        .map(|e| e.name.clone())
        .collect()
}

/// (instant, pod) of every SuccessfulDelete event for the set, from the event list.
pub fn deletions(c: &Cluster) -> Vec<(u64, String)> {
    c.events()
        .iter()
        .filter(|e| e.reason.as_deref() == Some("SuccessfulDelete"))
        .map(|e| {
            let msg = e.message.clone().unwrap_or_default();
            let pod = msg.split(' ').nth(2).unwrap_or("").to_string();
            (
                e.first_timestamp
                    .as_ref()
                    .map(kubesim::engine::instant_of)
                    .unwrap(),
                pod,
            )
        })
        .collect()
}

pub fn revisions(c: &Cluster) -> Vec<ControllerRevision> {
    c.store().list::<ControllerRevision>().cloned().collect()
}

pub fn watch_pod_snapshots(c: &Cluster, from: usize) -> Vec<(u64, WatchEventType, Pod)> {
    c.watch_since(from)
        .iter()
        .filter_map(|e| match &e.object {
            AnyObject::Pod(p) => Some((e.at, e.event, (**p).clone())),
            _ => None,
        })
        .collect()
}
